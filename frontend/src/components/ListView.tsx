import type { ReactNode } from 'react';
import type { Page, Query } from '../api/pagination';
import { pagePath } from '../api/pagination';
import { useApi } from '../hooks/useApi';
import { DataTable, type Column } from './DataTable';
import { ErrorState } from './ErrorState';
import { Loading } from './Loading';
import { Pagination } from './Pagination';

export interface ListViewProps<T> {
  /** List endpoint relative to the API root, e.g. `harvesters/`. */
  apiPath: string;
  query?: Query;
  columns: Column<T>[];
  caption: string;
  captionHidden?: boolean;
  limit: number;
  offset: number;
  onPageChange: (offset: number, limit: number) => void;
  emptyMessage?: ReactNode;
  /** Hide the pager (e.g. a short "recent" list). */
  hidePagination?: boolean;
}

/** One page of a list endpoint as a table, with loading, error and paging. */
export function ListView<T>({
  apiPath,
  query,
  columns,
  caption,
  captionHidden,
  limit,
  offset,
  onPageChange,
  emptyMessage,
  hidePagination = false,
}: ListViewProps<T>) {
  const key = pagePath(apiPath, limit, offset, query);
  const { data, error, loading, reload } = useApi<Page<T>>(
    key,
    (client, signal) => client.list<T>(apiPath, { limit, offset, query }, { signal }),
    // A page load may have asked for this page already (api/prefetch.ts).
    { prefetched: true },
  );

  if (error) return <ErrorState error={error} onRetry={reload} />;
  if (!data) return <Loading label={`Loading ${caption.toLowerCase()}…`} />;

  return (
    <div className="list-view">
      {loading && <Loading inline label="Updating…" />}
      <DataTable
        columns={columns}
        rows={data.results}
        caption={caption}
        captionHidden={captionHidden}
        emptyMessage={emptyMessage}
        busy={loading}
      />
      {!hidePagination && (
        <Pagination
          count={data.count}
          limit={limit}
          offset={offset}
          next={data.next}
          previous={data.previous}
          onChange={onPageChange}
          label={`${caption} pages`}
          disabled={loading}
        />
      )}
    </div>
  );
}
