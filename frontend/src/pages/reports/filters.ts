/**
 * The filter forms of the report-kind lists (version reports, autodiagnostics, grip, config, job
 * result and asset reports). Each list names the fields it offers, each one query parameter of
 * its endpoint; the address bar holds exactly the query the API gets, as on the error-report
 * list (`harv_ids=11,100&start_time=20250101T000000.000&tz=US/Pacific`).
 */
import { apiTimeToInput, DEFAULT_TZ, inputToApiTime } from '../../lib/time';

export type FieldKind =
  /** harv_id values, comma-joined (`harv_ids`). */
  | 'harvesters'
  /** One harv_id (`harv_id`, `harvester__harv_id`). */
  | 'harvester'
  /** Ranch names, comma-joined (`locations`). */
  | 'locations'
  /** One ranch (`ranch`, `location__ranch`). */
  | 'location'
  /** true / false / any (`result`). */
  | 'flag'
  /** A whole number (`robot`, `gripper_sn`). */
  | 'integer'
  /** Free text (`uuid`, `serial_number`). */
  | 'text'
  /** One of the field's `choices` (`jobstatus`, `fruit`). */
  | 'choice'
  /** Some of the field's `choices`, comma-joined (`tags`). */
  | 'choices';

export interface FilterField<K extends string = string> {
  param: K;
  kind: FieldKind;
  label: string;
  /** For flags: the choices' words (true, false, either). */
  yes?: string;
  no?: string;
  any?: string;
  hint?: string;
  placeholder?: string;
  /** For `choice` and `choices`: what may be chosen (value and words). */
  choices?: ReadonlyArray<{ value: string; label: string }>;
  /** For `choice` and `choices`: the choices are still loading, or could not be (a message). */
  choicesLoading?: boolean;
  choicesError?: string | null;
}

export interface FilterSpec<K extends string = string> {
  fields: FilterField<K>[];
  /** A report-time range: `start_time` / `end_time`, wall times in `tz`. */
  timeRange?: boolean;
}

/** What the form edits: each field's text, and the time range on `tz`'s wall clock. */
export interface FilterDraft {
  values: Record<string, string>;
  start_time: string;
  end_time: string;
  tz: string;
}

/** Parameters of the address that are not filters (paging). */
const PAGING = ['limit', 'offset'];
const TIME_PARAMS = ['start_time', 'end_time', 'tz'];

/** The query parameters a spec's form sets. */
export function specParams(spec: FilterSpec): string[] {
  return [...spec.fields.map((f) => f.param), ...(spec.timeRange ? TIME_PARAMS : [])];
}

function flagValue(value: string | null): '' | 'true' | 'false' {
  switch ((value ?? '').trim().toLowerCase()) {
    case '1':
    case 'true':
    case 'yes':
      return 'true';
    case '0':
    case 'false':
    case 'no':
      return 'false';
    default:
      return '';
  }
}

/** Kinds whose value is a comma-joined list. */
function isList(kind: FieldKind): boolean {
  return kind === 'harvesters' || kind === 'locations' || kind === 'choices';
}

function choiceLabel(field: FilterField, value: string): string {
  return field.choices?.find((c) => c.value === value)?.label ?? value;
}

function listValue(value: string | null): string {
  return (value ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)
    .join(',');
}

/** The form's values from the address. */
export function draftFromParams(spec: FilterSpec, params: URLSearchParams): FilterDraft {
  const values: Record<string, string> = {};
  for (const field of spec.fields) {
    const raw = params.get(field.param);
    values[field.param] =
      field.kind === 'flag'
        ? flagValue(raw)
        : isList(field.kind)
          ? listValue(raw)
          : (raw ?? '').trim();
  }
  return {
    values,
    start_time: spec.timeRange ? apiTimeToInput(params.get('start_time') ?? '') : '',
    end_time: spec.timeRange ? apiTimeToInput(params.get('end_time') ?? '') : '',
    tz: params.get('tz')?.trim() || DEFAULT_TZ,
  };
}

/** An empty form, keeping the zone. */
export function emptyDraft(spec: FilterSpec, tz = DEFAULT_TZ): FilterDraft {
  return { ...draftFromParams(spec, new URLSearchParams()), tz };
}

/**
 * The address for the form's values: the filters, the page size, and whatever else the
 * address held that the form does not edit (`ordering=…`); back to the first page.
 * `tz` is written with a time range, or when it is not the default.
 */
export function paramsFromDraft(spec: FilterSpec, draft: FilterDraft, previous: URLSearchParams): URLSearchParams {
  const out = new URLSearchParams();
  const edited = new Set(specParams(spec));
  for (const field of spec.fields) {
    const raw = draft.values[field.param] ?? '';
    const value = isList(field.kind) ? listValue(raw) : raw.trim();
    if (value) out.set(field.param, value);
  }
  if (spec.timeRange) {
    const start = inputToApiTime(draft.start_time);
    const end = inputToApiTime(draft.end_time);
    if (start) out.set('start_time', start);
    if (end) out.set('end_time', end);
    const tz = draft.tz.trim() || DEFAULT_TZ;
    if (start || end || tz !== DEFAULT_TZ) out.set('tz', tz);
  }
  previous.forEach((value, key) => {
    if (!edited.has(key) && key !== 'offset' && !out.has(key)) out.append(key, value);
  });
  return out;
}

/** Short words for the filters in the address ("Harvesters 11, 100", "Result: failed"). */
export function describeParams(spec: FilterSpec, params: URLSearchParams): string[] {
  const draft = draftFromParams(spec, params);
  const out: string[] = [];
  for (const field of spec.fields) {
    const value = draft.values[field.param];
    if (!value) continue;
    if (field.kind === 'flag') out.push(`${field.label}: ${value === 'true' ? (field.yes ?? 'yes') : (field.no ?? 'no')}`);
    else if (isList(field.kind)) out.push(`${field.label} ${value.split(',').map((v) => choiceLabel(field, v)).join(', ')}`);
    else if (field.kind === 'choice') out.push(`${field.label}: ${choiceLabel(field, value)}`);
    else out.push(`${field.label} ${value}`);
  }
  if (draft.start_time) out.push(`From ${draft.start_time.replace('T', ' ')} ${draft.tz}`);
  if (draft.end_time) out.push(`Until ${draft.end_time.replace('T', ' ')} ${draft.tz}`);
  const edited = new Set([...specParams(spec), ...PAGING]);
  params.forEach((value, key) => {
    if (!edited.has(key)) out.push(`${key}=${value}`);
  });
  return out;
}

/** The zone the list shows report times in: the address's `tz`, else US/Pacific. */
export function zoneOf(params: URLSearchParams): string {
  return params.get('tz')?.trim() || DEFAULT_TZ;
}
