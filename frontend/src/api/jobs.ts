/**
 * Jobs (docs/api-design.md#jobs): who may start which, how a status is shown, starting a job on
 * one or many harvesters, and the API's 400 answers of a job's payload turned into errors per
 * payload field.
 */
import type { ApiClient } from './client';
import { isApiError } from './errors';
import { canManageUsers } from './roles';
import type { Job, JobSchedule, JobSchema, User } from './schemas';

/** Every `jobstatus`, in the order the filter lists them. */
export const JOB_STATUSES = ['Pending', 'Success', 'Failed', 'Error', 'Failed and errors', 'Failed to send', 'canceled'] as const;
export type JobStatus = (typeof JOB_STATUSES)[number];

/** The job types support staff may start (any case); managers start any. */
export const SUPPORT_JOB_TYPES = ['sess_clip', 'session_scrape', 'test'] as const;

/** The job type a release install is (`release/` → "Schedule install"). */
export const INSTALL_RELEASE = 'install_release';

/** Managers and superusers: any job type, reschedules, any schedule's cancel, release installs. */
export function canManageJobs(user: User | null | undefined): boolean {
  return canManageUsers(user);
}

/** Whether `user` may start jobs of `jobtype` (the server checks again: 403). */
export function canStartJob(user: User | null | undefined, jobtype: string | null | undefined): boolean {
  if (!user) return false;
  if (canManageJobs(user)) return true;
  const role = user.profile?.role;
  if (role !== 'support' && role !== 'developer') return false;
  const name = (jobtype ?? '').toLowerCase();
  return SUPPORT_JOB_TYPES.some((t) => t === name);
}

/** Its creator or a manager may cancel a schedule. */
export function canCancelSchedule(user: User | null | undefined, schedule: Pick<JobSchedule, 'creator'>): boolean {
  if (!user) return false;
  return canManageJobs(user) || (schedule.creator !== null && schedule.creator !== undefined && schedule.creator === user.id);
}

/** How a status is shown: green, red, grey, or waiting. */
export function jobStatusTone(status: string | null | undefined): 'ok' | 'error' | 'muted' | 'pending' {
  switch (status) {
    case 'Success':
      return 'ok';
    case 'Pending':
      return 'pending';
    case 'canceled':
    case null:
    case undefined:
    case '':
      return 'muted';
    default:
      return 'error';
  }
}

/** A schedule's state in one word. */
export function scheduleState(s: Pick<JobSchedule, 'cancelled' | 'next_run'>): 'active' | 'cancelled' | 'done' {
  if (s.cancelled) return 'cancelled';
  return s.next_run ? 'active' : 'done';
}

/** Versions in natural order: `1.2` < `1.10` < `2.0`. */
export function compareVersions(a: string, b: string): number {
  return a.localeCompare(b, 'en', { numeric: true, sensitivity: 'base' });
}

/**
 * The latest schema of a type: the highest version (natural order), the newest of equal ones.
 * The highest version rather than the newest row: CI may post a fix of an older version later.
 */
export function latestSchema<S extends Pick<JobSchema, 'version' | 'created' | 'id'>>(schemas: readonly S[]): S | undefined {
  let best: S | undefined;
  for (const s of schemas) {
    if (!best) best = s;
    else {
      const order = compareVersions(s.version, best.version) || s.created.localeCompare(best.created) || s.id - best.id;
      if (order > 0) best = s;
    }
  }
  return best;
}

/** The job's type, as the server wrote it into the payload it sends (`job_type`). */
export function jobTypeOf(job: Pick<Job, 'payload'>): string | null {
  const payload = job.payload;
  if (payload && typeof payload === 'object' && !Array.isArray(payload)) {
    const type = (payload as Record<string, unknown>).job_type;
    if (typeof type === 'string') return type;
  }
  return null;
}

/** A member of a job's payload (`timeout`, `targets`…), or undefined. */
export function payloadField(job: Pick<Job, 'payload'>, key: string): unknown {
  const payload = job.payload;
  return payload && typeof payload === 'object' && !Array.isArray(payload) ? (payload as Record<string, unknown>)[key] : undefined;
}

/**
 * The app's job-results list for a job's `results` link (an API URL:
 * `/api/v1/jobresults/?job__target__harv_id=11&job__event__UUID=…`), keeping its query.
 */
export function resultsRoute(job: Pick<Job, 'results' | 'id'>): string {
  const query = job.results.includes('?') ? job.results.slice(job.results.indexOf('?')) : '';
  return query ? `/jobresults${query}` : `/jobresults?job=${job.id}`;
}

/** A job to start: the type, its schema version, the payload (the server adds `id`, `job_type`, `timeout`). */
export interface JobRequest {
  jobtype: string;
  schema_version: string;
  payload: Record<string, unknown>;
  /** `harv_id`s: one job each. */
  targets: number[];
}

export interface StartedJobs {
  ids: number[];
  /** The jobs' event UUIDs (`harvjobs/?uuid=` lists them). */
  uuids: string[];
}

/**
 * Starts the job on its targets: `harvjobs/` for one harvester, `harvjobs/bulk/` (one
 * transaction, one job each) for several. The single route names a bad harvester `target`;
 * it is renamed `targets` here so a form shows both the same way.
 */
export async function startJobs(client: ApiClient, job: JobRequest): Promise<StartedJobs> {
  const { jobtype, schema_version, payload, targets } = job;
  if (targets.length === 1) {
    try {
      const created = await client.post('/api/v1/harvjobs/', { body: { jobtype, schema_version, payload, target: targets[0]! } });
      return { ids: [created.id], uuids: [created.event.UUID] };
    } catch (error) {
      if (isApiError(error) && error.status === 400) {
        const detail = error.errors.detail;
        if (detail && typeof detail === 'object' && !Array.isArray(detail) && 'target' in detail) {
          const { target, ...rest } = detail as Record<string, unknown>;
          error.errors.detail = { ...rest, targets: target };
        }
      }
      throw error;
    }
  }
  const created = await client.post('/api/v1/harvjobs/bulk/', { body: { jobtype, schema_version, payload, targets } });
  return { ids: created.jobs.map((j) => j.id), uuids: created.jobs.map((j) => j.UUID) };
}

/** Most UUIDs an address of the job list carries; more new jobs are listed by type instead. */
const MAX_UUIDS_IN_ADDRESS = 50;

/** Where to look at jobs just started: the job list filtered to them. */
export function startedJobsRoute(started: StartedJobs, jobtype: string): string {
  if (started.uuids.length <= MAX_UUIDS_IN_ADDRESS) return `/jobs?uuid=${started.uuids.join(',')}`;
  // Too many for an address: the type's jobs, newest first, start with them.
  return `/jobs?jobtype=${encodeURIComponent(jobtype)}`;
}

/** Errors of a payload per field path, as JSON-Schema forms take them: `{a: {b: {__errors: [...]}}}`. */
export interface ErrorTree {
  __errors?: string[];
  [key: string]: ErrorTree | string[] | undefined;
}

function addAt(tree: ErrorTree, path: ReadonlyArray<string | number>, message: string) {
  let node = tree;
  for (const segment of path) {
    const key = String(segment);
    const next = node[key];
    node = (next && !Array.isArray(next) ? next : (node[key] = {})) as ErrorTree;
  }
  (node.__errors ??= []).push(message);
}

function texts(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.flatMap(texts);
  if (value && typeof value === 'object') return Object.values(value).flatMap(texts);
  return [];
}

/**
 * A rejected job, split for a form: the payload's errors by field (`validation error` of the
 * API: `{"required": [...], "missing": ["'x' is a required property"]}`, `{"path": [...],
 * "error": "Must be string"}`, or a message; and `payload` itself), and the other fields'
 * messages (`jobtype`, `schema_version`, `targets`, `cron`, `run_at`, `""` for the rest).
 * Null for anything but a 400.
 */
export function jobErrors(error: unknown): { payload: ErrorTree; fields: Record<string, string[]> } | null {
  if (!isApiError(error) || error.status !== 400) return null;
  const payload: ErrorTree = {};
  const fields: Record<string, string[]> = {};
  const add = (field: string, messages: string[]) => {
    if (messages.length) (fields[field] ??= []).push(...messages);
  };
  const detail = error.errors.detail;
  if (detail && typeof detail === 'object' && !Array.isArray(detail)) {
    for (const [key, value] of Object.entries(detail as Record<string, unknown>)) {
      if (key === 'validation error') {
        if (value && typeof value === 'object' && !Array.isArray(value)) {
          const v = value as Record<string, unknown>;
          if (Array.isArray(v.missing)) {
            for (const text of texts(v.missing)) {
              const name = /^'(.*)' is a required property$/.exec(text)?.[1];
              if (name !== undefined) addAt(payload, [name], 'Required.');
              else addAt(payload, [], text);
            }
          } else if (Array.isArray(v.path) && typeof v.error === 'string') {
            addAt(payload, v.path.filter((p): p is string | number => typeof p === 'string' || typeof p === 'number'), `${v.error}.`);
          } else {
            for (const text of texts(value)) addAt(payload, [], text);
          }
        } else {
          for (const text of texts(value)) addAt(payload, [], text);
        }
      } else if (key === 'payload') {
        for (const text of texts(value)) addAt(payload, [], text);
      } else {
        add(key === 'non_field_errors' ? '' : key, texts(value));
      }
    }
  } else {
    add('', texts(detail));
  }
  for (const [key, value] of Object.entries(error.errors)) {
    if (key !== 'detail') add('', texts(value));
  }
  return { payload, fields };
}

/** Whether an error tree holds any message. */
export function hasErrors(tree: ErrorTree): boolean {
  return Object.entries(tree).some(([key, value]) => (key === '__errors' ? !!(value as string[]).length : hasErrors(value as ErrorTree)));
}
