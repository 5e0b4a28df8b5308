import { useCallback, useEffect, useMemo, useState } from 'react';
import { apiList, type ApiClient } from '../api/client';
import type { ItemOf, ListPath } from '../api/contract';
import { MAX_LIMIT } from '../api/pagination';
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

function load<P extends ListPath>(client: ApiClient, path: P): Promise<ItemOf<P>[]> {
  let cache = caches.get(client);
  if (!cache) {
    cache = new Map();
    caches.set(client, cache);
  }
  const hit = cache.get(path);
  // Stored under its path by this function, so it holds that list's rows.
  if (hit && Date.now() - hit.at < TTL_MS) return hit.promise as Promise<ItemOf<P>[]>;
  const promise = apiList(path, { limit: MAX_LIMIT })
    .send(client)
    .then((page) => page.results);
  cache.set(path, { at: Date.now(), promise });
  // A failure is not remembered: the next page asks again.
  promise.catch(() => {
    if (cache.get(path)?.promise === promise) cache.delete(path);
  });
  return promise;
}

/** Forgets a cached list, e.g. after creating a harvester. */
export function invalidateLookup(client: ApiClient, path: ListPath): void {
  caches.get(client)?.delete(path);
}

export interface LookupState<T> {
  items: T[];
  loading: boolean;
  error: unknown;
  reload: () => void;
}

interface Loaded<T> {
  path: string | null;
  round: number;
  items: T[];
  error: unknown;
}

/** Every object of a list endpoint (up to 10000), for a drop-down. `null` path: nothing is fetched. */
export function useLookup<P extends ListPath>(path: P | null): LookupState<ItemOf<P>> {
  const client = useClient();
  const [round, setRound] = useState(0);
  const [loaded, setLoaded] = useState<Loaded<ItemOf<P>>>({ path: null, round: -1, items: [], error: undefined });

  useEffect(() => {
    if (path === null) return;
    let live = true;
    load(client, path).then(
      (items) => live && setLoaded({ path, round, items, error: undefined }),
      (error: unknown) => live && setLoaded({ path, round, items: [], error }),
    );
    return () => {
      live = false;
    };
  }, [client, path, round]);

  const reload = useCallback(() => {
    if (path !== null) invalidateLookup(client, path);
    setRound((r) => r + 1);
  }, [client, path]);

  const loading = path !== null && (loaded.path !== path || loaded.round !== round);
  const { items, error } = loaded;
  return useMemo(() => ({ items, error: loading ? undefined : error, loading, reload }), [items, error, loading, reload]);
}
