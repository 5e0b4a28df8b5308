import type { Key, ReactNode } from 'react';
import { formatValue } from '../lib/format';

export interface Column<T> {
  key: string;
  header: string;
  /** Cell content; default: the row's `key` field, formatted. */
  render?: (row: T) => ReactNode;
  className?: string;
}

export interface DataTableProps<T> {
  columns: Column<T>[];
  rows: T[];
  /** Visible or screen-reader caption naming the table. */
  caption: string;
  captionHidden?: boolean;
  rowKey?: (row: T, index: number) => Key;
  /** A class for a row (e.g. `row-error` to highlight it). */
  rowClassName?: (row: T) => string | undefined;
  emptyMessage?: ReactNode;
  /** A newer page is loading; the rows shown are stale. */
  busy?: boolean;
}

function defaultCell<T>(row: T, key: string): ReactNode {
  return formatValue((row as Record<string, unknown>)[key]);
}

/**
 * A plain, accessible table. On narrow screens each row becomes a card whose
 * cells carry their column name (see `.data-table` in styles.css).
 */
export function DataTable<T>({
  columns,
  rows,
  caption,
  captionHidden = false,
  rowKey,
  rowClassName,
  emptyMessage = 'Nothing to show.',
  busy = false,
}: DataTableProps<T>) {
  const keyOf = rowKey ?? ((row: T, index: number) => {
    const id = (row as { id?: unknown }).id;
    return typeof id === 'string' || typeof id === 'number' ? id : index;
  });

  return (
    <div className="table-wrap" role="region" aria-label={caption} tabIndex={0}>
      <table className="data-table" aria-busy={busy || undefined}>
        <caption className={captionHidden ? 'visually-hidden' : undefined}>{caption}</caption>
        <thead>
          <tr>
            {columns.map((column) => (
              <th key={column.key} scope="col" className={column.className}>
                {column.header}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.length === 0 ? (
            <tr className="empty-row">
              <td colSpan={columns.length}>{emptyMessage}</td>
            </tr>
          ) : (
            rows.map((row, index) => (
              <tr key={keyOf(row, index)} className={rowClassName?.(row)}>
                {columns.map((column) => (
                  <td key={column.key} data-label={column.header} className={column.className}>
                    {column.render ? column.render(row) : defaultCell(row, column.key)}
                  </td>
                ))}
              </tr>
            ))
          )}
        </tbody>
      </table>
    </div>
  );
}
