/**
 * The sysmon panel of the error-report detail page, as data: the raw uploaded report
 * (`ErrorReport.report`) → machines grouped in tabs, Chrony offsets with their threshold level,
 * services with an errored flag. Pure functions; the components only draw the result.
 *
 * ## What a report holds
 *
 * `report.data.sysmon_report` is an object. Besides plain values (`serial_number`,
 * `is_emulator`, `fruit`, `info_*`…) it has one entry per computer of the harvester, in one of
 * two formats that differ only in the key:
 *
 * - `sysmon.<n>` (the older reports): `sysmon.0` … `sysmon.8` on a 4-robot harvester;
 * - `sysmon_ap.<n>` (the newer ones): `sysmon_ap.0` … `sysmon_ap.14` on a 6-robot harvester,
 *   with a gap (no 7 and 8).
 *
 * Every entry is `{index, robot_index, version, chrony_info, services, errors?}`:
 * `index` is the `<n>` of the key (the computer), `robot_index` the robot it belongs to.
 *
 * ## Master, robots, NUC and Jetson
 *
 * - **Master**: the entry with `robot_index` 0 and `index` 0 (`sysmon.0`, `sysmon_ap.0`).
 * - **Robot N**: the entries with `robot_index` N ≥ 1. Each robot has two computers:
 *   - the **NUC**, whose `index` equals its `robot_index` (`sysmon.1`…`sysmon.4`,
 *     `sysmon_ap.1`…`sysmon_ap.6`); it runs `robot.N`, `picker.N`, `gripper.N`, `tracker.N`,
 *     `logrec.N`;
 *   - the **Jetson**, whose `index` is another number (`sysmon.5`…`sysmon.8` for robots 1–4,
 *     `sysmon_ap.9`…`sysmon_ap.14` for robots 1–6); it runs `obscore.N`.
 *
 *   Nothing else tells them apart (no host name or type field), so the rule is
 *   `index === robot_index` → NUC, otherwise Jetson; the original web app used the same rule.
 * - `index` comes from the entry, else from the key's number; `robot_index` from the entry, else
 *   it is the `index` (as the backend's exception extraction reads them). An entry with
 *   `robot_index` 0 but another `index` would be a second computer of the master and is shown
 *   as a Jetson of the Master tab.
 * - A key counts as an entry when it starts with `sysmon` and its value is an object; other
 *   keys are not sysmon entries and are ignored. An entry whose index cannot be read (key
 *   `sysmon_x` without `index`) is listed in `skipped`.
 *
 * ## Errors
 *
 * `errors` is `{"<service>.<n>": {ts, code, value, traceback, handled?}}`. In the reports seen so
 * far they are on the master (`sysmon.0`) for master services, and on the robot's own entry for
 * a robot's service (`robot.2` in `sysmon.2`). The backend makes one exception per error with
 * node/robot taken from the entry that holds it, so an entry with errors is a **machine in
 * error**, and its tab (Master or Robot N) is marked. A service is **errored** when an errors key
 * anywhere in the report names it (service names carry their robot number, so they are unique
 * within a harvester); its machine is then in error too. The report's extracted exceptions
 * (`ErrorReport.exceptions`) are not used: they are the same errors, filled in later by a worker.
 *
 * ## Chrony
 *
 * `chrony_info` is `chronyc tracking` as numbers: `last_offset` and `rms_offset` (seconds,
 * signed), `sys_time` (how far the system clock is from NTP time, seconds), `ref_time` (Unix time
 * of the last measurement), `ref_id`, `ref_addr`, `stratum`, `leap_status`… The chart shows the
 * magnitude of the two offsets on a log scale, coloured by threshold: the master is fine below
 * 1 s and alarming from 10 s, the robots' computers below 0.1 s and from 1 s.
 */
import { isPlainObject } from '../../lib/format';

export type MachineKind = 'master' | 'nuc' | 'jetson';
/** ok: below the first threshold; warn: between the two; bad: at or above the second. */
export type OffsetLevel = 'ok' | 'warn' | 'bad' | 'unknown';

export interface Thresholds {
  /** From this magnitude (seconds) an offset is a warning. */
  warn: number;
  /** From this magnitude (seconds) an offset is bad. */
  bad: number;
}

export const MASTER_THRESHOLDS: Thresholds = { warn: 1, bad: 10 };
export const ROBOT_THRESHOLDS: Thresholds = { warn: 0.1, bad: 1 };

export function thresholdsFor(kind: MachineKind): Thresholds {
  return kind === 'master' ? MASTER_THRESHOLDS : ROBOT_THRESHOLDS;
}

export interface OffsetRow {
  key: 'last_offset' | 'rms_offset';
  label: string;
  /** Seconds as reported (signed); null when missing or not a number. */
  value: number | null;
  level: OffsetLevel;
}

export interface ChronyModel {
  offsets: OffsetRow[];
  thresholds: Thresholds;
  /** Offset of the system clock from NTP time, seconds. */
  sysTime: number | null;
  /** Unix time (seconds) of the last measurement from the reference. */
  refTime: number | null;
  /** `ref_addr`, else `ref_id`. */
  reference: string | null;
  stratum: number | null;
  leapStatus: string | null;
}

export interface SysmonError {
  /** The errors key, `<service>.<n>`. */
  service: string;
  code: number | null;
  value: string | null;
  /** Unix time, seconds. */
  ts: number | null;
  handled: boolean;
}

export interface ServiceRow {
  name: string;
  cpu: number | null;
  mem: number | null;
  /** `fsm.state`. */
  state: string | null;
  /** `fsm.components`. */
  components: string[];
  errored: boolean;
}

export interface Machine {
  /** The key in `sysmon_report` (`sysmon.5`, `sysmon_ap.9`). */
  key: string;
  kind: MachineKind;
  /** The sub-tab's name: Master, NUC or Jetson (with the key when a tab has two of a kind). */
  label: string;
  index: number;
  robotIndex: number;
  version: string | null;
  /** null when `chrony_info` is missing or not an object. */
  chrony: ChronyModel | null;
  /** `chrony_info` when it is text (a message instead of the numbers). */
  chronyNote: string | null;
  services: ServiceRow[];
  errors: SysmonError[];
  inError: boolean;
}

export interface SysmonTab {
  /** `master`, `robot-2`: stable, usable in element ids. */
  id: string;
  /** `Master`, `Robot 2`. */
  label: string;
  robot: number;
  machines: Machine[];
  inError: boolean;
}

export interface SysmonPanelModel {
  tabs: SysmonTab[];
  /** Keys that look like sysmon entries but could not be placed. */
  skipped: string[];
}

const KIND_LABEL: Record<MachineKind, string> = { master: 'Master', nuc: 'NUC', jetson: 'Jetson' };
const KIND_ORDER: Record<MachineKind, number> = { master: 0, nuc: 1, jetson: 2 };

/** Code-point order: the same in every browser locale. */
const byText = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** A finite number, or a string holding one; else null. */
export function toNumber(value: unknown): number | null {
  if (typeof value === 'number') return Number.isFinite(value) ? value : null;
  if (typeof value === 'string' && value.trim() !== '') {
    const n = Number(value);
    return Number.isFinite(n) ? n : null;
  }
  return null;
}

/** A whole number ≥ 0 (or a string holding one); else null. */
function toIndex(value: unknown): number | null {
  const n = toNumber(value);
  return n !== null && Number.isInteger(n) && n >= 0 ? n : null;
}

function toText(value: unknown): string | null {
  if (typeof value === 'string') return value === '' ? null : value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return null;
}

/** The level of an offset (its magnitude) against the thresholds. */
export function offsetLevel(value: number | null, thresholds: Thresholds): OffsetLevel {
  if (value === null || !Number.isFinite(value)) return 'unknown';
  const magnitude = Math.abs(value);
  if (magnitude < thresholds.warn) return 'ok';
  if (magnitude < thresholds.bad) return 'warn';
  return 'bad';
}

export function chronyModel(info: unknown, kind: MachineKind): ChronyModel | null {
  if (!isPlainObject(info)) return null;
  const thresholds = thresholdsFor(kind);
  const offset = (key: OffsetRow['key'], label: string): OffsetRow => {
    const value = toNumber(info[key]);
    return { key, label, value, level: offsetLevel(value, thresholds) };
  };
  return {
    offsets: [offset('last_offset', 'Last offset'), offset('rms_offset', 'RMS offset')],
    thresholds,
    sysTime: toNumber(info.sys_time),
    refTime: toNumber(info.ref_time),
    reference: toText(info.ref_addr) ?? toText(info.ref_id),
    stratum: toNumber(info.stratum),
    leapStatus: toText(info.leap_status),
  };
}

function errorsOf(value: unknown): SysmonError[] {
  if (!isPlainObject(value)) return [];
  return Object.entries(value).map(([service, raw]) => {
    const e = isPlainObject(raw) ? raw : {};
    return {
      service,
      code: toNumber(e.code),
      value: toText(e.value) ?? (typeof raw === 'string' && raw !== '' ? raw : null),
      ts: toNumber(e.ts),
      handled: e.handled === true,
    };
  });
}

function servicesOf(value: unknown, errored: Set<string>): ServiceRow[] {
  if (!isPlainObject(value)) return [];
  return Object.entries(value)
    .map(([name, raw]) => {
      const s = isPlainObject(raw) ? raw : {};
      const fsm = isPlainObject(s.fsm) ? s.fsm : {};
      const components = Array.isArray(fsm.components)
        ? fsm.components.map(toText).filter((c): c is string => c !== null)
        : [];
      return {
        name,
        cpu: toNumber(s.cpu),
        mem: toNumber(s.mem),
        state: toText(fsm.state),
        components,
        errored: errored.has(name),
      };
    })
    .sort((a, b) => byText(a.name, b.name));
}

/** `sysmon_report` of a raw report, when it is an object. */
export function sysmonReportOf(report: unknown): Record<string, unknown> | null {
  if (!isPlainObject(report) || !isPlainObject(report.data)) return null;
  const sysmon = report.data.sysmon_report;
  return isPlainObject(sysmon) ? sysmon : null;
}

interface Entry {
  key: string;
  index: number;
  robotIndex: number;
  value: Record<string, unknown>;
}

/**
 * The panel for a raw report; null when it has no `data.sysmon_report` object. A report whose
 * `sysmon_report` has no entries gives a model without tabs.
 */
export function sysmonPanel(report: unknown): SysmonPanelModel | null {
  const sysmon = sysmonReportOf(report);
  if (!sysmon) return null;

  const entries: Entry[] = [];
  const skipped: string[] = [];
  for (const [key, value] of Object.entries(sysmon)) {
    if (!key.startsWith('sysmon')) continue;
    if (!isPlainObject(value)) {
      skipped.push(key);
      continue;
    }
    const fromKey = /\.(\d+)$/.exec(key);
    const index = toIndex(value.index) ?? (fromKey ? Number(fromKey[1]) : null);
    if (index === null) {
      skipped.push(key);
      continue;
    }
    entries.push({ key, index, robotIndex: toIndex(value.robot_index) ?? index, value });
  }

  // Every errors key in the report: a service of that name is errored wherever it runs.
  const errored = new Set<string>();
  for (const e of entries) for (const err of errorsOf(e.value.errors)) errored.add(err.service);

  const byRobot = new Map<number, Machine[]>();
  for (const e of entries) {
    const kind: MachineKind = e.index !== e.robotIndex ? 'jetson' : e.robotIndex === 0 ? 'master' : 'nuc';
    const chronyInfo = e.value.chrony_info;
    const services = servicesOf(e.value.services, errored);
    const errors = errorsOf(e.value.errors);
    const machine: Machine = {
      key: e.key,
      kind,
      label: KIND_LABEL[kind],
      index: e.index,
      robotIndex: e.robotIndex,
      version: toText(e.value.version),
      chrony: chronyModel(chronyInfo, kind),
      chronyNote: typeof chronyInfo === 'string' && chronyInfo !== '' ? chronyInfo : null,
      services,
      errors,
      inError: errors.length > 0 || services.some((s) => s.errored),
    };
    const list = byRobot.get(e.robotIndex) ?? [];
    list.push(machine);
    byRobot.set(e.robotIndex, list);
  }

  const tabs: SysmonTab[] = [...byRobot.entries()]
    .sort(([a], [b]) => a - b)
    .map(([robot, machines]) => {
      machines.sort((a, b) => KIND_ORDER[a.kind] - KIND_ORDER[b.kind] || a.index - b.index || byText(a.key, b.key));
      // Two computers of one kind on a robot (a report with both formats): name them by key.
      for (const m of machines) {
        if (machines.filter((o) => o.kind === m.kind).length > 1) m.label = `${KIND_LABEL[m.kind]} (${m.key})`;
      }
      return {
        id: robot === 0 ? 'master' : `robot-${robot}`,
        label: robot === 0 ? 'Master' : `Robot ${robot}`,
        robot,
        machines,
        inError: machines.some((m) => m.inError),
      };
    });

  return { tabs, skipped };
}

/** Seconds in the unit that fits: `-6.87 ms`, `10.1 s`, `33 ns`, `0 s`. */
export function formatSeconds(value: number | null): string {
  if (value === null || !Number.isFinite(value)) return '—';
  const magnitude = Math.abs(value);
  if (magnitude === 0) return '0 s';
  const [scale, unit] =
    magnitude >= 1 ? [1, 's'] : magnitude >= 1e-3 ? [1e3, 'ms'] : magnitude >= 1e-6 ? [1e6, 'µs'] : [1e9, 'ns'];
  return `${Number((value * scale).toPrecision(3))} ${unit}`;
}
