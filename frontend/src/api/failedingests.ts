/**
 * `failedingests/`: messages the SQS forwarders could not ingest. Support and higher
 * read them; managers and superusers send them to their queue again ("redrive") or mark
 * them resolved.
 */
import type { ApiClient } from './client';
import type { Page, Query } from './pagination';
import type { Expect, Fits, Schemas } from './schemas';
import type { User } from './types';

/**
 * The API's `FailedIngest`. The raw SQS `message` and `resolved_by` (a user id) are sent
 * too but not described by the document (yet).
 */
export type FailedIngest = Schemas['FailedIngest'] & {
  /** The raw SQS message; its `Body` is what a redrive sends again. */
  message?: unknown;
  resolved_by?: number | null;
};

/** The queues the forwarders read. */
export const INGEST_QUEUES = [
  'errorreports',
  'sessclip',
  's3files',
  'harvversion',
  'jobresults',
  'autodiagnostics',
  'aftconfigs',
  'gripreports',
  'harvassetreport',
] as const;

/** Why a message was not ingested. */
export const INGEST_REASONS = [
  'invalid_json',
  'too_deep',
  'too_large',
  'object_missing',
  'rejected',
  'rejected_key',
  'invalid_message',
  'no_records',
] as const;

/** Query parameters of `GET failedingests/` (lists comma-joined). */
export interface FailedIngestQuery extends Query {
  queue?: string;
  reason?: string;
  /** `true` or `false`; absent: both. */
  resolved?: string;
  /** Last seen at or after / before (date-time). */
  since?: string;
  until?: string;
}

/** Body of `POST failedingests/redrive/` (the API's `IdsInput`). */
export interface RedriveBody {
  ids: number[];
}

/** `data` of `POST failedingests/redrive/`: the ids sent again, and why the others were not. */
export interface RedriveResult {
  redriven: number[];
  failed: Record<string, string>;
}

export type RedriveBodyMatchesTheApi = Expect<Fits<RedriveBody, Schemas['IdsInput']>>;

export const FAILED_INGESTS_PATH = 'failedingests/';

const one = (id: number | string) => `${FAILED_INGESTS_PATH}${encodeURIComponent(String(id))}/`;

export const failedIngestsApi = {
  list(client: ApiClient, limit: number, offset: number, query: FailedIngestQuery = {}, signal?: AbortSignal): Promise<Page<FailedIngest>> {
    return client.list<FailedIngest>(FAILED_INGESTS_PATH, { limit, offset, query }, { signal });
  },

  get(client: ApiClient, id: number | string, signal?: AbortSignal): Promise<FailedIngest> {
    return client.get<FailedIngest>(one(id), { signal });
  },

  /** POST `failedingests/{id}/redrive/` → the updated row. */
  redrive(client: ApiClient, id: number | string): Promise<FailedIngest> {
    return client.post<FailedIngest>(`${one(id)}redrive/`);
  },

  /** POST `failedingests/redrive/` `{ids}` → `{redriven, failed}`. */
  redriveMany(client: ApiClient, ids: number[]): Promise<RedriveResult> {
    const body: RedriveBody = { ids };
    return client.post<RedriveResult>(`${FAILED_INGESTS_PATH}redrive/`, body);
  },

  /** POST `failedingests/{id}/resolve/` → the updated row. */
  resolve(client: ApiClient, id: number | string): Promise<FailedIngest> {
    return client.post<FailedIngest>(`${one(id)}resolve/`);
  },
};

/** Managers and superusers redrive and resolve. */
export function canRedrive(user: User | null | undefined): boolean {
  return !!user && (user.is_superuser || user.profile?.role === 'manager');
}
