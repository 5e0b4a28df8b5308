import type { ReactNode } from 'react';

/**
 * A key–value list (`<dl class="kv">`) of a detail page: one `<Detail>` per row.
 * `compact`: tighter rows, for a list inside a card section.
 */
export function DetailList({ compact = false, children }: { compact?: boolean; children: ReactNode }) {
  return <dl className={compact ? 'kv kv-compact' : 'kv'}>{children}</dl>;
}

/** One row of a `DetailList`: the label and its value. */
export function Detail({ label, children }: { label: ReactNode; children?: ReactNode }) {
  return (
    <div className="kv-row">
      <dt>{label}</dt>
      <dd>{children}</dd>
    </div>
  );
}
