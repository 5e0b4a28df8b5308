import { describe, expect, it } from 'vitest';
import { pathKey, searchJson, splitMatches } from './jsonSearch';

const config = {
  general: { min_ripeness: 0.15, site_name: 'golfball_davis', workcells: [1, 2, 'davis-3'] },
  services: { 'rcoop.0': { min_pick_attempts: 3 }, endpoints: { a: { path: '192.168.1.2:5006' } } },
};

describe('searchJson', () => {
  it('keeps the matching keys and values and the way to them', () => {
    const r = searchJson(config, 'DAVIS')!;
    expect(r.value).toEqual({ general: { site_name: 'golfball_davis', workcells: { '2': 'davis-3' } } });
    expect(r.matches).toBe(2);
    expect(r.shown).toBe(2);
    expect([...r.open].sort()).toEqual(['', 'general', pathKey(['general', 'workcells'])].sort());
  });

  it('brings a matching key with its whole value, folded', () => {
    const r = searchJson(config, 'endpoints')!;
    expect(r.value).toEqual({ services: { endpoints: { a: { path: '192.168.1.2:5006' } } } });
    expect(r.matches).toBe(1);
    expect(r.open.has(pathKey(['services']))).toBe(true);
    expect(r.open.has(pathKey(['services', 'endpoints']))).toBe(false);
  });

  it('matches numbers, booleans and null as text', () => {
    expect(searchJson({ a: 5006, b: true, c: null, d: 'x' }, '50')!.value).toEqual({ a: 5006 });
    expect(searchJson({ a: 5006, b: true, c: null }, 'true')!.value).toEqual({ b: true });
    expect(searchJson({ a: 5006, b: true, c: null }, 'null')!.value).toEqual({ c: null });
  });

  it('keeps the first matches and counts them all', () => {
    const many = Object.fromEntries(Array.from({ length: 20 }, (_, i) => [`min_${i}`, i]));
    const r = searchJson(many, 'min_', 5)!;
    expect(r.matches).toBe(20);
    expect(r.shown).toBe(5);
    expect(Object.keys(r.value as object)).toEqual(['min_0', 'min_1', 'min_2', 'min_3', 'min_4']);
  });

  it('says when nothing matches, and ignores an empty query', () => {
    expect(searchJson(config, 'zebra')).toEqual({ value: undefined, matches: 0, shown: 0, open: new Set() });
    expect(searchJson(config, '  ')).toBeNull();
    expect(searchJson('plain text', 'TEXT')!.value).toBe('plain text');
  });
});

describe('splitMatches', () => {
  it('cuts the text around every match, ignoring case', () => {
    expect(splitMatches('golfball_Davis davis', 'davis')).toEqual([
      { text: 'golfball_', match: false },
      { text: 'Davis', match: true },
      { text: ' ', match: false },
      { text: 'davis', match: true },
    ]);
    expect(splitMatches('abc', '')).toEqual([{ text: 'abc', match: false }]);
    expect(splitMatches('abc', 'x')).toEqual([{ text: 'abc', match: false }]);
  });
});
