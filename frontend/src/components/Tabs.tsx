import { useRef, type KeyboardEvent } from 'react';

export interface TabItem {
  id: string;
  label: string;
  /** Red, and "(in error)" in its accessible name. */
  inError?: boolean;
}

/**
 * A row of tabs (WAI-ARIA tabs: arrows, Home and End move and select). Each tab controls
 * `panelId`, the one `role="tabpanel"` element the page renders for the selected tab, labelled
 * by `${idPrefix}-${selected}`. A tab in error is red and says so in its name.
 */
export function TabList({
  label,
  items,
  selected,
  onSelect,
  idPrefix,
  panelId,
  className = 'tabs',
}: {
  label: string;
  items: TabItem[];
  selected: string;
  onSelect: (id: string) => void;
  idPrefix: string;
  panelId: string;
  className?: string;
}) {
  const refs = useRef<Array<HTMLButtonElement | null>>([]);
  const onKey = (event: KeyboardEvent, index: number) => {
    const last = items.length - 1;
    const next =
      event.key === 'ArrowRight'
        ? (index + 1) % items.length
        : event.key === 'ArrowLeft'
          ? (index - 1 + items.length) % items.length
          : event.key === 'Home'
            ? 0
            : event.key === 'End'
              ? last
              : null;
    if (next === null) return;
    event.preventDefault();
    onSelect(items[next]!.id);
    refs.current[next]?.focus();
  };
  return (
    <div role="tablist" aria-label={label} className={className}>
      {items.map((item, i) => (
        <button
          key={item.id}
          ref={(el) => {
            refs.current[i] = el;
          }}
          type="button"
          role="tab"
          id={`${idPrefix}-${item.id}`}
          aria-selected={item.id === selected}
          aria-controls={panelId}
          tabIndex={item.id === selected ? 0 : -1}
          className={item.inError ? 'tab tab-error' : 'tab'}
          data-error={item.inError || undefined}
          onClick={() => onSelect(item.id)}
          onKeyDown={(e) => onKey(e, i)}
        >
          {item.label}
          {item.inError && (
            <>
              <span className="tab-flag" aria-hidden="true">
                {' '}
                ●
              </span>
              <span className="visually-hidden"> (in error)</span>
            </>
          )}
        </button>
      ))}
    </div>
  );
}
