/**
 * `s3files/`: files the harvesters uploaded to S3, each tied to an event.
 * Reading needs support or higher; deleting (a soft delete that also removes the
 * object) needs developer or higher.
 */
import type { ApiClient } from './client';
import type { ListQuery } from './contract';

export const S3FILES_PATH = '/api/v1/s3files/';

/** Query parameters of `GET s3files/` (lists comma-joined). */
export type S3FileQuery = ListQuery<typeof S3FILES_PATH>;

/** The filters the list page edits (key and file type contain, all tags, event UUIDs, deleted only, created between). */
export const S3FILE_FILTERS = ['key', 'filetype', 'tags', 'uuid', 'deleted', 'created_after', 'created_before'] as const satisfies ReadonlyArray<
  keyof S3FileQuery
>;

export const s3filesApi = {
  /** DELETE `s3files/{id}/`: 200 with `data: "s3file deleted"`. */
  remove(client: ApiClient, id: number | string): Promise<void> {
    return client.delete('/api/v1/s3files/{id}/', { path: { id: String(id) } });
  },
};

/** `1.5 MB` style size; `—` when unknown. */
export function formatBytes(value: number | null | undefined): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return '—';
  if (value < 1024) return `${value} B`;
  const units = ['kB', 'MB', 'GB', 'TB'];
  let n = value / 1024;
  let unit = 0;
  while (n >= 1024 && unit < units.length - 1) {
    n /= 1024;
    unit += 1;
  }
  return `${n >= 100 ? Math.round(n) : n.toFixed(1)} ${units[unit]}`;
}
