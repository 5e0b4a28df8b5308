import { useCallback } from 'react';
import { useSearchParams } from 'react-router';
import { clampLimit, clampOffset, DEFAULT_PAGE_SIZE, pickParams } from '../api/pagination';

/** Moves the list to another page (offset) or page size (limit) in the address bar. */
export function useSetPage(defaultLimit = DEFAULT_PAGE_SIZE) {
  const [, setParams] = useSearchParams();
  return useCallback(
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
}

/**
 * limit/offset kept in the address bar, so pages can be shared and Back works, and the
 * list's filters: the parameters of the address named in `filterKeys` (those its endpoint
 * reads; declare them `satisfies ReadonlyArray<keyof ListQuery<path>>`).
 */
export function usePageParams<K extends string = never>(filterKeys: readonly K[] = [], defaultLimit = DEFAULT_PAGE_SIZE) {
  const [params, setParams] = useSearchParams();
  const limit = clampLimit(params.get('limit'), defaultLimit);
  const offset = clampOffset(params.get('offset'));
  const setPage = useSetPage(defaultLimit);
  const filters = pickParams(params, filterKeys);

  /** Removes one filter from the address (back to the first page). */
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

  return { params, setParams, limit, offset, filters, setPage, clearFilter };
}
