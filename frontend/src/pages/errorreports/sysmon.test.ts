import { describe, expect, it } from 'vitest';
import { apSysmonReport, legacySysmonReport } from '../../test/sysmonReports';
import {
  chronyModel,
  formatSeconds,
  MASTER_THRESHOLDS,
  offsetLevel,
  ROBOT_THRESHOLDS,
  sysmonPanel,
  thresholdsFor,
  toNumber,
  type SysmonPanelModel,
} from './sysmon';

const withSysmon = (sysmon_report: unknown) => ({ type: 'error', data: { sysmon_report } });

/** Tab label → its machines as `label:key`, with `!` after what is in error. */
function outline(panel: SysmonPanelModel | null) {
  return panel?.tabs.map((t) => ({
    tab: `${t.label}${t.inError ? '!' : ''}`,
    machines: t.machines.map((m) => `${m.label}:${m.key}${m.inError ? '!' : ''}`),
  }));
}

describe('sysmonPanel: the sysmon.N format', () => {
  const panel = sysmonPanel(legacySysmonReport())!;

  it('groups the master, each robot NUC (index = robot_index) and Jetson (another index)', () => {
    expect(outline(panel)).toEqual([
      { tab: 'Master!', machines: ['Master:sysmon.0!'] },
      { tab: 'Robot 1', machines: ['NUC:sysmon.1', 'Jetson:sysmon.3'] },
      { tab: 'Robot 2!', machines: ['NUC:sysmon.2!', 'Jetson:sysmon.4'] },
    ]);
    expect(panel.tabs.map((t) => t.id)).toEqual(['master', 'robot-1', 'robot-2']);
    expect(panel.skipped).toEqual([]);
  });

  it('reads kinds, indexes and versions', () => {
    const [nuc, jetson] = panel.tabs[2]!.machines;
    expect(nuc).toMatchObject({ kind: 'nuc', index: 2, robotIndex: 2, version: '+5763793c96' });
    expect(jetson).toMatchObject({ kind: 'jetson', index: 4, robotIndex: 2 });
    expect(panel.tabs[0]!.machines[0]).toMatchObject({ kind: 'master', index: 0, robotIndex: 0 });
  });

  it('rates the master against 1 s / 10 s and the robots against 0.1 s / 1 s', () => {
    const master = panel.tabs[0]!.machines[0]!.chrony!;
    expect(master.thresholds).toEqual(MASTER_THRESHOLDS);
    expect(master.offsets).toEqual([
      { key: 'last_offset', label: 'Last offset', value: -1.5, level: 'warn' },
      { key: 'rms_offset', label: 'RMS offset', value: 12, level: 'bad' },
    ]);
    const [nuc, jetson] = panel.tabs[2]!.machines;
    expect(nuc!.chrony!.thresholds).toEqual(ROBOT_THRESHOLDS);
    expect(nuc!.chrony!.offsets.map((o) => o.level)).toEqual(['warn', 'ok']);
    expect(jetson!.chrony!.offsets.map((o) => o.level)).toEqual(['bad', 'ok']);
  });

  it('keeps the system and reference times', () => {
    const master = panel.tabs[0]!.machines[0]!.chrony!;
    expect(master).toMatchObject({
      sysTime: 3.3e-8,
      refTime: 1651526859.0543234,
      reference: '7F7F0101', // ref_addr is empty
      stratum: 10,
      leapStatus: 'Normal',
    });
    expect(panel.tabs[1]!.machines[0]!.chrony!.reference).toBe('192.168.1.2');
  });

  it('lists services by name with cpu, mem and fsm, errored when an errors key names them', () => {
    const master = panel.tabs[0]!.machines[0]!;
    expect(master.services).toEqual([
      { name: 'harvester.0', cpu: 24.96, mem: 1.03, state: 'run', components: ['run', 'error'], errored: false },
      { name: 'traychg.0', cpu: 11.64, mem: 0.98, state: 'error', components: ['error', 'terminated'], errored: true },
    ]);
    expect(master.errors).toEqual([
      {
        service: 'traychg.0',
        code: 9,
        value: 'traychgunit.1 Error: No tray detected in collection',
        ts: 1651526861.7674465,
        handled: false,
      },
    ]);
    const robot2 = panel.tabs[2]!.machines[0]!;
    expect(robot2.services.filter((s) => s.errored).map((s) => s.name)).toEqual(['robot.2']);
  });
});

describe('sysmonPanel: the sysmon_ap.N format', () => {
  const panel = sysmonPanel(apSysmonReport())!;

  it('groups the same way, with the Jetsons numbered after a gap', () => {
    expect(outline(panel)).toEqual([
      { tab: 'Master!', machines: ['Master:sysmon_ap.0!'] },
      { tab: 'Robot 1!', machines: ['NUC:sysmon_ap.1', 'Jetson:sysmon_ap.9!'] },
      { tab: 'Robot 2', machines: ['NUC:sysmon_ap.2', 'Jetson:sysmon_ap.10'] },
    ]);
  });

  it('orders robots by number, not by key text (sysmon_ap.10 after sysmon_ap.9)', () => {
    const shuffled = apSysmonReport();
    const entries = Object.entries(shuffled.data.sysmon_report).reverse();
    const panel2 = sysmonPanel(withSysmon(Object.fromEntries(entries)));
    expect(outline(panel2)).toEqual(outline(panel));
  });

  it('reads handled errors and marks the errored Jetson service', () => {
    expect(panel.tabs[0]!.machines[0]!.errors[0]).toMatchObject({ service: 'drivesys.0', handled: true, code: 0 });
    const jetson = panel.tabs[1]!.machines[1]!;
    expect(jetson.services).toEqual([
      { name: 'obscore.1', cpu: 1.5, mem: 0.9, state: 'error', components: ['error'], errored: true },
    ]);
    expect(jetson.chrony!.offsets.map((o) => o.level)).toEqual(['ok', 'ok']);
  });
});

describe('sysmonPanel: odd and partial data', () => {
  it('is null without a sysmon_report object', () => {
    expect(sysmonPanel(null)).toBeNull();
    expect(sysmonPanel('text')).toBeNull();
    expect(sysmonPanel([])).toBeNull();
    expect(sysmonPanel({ data: null })).toBeNull();
    expect(sysmonPanel({ data: { sysmon_report: 'none' } })).toBeNull();
    expect(sysmonPanel({ data: { sysmon_report: [1, 2] } })).toBeNull();
  });

  it('has no tabs when sysmon_report has no entries, and ignores other keys', () => {
    expect(sysmonPanel(withSysmon({}))).toEqual({ tabs: [], skipped: [] });
    expect(
      sysmonPanel(withSysmon({ serial_number: '011', is_emulator: false, fruit: 'apple', info_x: { index: 3 } })),
    ).toEqual({ tabs: [], skipped: [] });
  });

  it('skips entries that are not objects or whose index cannot be read', () => {
    const panel = sysmonPanel(
      withSysmon({ 'sysmon.1': 'offline', 'sysmon.2': null, sysmon_x: {}, 'sysmon.3': [], 'sysmon.0': { robot_index: 0 } }),
    )!;
    expect(panel.skipped).toEqual(['sysmon.1', 'sysmon.2', 'sysmon_x', 'sysmon.3']);
    expect(outline(panel)).toEqual([{ tab: 'Master', machines: ['Master:sysmon.0'] }]);
  });

  it('takes the index from the key and robot_index from the index when they are missing', () => {
    const panel = sysmonPanel(withSysmon({ 'sysmon.4': {}, 'sysmon.7': { robot_index: '4' }, 'sysmon.0': {} }))!;
    expect(outline(panel)).toEqual([
      { tab: 'Master', machines: ['Master:sysmon.0'] },
      { tab: 'Robot 4', machines: ['NUC:sysmon.4', 'Jetson:sysmon.7'] },
    ]);
  });

  it('prefers the entry index over the key, and ignores bad index values', () => {
    const panel = sysmonPanel(
      withSysmon({ 'sysmon.9': { index: 1, robot_index: 1 }, 'sysmon.2': { index: -1, robot_index: 'x' } }),
    )!;
    expect(outline(panel)).toEqual([
      { tab: 'Robot 1', machines: ['NUC:sysmon.9'] },
      { tab: 'Robot 2', machines: ['NUC:sysmon.2'] },
    ]);
  });

  it('names two computers of one kind by their key (a report with both formats)', () => {
    const both = {
      ...legacySysmonReport().data.sysmon_report,
      ...apSysmonReport().data.sysmon_report,
    };
    const panel = sysmonPanel(withSysmon(both))!;
    expect(panel.tabs.map((t) => t.label)).toEqual(['Master', 'Robot 1', 'Robot 2']);
    expect(panel.tabs[1]!.machines.map((m) => m.label)).toEqual([
      'NUC (sysmon.1)',
      'NUC (sysmon_ap.1)',
      'Jetson (sysmon.3)',
      'Jetson (sysmon_ap.9)',
    ]);
  });

  it('copes with missing, partial and non-object chrony_info', () => {
    const panel = sysmonPanel(
      withSysmon({
        'sysmon.0': {},
        'sysmon.1': { chrony_info: 'chronyc: cannot talk to daemon' },
        'sysmon.2': { chrony_info: { last_offset: '0.5', rms_offset: null, ref_time: 'soon' } },
        'sysmon.3': { chrony_info: [0.1, 0.2] },
      }),
    )!;
    const [master, r1, r2, r3] = panel.tabs.map((t) => t.machines[0]!);
    expect(master!.chrony).toBeNull();
    expect(master!.chronyNote).toBeNull();
    expect(r1!.chrony).toBeNull();
    expect(r1!.chronyNote).toBe('chronyc: cannot talk to daemon');
    expect(r2!.chrony).toEqual({
      offsets: [
        { key: 'last_offset', label: 'Last offset', value: 0.5, level: 'warn' },
        { key: 'rms_offset', label: 'RMS offset', value: null, level: 'unknown' },
      ],
      thresholds: ROBOT_THRESHOLDS,
      sysTime: null,
      refTime: null,
      reference: null,
      stratum: null,
      leapStatus: null,
    });
    expect(r3!.chrony).toBeNull();
  });

  it('copes with odd services and errors', () => {
    const panel = sysmonPanel(
      withSysmon({
        'sysmon.0': {
          services: {
            'b.0': 'gone',
            'a.0': { cpu: 'NaN', mem: '2.5', fsm: { state: 3, components: ['run', null, 7] } },
            'c.0': { fsm: 'broken' },
          },
          errors: { 'c.0': 'plain text error', 'elsewhere.1': null },
        },
        'sysmon.1': { services: ['robot.1'], errors: 'none' },
      }),
    )!;
    const master = panel.tabs[0]!.machines[0]!;
    expect(master.services).toEqual([
      { name: 'a.0', cpu: null, mem: 2.5, state: '3', components: ['run', '7'], errored: false },
      { name: 'b.0', cpu: null, mem: null, state: null, components: [], errored: false },
      { name: 'c.0', cpu: null, mem: null, state: null, components: [], errored: true },
    ]);
    expect(master.errors).toEqual([
      { service: 'c.0', code: null, value: 'plain text error', ts: null, handled: false },
      { service: 'elsewhere.1', code: null, value: null, ts: null, handled: false },
    ]);
    const robot = panel.tabs[1]!;
    expect(robot.machines[0]!.services).toEqual([]);
    expect(robot.machines[0]!.errors).toEqual([]);
    expect(robot.inError).toBe(false);
  });

  it('marks a robot in error when another entry reports an error for its service', () => {
    const panel = sysmonPanel(
      withSysmon({
        'sysmon.0': { errors: { 'gripper.2': { code: 2, value: 'gripper.2 failed' } } },
        'sysmon.2': { services: { 'gripper.2': { cpu: 1 } } },
        'sysmon.1': { services: { 'gripper.1': { cpu: 1 } } },
      }),
    )!;
    expect(outline(panel)).toEqual([
      { tab: 'Master!', machines: ['Master:sysmon.0!'] },
      { tab: 'Robot 1', machines: ['NUC:sysmon.1'] },
      { tab: 'Robot 2!', machines: ['NUC:sysmon.2!'] },
    ]);
  });

  it('an empty errors object is no error', () => {
    const panel = sysmonPanel(withSysmon({ 'sysmon.0': { errors: {} } }))!;
    expect(panel.tabs[0]!.inError).toBe(false);
  });
});

describe('offsets', () => {
  it('levels by magnitude, the thresholds themselves belonging to the worse level', () => {
    expect(offsetLevel(0, MASTER_THRESHOLDS)).toBe('ok');
    expect(offsetLevel(-0.999, MASTER_THRESHOLDS)).toBe('ok');
    expect(offsetLevel(1, MASTER_THRESHOLDS)).toBe('warn');
    expect(offsetLevel(-9.99, MASTER_THRESHOLDS)).toBe('warn');
    expect(offsetLevel(10, MASTER_THRESHOLDS)).toBe('bad');
    expect(offsetLevel(0.0999, ROBOT_THRESHOLDS)).toBe('ok');
    expect(offsetLevel(-0.1, ROBOT_THRESHOLDS)).toBe('warn');
    expect(offsetLevel(1, ROBOT_THRESHOLDS)).toBe('bad');
    expect(offsetLevel(null, ROBOT_THRESHOLDS)).toBe('unknown');
    expect(offsetLevel(Number.NaN, ROBOT_THRESHOLDS)).toBe('unknown');
  });

  it('uses the master thresholds for the master only', () => {
    expect(thresholdsFor('master')).toBe(MASTER_THRESHOLDS);
    expect(thresholdsFor('nuc')).toBe(ROBOT_THRESHOLDS);
    expect(thresholdsFor('jetson')).toBe(ROBOT_THRESHOLDS);
    expect(chronyModel({ last_offset: 0.5, rms_offset: 0.5 }, 'master')!.offsets.map((o) => o.level)).toEqual(['ok', 'ok']);
    expect(chronyModel({ last_offset: 0.5, rms_offset: 0.5 }, 'jetson')!.offsets.map((o) => o.level)).toEqual(['warn', 'warn']);
  });

  it('reads numbers and numeric text only', () => {
    expect(toNumber(1.5)).toBe(1.5);
    expect(toNumber(' -2e-3 ')).toBe(-0.002);
    expect(toNumber('')).toBeNull();
    expect(toNumber('abc')).toBeNull();
    expect(toNumber(Infinity)).toBeNull();
    expect(toNumber(true)).toBeNull();
    expect(toNumber({})).toBeNull();
  });

  it('formats seconds in the unit that fits', () => {
    expect(formatSeconds(-0.006872488)).toBe('-6.87 ms');
    expect(formatSeconds(10.106872488)).toBe('10.1 s');
    expect(formatSeconds(3.3e-8)).toBe('33 ns');
    expect(formatSeconds(2.8663e-5)).toBe('28.7 µs');
    expect(formatSeconds(0)).toBe('0 s');
    expect(formatSeconds(null)).toBe('—');
  });
});
