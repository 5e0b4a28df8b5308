import { describe, expect, it } from 'vitest';
import { compareHosts, entries, hostVersions, isSet, readConflicts, versionSummary } from './versions';

const report = (data: Record<string, unknown>) => ({ type: 'version_report', timestamp: 1, serial_number: '011', data });

describe('version reports', () => {
  it('reads dirty and unexpected as the server does', () => {
    expect([null, undefined, {}, [], ''].map(isSet)).toEqual([false, false, false, false, false]);
    // Any other value counts, false included (the server's `_ => true`).
    expect([{ 'a.py': 'M' }, ['x'], 'yes', 0, false, true].map(isSet)).toEqual([true, true, true, true, true, true]);
  });

  it('lists what is dirty, one line each', () => {
    expect(entries({ 'a.py': 'M', 'b.py': '??', 'c.py': null })).toEqual(['a.py: M', 'b.py: ??', 'c.py']);
    expect(entries(['x.bin', 2])).toEqual(['x.bin', '2']);
    expect(entries({})).toEqual([]);
    expect(entries('dirty tree')).toEqual(['dirty tree']);
  });

  it('orders hosts master first, then by number', () => {
    const hosts = ['aft-stereo01', 'aft-robot10', 'master', 'aft-robot2', 'aft-robot01'];
    expect([...hosts].sort(compareHosts)).toEqual(['master', 'aft-robot01', 'aft-robot2', 'aft-robot10', 'aft-stereo01']);
  });

  it('tells "no release" from conflicting hosts', () => {
    expect(readConflicts({ error: 'No release' })).toEqual({ reason: 'No release', hosts: [] });
    expect(readConflicts({})).toEqual({ reason: null, hosts: [] });
    expect(readConflicts({ 'aft-robot02': { version: '1.0' }, master: { error: 'timeout' } })).toEqual({
      reason: null,
      hosts: ['master', 'aft-robot02'],
    });
    expect(readConflicts(null)).toEqual({ reason: null, hosts: [] });
  });

  it('flags each host: error, conflict, dirty, unexpected', () => {
    const hosts = hostVersions(
      report({
        'aft-robot01': { error: 'Error running remote cmd' },
        master: { version: 1.0, type: 'release', project: 'strawberry', dirty: { 'a.py': 'M' }, unexpected: {} },
        'aft-robot02': { version: '1.1', dirty: {}, unexpected: { 'x.bin': '' }, error: null },
        not_a_host: 'ignored',
      }),
      { 'aft-robot02': { version: '1.1' } },
    );
    expect(hosts.map((h) => [h.host, h.version, h.error, h.dirty, h.unexpected, h.conflict])).toEqual([
      ['master', '1', null, true, false, false],
      ['aft-robot01', null, 'Error running remote cmd', false, false, false],
      ['aft-robot02', '1.1', null, false, true, true],
    ]);
    expect(hosts[0]).toMatchObject({ type: 'release', project: 'strawberry', dirtyEntries: ['a.py: M'] });
    expect(hosts[2]!.unexpectedEntries).toEqual(['x.bin']);
    expect(hostVersions({ data: 'nope' })).toEqual([]);
    expect(hostVersions(null)).toEqual([]);
  });

  it('sums a report up in one line', () => {
    const s = versionSummary(
      report({
        master: { version: '2.0', dirty: {}, unexpected: {} },
        'aft-robot01': { version: '1.9', dirty: { f: 'M' }, unexpected: {} },
        'aft-robot02': { version: '1.9', dirty: {}, unexpected: ['u'] },
        'aft-robot03': { error: 'down' },
      }),
    );
    expect(s).toEqual({
      versions: ['1.9', '2.0'],
      label: '1.9 (+1 other)',
      errors: 1,
      dirtyHosts: ['aft-robot01'],
      unexpectedHosts: ['aft-robot02'],
    });
    expect(versionSummary(report({ master: { error: 'x' } })).label).toBeNull();
    expect(versionSummary(report({ master: { version: '1', dirty: {}, unexpected: {} } })).label).toBe('1');
  });
});
