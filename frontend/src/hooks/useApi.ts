import { useCallback, useEffect, useEffectEvent, useRef, useState } from 'react';
import type { ApiRequest } from '../api/client';
import { peekPrefetched, takePrefetched } from '../api/prefetch';
import { useClient } from '../services';

export interface ApiState<T> {
  data: T | undefined;
  error: unknown;
  loading: boolean;
  reload: () => void;
}

export interface ApiOptions {
  /**
   * A page load may have sent this request already (api/prefetch.ts): use that answer once
   * instead of asking again, in the first render when it is there.
   */
  prefetched?: boolean;
}

function isAbort(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { name?: unknown }).name === 'AbortError';
}

/** The last answer: for which request (key and reload count), and what it was. */
interface Settled<T> {
  key: string | null;
  round: number;
  data: T | undefined;
  error: unknown;
}

/**
 * Sends `request` whenever its key (its URL) changes (null: nothing) and tracks
 * loading/error/data. The previous data stays visible while a new request loads,
 * so paging does not flash an empty table. Stale answers are aborted.
 */
export function useApi<T>(request: ApiRequest<T> | null, options: ApiOptions = {}): ApiState<T> {
  const client = useClient();
  const key = request?.key ?? null;
  const usePrefetched = options.prefetched === true;
  const [round, setRound] = useState(0);
  const [settled, setSettled] = useState<Settled<T>>(() => {
    const early = usePrefetched && request ? peekPrefetched(client, request)?.settled : undefined;
    if (early?.ok) return { key, round: 0, data: early.value, error: undefined };
    if (early) return { key, round: 0, data: undefined, error: early.error };
    return { key: null, round: -1, data: undefined, error: undefined };
  });
  // The answer the first render showed (a prefetched one): not asked for again.
  const served = useRef(settled.key);

  const send = useEffectEvent((signal: AbortSignal): Promise<T> | null => {
    if (!request) return null;
    const early = usePrefetched ? takePrefetched(client, request) : undefined;
    return early?.promise ?? request.send(client, signal);
  });
  const forget = useEffectEvent(() => {
    if (request) takePrefetched(client, request);
  });

  useEffect(() => {
    if (key === null) return;
    if (served.current === key && round === 0) {
      forget();
      return;
    }
    served.current = null;
    const controller = new AbortController();
    send(controller.signal)?.then(
      (data) => {
        if (!controller.signal.aborted) setSettled({ key, round, data, error: undefined });
      },
      (error: unknown) => {
        if (controller.signal.aborted || isAbort(error)) return;
        setSettled({ key, round, data: undefined, error });
      },
    );
    return () => controller.abort();
  }, [client, key, round]);

  const reload = useCallback(() => setRound((r) => r + 1), []);
  const loading = key !== null && (settled.key !== key || settled.round !== round);
  return { data: settled.data, error: loading ? undefined : settled.error, loading, reload };
}
