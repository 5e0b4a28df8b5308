import { useMemo } from 'react';
import { FilterPanel } from '../../components/FilterPanel';
import { SelectField, TextField } from '../../components/FormField';
import { MultiSelect, type Option } from '../../components/MultiSelect';
import { TimeZoneOptions } from '../../components/TimeZoneOptions';
import { useFilterDraft } from '../../hooks/useFilterDraft';
import { useLookup } from '../../hooks/useLookup';
import { instantToInput } from '../../lib/time';
import { harvesterOption } from '../errorreports/common';
import { describeParams, draftFromParams, emptyDraft, paramsFromDraft, type FilterField, type FilterSpec } from './filters';

const DIGITS = (text: string) => /^\d+$/.test(text);
const ANYTHING = (text: string) => text.length > 0;

const QUICK_RANGES: Array<{ label: string; ms: number }> = [
  { label: 'Last 24 hours', ms: 86_400_000 },
  { label: 'Last 7 days', ms: 7 * 86_400_000 },
  { label: 'Last 30 days', ms: 30 * 86_400_000 },
];

const split = (value: string) => (value ? value.split(',') : []);

function loadError(error: unknown, what: string): string | null {
  return error ? `The ${what} could not be loaded.` : null;
}

/** The options of a single select, with the address's value first when the list lacks it. */
function withCurrent(options: Option[], current: string): Option[] {
  return !current || options.some((o) => o.value === current) ? options : [{ value: current, label: current }, ...options];
}

/**
 * The filter form of a report-kind list (and of the other lists that keep the API's query in
 * the address: jobs, releases, job schemas): the fields of its spec (harvesters and locations from
 * the `?limit=10000` lists), the report-time range in a zone, "Apply" and "Clear". The address
 * holds the applied filters (see filters.ts); `onApply` gets the new address.
 */
export function ReportFilterForm({
  spec,
  params,
  onApply,
  label,
  storageKey,
}: {
  spec: FilterSpec;
  /** The address's parameters (the applied filters). */
  params: URLSearchParams;
  onApply: (next: URLSearchParams) => void;
  label: string;
  storageKey: string;
}) {
  const kinds = new Set(spec.fields.map((f) => f.kind));
  const harvesters = useLookup(kinds.has('harvesters') || kinds.has('harvester') ? '/api/v1/harvesters/' : null);
  const locations = useLookup(kinds.has('locations') || kinds.has('location') ? '/api/v1/locations/' : null);
  const harvesterOptions = useMemo(() => {
    // An emulator shares its harv_id with a real harvester: one option per number.
    const byValue = new Map<string, Option>();
    for (const h of harvesters.items) {
      const option = harvesterOption(h);
      if (!byValue.has(option.value) || !h.is_emulator) byValue.set(option.value, option);
    }
    return [...byValue.values()].sort((a, b) => Number(a.value) - Number(b.value));
  }, [harvesters.items]);
  const ranchOptions = useMemo(
    () =>
      [...new Set(locations.items.map((l) => l.ranch).filter((r): r is string => !!r))]
        .sort((a, b) => a.localeCompare(b))
        .map((r) => ({ value: r, label: r })),
    [locations.items],
  );

  const applied = draftFromParams(spec, params);
  const { draft, set, update, dirty, submit, reset } = useFilterDraft(applied, (d) => onApply(paramsFromDraft(spec, d, params)));
  const setValue = (param: string, value: string) => update((d) => ({ ...d, values: { ...d.values, [param]: value } }));

  const field = (f: FilterField) => {
    const value = draft.values[f.param] ?? '';
    switch (f.kind) {
      case 'harvesters':
        return (
          <MultiSelect
            key={f.param}
            label={f.label}
            placeholder="Any harvester"
            options={harvesterOptions}
            value={split(value)}
            onChange={(v) => setValue(f.param, v.join(','))}
            loading={harvesters.loading}
            loadError={loadError(harvesters.error, 'harvesters')}
            allowCustom={DIGITS}
            hint={f.hint}
          />
        );
      case 'locations':
        return (
          <MultiSelect
            key={f.param}
            label={f.label}
            placeholder="Any location"
            options={ranchOptions}
            value={split(value)}
            onChange={(v) => setValue(f.param, v.join(','))}
            loading={locations.loading}
            loadError={loadError(locations.error, 'locations')}
            allowCustom={ANYTHING}
            hint={f.hint}
          />
        );
      case 'harvester':
      case 'location': {
        const options = withCurrent(f.kind === 'harvester' ? harvesterOptions : ranchOptions, value);
        const state = f.kind === 'harvester' ? harvesters : locations;
        return (
          <SelectField
            key={f.param}
            label={f.label}
            value={value}
            onChange={(e) => setValue(f.param, e.target.value)}
            hint={state.error ? loadError(state.error, f.kind === 'harvester' ? 'harvesters' : 'locations') : f.hint}
          >
            <option value="">{state.loading ? 'Loading…' : f.kind === 'harvester' ? 'Any harvester' : 'Any location'}</option>
            {options.map((o) => (
              <option key={o.value} value={o.value}>
                {o.label}
              </option>
            ))}
          </SelectField>
        );
      }
      case 'choice': {
        const options = withCurrent([...(f.choices ?? [])], value);
        return (
          <SelectField
            key={f.param}
            label={f.label}
            value={value}
            onChange={(e) => setValue(f.param, e.target.value)}
            hint={f.choicesError ?? f.hint}
          >
            <option value="">{f.choicesLoading ? 'Loading…' : (f.any ?? 'Any')}</option>
            {options.map((o) => (
              <option key={o.value} value={o.value}>
                {o.label}
              </option>
            ))}
          </SelectField>
        );
      }
      case 'choices':
        return (
          <MultiSelect
            key={f.param}
            label={f.label}
            placeholder={f.any ?? 'Any'}
            options={[...(f.choices ?? [])]}
            value={split(value)}
            onChange={(v) => setValue(f.param, v.join(','))}
            loading={f.choicesLoading}
            loadError={f.choicesError}
            allowCustom={ANYTHING}
            hint={f.hint}
          />
        );
      case 'flag':
        return (
          <SelectField key={f.param} label={f.label} value={value} onChange={(e) => setValue(f.param, e.target.value)} hint={f.hint}>
            <option value="">{f.any ?? 'Any'}</option>
            <option value="true">{f.yes ?? 'Yes'}</option>
            <option value="false">{f.no ?? 'No'}</option>
          </SelectField>
        );
      case 'integer':
        return (
          <TextField
            key={f.param}
            label={f.label}
            inputMode="numeric"
            value={value}
            onChange={(e) => setValue(f.param, e.target.value)}
            placeholder={f.placeholder}
            hint={f.hint}
            errors={value.trim() && !DIGITS(value.trim()) ? ['A whole number.'] : undefined}
          />
        );
      default:
        return (
          <TextField
            key={f.param}
            label={f.label}
            value={value}
            onChange={(e) => setValue(f.param, e.target.value)}
            placeholder={f.placeholder}
            hint={f.hint}
            spellCheck={false}
          />
        );
    }
  };

  return (
    <FilterPanel
      label={label}
      summary={describeParams(spec, params)}
      onSubmit={submit}
      onClear={() => reset(emptyDraft(spec, draft.tz))}
      dirty={dirty}
      storageKey={storageKey}
    >
      <div className="filter-grid">{spec.fields.map(field)}</div>
      {spec.timeRange && (
        <fieldset className="time-range">
          <legend>Report time</legend>
          <div className="time-range-grid">
            <TextField label="From" type="datetime-local" step="0.001" value={draft.start_time} onChange={(e) => set('start_time', e.target.value)} />
            <TextField label="Until" type="datetime-local" step="0.001" value={draft.end_time} onChange={(e) => set('end_time', e.target.value)} />
            <SelectField
              label="Time zone"
              value={draft.tz}
              onChange={(e) => set('tz', e.target.value)}
              hint="The times above are wall-clock times in this zone; report times are shown in it too."
            >
              <TimeZoneOptions current={draft.tz} />
            </SelectField>
          </div>
          <div className="quick-ranges" role="group" aria-label="Quick time ranges">
            {QUICK_RANGES.map((r) => (
              <button
                key={r.label}
                type="button"
                className="button button-small"
                onClick={() => update((d) => ({ ...d, start_time: instantToInput(new Date(Date.now() - r.ms), d.tz), end_time: '' }))}
              >
                {r.label}
              </button>
            ))}
            <button
              type="button"
              className="button button-small button-ghost"
              onClick={() => update((d) => ({ ...d, start_time: '', end_time: '' }))}
              disabled={!draft.start_time && !draft.end_time}
            >
              Any time
            </button>
          </div>
        </fieldset>
      )}
    </FilterPanel>
  );
}
