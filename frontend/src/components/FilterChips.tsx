/** The filters in the address, each removable: `key=value ×`. */
export function FilterChips({
  filters,
  onRemove,
  label = 'Active filters',
}: {
  filters: Array<[string, string]>;
  onRemove: (key: string) => void;
  label?: string;
}) {
  if (!filters.length) return null;
  return (
    <div className="filters" aria-label={label} role="group">
      <span className="muted">Filtered by</span>
      {filters.map(([key, value]) => (
        <span className="chip" key={key}>
          <code>
            {key}={value}
          </code>
          <button type="button" className="chip-remove" onClick={() => onRemove(key)} aria-label={`Remove filter ${key}`}>
            ×
          </button>
        </span>
      ))}
    </div>
  );
}
