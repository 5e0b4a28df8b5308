/**
 * The error-report filters, shared by the list, the pareto page and the
 * notification dialog. The address bar holds exactly the query the API gets
 * (`harv_ids=11,100&codes=1&start_time=20250101T000000.000&tz=US/Pacific…`),
 * so a view can be shared and the "copy API query" button copies the same
 * parameters.
 */
import type { ListQuery, QueryOf } from '../../api/contract';
import { pickParams } from '../../api/pagination';
import { apiTimeToInput, DEFAULT_TZ, inputToApiTime } from '../../lib/time';

/** The query of `GET errorreports/`. */
export type ErrorReportQuery = ListQuery<'/api/v1/errorreports/'>;
/** The query of `GET exceptions/pareto/`. */
export type ParetoQuery = QueryOf<'/api/v1/exceptions/pareto/', 'get'>;
/** The query of `POST errorreports/createnotification/`: the criteria. */
export type CriteriaQuery = QueryOf<'/api/v1/errorreports/createnotification/', 'post'>;

/** '' = any, 'yes' / 'no' = the boolean filter set to true / false. */
export type TriState = '' | 'yes' | 'no';

export interface ErrorFilters {
  /** harv_id values (digits). */
  harv_ids: string[];
  /** Ranch names. */
  locations: string[];
  /** Fruit names. */
  fruits: string[];
  /** Exception code numbers (digits). */
  codes: string[];
  /** Any exception's traceback contains this (case-insensitive). */
  traceback: string;
  handled: TriState;
  primary: TriState;
  is_emulator: TriState;
  /** Report tags, all required. */
  tags: string[];
  /** Wall times `YYYY-MM-DDTHH:MM:SS.mmm` in `tz`, or ''. */
  start_time: string;
  end_time: string;
  tz: string;
  /** Event UUIDs. */
  uuid: string[];
  /** JSON-path lookups into the stored report: `report__data__x=1,report__data__y=2`. */
  generic: string;
  /** Query parameters the form does not know, kept as they are. */
  extra: Array<[string, string]>;
}

/** Parameters that are not filters. */
export const NON_FILTER_PARAMS = ['limit', 'offset', 'configs'] as const;

const LIST_KEYS = ['harv_ids', 'locations', 'fruits', 'codes', 'tags', 'uuid'] as const;
const TRI_KEYS = ['handled', 'primary', 'is_emulator'] as const;
const KNOWN_KEYS = new Set<string>([
  ...LIST_KEYS,
  ...TRI_KEYS,
  'traceback',
  'start_time',
  'end_time',
  'tz',
  'generic',
  ...NON_FILTER_PARAMS,
]);

/** The first visit to the error reports shows real harvesters only, like the reference app. */
export const DEFAULT_FILTER_QUERY = 'is_emulator=0';

/** The criteria a notification can hold (docs/compatibility.md#d12). */
export const NOTIFICATION_KEYS = ['harv_ids', 'locations', 'fruits', 'codes', 'traceback', 'is_emulator', 'handled', 'primary'] as const satisfies ReadonlyArray<
  keyof CriteriaQuery
>;
/** What the pareto charts send: the filters that apply to exceptions. */
const PARETO_QUERY_KEYS = [...NOTIFICATION_KEYS, 'tz', 'start_time', 'end_time', 'uuid', 'created_after', 'created_before'] as const satisfies ReadonlyArray<
  keyof ParetoQuery
>;
/** What the list sends: the form's filters, and those of the address the API reads too. */
const REPORT_QUERY_KEYS = [...PARETO_QUERY_KEYS, 'tags', 'generic', 'reporttime_after', 'reporttime_before', 'ordering'] as const satisfies ReadonlyArray<
  keyof ErrorReportQuery
>;

export function emptyFilters(): ErrorFilters {
  return {
    harv_ids: [],
    locations: [],
    fruits: [],
    codes: [],
    traceback: '',
    handled: '',
    primary: '',
    is_emulator: '',
    tags: [],
    start_time: '',
    end_time: '',
    tz: DEFAULT_TZ,
    uuid: [],
    generic: '',
    extra: [],
  };
}

function splitList(value: string | null): string[] {
  if (!value) return [];
  const out: string[] = [];
  for (const item of value.split(',')) {
    const trimmed = item.trim();
    if (trimmed && !out.includes(trimmed)) out.push(trimmed);
  }
  return out;
}

const DIGITS = /^\d+$/;

export function parseTriState(value: string | null): TriState {
  switch ((value ?? '').trim().toLowerCase()) {
    case '1':
    case 'true':
    case 'yes':
      return 'yes';
    case '0':
    case 'false':
    case 'no':
      return 'no';
    default:
      return '';
  }
}

/** The form state from the address bar (tolerant: legacy time formats, True/False…). */
export function parseFilters(params: URLSearchParams): ErrorFilters {
  const f = emptyFilters();
  f.harv_ids = splitList(params.get('harv_ids')).filter((v) => DIGITS.test(v));
  f.codes = splitList(params.get('codes')).filter((v) => DIGITS.test(v));
  f.locations = splitList(params.get('locations'));
  f.fruits = splitList(params.get('fruits'));
  f.tags = splitList(params.get('tags'));
  f.uuid = splitList(params.get('uuid'));
  f.traceback = params.get('traceback') ?? '';
  f.generic = params.get('generic') ?? '';
  for (const key of TRI_KEYS) f[key] = parseTriState(params.get(key));
  f.start_time = apiTimeToInput(params.get('start_time') ?? '');
  f.end_time = apiTimeToInput(params.get('end_time') ?? '');
  f.tz = params.get('tz')?.trim() || DEFAULT_TZ;
  params.forEach((value, key) => {
    if (!KNOWN_KEYS.has(key)) f.extra.push([key, value]);
  });
  return f;
}

function triValue(key: (typeof TRI_KEYS)[number], value: TriState): string | null {
  if (!value) return null;
  // handled / is_emulator as 1/0 (what the reference app sends), primary as true/false.
  if (key === 'primary') return value === 'yes' ? 'true' : 'false';
  return value === 'yes' ? '1' : '0';
}

/**
 * The canonical query: what the address bar shows and the API receives.
 * `tz` is sent with a time range, or when it is not the default.
 */
export function filtersToParams(f: ErrorFilters): URLSearchParams {
  const p = new URLSearchParams();
  const list = (key: string, values: string[]) => {
    const clean = values.map((v) => v.trim()).filter(Boolean);
    if (clean.length) p.set(key, clean.join(','));
  };
  list('harv_ids', f.harv_ids);
  list('locations', f.locations);
  list('fruits', f.fruits);
  list('codes', f.codes);
  if (f.traceback.trim()) p.set('traceback', f.traceback.trim());
  for (const key of TRI_KEYS) {
    const value = triValue(key, f[key]);
    if (value !== null) p.set(key, value);
  }
  list('tags', f.tags);
  const start = inputToApiTime(f.start_time);
  const end = inputToApiTime(f.end_time);
  if (start) p.set('start_time', start);
  if (end) p.set('end_time', end);
  const tz = f.tz.trim() || DEFAULT_TZ;
  if (start || end || tz !== DEFAULT_TZ) p.set('tz', tz);
  list('uuid', f.uuid);
  if (f.generic.trim()) p.set('generic', f.generic.trim());
  for (const [key, value] of f.extra) if (!KNOWN_KEYS.has(key)) p.append(key, value);
  return p;
}

/**
 * What the address bar shows after "Apply": the canonical query, plus an empty
 * `is_emulator=` when no filter is set at all. That empty value means "any, on
 * purpose", so the first-visit default (`is_emulator=0`) is not applied again.
 */
export function filtersToUrl(f: ErrorFilters): URLSearchParams {
  const p = filtersToParams(f);
  if (!hasFilterParams(p)) p.set('is_emulator', '');
  return p;
}

/** The address bar with the first-visit default added when it names no filter. */
export function withDefaultFilters(params: URLSearchParams): URLSearchParams {
  if (hasFilterParams(params)) return params;
  const out = new URLSearchParams(params);
  for (const [key, value] of new URLSearchParams(DEFAULT_FILTER_QUERY)) out.set(key, value);
  return out;
}

/** True when the address bar names any filter (limit/offset/configs/tz alone do not count). */
export function hasFilterParams(params: URLSearchParams): boolean {
  for (const key of params.keys()) {
    if (!(NON_FILTER_PARAMS as readonly string[]).includes(key) && key !== 'tz') return true;
  }
  return false;
}

/** The query of the error-report list for these filters. */
export function filterQuery(f: ErrorFilters): ErrorReportQuery {
  return pickParams(filtersToParams(f), REPORT_QUERY_KEYS);
}

/** The filters of the pareto charts (those that apply to exceptions). */
export function paretoQuery(f: ErrorFilters): ParetoQuery {
  return pickParams(filtersToParams(f), PARETO_QUERY_KEYS);
}

/** The query of `errorreports/createnotification/`: only the criteria a notification can hold. */
export function notificationQuery(f: ErrorFilters): CriteriaQuery {
  return pickParams(filtersToParams(f), NOTIFICATION_KEYS);
}

/** Parameters of the address that no error-report request reads (left out of every request). */
export function ignoredParams(f: ErrorFilters): Array<[string, string]> {
  const read = new Set<string>(REPORT_QUERY_KEYS);
  return f.extra.filter(([key]) => !read.has(key));
}

/** Filters set in the form that a notification cannot hold (they are left out). */
export function filtersNotInNotification(f: ErrorFilters): string[] {
  const out: string[] = [];
  if (f.start_time || f.end_time) out.push('time range');
  if (f.tags.length) out.push('tags');
  if (f.uuid.length) out.push('event UUIDs');
  if (f.generic.trim()) out.push('report lookups (generic)');
  for (const [key] of f.extra) out.push(key);
  return out;
}

const TRI_TEXT: Record<(typeof TRI_KEYS)[number], { yes: string; no: string }> = {
  handled: { yes: 'handled', no: 'unhandled' },
  primary: { yes: 'primary exception', no: 'secondary exception' },
  is_emulator: { yes: 'emulators only', no: 'real harvesters only' },
};

/** Short human descriptions of the filters ("Harvesters 11, 100", "unhandled"…). */
export function describeFilters(f: ErrorFilters): string[] {
  const out: string[] = [];
  if (f.harv_ids.length) out.push(`Harvesters ${f.harv_ids.join(', ')}`);
  if (f.locations.length) out.push(`Locations ${f.locations.join(', ')}`);
  if (f.fruits.length) out.push(`Fruits ${f.fruits.join(', ')}`);
  if (f.codes.length) out.push(`Codes ${f.codes.join(', ')}`);
  if (f.traceback.trim()) out.push(`Traceback contains “${f.traceback.trim()}”`);
  for (const key of TRI_KEYS) if (f[key]) out.push(TRI_TEXT[key][f[key] as 'yes' | 'no']);
  if (f.tags.length) out.push(`Tags ${f.tags.join(', ')}`);
  if (f.start_time) out.push(`From ${f.start_time.replace('T', ' ')} ${f.tz}`);
  if (f.end_time) out.push(`Until ${f.end_time.replace('T', ' ')} ${f.tz}`);
  if (f.uuid.length) out.push(`Events ${f.uuid.join(', ')}`);
  if (f.generic.trim()) out.push(`Report ${f.generic.trim()}`);
  for (const [key, value] of f.extra) out.push(`${key}=${value}`);
  return out;
}
