/**
 * `s3files/`: files the harvesters uploaded to S3, each tied to an event.
 * Reading needs support or higher; deleting (a soft delete that also removes the
 * object) needs developer or higher.
 */
import type { ApiClient } from './client';
import type { CommonInfo, RelatedFile, RelatedObject } from './hds';
import type { Page, Query } from './pagination';
import type { Schemas } from './schemas';

/** `event` of an S3 file, nested. */
export interface S3FileEvent {
  id: number;
  UUID: string;
  tags: string[];
  related_objects: RelatedObject[];
  related_files: RelatedFile[];
}

/**
 * The API's `S3File`. `file` is a pre-signed download URL (valid 15 minutes), null when
 * the file is deleted or the link could not be made. The audit fields, `etag`, `size` and
 * the nested event are not described by the document (yet), hence the additions.
 */
export type S3File = Schemas['S3File'] &
  CommonInfo & {
    etag?: string | null;
    /** Bytes. */
    size?: number | null;
    event: S3FileEvent | null;
  };

/** Query parameters of `GET s3files/` (lists comma-joined). */
export interface S3FileQuery extends Query {
  /** Key contains (case-insensitive). */
  key?: string;
  /** File type contains (case-insensitive). */
  filetype?: string;
  /** Every one of these tags is on the file's event. */
  tags?: string;
  /** Event UUIDs. */
  uuid?: string;
  /** `true`: the deleted files only. */
  deleted?: string;
  created_after?: string;
  created_before?: string;
}

export const S3FILE_FILTERS = ['key', 'filetype', 'tags', 'uuid', 'deleted', 'created_after', 'created_before'] as const;

export const S3FILES_PATH = 's3files/';

const one = (id: number | string) => `${S3FILES_PATH}${encodeURIComponent(String(id))}/`;

export const s3filesApi = {
  list(client: ApiClient, limit: number, offset: number, query: S3FileQuery = {}, signal?: AbortSignal): Promise<Page<S3File>> {
    return client.list<S3File>(S3FILES_PATH, { limit, offset, query }, { signal });
  },

  get(client: ApiClient, id: number | string, signal?: AbortSignal): Promise<S3File> {
    return client.get<S3File>(one(id), { signal });
  },

  /** DELETE `s3files/{id}/`: 200 with `data: "s3file deleted"`. */
  remove(client: ApiClient, id: number | string): Promise<void> {
    return client.delete(one(id));
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
