import type { AddressValue } from './contract';

export const DEFAULT_PAGE_SIZE = 10;
/** The largest `limit` the API accepts; drop-downs ask for this many. */
export const MAX_LIMIT = 10000;
export const PAGE_SIZES = [10, 25, 50, 100] as const;

/**
 * A query string: lists comma-joined (the API splits them); null, undefined and empty
 * strings (and empty lists) left out. Every request of the client is built with it.
 */
export function queryString(query: Record<string, unknown> = {}): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value === null || value === undefined || value === '') continue;
    if (Array.isArray(value)) {
      if (value.length) params.set(key, value.join(','));
    } else {
      params.set(key, String(value));
    }
  }
  return params.toString();
}

/** `path?query` (`&query` when `path` has one already), with `queryString`'s rules. */
export function withQuery(path: string, query: Record<string, unknown> = {}): string {
  const qs = queryString(query);
  if (!qs) return path;
  return `${path}${path.includes('?') ? '&' : '?'}${qs}`;
}

/**
 * The parameters named in `keys` (in the order of `params`, empty values left out): the
 * filters of a list, taken from the address bar, that its endpoint reads. Their values are
 * sent as they are (`AddressValue`).
 */
export function pickParams<K extends string>(params: URLSearchParams, keys: readonly K[]): Partial<Record<K, AddressValue>> {
  const out: Partial<Record<K, AddressValue>> = {};
  for (const [name, value] of params) {
    const key = keys.find((k) => k === name);
    if (key !== undefined && value !== '') out[key] = value as AddressValue;
  }
  return out;
}

/** Clamps a limit to 1…MAX_LIMIT (default when missing or invalid). */
export function clampLimit(value: unknown, fallback = DEFAULT_PAGE_SIZE): number {
  const n = typeof value === 'number' ? value : Number.parseInt(String(value ?? ''), 10);
  if (!Number.isFinite(n) || n < 1) return fallback;
  return Math.min(Math.floor(n), MAX_LIMIT);
}

/** Clamps an offset to ≥ 0. */
export function clampOffset(value: unknown): number {
  const n = typeof value === 'number' ? value : Number.parseInt(String(value ?? ''), 10);
  if (!Number.isFinite(n) || n < 0) return 0;
  return Math.floor(n);
}

export interface PageParams {
  limit: number;
  offset: number;
}

/**
 * Reads limit/offset from a `next`/`previous` URL the API returned.
 * Those URLs are absolute and built from the server's view of its own host
 * (which may be an internal name behind a proxy), so the app never follows them
 * directly: it keeps its own base URL and only takes the page parameters.
 * DRF leaves `offset` out of the first page's `previous` URL, hence offset 0.
 */
export function pageParamsFromUrl(url: string | null | undefined, fallbackLimit = DEFAULT_PAGE_SIZE): PageParams | null {
  if (!url) return null;
  let params: URLSearchParams;
  try {
    params = new URL(url, 'http://placeholder.invalid').searchParams;
  } catch {
    return null;
  }
  return {
    limit: clampLimit(params.get('limit'), fallbackLimit),
    offset: clampOffset(params.get('offset')),
  };
}

/**
 * Turns an absolute API URL (`http://host/api/v1/fruits/?limit=10&offset=10`)
 * into a path relative to the API root (`fruits/?limit=10&offset=10`).
 * Returns null when the URL is not under `apiRoot`.
 */
export function relativeApiPath(url: string, apiRoot = '/api/v1/'): string | null {
  let parsed: URL;
  try {
    parsed = new URL(url, 'http://placeholder.invalid');
  } catch {
    return null;
  }
  const root = apiRoot.endsWith('/') ? apiRoot : `${apiRoot}/`;
  if (!parsed.pathname.startsWith(root)) return null;
  return parsed.pathname.slice(root.length) + parsed.search;
}

export interface PageInfo {
  /** 1-based number of the current page. */
  page: number;
  pages: number;
  /** 1-based index of the first and last item shown (0 when empty). */
  first: number;
  last: number;
  hasPrevious: boolean;
  hasNext: boolean;
  previousOffset: number;
  nextOffset: number;
}

/** Where we are in a list. `next`/`previous` from the API win when present. */
export function pageInfo(
  count: number,
  limit: number,
  offset: number,
  links: { next?: string | null; previous?: string | null } = {},
): PageInfo {
  const size = clampLimit(limit);
  const start = clampOffset(offset);
  const total = Math.max(0, count);
  const pages = Math.max(1, Math.ceil(total / size));
  const page = Math.min(pages, Math.floor(start / size) + 1);
  const computedHasNext = start + size < total;
  const hasNext = links.next !== undefined ? links.next !== null : computedHasNext;
  const hasPrevious = links.previous !== undefined ? links.previous !== null : start > 0;
  const nextOffset = pageParamsFromUrl(links.next, size)?.offset ?? start + size;
  const previousOffset = pageParamsFromUrl(links.previous, size)?.offset ?? Math.max(0, start - size);
  return {
    page,
    pages,
    first: total === 0 || start >= total ? 0 : start + 1,
    last: Math.min(total, start + size),
    hasPrevious,
    hasNext,
    previousOffset,
    nextOffset,
  };
}
