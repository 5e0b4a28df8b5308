import { describe, expect, it } from 'vitest';
import {
  describeFilters,
  emptyFilters,
  filterQuery,
  filtersNotInNotification,
  filtersToParams,
  filtersToUrl,
  hasFilterParams,
  ignoredParams,
  notificationQuery,
  paretoQuery,
  parseFilters,
  withDefaultFilters,
} from './filters';

const q = (s: string) => new URLSearchParams(s);

describe('error report filters', () => {
  it('round-trips the address bar through the form state', () => {
    const url =
      'harv_ids=11%2C100&locations=Ranch+A%2CRanch+B&fruits=strawberry&codes=0%2C3&traceback=Timeout' +
      '&handled=0&primary=true&is_emulator=0&tags=incomplete%2Cinvalid' +
      '&start_time=20250101T000000.000&end_time=20250102T120000.500&tz=Europe%2FAmsterdam' +
      '&uuid=u-1&generic=report__data__x%3D1&created_after=2025-01-01';
    const state = parseFilters(q(url));
    expect(state).toMatchObject({
      harv_ids: ['11', '100'],
      locations: ['Ranch A', 'Ranch B'],
      fruits: ['strawberry'],
      codes: ['0', '3'],
      traceback: 'Timeout',
      handled: 'no',
      primary: 'yes',
      is_emulator: 'no',
      tags: ['incomplete', 'invalid'],
      start_time: '2025-01-01T00:00:00.000',
      end_time: '2025-01-02T12:00:00.500',
      tz: 'Europe/Amsterdam',
      uuid: ['u-1'],
      generic: 'report__data__x=1',
      extra: [['created_after', '2025-01-01']],
    });
    expect(filtersToParams(state).toString()).toBe(url);
    expect(filtersToParams(parseFilters(filtersToParams(state))).toString()).toBe(url);
  });

  it('normalises what older links carry', () => {
    const state = parseFilters(q('harv_ids=11,x,11&handled=True&is_emulator=false&start_time=20230502212742'));
    expect(state.harv_ids).toEqual(['11']);
    expect(state.handled).toBe('yes');
    expect(state.is_emulator).toBe('no');
    expect(state.start_time).toBe('2023-05-02T21:27:42.000');
    expect(state.tz).toBe('US/Pacific');
    // Sent back in the API's format, with the zone it is meant in.
    expect(filtersToParams(state).toString()).toBe(
      'harv_ids=11&handled=1&is_emulator=0&start_time=20230502T212742.000&tz=US%2FPacific',
    );
  });

  it('sends tz with a time range or a non-default zone only', () => {
    expect(filtersToParams({ ...emptyFilters(), codes: ['1'] }).toString()).toBe('codes=1');
    expect(filtersToParams({ ...emptyFilters(), tz: 'UTC' }).toString()).toBe('tz=UTC');
    expect(filtersToParams({ ...emptyFilters(), end_time: '2025-03-04T05:06' }).toString()).toBe(
      'end_time=20250304T050600.000&tz=US%2FPacific',
    );
  });

  it('applies is_emulator=0 on a first visit only', () => {
    expect(withDefaultFilters(q('')).toString()).toBe('is_emulator=0');
    expect(withDefaultFilters(q('limit=25&configs=service')).toString()).toBe('limit=25&configs=service&is_emulator=0');
    expect(withDefaultFilters(q('harv_ids=11')).toString()).toBe('harv_ids=11');
    // "Any" chosen on purpose is kept as an empty value.
    const cleared = filtersToUrl(emptyFilters());
    expect(cleared.toString()).toBe('is_emulator=');
    expect(hasFilterParams(cleared)).toBe(true);
    expect(withDefaultFilters(cleared).toString()).toBe('is_emulator=');
    expect(filtersToParams(parseFilters(cleared)).toString()).toBe('');
  });

  it('keeps only the notification criteria for createnotification', () => {
    const state = parseFilters(
      q('harv_ids=11&codes=3&traceback=x&handled=1&primary=true&is_emulator=0&tags=a&start_time=20250101T000000.000&uuid=u&generic=a=1'),
    );
    expect(notificationQuery(state)).toEqual({ harv_ids: '11', codes: '3', traceback: 'x', is_emulator: '0', handled: '1', primary: 'true' });
    expect(filtersNotInNotification(state)).toEqual(['time range', 'tags', 'event UUIDs', 'report lookups (generic)']);
  });

  it('sends each request only the parameters its route reads', () => {
    const state = parseFilters(q('harv_ids=11&tags=a&generic=x=1&created_after=2025-01-01&ordering=-id&colour=red'));
    expect(filterQuery(state)).toEqual({ harv_ids: '11', tags: 'a', generic: 'x=1', created_after: '2025-01-01', ordering: '-id' });
    // Exceptions have no tags, report lookups or ordering.
    expect(paretoQuery(state)).toEqual({ harv_ids: '11', created_after: '2025-01-01' });
    expect(ignoredParams(state)).toEqual([['colour', 'red']]);
    expect(Object.keys(filterQuery(state))).toEqual(['harv_ids', 'tags', 'generic', 'created_after', 'ordering']);
  });

  it('describes the filters in words', () => {
    expect(describeFilters(parseFilters(q('harv_ids=11,100&handled=0&is_emulator=0')))).toEqual([
      'Harvesters 11, 100',
      'unhandled',
      'real harvesters only',
    ]);
  });
});
