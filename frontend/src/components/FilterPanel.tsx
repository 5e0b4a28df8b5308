import { useId, type FormEvent, type ReactNode } from 'react';
import { useStoredFlag } from '../hooks/useStoredFlag';

export interface FilterPanelProps {
  /** Names the form landmark ("Error report filters"). */
  label: string;
  /** Short descriptions of the applied filters, shown while the panel is folded. */
  summary: string[];
  onSubmit: (event: FormEvent) => void;
  onClear: () => void;
  /** The form holds changes that are not applied yet. */
  dirty?: boolean;
  /** A line next to the buttons ("Times are on your computer's clock."). */
  note?: ReactNode;
  /**
   * localStorage key that remembers whether the panel is open; without one the panel
   * cannot be folded.
   */
  storageKey?: string;
  /** Open or folded until the user chooses (default: open, folded on phones). */
  defaultOpen?: boolean | (() => boolean);
  children: ReactNode;
}

/** Phones start with the filters folded away: the results matter more there. */
export function openUnlessPhone(): boolean {
  return !(typeof window.matchMedia === 'function' && window.matchMedia('(max-width: 640px)').matches);
}

/**
 * The filter form of a list page: the fields (children), "Apply filters" and "Clear
 * filters", and whether there are changes not applied yet. With a `storageKey` the panel
 * folds to a one-line summary of the applied filters, and stays as the user left it.
 * The draft itself lives in `useFilterDraft`.
 */
export function FilterPanel({
  label,
  summary,
  onSubmit,
  onClear,
  dirty = false,
  note,
  storageKey,
  defaultOpen = openUnlessPhone,
  children,
}: FilterPanelProps) {
  const id = useId();
  const [storedOpen, setOpen] = useStoredFlag(storageKey ?? null, defaultOpen);
  const foldable = storageKey !== undefined;
  const open = !foldable || storedOpen;

  return (
    <form className="card filter-form" aria-label={label} onSubmit={onSubmit} noValidate>
      <div className="filter-head">
        <h2>Filters</h2>
        {!open && (
          <p className="muted filter-folded" id={`${id}-summary`}>
            {summary.length ? summary.join(' · ') : 'No filters.'}
          </p>
        )}
        {foldable && (
          <button
            type="button"
            className="button button-small button-ghost"
            aria-expanded={open}
            aria-controls={`${id}-body`}
            onClick={() => setOpen(!open)}
          >
            {open ? 'Hide filters' : 'Show filters'}
          </button>
        )}
      </div>
      <div id={`${id}-body`} hidden={!open}>
        {children}
        <div className="form-actions">
          <button type="submit" className="button button-primary">
            Apply filters
          </button>
          <button type="button" className="button" onClick={onClear}>
            Clear filters
          </button>
          <span className="muted" aria-live="polite">
            {dirty ? 'Changes not applied yet.' : note}
          </span>
        </div>
      </div>
    </form>
  );
}
