import { useCallback, useMemo } from 'react';
import { useSearchParams } from 'react-router';
import { clampLimit, clampOffset, DEFAULT_PAGE_SIZE } from '../api/pagination';

/** limit/offset kept in the address bar, so pages can be shared and Back works. */
export function usePageParams(defaultLimit = DEFAULT_PAGE_SIZE) {
  const [params, setParams] = useSearchParams();
  const limit = clampLimit(params.get('limit'), defaultLimit);
  const offset = clampOffset(params.get('offset'));

  /** Every other search parameter, passed to the API as a filter. */
  const filters = useMemo(() => {
    const out: Record<string, string> = {};
    params.forEach((value, key) => {
      if (key !== 'limit' && key !== 'offset') out[key] = value;
    });
    return out;
  }, [params]);

  const setPage = useCallback(
    (nextOffset: number, nextLimit: number) => {
      setParams((prev) => {
        const next = new URLSearchParams(prev);
        if (nextOffset > 0) next.set('offset', String(nextOffset));
        else next.delete('offset');
        if (nextLimit !== defaultLimit) next.set('limit', String(nextLimit));
        else next.delete('limit');
        return next;
      });
    },
    [setParams, defaultLimit],
  );

  const clearFilter = useCallback(
    (key: string) => {
      setParams((prev) => {
        const next = new URLSearchParams(prev);
        next.delete(key);
        next.delete('offset');
        return next;
      });
    },
    [setParams],
  );

  return { limit, offset, filters, setPage, clearFilter };
}
