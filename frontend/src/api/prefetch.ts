import type { ApiClient, ApiRequest } from './client';

/**
 * Requests started before the page that needs them exists: on a full page load
 * the app asks for the page's data while the page's chunk is still loading
 * (see `prefetchRoute` in App.tsx), and the page uses that answer instead of
 * asking again (`useApi(request, { prefetched: true })`). An answer is used
 * once, and only shortly after it was asked for. Answers are kept by the
 * request's key (its URL relative to the API root).
 */
const FRESH_MS = 10_000;

export interface Prefetched<T> {
  promise: Promise<T>;
  /** Set once the answer is there, so a page mounting later can show it in its first render. */
  settled?: { ok: true; value: T } | { ok: false; error: unknown };
}

interface Entry extends Prefetched<unknown> {
  at: number;
}

const pending = new WeakMap<ApiClient, Map<string, Entry>>();

/** Sends `request` now and keeps its answer under its key. */
export function prefetch<T>(client: ApiClient, request: ApiRequest<T>): void {
  let entries = pending.get(client);
  if (!entries) {
    entries = new Map();
    pending.set(client, entries);
  }
  const entry: Entry = { at: Date.now(), promise: request.send(client) };
  // Handled here, so an answer nobody takes is no unhandled rejection.
  entry.promise.then(
    (value) => (entry.settled = { ok: true, value }),
    (error: unknown) => (entry.settled = { ok: false, error }),
  );
  entries.set(request.key, entry);
}

/** The prefetched answer of `request`, if there is a fresh one; it stays until `takePrefetched`. */
export function peekPrefetched<T>(client: ApiClient, request: ApiRequest<T>): Prefetched<T> | undefined {
  const entries = pending.get(client);
  const entry = entries?.get(request.key);
  if (!entry) return undefined;
  if (Date.now() - entry.at > FRESH_MS) {
    entries!.delete(request.key);
    return undefined;
  }
  // Stored under the request's own key by `prefetch`, so it is this request's answer.
  return entry as Prefetched<T>;
}

/** Like `peekPrefetched`, and forgets it: the next request for the same key goes to the server. */
export function takePrefetched<T>(client: ApiClient, request: ApiRequest<T>): Prefetched<T> | undefined {
  const entry = peekPrefetched(client, request);
  pending.get(client)?.delete(request.key);
  return entry;
}
