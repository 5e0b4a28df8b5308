import type { ReactNode } from 'react';
import { apiList, type ApiRequest } from '../api/client';
import type { ItemOf, ListPath, ListQuery, Page } from '../api/contract';
import { useApi } from '../hooks/useApi';
import { DataTable, type Column } from './DataTable';
import { ErrorState } from './ErrorState';
import { Loading } from './Loading';
import { Pagination } from './Pagination';

interface TableProps<T> {
  columns: Column<T>[];
  caption: string;
  captionHidden?: boolean;
  limit: number;
  offset: number;
  onPageChange: (offset: number, limit: number) => void;
  emptyMessage?: ReactNode;
  /** Hide the pager (e.g. a short "recent" list). */
  hidePagination?: boolean;
  /** A class for a row (e.g. `row-error` to highlight it). */
  rowClassName?: (row: T) => string | undefined;
}

export interface ListViewProps<P extends ListPath> extends TableProps<ItemOf<P>> {
  /** The list endpoint, as the OpenAPI document names it: `/api/v1/harvesters/`. */
  path: P;
  query?: ListQuery<P>;
}

/** One page of a list endpoint as a table, with loading, error and paging. */
export function ListView<P extends ListPath>({ path, query, ...table }: ListViewProps<P>) {
  return <PagedList request={apiList(path, { limit: table.limit, offset: table.offset, query })} {...table} />;
}

/** `ListView` for a page request built elsewhere (the generic resource pages). */
export function PagedList<T>({
  request,
  columns,
  caption,
  captionHidden,
  limit,
  offset,
  onPageChange,
  emptyMessage,
  hidePagination = false,
  rowClassName,
}: TableProps<T> & { request: ApiRequest<Page<T>> }) {
  // A page load may have asked for this page already (api/prefetch.ts).
  const { data, error, loading, reload } = useApi(request, { prefetched: true });

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
        rowClassName={rowClassName}
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
