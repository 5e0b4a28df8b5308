import { memo } from 'react';
import { timeZoneChoices } from '../lib/time';

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
