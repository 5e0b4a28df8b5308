import { describe, expect, it } from 'vitest';
import { describeParams, draftFromParams, emptyDraft, paramsFromDraft, specParams, zoneOf, type FilterSpec } from './filters';

const spec: FilterSpec = {
  fields: [
    { param: 'harv_id', kind: 'harvester', label: 'Harvester' },
    { param: 'locations', kind: 'locations', label: 'Locations' },
    { param: 'result', kind: 'flag', label: 'Result', yes: 'Passed', no: 'Failed' },
    { param: 'robot', kind: 'integer', label: 'Robot' },
  ],
  timeRange: true,
};

describe('report-kind filters', () => {
  it('reads the form from the address, tolerating other spellings', () => {
    const draft = draftFromParams(
      spec,
      new URLSearchParams('harv_id=11&locations=Ranch A,,Ranch B &result=1&start_time=20250102T030405.000&tz=UTC&ordering=-id'),
    );
    expect(draft).toEqual({
      values: { harv_id: '11', locations: 'Ranch A,Ranch B', result: 'true', robot: '' },
      start_time: '2025-01-02T03:04:05.000',
      end_time: '',
      tz: 'UTC',
    });
    expect(draftFromParams(spec, new URLSearchParams('result=False')).values.result).toBe('false');
    expect(draftFromParams(spec, new URLSearchParams('result=maybe')).values.result).toBe('');
  });

  it('writes the address the API reads, keeping what the form does not edit', () => {
    const draft = {
      ...emptyDraft(spec),
      values: { harv_id: ' 11 ', locations: 'Ranch A, Ranch B', result: 'false', robot: '2' },
      start_time: '2025-01-02T03:04',
    };
    const previous = new URLSearchParams('ordering=-reportTime&limit=25&offset=50&robot=1');
    expect(paramsFromDraft(spec, draft, previous).toString()).toBe(
      'harv_id=11&locations=Ranch+A%2CRanch+B&result=false&robot=2&start_time=20250102T030400.000&tz=US%2FPacific&ordering=-reportTime&limit=25',
    );
    // No time range and the default zone: no tz.
    expect(paramsFromDraft(spec, emptyDraft(spec), new URLSearchParams()).toString()).toBe('');
    expect(paramsFromDraft(spec, emptyDraft(spec, 'UTC'), new URLSearchParams()).toString()).toBe('tz=UTC');
  });

  it('goes from the address to the form and back unchanged', () => {
    const address = new URLSearchParams('harv_id=11&result=true&start_time=20250102T030405.000&end_time=20250103T000000.000&tz=UTC');
    expect(paramsFromDraft(spec, draftFromParams(spec, address), address).toString()).toBe(address.toString());
  });

  it('describes the applied filters in words', () => {
    expect(
      describeParams(spec, new URLSearchParams('harv_id=11&locations=A,B&result=false&start_time=20250102T030405.000&tz=UTC&ordering=-id&limit=25')),
    ).toEqual(['Harvester 11', 'Locations A, B', 'Result: Failed', 'From 2025-01-02 03:04:05.000 UTC', 'ordering=-id']);
    expect(describeParams(spec, new URLSearchParams())).toEqual([]);
  });

  it('names its parameters and the zone of the times', () => {
    expect(specParams(spec)).toEqual(['harv_id', 'locations', 'result', 'robot', 'start_time', 'end_time', 'tz']);
    expect(specParams({ fields: [{ param: 'serial_number', kind: 'text', label: 'Serial' }] })).toEqual(['serial_number']);
    expect(zoneOf(new URLSearchParams('tz=UTC'))).toBe('UTC');
    expect(zoneOf(new URLSearchParams())).toBe('US/Pacific');
  });
});
