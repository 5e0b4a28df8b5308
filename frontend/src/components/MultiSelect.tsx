import { useEffect, useId, useMemo, useRef, useState, type KeyboardEvent } from 'react';

export interface Option {
  value: string;
  label: string;
}

export interface MultiSelectProps {
  label: string;
  options: Option[];
  value: string[];
  onChange: (values: string[]) => void;
  /** Shown when nothing is chosen ("Any harvester"). */
  placeholder?: string;
  loading?: boolean;
  /** The options could not be loaded: typed values are still accepted when `allowCustom` says so. */
  loadError?: string | null;
  /** Accept a typed value that is not in the list when this returns true. */
  allowCustom?: (text: string) => boolean;
  hint?: string;
  /** Options listed at once (the search narrows the rest). */
  maxShown?: number;
  /** Chips shown for the choice; the rest are counted ("and 940 more"). Default: all. */
  maxChips?: number;
  /** Messages from the API for this field. */
  errors?: string[];
}

/**
 * Choose several values from a long list: a button opens a panel with a
 * search box and native checkboxes; the choice is shown as removable chips.
 * Escape or a click outside closes the panel.
 */
export function MultiSelect({
  label,
  options,
  value,
  onChange,
  placeholder = 'Any',
  loading = false,
  loadError = null,
  allowCustom,
  hint,
  maxShown = 200,
  maxChips = Infinity,
  errors,
}: MultiSelectProps) {
  const id = useId();
  const panelId = `${id}-panel`;
  const hintId = `${id}-hint`;
  const [open, setOpen] = useState(false);
  const [query, setQuery] = useState('');
  const rootRef = useRef<HTMLDivElement>(null);
  const toggleRef = useRef<HTMLButtonElement>(null);

  const labels = useMemo(() => new Map(options.map((o) => [o.value, o.label])), [options]);
  const labelOf = (v: string) => labels.get(v) ?? v;

  const filtered = useMemo(() => {
    const q = query.trim().toLowerCase();
    if (!q) return options;
    return options.filter((o) => o.label.toLowerCase().includes(q) || o.value.toLowerCase().includes(q));
  }, [options, query]);
  const shown = filtered.slice(0, maxShown);
  const typed = query.trim();
  const canAddTyped =
    !!typed && !!allowCustom && allowCustom(typed) && !labels.has(typed) && !value.includes(typed);

  useEffect(() => {
    if (!open) return;
    const onPointer = (event: MouseEvent) => {
      if (rootRef.current && !rootRef.current.contains(event.target as Node)) setOpen(false);
    };
    document.addEventListener('mousedown', onPointer);
    return () => document.removeEventListener('mousedown', onPointer);
  }, [open]);

  const toggle = (v: string) => {
    onChange(value.includes(v) ? value.filter((x) => x !== v) : [...value, v]);
  };

  const close = () => {
    setOpen(false);
    setQuery('');
    toggleRef.current?.focus();
  };

  const onPanelKey = (event: KeyboardEvent) => {
    if (event.key === 'Escape') {
      event.preventDefault();
      event.stopPropagation();
      close();
    }
  };

  const onSearchKey = (event: KeyboardEvent<HTMLInputElement>) => {
    if (event.key !== 'Enter') return;
    // Enter picks the only match (or adds the typed value) instead of submitting the form.
    event.preventDefault();
    if (filtered.length === 1 && filtered[0]) {
      toggle(filtered[0].value);
      setQuery('');
    } else if (canAddTyped) {
      onChange([...value, typed]);
      setQuery('');
    }
  };

  const summary =
    value.length === 0 ? placeholder : value.length <= 3 ? value.join(', ') : `${value.length} selected`;

  return (
    <div className={errors?.length ? 'field multiselect has-error' : 'field multiselect'} ref={rootRef}>
      <span className="field-label" id={`${id}-label`}>
        {label}
      </span>
      <div className="multiselect-anchor">
        <button
          ref={toggleRef}
          type="button"
          className="multiselect-toggle"
          aria-expanded={open}
          aria-controls={panelId}
          aria-describedby={[hint ? hintId : null, errors?.length ? `${id}-error` : null].filter(Boolean).join(' ') || undefined}
          aria-invalid={errors?.length ? true : undefined}
          onClick={() => (open ? close() : setOpen(true))}
        >
          <span className="visually-hidden">{label}: </span>
          <span className={value.length ? undefined : 'muted'}>{summary}</span>
          <span aria-hidden="true" className="multiselect-caret">
            ▾
          </span>
        </button>
        {open && (
          <div
            id={panelId}
            className="multiselect-panel"
            role="group"
            aria-labelledby={`${id}-label`}
            onKeyDown={onPanelKey}
          >
            <input
              type="search"
              aria-label={`Search ${label.toLowerCase()}`}
              placeholder={allowCustom ? 'Search or type a value' : 'Search'}
              value={query}
              autoFocus
              onChange={(e) => setQuery(e.target.value)}
              onKeyDown={onSearchKey}
            />
            {loading && <p className="muted multiselect-note">Loading the list…</p>}
            {loadError && (
              <p className="field-error multiselect-note">
                {loadError}
                {allowCustom ? ' Type a value and press Enter to use it anyway.' : ''}
              </p>
            )}
            {shown.length > 0 ? (
              <ul className="multiselect-options">
                {shown.map((o) => (
                  <li key={o.value}>
                    <label>
                      <input type="checkbox" checked={value.includes(o.value)} onChange={() => toggle(o.value)} />
                      <span>{o.label}</span>
                    </label>
                  </li>
                ))}
              </ul>
            ) : (
              !loading && <p className="muted multiselect-note">{options.length ? 'No match.' : 'Nothing to choose from.'}</p>
            )}
            {filtered.length > shown.length && (
              <p className="muted multiselect-note">
                Showing {shown.length} of {filtered.length}; type to narrow the list.
              </p>
            )}
            {canAddTyped && (
              <button
                type="button"
                className="link-button multiselect-note"
                onClick={() => {
                  onChange([...value, typed]);
                  setQuery('');
                }}
              >
                Add “{typed}”
              </button>
            )}
            <div className="multiselect-actions">
              <button type="button" className="button button-small" onClick={() => onChange([])} disabled={!value.length}>
                Clear
              </button>
              <button type="button" className="button button-small" onClick={close}>
                Done
              </button>
            </div>
          </div>
        )}
      </div>
      {hint && (
        <p id={hintId} className="field-hint">
          {hint}
        </p>
      )}
      {errors?.length ? (
        <p id={`${id}-error`} className="field-error">
          {errors.join(' ')}
        </p>
      ) : null}
      {value.length > 0 && (
        <ul className="chips" aria-label={`Chosen ${label.toLowerCase()}`}>
          {value.slice(0, maxChips).map((v) => (
            <li key={v} className="chip">
              <span>{labelOf(v)}</span>
              <button type="button" className="chip-remove" aria-label={`Remove ${labelOf(v)}`} onClick={() => toggle(v)}>
                ×
              </button>
            </li>
          ))}
          {value.length > maxChips && <li className="chip chip-more">and {value.length - maxChips} more</li>}
        </ul>
      )}
    </div>
  );
}
