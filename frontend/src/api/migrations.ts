/**
 * `migrations/`: runs of the schema migrations from the API (docs/api-design.md#migrations).
 * Everyone who reads the API reads the logs; managers and superusers queue a run
 * (`GET migrations/migrate/`, 202), which the worker applies and records.
 */
import type { ApiClient } from './client';
import type { ListQuery } from './contract';
import type { MigrationLog } from './schemas';

export const MIGRATIONS_PATH = '/api/v1/migrations/';

/** Query parameters of `GET migrations/`. */
export type MigrationQuery = ListQuery<typeof MIGRATIONS_PATH>;

/** The values of a log's `result`, in the order the filter lists them. */
export const MIGRATION_RESULTS = ['pending', 'success', 'failed'] as const;
export type MigrationResult = (typeof MIGRATION_RESULTS)[number];

/** The badge class of a result: green, red, or neutral while the worker has not run it. */
export function resultBadge(result: string): string {
  if (result === 'success') return 'badge badge-ok';
  if (result === 'failed') return 'badge badge-error';
  return 'badge badge-info';
}

/** Whether the worker may still change the log (the pages poll it until then). */
export function isPending(log: Pick<MigrationLog, 'result'>): boolean {
  return log.result === 'pending';
}

/** How long a run took, `1.2 s` or `3 min 4 s`; null until it has both ends. */
export function runDuration(start: string | null | undefined, end: string | null | undefined): string | null {
  if (!start || !end) return null;
  const ms = Date.parse(end) - Date.parse(start);
  if (!Number.isFinite(ms) || ms < 0) return null;
  if (ms < 60_000) return `${(ms / 1000).toFixed(ms < 10_000 ? 1 : 0)} s`;
  const minutes = Math.floor(ms / 60_000);
  const seconds = Math.round((ms % 60_000) / 1000);
  return `${minutes} min ${seconds} s`;
}

/** The first 10 characters of a commit id; `UNKNOWN` and other words as they are. */
export function shortHash(hash: string): string {
  return /^[0-9a-f]{11,}$/i.test(hash) ? hash.slice(0, 10) : hash;
}

export const migrationsApi = {
  /** GET `migrations/migrate/` → `{id}` of the pending log (202, "Migration queued."). */
  migrate(client: ApiClient) {
    return client.get('/api/v1/migrations/migrate/');
  },
};
