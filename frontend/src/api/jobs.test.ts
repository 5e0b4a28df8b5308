import { describe, expect, it } from 'vitest';
import { makeUser } from '../test/helpers';
import { ApiError } from './errors';
import {
  canCancelSchedule,
  canStartJob,
  hasErrors,
  jobErrors,
  jobStatusTone,
  latestSchema,
  resultsRoute,
  scheduleState,
  startedJobsRoute,
} from './jobs';

const support = makeUser();
const developer = makeUser({ profile: { id: 1, slack_id: null, role: 'developer', user: 1 } });
const manager = makeUser({ profile: { id: 1, slack_id: null, role: 'manager', user: 1 } });
const jenkins = makeUser({ profile: { id: 1, slack_id: null, role: 'jenkins', user: 1 } });

const rejected = (errors: Record<string, unknown>) => new ApiError(400, errors, '/api/v1/harvjobs/');

describe('who starts which jobs', () => {
  it('lets managers start any type and support staff the whitelisted ones, in any case', () => {
    expect(canStartJob(manager, 'install_release')).toBe(true);
    expect(canStartJob(makeUser({ is_superuser: true, profile: null }), 'install_release')).toBe(true);
    expect(canStartJob(support, 'Session_Scrape')).toBe(true);
    expect(canStartJob(developer, 'test')).toBe(true);
    expect(canStartJob(support, 'install_release')).toBe(false);
    expect(canStartJob(jenkins, 'test')).toBe(false);
    expect(canStartJob(null, 'test')).toBe(false);
  });

  it('lets a schedule be cancelled by its creator or a manager', () => {
    expect(canCancelSchedule(support, { creator: support.id })).toBe(true);
    expect(canCancelSchedule(support, { creator: 99 })).toBe(false);
    expect(canCancelSchedule(manager, { creator: 99 })).toBe(true);
    expect(canCancelSchedule(support, { creator: null })).toBe(false);
  });
});

describe('job states', () => {
  it('colours statuses and names a schedule’s state', () => {
    expect(jobStatusTone('Success')).toBe('ok');
    expect(jobStatusTone('Pending')).toBe('pending');
    expect(jobStatusTone('canceled')).toBe('muted');
    for (const s of ['Failed', 'Error', 'Failed and errors', 'Failed to send']) expect(jobStatusTone(s)).toBe('error');
    expect(scheduleState({ cancelled: '2024-01-01T00:00:00Z', next_run: null })).toBe('cancelled');
    expect(scheduleState({ cancelled: null, next_run: '2024-01-01T00:00:00Z' })).toBe('active');
    expect(scheduleState({ cancelled: null, next_run: null })).toBe('done');
  });

  it('takes the highest version as the latest schema, the newest of equal ones', () => {
    const s = (id: number, version: string, created: string) => ({ id, version, created });
    expect(latestSchema([s(1, '1.2', '2024-01-03'), s(2, '1.10', '2024-01-01'), s(3, '1.9', '2024-01-04')])?.id).toBe(2);
    expect(latestSchema([s(1, '2', '2024-01-01'), s(2, '2', '2024-01-02')])?.id).toBe(2);
    expect(latestSchema([])).toBeUndefined();
  });

  it('leads a job to its results in the app and new jobs to the list filtered to them', () => {
    expect(resultsRoute({ id: 4, results: '/api/v1/jobresults/?job__target__harv_id=11&job__event__UUID=u-1' })).toBe(
      '/jobresults?job__target__harv_id=11&job__event__UUID=u-1',
    );
    expect(resultsRoute({ id: 4, results: '' })).toBe('/jobresults?job=4');
    expect(startedJobsRoute({ ids: [1, 2], uuids: ['a', 'b'] }, 'test')).toBe('/jobs?uuid=a,b');
    const many = Array.from({ length: 51 }, (_, i) => `u${i}`);
    expect(startedJobsRoute({ ids: many.map((_, i) => i), uuids: many }, 'install_release')).toBe('/jobs?jobtype=install_release');
  });
});

describe('a rejected job', () => {
  it('places missing payload members on their fields', () => {
    const out = jobErrors(
      rejected({ detail: { 'validation error': { required: ['id', 'targets', 'mode'], missing: ["'targets' is a required property", "'mode' is a required property"] } } }),
    )!;
    expect(out.payload).toEqual({ targets: { __errors: ['Required.'] }, mode: { __errors: ['Required.'] } });
    expect(out.fields).toEqual({});
  });

  it('places a wrong type at its path, and other messages on the payload', () => {
    expect(jobErrors(rejected({ detail: { 'validation error': { path: ['targets', 1], error: 'Must be string' } } }))!.payload).toEqual({
      targets: { 1: { __errors: ['Must be string.'] } },
    });
    expect(jobErrors(rejected({ detail: { 'validation error': "'x' does not match '^a'" } }))!.payload).toEqual({ __errors: ["'x' does not match '^a'"] });
    expect(jobErrors(rejected({ detail: { payload: ['The payload is a JSON object.'] } }))!.payload).toEqual({
      __errors: ['The payload is a JSON object.'],
    });
  });

  it('keeps the other fields’ messages by name, and those of no field under ""', () => {
    const out = jobErrors(rejected({ detail: { targets: ['No harvester with harv_id 999.'], schema_version: ['Job type "test" has no schema version "9".'] } }))!;
    expect(out.fields).toEqual({ targets: ['No harvester with harv_id 999.'], schema_version: ['Job type "test" has no schema version "9".'] });
    expect(hasErrors(out.payload)).toBe(false);
    expect(jobErrors(rejected({ detail: ['Give either `cron` (repeating) or `run_at` (once).'] }))!.fields).toEqual({
      '': ['Give either `cron` (repeating) or `run_at` (once).'],
    });
    expect(jobErrors(rejected({ exception: 'bad' }))!.fields).toEqual({ '': ['bad'] });
    expect(jobErrors(new ApiError(403, { exception: 'Permission denied for user.' }, '/'))).toBeNull();
  });
});
