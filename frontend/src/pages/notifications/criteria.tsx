import type { NotificationCriteria } from '../../api/schemas';

/**
 * Notification criteria in words. The criteria are the error-report list's
 * own query parameters (harv_ids, locations, fruits, codes, traceback,
 * is_emulator, handled, primary); notifications made by the reference server
 * carry Django lookups instead, which are understood too.
 */
type Kind = 'list' | 'text' | 'bool';

interface Field {
  param: string;
  label: string;
  kind: Kind;
  yes?: string;
  no?: string;
}

const FIELDS: Field[] = [
  { param: 'harv_ids', label: 'Harvesters', kind: 'list' },
  { param: 'locations', label: 'Locations', kind: 'list' },
  { param: 'fruits', label: 'Fruits', kind: 'list' },
  { param: 'codes', label: 'Exception codes', kind: 'list' },
  { param: 'traceback', label: 'Traceback contains', kind: 'text' },
  { param: 'handled', label: 'Handled', kind: 'bool', yes: 'has a handled exception', no: 'has an unhandled exception' },
  { param: 'primary', label: 'Primary', kind: 'bool', yes: 'primary exception', no: 'secondary exception' },
  { param: 'is_emulator', label: 'Emulator', kind: 'bool', yes: 'emulators only', no: 'real harvesters only' },
];

/** Reference-server lookups → the parameter they correspond to. */
const LEGACY: Record<string, string> = {
  harvester__harv_id__in: 'harv_ids',
  location__ranch: 'locations',
  location__ranch__in: 'locations',
  harvester__fruit__name__in: 'fruits',
  exceptions__code__code__in: 'codes',
  exceptions__traceback: 'traceback',
  exceptions__traceback__icontains: 'traceback',
  harvester__is_emulator: 'is_emulator',
  exceptions__handled: 'handled',
  exceptions__primary: 'primary',
};

function asList(value: unknown): string[] {
  if (Array.isArray(value)) return value.map((v) => String(v)).filter(Boolean);
  if (value === null || value === undefined || value === '') return [];
  return String(value)
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
}

function asBool(value: unknown): boolean | null {
  if (typeof value === 'boolean') return value;
  const text = String(value ?? '').trim().toLowerCase();
  if (['1', 'true', 'yes'].includes(text)) return true;
  if (['0', 'false', 'no'].includes(text)) return false;
  return null;
}

export interface CriterionText {
  label: string;
  text: string;
}

/** The criteria normalised to the error-report query parameters, plus anything not understood. */
export function normalizeCriteria(criteria: NotificationCriteria | null | undefined): {
  params: Record<string, unknown>;
  unknown: Array<[string, unknown]>;
} {
  const params: Record<string, unknown> = {};
  const unknown: Array<[string, unknown]> = [];
  for (const [key, value] of Object.entries(criteria ?? {})) {
    const param = FIELDS.some((f) => f.param === key) ? key : LEGACY[key];
    if (param) params[param] = value;
    else unknown.push([key, value]);
  }
  return { params, unknown };
}

export function describeCriteria(criteria: NotificationCriteria | null | undefined): CriterionText[] {
  const { params, unknown } = normalizeCriteria(criteria);
  const out: CriterionText[] = [];
  for (const field of FIELDS) {
    if (!(field.param in params)) continue;
    const value = params[field.param];
    if (field.kind === 'list') {
      const list = asList(value);
      if (list.length) out.push({ label: field.label, text: list.join(', ') });
    } else if (field.kind === 'text') {
      if (value !== null && value !== undefined && value !== '') out.push({ label: field.label, text: `“${String(value)}”` });
    } else {
      const b = asBool(value);
      if (b !== null) out.push({ label: field.label, text: b ? field.yes! : field.no! });
    }
  }
  for (const [key, value] of unknown) out.push({ label: key, text: typeof value === 'string' ? value : JSON.stringify(value) });
  return out;
}

/** The error-report list query matching these criteria (for a "matching reports" link). */
export function criteriaToQuery(criteria: NotificationCriteria | null | undefined): URLSearchParams {
  const { params } = normalizeCriteria(criteria);
  const out = new URLSearchParams();
  for (const field of FIELDS) {
    if (!(field.param in params)) continue;
    const value = params[field.param];
    if (field.kind === 'list') {
      const list = asList(value);
      if (list.length) out.set(field.param, list.join(','));
    } else if (field.kind === 'text') {
      if (value !== null && value !== undefined && value !== '') out.set(field.param, String(value));
    } else {
      const b = asBool(value);
      if (b !== null) out.set(field.param, field.param === 'primary' ? String(b) : b ? '1' : '0');
    }
  }
  if (!out.has('is_emulator') && [...out.keys()].length === 0) out.set('is_emulator', '');
  return out;
}

export function CriteriaList({ criteria, inline = false }: { criteria: NotificationCriteria | null | undefined; inline?: boolean }) {
  const items = describeCriteria(criteria);
  if (items.length === 0) return <span className="muted">Every error report</span>;
  if (inline) {
    return (
      <ul className="criteria-inline">
        {items.map((c) => (
          <li key={c.label}>
            <span className="criteria-label">{c.label}:</span> {c.text}
          </li>
        ))}
      </ul>
    );
  }
  return (
    <dl className="kv criteria">
      {items.map((c) => (
        <div className="kv-row" key={c.label}>
          <dt>{c.label}</dt>
          <dd>{c.text}</dd>
        </div>
      ))}
    </dl>
  );
}
