import { useCallback, useEffect, useRef, useState } from 'react';
import type { ApiClient } from '../api/client';
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
   * `key` is a request path that a page load may have sent already (api/prefetch.ts):
   * use that answer once instead of calling `fetcher`, in the first render when it is there.
   */
  prefetched?: boolean;
}

function isAbort(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { name?: unknown }).name === 'AbortError';
}

/**
 * Runs `fetcher` whenever `key` changes (null: do nothing) and tracks
 * loading/error/data. The previous data stays visible while a new key loads,
 * so paging does not flash an empty table. Stale answers are aborted.
 */
export function useApi<T>(
  key: string | null,
  fetcher: (client: ApiClient, signal: AbortSignal) => Promise<T>,
  options: ApiOptions = {},
): ApiState<T> {
  const client = useClient();
  const fetcherRef = useRef(fetcher);
  fetcherRef.current = fetcher;
  const usePrefetched = options.prefetched === true;
  const [nonce, setNonce] = useState(0);
  const [state, setState] = useState<{ data: T | undefined; error: unknown; loading: boolean }>(() => {
    const settled = usePrefetched && key !== null ? peekPrefetched<T>(client, key)?.settled : undefined;
    if (settled?.ok) return { data: settled.value, error: undefined, loading: false };
    if (settled) return { data: undefined, error: settled.error, loading: false };
    return { data: undefined, error: undefined, loading: key !== null };
  });
  // The key whose answer the first render already showed: not asked again.
  const served = useRef(state.loading || key === null ? null : key);

  useEffect(() => {
    if (key === null) {
      setState((s) => ({ ...s, loading: false }));
      return;
    }
    if (served.current === key) {
      takePrefetched(client, key);
      return;
    }
    served.current = null;
    const controller = new AbortController();
    setState((s) => ({ data: s.data, error: undefined, loading: true }));
    const early = usePrefetched ? takePrefetched<T>(client, key) : undefined;
    const request = early?.promise ?? fetcherRef.current(client, controller.signal);
    request.then(
      (data) => {
        if (!controller.signal.aborted) setState({ data, error: undefined, loading: false });
      },
      (error: unknown) => {
        if (controller.signal.aborted || isAbort(error)) return;
        setState({ data: undefined, error, loading: false });
      },
    );
    return () => controller.abort();
  }, [client, key, nonce, usePrefetched]);

  const reload = useCallback(() => {
    served.current = null;
    setNonce((n) => n + 1);
  }, []);
  return { ...state, reload };
}
