import { useCallback, useEffect, useMemo, useState } from 'react';
import type { ApiClient } from '../api/client';
import { MAX_LIMIT, type Page } from '../api/pagination';
import { useClient } from '../services';

/**
 * Drop-down contents (`harvesters/?limit=10000`, `exceptioncodes/?limit=10000`…)
 * fetched once per client and reused for five minutes, so moving between the
 * error-report list, the pareto page and the dialogs does not ask again.
 */
const TTL_MS = 5 * 60_000;

interface Entry {
  at: number;
  promise: Promise<unknown[]>;
}

const caches = new WeakMap<ApiClient, Map<string, Entry>>();

function load(client: ApiClient, path: string): Promise<unknown[]> {
  let cache = caches.get(client);
  if (!cache) {
    cache = new Map();
    caches.set(client, cache);
  }
  const hit = cache.get(path);
  if (hit && Date.now() - hit.at < TTL_MS) return hit.promise;
  const promise = client.list<unknown>(path, { limit: MAX_LIMIT }).then((page: Page<unknown>) => page.results);
  cache.set(path, { at: Date.now(), promise });
  // A failure is not remembered: the next page asks again.
  promise.catch(() => {
    if (cache.get(path)?.promise === promise) cache.delete(path);
  });
  return promise;
}

/** Forgets a cached list, e.g. after creating a harvester. */
export function invalidateLookup(client: ApiClient, path: string): void {
  caches.get(client)?.delete(path);
}

export interface LookupState<T> {
  items: T[];
  loading: boolean;
  error: unknown;
  reload: () => void;
}

/** Every object of a list endpoint (up to 10000), for a drop-down. `null` path: nothing is fetched. */
export function useLookup<T>(path: string | null): LookupState<T> {
  const client = useClient();
  const [nonce, setNonce] = useState(0);
  const [state, setState] = useState<{ items: T[]; loading: boolean; error: unknown }>({
    items: [],
    loading: path !== null,
    error: undefined,
  });

  useEffect(() => {
    if (path === null) return;
    let live = true;
    setState((s) => ({ ...s, loading: true, error: undefined }));
    load(client, path).then(
      (items) => live && setState({ items: items as T[], loading: false, error: undefined }),
      (error: unknown) => live && setState({ items: [], loading: false, error }),
    );
    return () => {
      live = false;
    };
  }, [client, path, nonce]);

  const reload = useCallback(() => {
    if (path !== null) invalidateLookup(client, path);
    setNonce((n) => n + 1);
  }, [client, path]);

  return useMemo(() => ({ ...state, reload }), [state, reload]);
}
