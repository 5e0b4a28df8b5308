import { useId } from 'react';
import { pageInfo, PAGE_SIZES } from '../api/pagination';

export interface PaginationProps {
  count: number;
  limit: number;
  offset: number;
  /** The API's `next`/`previous` URLs; when given they decide whether those buttons work. */
  next?: string | null;
  previous?: string | null;
  onChange: (offset: number, limit: number) => void;
  pageSizes?: readonly number[];
  /** Names the navigation landmark ("Users pages"). */
  label?: string;
  disabled?: boolean;
}

export function Pagination({
  count,
  limit,
  offset,
  next,
  previous,
  onChange,
  pageSizes = PAGE_SIZES,
  label = 'Pagination',
  disabled = false,
}: PaginationProps) {
  const sizeId = useId();
  const info = pageInfo(count, limit, offset, { next, previous });
  const lastOffset = Math.max(0, (info.pages - 1) * limit);
  const sizes = pageSizes.includes(limit) ? pageSizes : [...pageSizes, limit].sort((a, b) => a - b);

  return (
    <nav className="pagination" aria-label={label}>
      <p className="pagination-summary" aria-live="polite">
        {count === 0 ? 'No results' : `Showing ${info.first}–${info.last} of ${count}`}
      </p>
      <div className="pagination-controls">
        <button
          type="button"
          className="button button-small"
          onClick={() => onChange(0, limit)}
          disabled={disabled || !info.hasPrevious}
          aria-label="First page"
        >
          «
        </button>
        <button
          type="button"
          className="button button-small"
          onClick={() => onChange(info.previousOffset, limit)}
          disabled={disabled || !info.hasPrevious}
        >
          Previous
        </button>
        <span className="pagination-page">
          Page {info.page} of {info.pages}
        </span>
        <button
          type="button"
          className="button button-small"
          onClick={() => onChange(info.nextOffset, limit)}
          disabled={disabled || !info.hasNext}
        >
          Next
        </button>
        <button
          type="button"
          className="button button-small"
          onClick={() => onChange(lastOffset, limit)}
          disabled={disabled || !info.hasNext}
          aria-label="Last page"
        >
          »
        </button>
        <label htmlFor={sizeId} className="pagination-size-label">
          Rows per page
        </label>
        <select
          id={sizeId}
          value={limit}
          disabled={disabled}
          onChange={(event) => onChange(0, Number(event.target.value))}
        >
          {sizes.map((size) => (
            <option key={size} value={size}>
              {size}
            </option>
          ))}
        </select>
      </div>
    </nav>
  );
}
