/**
 * Wall times in a time zone, and the API's filter time format.
 *
 * The error-report filters take `start_time` / `end_time` as a wall time
 * `YYYYMMDDTHHMMSS.mmm` plus `tz=<IANA name>` (default US/Pacific): the server
 * reads the digits as a local time in that zone. The form edits the same wall
 * time as `YYYY-MM-DDTHH:MM:SS.mmm` (what `<input type="datetime-local">` uses),
 * so converting between the two never shifts the time; only "last 24 hours"
 * style shortcuts turn an instant into a wall time in the chosen zone.
 */

export const DEFAULT_TZ = 'US/Pacific';

const formatters = new Map<string, Intl.DateTimeFormat | null>();

function formatter(tz: string): Intl.DateTimeFormat | null {
  if (!formatters.has(tz)) {
    try {
      formatters.set(
        tz,
        new Intl.DateTimeFormat('en-US', {
          timeZone: tz,
          hourCycle: 'h23',
          year: 'numeric',
          month: '2-digit',
          day: '2-digit',
          hour: '2-digit',
          minute: '2-digit',
          second: '2-digit',
          fractionalSecondDigits: 3,
        }),
      );
    } catch {
      formatters.set(tz, null);
    }
  }
  return formatters.get(tz) ?? null;
}

export function isValidTimeZone(tz: string): boolean {
  return !!tz && formatter(tz) !== null;
}

/**
 * Builds the zone's formatter ahead of use. A page's first `Intl` formatter costs
 * 15–25 ms (the browser loads its locale data then); done while the page's chunk
 * and data are on their way, that time is off the path to the first rows.
 */
export function prepareTimeZone(tz: string): void {
  formatter(tz);
}

export interface WallTime {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
  millisecond: number;
}

/** The wall clock in `tz` at instant `date` (UTC when the zone is unknown). */
export function wallTimeIn(date: Date, tz: string): WallTime {
  const f = formatter(tz) ?? formatter('UTC')!;
  const parts: Record<string, string> = {};
  for (const part of f.formatToParts(date)) parts[part.type] = part.value;
  const n = (key: string) => Number.parseInt(parts[key] ?? '0', 10);
  return {
    year: n('year'),
    month: n('month'),
    day: n('day'),
    hour: n('hour') % 24,
    minute: n('minute'),
    second: n('second'),
    millisecond: n('fractionalSecond'),
  };
}

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

/** `YYYY-MM-DDTHH:MM:SS.mmm` */
export function wallToInput(w: WallTime): string {
  return `${pad(w.year, 4)}-${pad(w.month)}-${pad(w.day)}T${pad(w.hour)}:${pad(w.minute)}:${pad(w.second)}.${pad(w.millisecond, 3)}`;
}

/** `YYYYMMDDTHHMMSS.mmm` */
export function wallToApi(w: WallTime): string {
  return `${pad(w.year, 4)}${pad(w.month)}${pad(w.day)}T${pad(w.hour)}${pad(w.minute)}${pad(w.second)}.${pad(w.millisecond, 3)}`;
}

/** An instant as the API's filter time, i.e. the wall time in `tz`: `YYYYMMDDTHHMMSS.mmm`. */
export function instantToApiTime(date: Date, tz: string): string {
  return wallToApi(wallTimeIn(date, tz));
}

/** An instant as the value of a datetime-local input showing `tz`'s wall clock. */
export function instantToInput(date: Date, tz: string): string {
  return wallToInput(wallTimeIn(date, tz));
}

function validWall(w: WallTime): WallTime | null {
  const { year, month, day, hour, minute, second, millisecond } = w;
  const days = new Date(Date.UTC(year, month, 0)).getUTCDate();
  if (month < 1 || month > 12 || day < 1 || day > days) return null;
  if (hour > 23 || minute > 59 || second > 59 || millisecond > 999) return null;
  return w;
}

function millis(fraction: string | undefined): number {
  if (!fraction) return 0;
  return Number.parseInt(fraction.slice(0, 3).padEnd(3, '0'), 10);
}

/**
 * Reads a wall time written in any form the API accepts:
 * `YYYYMMDDTHHMMSS[.ffffff]`, `YYYYMMDDHHMMSS`, `YYYY-MM-DD[T ]HH:MM[:SS[.fff]]`.
 * Returns null for anything else (including strings carrying an offset).
 */
export function parseWallTime(text: string): WallTime | null {
  const value = text.trim();
  let m = /^(\d{4})(\d{2})(\d{2})T?(\d{2})(\d{2})(\d{2})(?:\.(\d{1,9}))?$/.exec(value);
  if (!m) m = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?$/.exec(value);
  if (!m) return null;
  return validWall({
    year: Number(m[1]),
    month: Number(m[2]),
    day: Number(m[3]),
    hour: Number(m[4]),
    minute: Number(m[5]),
    second: Number(m[6] ?? 0),
    millisecond: millis(m[7]),
  });
}

/** A form value (`YYYY-MM-DDTHH:MM[:SS[.mmm]]`) as the API's `YYYYMMDDTHHMMSS.mmm`; '' when invalid. */
export function inputToApiTime(input: string): string {
  const w = parseWallTime(input);
  return w ? wallToApi(w) : '';
}

/** An API filter time (or any accepted form) as a datetime-local value; '' when invalid. */
export function apiTimeToInput(value: string): string {
  const w = parseWallTime(value);
  return w ? wallToInput(w) : '';
}

/**
 * A timestamp from the API (ISO 8601 with Z) as `YYYY-MM-DD HH:MM:SS.mmm`
 * on `tz`'s wall clock. Anything unparseable is returned as it was.
 */
export function formatInZone(value: string | Date | null | undefined, tz: string): string {
  if (value === null || value === undefined || value === '') return '—';
  const date = value instanceof Date ? value : new Date(value);
  if (Number.isNaN(date.getTime())) return String(value);
  return wallToInput(wallTimeIn(date, tz)).replace('T', ' ');
}

const nameFormatters = new Map<string, Intl.DateTimeFormat | null>();

/** The zone's short name at that instant ("PDT", "UTC", "GMT+2"). */
export function zoneAbbreviation(date: Date, tz: string): string {
  if (!nameFormatters.has(tz)) {
    try {
      nameFormatters.set(tz, new Intl.DateTimeFormat('en-US', { timeZone: tz, timeZoneName: 'short' }));
    } catch {
      nameFormatters.set(tz, null);
    }
  }
  try {
    const part = nameFormatters
      .get(tz)
      ?.formatToParts(date)
      .find((p) => p.type === 'timeZoneName');
    return part?.value ?? tz;
  } catch {
    return tz; // an invalid date
  }
}

/** Zones offered first in the time-zone select. */
export const COMMON_TIME_ZONES = [
  'US/Pacific',
  'US/Mountain',
  'US/Central',
  'US/Eastern',
  'UTC',
  'Europe/London',
  'Europe/Amsterdam',
  'Australia/Sydney',
] as const;

let allZones: string[] | null = null;

/** Every IANA zone the browser knows, after the common ones. */
export function timeZones(): string[] {
  if (!allZones) {
    const supported =
      typeof Intl.supportedValuesOf === 'function' ? Intl.supportedValuesOf('timeZone') : [];
    const rest = supported.filter((z) => !(COMMON_TIME_ZONES as readonly string[]).includes(z));
    allZones = [...COMMON_TIME_ZONES, ...rest];
  }
  return allZones;
}

/** The zones for a select: the current one first when the browser does not list it. */
export function timeZoneChoices(current: string): string[] {
  const zones = timeZones();
  return zones.includes(current) ? zones : [current, ...zones];
}

/**
 * A datetime-local value, read on the browser's clock, as an RFC 3339 instant in UTC
 * (`2025-06-01T17:00:00.000Z`), the form the API's `created_after`, `since`… take
 * without a `tz`. '' when the value is not a date-time.
 */
export function localInputToIso(input: string): string {
  const w = parseWallTime(input);
  if (!w) return '';
  const date = new Date(w.year, w.month - 1, w.day, w.hour, w.minute, w.second, w.millisecond);
  return Number.isNaN(date.getTime()) ? '' : date.toISOString();
}

/** An instant from the address as a datetime-local value on the browser's clock; '' when unreadable. */
export function isoToLocalInput(value: string | null | undefined): string {
  if (!value) return '';
  const date = new Date(value);
  if (Number.isNaN(date.getTime())) return '';
  const base = `${pad(date.getFullYear(), 4)}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}T${pad(date.getHours())}:${pad(date.getMinutes())}`;
  const s = date.getSeconds();
  const ms = date.getMilliseconds();
  if (!s && !ms) return base;
  return ms ? `${base}:${pad(s)}.${pad(ms, 3)}` : `${base}:${pad(s)}`;
}

/**
 * Seconds since the epoch of a wall time (any form `parseWallTime` reads) on `tz`'s clock;
 * null when the text is no wall time. A time the clock skips or shows twice (a DST change) reads
 * as an instant next to it: a log never needs more there.
 */
export function wallTimeToEpoch(text: string, tz: string): number | null {
  const w = parseWallTime(text);
  if (!w) return null;
  const wanted = Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second, w.millisecond);
  let guess = wanted;
  // The zone's offset at the guess, applied until the guess shows the wanted wall time.
  for (let i = 0; i < 3; i += 1) {
    const shown = wallTimeIn(new Date(guess), tz);
    const shownMs = Date.UTC(shown.year, shown.month - 1, shown.day, shown.hour, shown.minute, shown.second, shown.millisecond);
    if (shownMs === wanted) break;
    guess += wanted - shownMs;
  }
  return guess / 1000;
}
