/** The filters in the address, each removable: `key=value ×`. */
export function FilterChips({
  filters,
  onRemove,
  label = 'Active filters',
}: {
  filters: Readonly<Partial<Record<string, string>>>;
  onRemove: (key: string) => void;
  label?: string;
}) {
  const entries = Object.entries(filters).filter((entry): entry is [string, string] => entry[1] !== undefined);
  if (!entries.length) return null;
  return (
    <div className="filters" aria-label={label} role="group">
      <span className="muted">Filtered by</span>
      {entries.map(([key, value]) => (
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
