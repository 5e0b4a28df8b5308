import { memo, useCallback } from 'react';
import { useSearchParams } from 'react-router';
import { DEFAULT_TZ, timeZoneChoices } from '../lib/time';
import { SelectField } from './FormField';

/** The ~400 `<option>`s of a time-zone select, rendered once per chosen zone, not on every keystroke. */
export const TimeZoneOptions = memo(function TimeZoneOptions({ current }: { current: string }) {
  return (
    <>
      {timeZoneChoices(current).map((z) => (
        <option key={z} value={z}>
          {z}
        </option>
      ))}
    </>
  );
});

/**
 * The zone a page shows its times in, kept in the address as `?tz=` (absent: US/Pacific).
 * Changing it replaces the history entry rather than adding one.
 */
export function useZoneParam(): [string, (tz: string) => void] {
  const [params, setParams] = useSearchParams();
  const tz = params.get('tz') || DEFAULT_TZ;
  const setTz = useCallback(
    (zone: string) =>
      setParams(
        (prev) => {
          const next = new URLSearchParams(prev);
          if (zone === DEFAULT_TZ) next.delete('tz');
          else next.set('tz', zone);
          return next;
        },
        { replace: true },
      ),
    [setParams],
  );
  return [tz, setTz];
}

/** "Show times in": a compact zone select for a section head. */
export function ZoneSelect({ value, onChange }: { value: string; onChange: (tz: string) => void }) {
  return (
    <div className="inline-select">
      <SelectField label="Show times in" value={value} onChange={(e) => onChange(e.target.value)}>
        <TimeZoneOptions current={value} />
      </SelectField>
    </div>
  );
}
