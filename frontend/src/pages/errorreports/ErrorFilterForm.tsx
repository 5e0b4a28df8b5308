import { useState } from 'react';
import { FilterPanel } from '../../components/FilterPanel';
import { SelectField, TextField } from '../../components/FormField';
import { MultiSelect } from '../../components/MultiSelect';
import { TimeZoneOptions } from '../../components/TimeZoneOptions';
import { useFilterDraft } from '../../hooks/useFilterDraft';
import { instantToInput } from '../../lib/time';
import { useFilterOptions } from './common';
import { describeFilters, emptyFilters, filtersToParams, ignoredParams, type ErrorFilters, type TriState } from './filters';

const DIGITS = (text: string) => /^\d+$/.test(text);
const ANYTHING = (text: string) => text.length > 0;

const QUICK_RANGES: Array<{ label: string; ms: number }> = [
  { label: 'Last hour', ms: 3_600_000 },
  { label: 'Last 24 hours', ms: 86_400_000 },
  { label: 'Last 7 days', ms: 7 * 86_400_000 },
  { label: 'Last 30 days', ms: 30 * 86_400_000 },
];

const splitText = (text: string) =>
  text
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);

/** A comma-separated list in a text box; keeps what is typed until it is complete. */
function ListTextField({
  label,
  value,
  onChange,
  hint,
  placeholder,
}: {
  label: string;
  value: string[];
  onChange: (values: string[]) => void;
  hint?: string;
  placeholder?: string;
}) {
  const joined = value.join(',');
  const [state, setState] = useState({ text: value.join(', '), joined });
  let text = state.text;
  if (state.joined !== joined) {
    // A new value from outside (the form was cleared or applied): show it, unless it is what is typed.
    text = splitText(state.text).join(',') === joined ? state.text : value.join(', ');
    setState({ text, joined });
  }
  return (
    <TextField
      label={label}
      value={text}
      hint={hint}
      placeholder={placeholder}
      onChange={(e) => {
        const values = splitText(e.target.value);
        setState({ text: e.target.value, joined: values.join(',') });
        onChange(values);
      }}
    />
  );
}

function TriSelect({
  label,
  value,
  onChange,
  any,
  yes,
  no,
}: {
  label: string;
  value: TriState;
  onChange: (v: TriState) => void;
  any: string;
  yes: string;
  no: string;
}) {
  return (
    <SelectField label={label} value={value} onChange={(e) => onChange(e.target.value as TriState)}>
      <option value="">{any}</option>
      <option value="yes">{yes}</option>
      <option value="no">{no}</option>
    </SelectField>
  );
}

export interface ErrorFilterFormProps {
  /** The applied filters (from the address bar). */
  value: ErrorFilters;
  onApply: (filters: ErrorFilters) => void;
  /** Names the form landmark. */
  label?: string;
  /** Where the panel remembers whether it is open (localStorage). */
  storageKey: string;
  /** Open or folded until the user chooses. */
  defaultOpen?: boolean | (() => boolean);
}

const filtersId = (f: ErrorFilters) => filtersToParams(f).toString();
const pairs = (entries: Array<[string, string]>) => entries.map(([k, v]) => `${k}=${v}`).join(', ');

/**
 * Every filter of `GET errorreports/`. Edits stay in the form until "Apply"
 * (one request, one history entry); Back/Forward reload the form from the URL.
 */
export function ErrorFilterForm({ value, onApply, label = 'Error report filters', storageKey, defaultOpen }: ErrorFilterFormProps) {
  const options = useFilterOptions();
  const { draft, set, update, dirty, submit, reset } = useFilterDraft(value, onApply, filtersId);
  const ignored = ignoredParams(draft);
  const applied = draft.extra.filter((entry) => !ignored.includes(entry));

  return (
    <FilterPanel
      label={label}
      summary={describeFilters(value)}
      onSubmit={submit}
      onClear={() => reset({ ...emptyFilters(), tz: draft.tz })}
      dirty={dirty}
      storageKey={storageKey}
      defaultOpen={defaultOpen}
    >
      <div className="filter-grid">
        <MultiSelect
          label="Harvesters"
          placeholder="Any harvester"
          options={options.harvesters}
          value={draft.harv_ids}
          onChange={(v) => set('harv_ids', v)}
          loading={options.loading.harvesters}
          loadError={options.errors.harvesters}
          allowCustom={DIGITS}
        />
        <MultiSelect
          label="Locations"
          placeholder="Any location"
          options={options.locations}
          value={draft.locations}
          onChange={(v) => set('locations', v)}
          loading={options.loading.locations}
          loadError={options.errors.locations}
          allowCustom={ANYTHING}
        />
        <MultiSelect
          label="Fruits"
          placeholder="Any fruit"
          options={options.fruits}
          value={draft.fruits}
          onChange={(v) => set('fruits', v)}
          loading={options.loading.fruits}
          loadError={options.errors.fruits}
          allowCustom={ANYTHING}
        />
        <MultiSelect
          label="Exception codes"
          placeholder="Any code"
          options={options.codes}
          value={draft.codes}
          onChange={(v) => set('codes', v)}
          loading={options.loading.codes}
          loadError={options.errors.codes}
          allowCustom={DIGITS}
        />
        <TextField
          label="Traceback contains"
          type="search"
          value={draft.traceback}
          onChange={(e) => set('traceback', e.target.value)}
          placeholder="e.g. TimeoutError"
        />
        <TriSelect
          label="Handled"
          value={draft.handled}
          onChange={(v) => set('handled', v)}
          any="Any"
          yes="Has a handled exception"
          no="Has an unhandled exception"
        />
        <TriSelect
          label="Primary"
          value={draft.primary}
          onChange={(v) => set('primary', v)}
          any="Any exception"
          yes="Primary exception"
          no="Secondary exception"
        />
        <TriSelect
          label="Emulator"
          value={draft.is_emulator}
          onChange={(v) => set('is_emulator', v)}
          any="Harvesters and emulators"
          yes="Emulators only"
          no="Real harvesters only"
        />
        <ListTextField
          label="Tags"
          value={draft.tags}
          onChange={(v) => set('tags', v)}
          placeholder="e.g. incomplete"
          hint="Comma-separated; a report must carry all of them."
        />
      </div>

      <fieldset className="time-range">
        <legend>Report time</legend>
        <div className="time-range-grid">
          <TextField
            label="From"
            type="datetime-local"
            step="0.001"
            value={draft.start_time}
            onChange={(e) => set('start_time', e.target.value)}
          />
          <TextField
            label="Until"
            type="datetime-local"
            step="0.001"
            value={draft.end_time}
            onChange={(e) => set('end_time', e.target.value)}
          />
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
              onClick={() =>
                update((d) => ({ ...d, start_time: instantToInput(new Date(Date.now() - r.ms), d.tz), end_time: '' }))
              }
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

      <details className="more-filters" open={draft.uuid.length > 0 || !!draft.generic || draft.extra.length > 0 || undefined}>
        <summary>More filters</summary>
        <div className="filter-grid">
          <ListTextField
            label="Event UUIDs"
            value={draft.uuid}
            onChange={(v) => set('uuid', v)}
            hint="Comma-separated."
          />
          <TextField
            label="Report lookups"
            value={draft.generic}
            onChange={(e) => set('generic', e.target.value)}
            placeholder="report__data__sysmon_report__sysmon.0__PID=111"
            hint="JSON paths into the stored report, comma-separated key=value pairs (the API's generic filter)."
          />
        </div>
        {applied.length > 0 && <p className="muted">Also applied from the address: {pairs(applied)}</p>}
        {ignored.length > 0 && <p className="muted">Not error-report filters, left out of the request: {pairs(ignored)}</p>}
      </details>
    </FilterPanel>
  );
}
