const ISO_DATE = /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}/;
const LABEL_KEYS = ['name', 'ranch', 'harv_id', 'username', 'code', 'UUID', 'uuid', 'title', 'id'] as const;

// One formatter for every cell: `toLocaleString` with options builds a new one on each call.
let localFormat: Intl.DateTimeFormat | null = null;

/** A date-time string as the reader's locale shows it; anything else unchanged. */
export function formatDateTime(value: unknown): string {
  if (typeof value !== 'string' || !ISO_DATE.test(value)) return value == null ? '—' : String(value);
  const date = new Date(value);
  if (Number.isNaN(date.getTime())) return value;
  localFormat ??= new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'medium' });
  return localFormat.format(date);
}

/** A short label for a nested API object (`fruit`, `location`, …). */
export function objectLabel(value: unknown): string {
  if (value === null || value === undefined) return '—';
  if (typeof value !== 'object') return String(value);
  if (Array.isArray(value)) return value.map(objectLabel).join(', ');
  const record = value as Record<string, unknown>;
  for (const key of LABEL_KEYS) {
    const v = record[key];
    if (v !== null && v !== undefined && v !== '') return String(v);
  }
  return '{…}';
}

/** Any JSON value as short text for a table cell. */
export function formatValue(value: unknown): string {
  if (value === null || value === undefined || value === '') return '—';
  if (typeof value === 'boolean') return value ? 'Yes' : 'No';
  if (typeof value === 'string') return ISO_DATE.test(value) ? formatDateTime(value) : value;
  if (typeof value === 'number' || typeof value === 'bigint') return String(value);
  return objectLabel(value);
}

/** `snake_case` / `camelCase` field names as words. */
export function humanize(key: string): string {
  const spaced = key
    .replace(/_/g, ' ')
    .replace(/([a-z])([A-Z])/g, '$1 $2')
    .trim();
  return spaced.charAt(0).toUpperCase() + spaced.slice(1);
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
