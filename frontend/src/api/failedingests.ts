/**
 * `failedingests/`: messages the SQS forwarders could not ingest. Support and higher
 * read them; managers and superusers send them to their queue again ("redrive") or mark
 * them resolved.
 */
import type { ApiClient } from './client';
import type { ListQuery } from './contract';

export const FAILED_INGESTS_PATH = '/api/v1/failedingests/';

/** Query parameters of `GET failedingests/` (lists comma-joined; `resolved` `true`/`false`, absent: both). */
export type FailedIngestQuery = ListQuery<typeof FAILED_INGESTS_PATH>;

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

const one = (id: number | string) => ({ path: { id: String(id) } });

export const failedIngestsApi = {
  /** POST `failedingests/{id}/redrive/` → the updated row. */
  redrive(client: ApiClient, id: number | string) {
    return client.post('/api/v1/failedingests/{id}/redrive/', one(id));
  },

  /** POST `failedingests/redrive/` `{ids}` → `{redriven, failed}`. */
  redriveMany(client: ApiClient, ids: number[]) {
    return client.post('/api/v1/failedingests/redrive/', { body: { ids } });
  },

  /** POST `failedingests/{id}/resolve/` → the updated row. */
  resolve(client: ApiClient, id: number | string) {
    return client.post('/api/v1/failedingests/{id}/resolve/', one(id));
  },
};
