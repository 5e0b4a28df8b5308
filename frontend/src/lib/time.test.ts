import { describe, expect, it } from 'vitest';
import {
  apiTimeToInput,
  formatInZone,
  inputToApiTime,
  instantToApiTime,
  instantToInput,
  parseWallTime,
  timeZones,
  zoneAbbreviation,
} from './time';

describe('filter times', () => {
  it('turns an instant into the wall time of a zone as YYYYMMDDTHHMMSS.mmm', () => {
    // 2022-05-02T21:27:42.789Z is 14:27:42.789 in California (PDT, UTC-7).
    const instant = new Date('2022-05-02T21:27:42.789Z');
    expect(instantToApiTime(instant, 'US/Pacific')).toBe('20220502T142742.789');
    expect(instantToApiTime(instant, 'UTC')).toBe('20220502T212742.789');
    expect(instantToApiTime(instant, 'Europe/Amsterdam')).toBe('20220502T232742.789');
    // Winter: PST is UTC-8; the day changes too.
    expect(instantToApiTime(new Date('2023-01-15T05:00:00.005Z'), 'US/Pacific')).toBe('20230114T210000.005');
    expect(instantToInput(instant, 'US/Pacific')).toBe('2022-05-02T14:27:42.789');
  });

  it('converts the form value to the API format and back without shifting it', () => {
    expect(inputToApiTime('2023-05-02T21:27:42.789')).toBe('20230502T212742.789');
    expect(inputToApiTime('2023-05-02T21:27')).toBe('20230502T212700.000');
    expect(inputToApiTime('2023-05-02T21:27:42')).toBe('20230502T212742.000');
    expect(apiTimeToInput('20230502T212742.789')).toBe('2023-05-02T21:27:42.789');
    expect(inputToApiTime(apiTimeToInput('20230502T212742.789'))).toBe('20230502T212742.789');
  });

  it('reads every format the API accepts and refuses the rest', () => {
    expect(apiTimeToInput('20230502212742')).toBe('2023-05-02T21:27:42.000'); // reference UI input
    expect(apiTimeToInput('20230502T212742.789323')).toBe('2023-05-02T21:27:42.789'); // microseconds
    expect(apiTimeToInput('2023-05-02 21:27:42.7')).toBe('2023-05-02T21:27:42.700');
    expect(parseWallTime('2023-05-02T21:27:42Z')).toBeNull();
    expect(parseWallTime('2023-02-30T00:00')).toBeNull();
    expect(parseWallTime('20231302T000000')).toBeNull();
    expect(inputToApiTime('yesterday')).toBe('');
  });

  it('shows API timestamps in a zone', () => {
    expect(formatInZone('2022-05-02T21:27:42.789323Z', 'US/Pacific')).toBe('2022-05-02 14:27:42.789');
    expect(formatInZone('2022-05-02T21:27:42.789323Z', 'UTC')).toBe('2022-05-02 21:27:42.789');
    expect(formatInZone(null, 'UTC')).toBe('—');
    expect(formatInZone('not a date', 'UTC')).toBe('not a date');
    expect(zoneAbbreviation(new Date('2022-05-02T21:27:42Z'), 'US/Pacific')).toBe('PDT');
    expect(zoneAbbreviation(new Date('2022-12-02T21:27:42Z'), 'US/Pacific')).toBe('PST');
    expect(zoneAbbreviation(new Date('not a date'), 'US/Pacific')).toBe('US/Pacific');
    expect(zoneAbbreviation(new Date('2022-05-02T21:27:42Z'), 'Nowhere/Special')).toBe('Nowhere/Special');
  });

  it('falls back to UTC for an unknown zone', () => {
    expect(instantToApiTime(new Date('2022-05-02T21:27:42.789Z'), 'Nowhere/Special')).toBe('20220502T212742.789');
  });

  it('offers the common zones first, US/Pacific at the top', () => {
    const zones = timeZones();
    expect(zones[0]).toBe('US/Pacific');
    expect(zones).toContain('UTC');
    expect(new Set(zones).size).toBe(zones.length);
  });
});
