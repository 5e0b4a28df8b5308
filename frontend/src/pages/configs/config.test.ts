import { describe, expect, it } from 'vitest';
import { configBody } from '../../test/fixtures';
import { configIndexes, countKinds, diffConfigReports, diffJson, formatPath, overlayRows, preview, readablePath } from './config';

describe('config reports', () => {
  it('lists the robot indexes in number order', () => {
    const indexes = configIndexes({ data: { '10': { conf_default: { a: 1 }, overlay_diff: {}, note: 'x' }, '2': { conf_default: {} }, extra: 5 } });
    expect(indexes.map((i) => [i.key, i.label])).toEqual([
      ['2', 'Robot index 2'],
      ['10', 'Robot index 10'],
      ['extra', 'extra'],
    ]);
    expect(indexes[1]).toMatchObject({ confDefault: { a: 1 }, overlayDiff: {}, other: { note: 'x' } });
    expect(indexes[2]).toMatchObject({ confDefault: 5, overlayDiff: undefined });
    expect(configIndexes({ data: [] })).toEqual([]);
    expect(configIndexes(null)).toEqual([]);
  });

  it('writes paths as code would', () => {
    expect(formatPath(['general', 'endpoints', 'autodrive.0', 'path'])).toBe('general.endpoints["autodrive.0"].path');
    expect(formatPath(['general', 'workcells', 3])).toBe('general.workcells[3]');
    expect(formatPath(['0', 'conf_default'])).toBe('["0"].conf_default');
    expect(formatPath([])).toBe('(the whole value)');
  });

  it('finds what was added, removed and changed, member by member', () => {
    const diff = diffJson(
      { a: 1, b: { c: [1, 2, 3], d: 'x' }, gone: true, t: [1], same: { deep: [1, { k: null }] } },
      { a: 2, b: { c: [1, 5], d: 'x', e: null }, t: { 0: 1 }, same: { deep: [1, { k: null }] } },
    );
    expect(diff.total).toBe(6);
    expect(diff.changes).toEqual([
      { path: ['a'], kind: 'changed', before: 1, after: 2 },
      { path: ['b', 'c', 1], kind: 'changed', before: 2, after: 5 },
      { path: ['b', 'c', 2], kind: 'removed', before: 3 },
      { path: ['b', 'e'], kind: 'added', after: null },
      { path: ['gone'], kind: 'removed', before: true },
      { path: ['t'], kind: 'changed', before: [1], after: { 0: 1 } },
    ]);
    expect(countKinds(diff.changes)).toEqual({ added: 1, removed: 2, changed: 3 });
    expect(diffJson({ x: [1, 2] }, { x: [1, 2] })).toEqual({ changes: [], total: 0 });
    expect(diffJson(1, '1').changes).toEqual([{ path: [], kind: 'changed', before: 1, after: '1' }]);
  });

  it('keeps the first changes and counts them all', () => {
    const before = Object.fromEntries(Array.from({ length: 50 }, (_, i) => [`k${i}`, i]));
    const after = Object.fromEntries(Array.from({ length: 50 }, (_, i) => [`k${i}`, i + 1]));
    const diff = diffJson(before, after, 10);
    expect(diff.total).toBe(50);
    expect(diff.changes).toHaveLength(10);
    expect(diff.changes[9]!.path).toEqual(['k9']);
  });

  it('compares the configuration of two reports per robot index', () => {
    const diff = diffConfigReports(configBody(0.15), configBody(0.2, { new_key: 'on' }));
    expect(diff.changes.map((c) => [c.path[0], formatPath(c.path.slice(1)), c.kind])).toEqual([
      ['0', 'conf_default.general.min_ripeness', 'changed'],
      ['0', 'conf_default.general.new_key', 'added'],
      ['0', 'overlay_diff.values_changed["root[\'general\'][\'min_ripeness\']"].new_value', 'changed'],
    ]);
    expect(diffConfigReports(null, configBody()).changes.map((c) => c.path)).toEqual([['0'], ['1']]);
  });

  it('shows values in one line', () => {
    expect(preview('fast')).toBe('"fast"');
    expect(preview({ a: [1, 2] })).toBe('{"a":[1,2]}');
    expect(preview('x'.repeat(200), 10)).toBe('"xxxxxxxx…');
    expect(preview(undefined)).toBe('');
  });

  it("reads deepdiff's paths", () => {
    expect(readablePath("root['general']['min_ripeness']")).toBe('general.min_ripeness');
    expect(readablePath("root['services']['rcoop.0']['min_pick_attempts']")).toBe('services["rcoop.0"].min_pick_attempts');
    expect(readablePath("root['general']['workcells'][3]")).toBe('general.workcells[3]');
    expect(readablePath('root')).toBe('(the whole value)');
    expect(readablePath("root['a'] junk")).toBe("root['a'] junk");
    expect(readablePath('general.x')).toBe('general.x');
  });

  it("turns an overlay in deepdiff's form into rows", () => {
    expect(
      overlayRows({
        values_changed: { "root['general']['min_ripeness']": { new_value: 0.15, old_value: 0.7 } },
        iterable_item_removed: { "root['general']['workcells'][0]": 1 },
        dictionary_item_added: ["root['general']['new']"],
        iterable_item_added: { "root['general']['workcells'][5]": 6 },
      }),
    ).toEqual([
      { kind: 'value changed', path: 'general.min_ripeness', before: 0.7, after: 0.15 },
      { kind: 'item removed', path: 'general.workcells[0]', before: 1 },
      { kind: 'key added', path: 'general.new' },
      { kind: 'item added', path: 'general.workcells[5]', after: 6 },
    ]);
    expect(overlayRows({})).toEqual([]);
    expect(overlayRows({ speed: 'fast' })).toBeNull();
    expect(overlayRows({ values_changed: 3 })).toBeNull();
    expect(overlayRows(null)).toBeNull();
  });
});
