import { useEffect, useId, useState, type FormEvent } from 'react';
import { SelectField, TextField } from '../../components/FormField';
import { MultiSelect } from '../../components/MultiSelect';
import { TimeZoneOptions } from '../../components/TimeZoneOptions';
import { instantToInput } from '../../lib/time';
import { useFilterOptions } from './common';
import { describeFilters, emptyFilters, filtersToParams, type ErrorFilters, type TriState } from './filters';

const DIGITS = (text: string) => /^\d+$/.test(text);
const ANYTHING = (text: string) => text.length > 0;

const QUICK_RANGES: Array<{ label: string; ms: number }> = [
  { label: 'Last hour', ms: 3_600_000 },
  { label: 'Last 24 hours', ms: 86_400_000 },
  { label: 'Last 7 days', ms: 7 * 86_400_000 },
  { label: 'Last 30 days', ms: 30 * 86_400_000 },
];

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
  const [text, setText] = useState(value.join(', '));
  const joined = value.join(',');
  useEffect(() => {
    setText((current) => {
      const parsed = current.split(',').map((s) => s.trim()).filter(Boolean).join(',');
      return parsed === joined ? current : value.join(', ');
    });
  }, [joined]);
  return (
    <TextField
      label={label}
      value={text}
      hint={hint}
      placeholder={placeholder}
      onChange={(e) => {
        setText(e.target.value);
        onChange(e.target.value.split(',').map((s) => s.trim()).filter(Boolean));
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
}

/**
 * Every filter of `GET errorreports/`. Edits stay in the form until "Apply"
 * (one request, one history entry); Back/Forward reload the form from the URL.
 */
export function ErrorFilterForm({ value, onApply, label = 'Error report filters' }: ErrorFilterFormProps) {
  const id = useId();
  const options = useFilterOptions();
  // Phones start with the filters folded away: the results matter more there.
  const [expanded, setExpanded] = useState(
    () => !(typeof window.matchMedia === 'function' && window.matchMedia('(max-width: 640px)').matches),
  );
  const applied = describeFilters(value);
  const [draft, setDraft] = useState<ErrorFilters>(value);
  const appliedKey = filtersToParams(value).toString();

  useEffect(() => {
    setDraft(value);
  }, [appliedKey]);

  const set = <K extends keyof ErrorFilters>(key: K, next: ErrorFilters[K]) => setDraft((d) => ({ ...d, [key]: next }));
  const dirty = filtersToParams(draft).toString() !== appliedKey;

  const submit = (event: FormEvent) => {
    event.preventDefault();
    onApply(draft);
  };

  const reset = () => {
    const cleared = { ...emptyFilters(), tz: draft.tz };
    setDraft(cleared);
    onApply(cleared);
  };

  return (
    <form className="card filter-form" aria-label={label} onSubmit={submit} noValidate>
      <div className="filter-head">
        <h2>Filters</h2>
        <button
          type="button"
          className="button button-small button-ghost"
          aria-expanded={expanded}
          aria-controls={`${id}-body`}
          onClick={() => setExpanded((e) => !e)}
        >
          {expanded ? 'Hide filters' : 'Show filters'}
        </button>
      </div>
      {!expanded && <p className="muted filter-folded">{applied.length ? applied.join(' · ') : 'No filters.'}</p>}
      <div id={`${id}-body`} hidden={!expanded}>
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
                  setDraft((d) => ({ ...d, start_time: instantToInput(new Date(Date.now() - r.ms), d.tz), end_time: '' }))
                }
              >
                {r.label}
              </button>
            ))}
            <button
              type="button"
              className="button button-small button-ghost"
              onClick={() => setDraft((d) => ({ ...d, start_time: '', end_time: '' }))}
              disabled={!draft.start_time && !draft.end_time}
            >
              Any time
            </button>
          </div>
        </fieldset>

        <details className="more-filters" open={draft.uuid.length > 0 || !!draft.generic || undefined}>
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
          {draft.extra.length > 0 && (
            <p className="muted">
              Also applied from the address: {draft.extra.map(([k, v]) => `${k}=${v}`).join(', ')}
            </p>
          )}
        </details>

        <div className="form-actions">
          <button type="submit" className="button button-primary">
            Apply filters
          </button>
          <button type="button" className="button" onClick={reset}>
            Clear filters
          </button>
          <span className="muted" id={`${id}-dirty`} aria-live="polite">
            {dirty ? 'Changes not applied yet.' : ''}
          </span>
        </div>
      </div>
    </form>
  );
}
