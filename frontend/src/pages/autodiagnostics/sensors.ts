/**
 * An autodiagnostics run's sensor traces, for the charts of its page. The run (and the report's
 * `data`) holds `sensors = {state_name: [[ts, {vac, touch, finger}], …], …}`: per state of the
 * gripper's self-test, samples of the vacuum, the touch force and the finger position, each at
 * an epoch time in seconds.
 */
import { isPlainObject } from '../../lib/format';

export const CHANNELS = ['vac', 'touch', 'finger'] as const;
export type Channel = (typeof CHANNELS)[number];

export const CHANNEL_LABELS: Record<Channel, string> = { vac: 'Vacuum', touch: 'Touch force', finger: 'Finger position' };

export interface SensorPoint {
  /** Seconds since the first sample. */
  t: number;
  state: string;
  vac: number | null;
  touch: number | null;
  finger: number | null;
}

export interface StateSpan {
  name: string;
  /** `state_wait_vac_start` → `wait vac start`. */
  label: string;
  /** Seconds since the first sample: the state's first and last sample. */
  start: number;
  end: number;
  samples: number;
  /** Per channel, the lowest and highest value in the state (null: none). */
  ranges: Record<Channel, Range | null>;
}

export interface Range {
  min: number;
  max: number;
}

export interface SensorSeries {
  /** Epoch seconds of the first sample. */
  t0: number;
  /** Seconds from the first to the last sample. */
  duration: number;
  /** Every sample, in time order. */
  points: SensorPoint[];
  /** The states in the order they began. */
  states: StateSpan[];
  /** Per channel, over the whole run. */
  ranges: Record<Channel, Range | null>;
  /** Samples that could not be read (no time, not `[ts, {…}]`). */
  skipped: number;
}

const finite = (value: unknown): number | null => (typeof value === 'number' && Number.isFinite(value) ? value : null);

export function stateLabel(name: string): string {
  return name.replace(/^state_/, '').replace(/_/g, ' ');
}

function widen(range: Range | null, value: number | null): Range | null {
  if (value === null) return range;
  if (!range) return { min: value, max: value };
  return { min: Math.min(range.min, value), max: Math.max(range.max, value) };
}

function emptyRanges(): Record<Channel, Range | null> {
  return { vac: null, touch: null, finger: null };
}

/** The traces of `sensors`, or null when it holds no readable sample. */
export function sensorSeries(sensors: unknown): SensorSeries | null {
  if (!isPlainObject(sensors)) return null;
  const raw: Array<Omit<SensorPoint, 't'> & { ts: number }> = [];
  let skipped = 0;
  for (const [state, samples] of Object.entries(sensors)) {
    if (!Array.isArray(samples)) {
      skipped += 1;
      continue;
    }
    for (const sample of samples) {
      const ts = Array.isArray(sample) ? finite(sample[0]) : null;
      const values = Array.isArray(sample) ? sample[1] : undefined;
      if (ts === null || !isPlainObject(values)) {
        skipped += 1;
        continue;
      }
      raw.push({ ts, state, vac: finite(values.vac), touch: finite(values.touch), finger: finite(values.finger) });
    }
  }
  if (!raw.length) return null;
  raw.sort((a, b) => a.ts - b.ts);
  const t0 = raw[0]!.ts;
  const points = raw.map(({ ts, ...rest }) => ({ ...rest, t: ts - t0 }));

  const spans = new Map<string, StateSpan>();
  const ranges = emptyRanges();
  for (const p of points) {
    let span = spans.get(p.state);
    if (!span) {
      span = { name: p.state, label: stateLabel(p.state), start: p.t, end: p.t, samples: 0, ranges: emptyRanges() };
      spans.set(p.state, span);
    }
    span.end = p.t;
    span.samples += 1;
    for (const c of CHANNELS) {
      span.ranges[c] = widen(span.ranges[c], p[c]);
      ranges[c] = widen(ranges[c], p[c]);
    }
  }
  return {
    t0,
    duration: points[points.length - 1]!.t,
    points,
    // Points are in time order, so states are met in the order they began.
    states: [...spans.values()],
    ranges,
    skipped,
  };
}

/**
 * About `count` round values spanning `min`…`max` (steps of 1, 2 or 5 times a power of ten),
 * the first at or below `min` and the last at or above `max`.
 */
export function niceTicks(min: number, max: number, count = 5): number[] {
  if (!Number.isFinite(min) || !Number.isFinite(max)) return [];
  if (min === max) {
    const pad = Math.abs(min) > 0 ? Math.abs(min) * 0.1 : 1;
    return niceTicks(min - pad, max + pad, count);
  }
  const [lo, hi] = min < max ? [min, max] : [max, min];
  const rough = (hi - lo) / Math.max(1, count - 1);
  const power = 10 ** Math.floor(Math.log10(rough));
  const step = [1, 2, 5, 10].map((m) => m * power).find((s) => s >= rough) ?? 10 * power;
  const first = Math.floor(lo / step) * step;
  const ticks: number[] = [];
  for (let v = first; v < hi + step * 0.5; v += step) {
    // Round away floating-point noise (0.30000000000000004).
    ticks.push(Number(v.toPrecision(12)));
    if (ticks.length > 50) break;
  }
  if (ticks[ticks.length - 1]! < hi) ticks.push(Number((ticks[ticks.length - 1]! + step).toPrecision(12)));
  return ticks;
}

/** The results of a run, from the extracted run when there is one, else from the report's `data`. */
export interface RunValues {
  /** Where the values come from. */
  source: 'run' | 'report';
  result: boolean | null;
  ballFound: boolean | null;
  templateMatch: boolean | null;
  templateMatchYError: number | null;
  minVac: number | null;
  fingerOpen: number | null;
  fingerClosed: number | null;
  fingerDelta: number | null;
  nominalTouchForce: number | null;
  maxTouchForce: number | null;
  /** The sensor traces (the run's, else the report's). */
  sensors: unknown;
}

const flag = (value: unknown): boolean | null => (typeof value === 'boolean' ? value : null);

interface RunLike {
  result: boolean;
  ball_found_result: boolean;
  template_match_result?: boolean | null;
  template_match_y_error?: number | null;
  min_vac?: number | null;
  finger_open_value?: number | null;
  finger_closed_value?: number | null;
  finger_delta?: number | null;
  nominal_touch_force?: number | null;
  max_touch_force?: number | null;
  sensors: unknown;
}

/** What the page shows of a run: the extracted `run_data`, or (before the worker got to it) the report's `data`. */
export function runValues(runData: RunLike | null | undefined, report: unknown): RunValues | null {
  if (runData) {
    return {
      source: 'run',
      result: runData.result,
      ballFound: runData.ball_found_result,
      templateMatch: runData.template_match_result ?? null,
      templateMatchYError: runData.template_match_y_error ?? null,
      minVac: runData.min_vac ?? null,
      fingerOpen: runData.finger_open_value ?? null,
      fingerClosed: runData.finger_closed_value ?? null,
      fingerDelta: runData.finger_delta ?? null,
      nominalTouchForce: runData.nominal_touch_force ?? null,
      maxTouchForce: runData.max_touch_force ?? null,
      sensors: runData.sensors,
    };
  }
  const data = isPlainObject(report) ? report.data : undefined;
  if (!isPlainObject(data)) return null;
  return {
    source: 'report',
    result: flag(data.passed_autodiag),
    ballFound: flag(data.passed_autodiag_ball_found),
    templateMatch: flag(data.passed_autodiag_template_match),
    templateMatchYError: finite(data.tm_y_error),
    minVac: finite(data.min_vac),
    fingerOpen: finite(data.finger_open_value),
    fingerClosed: finite(data.finger_closed_value),
    fingerDelta: finite(data.delta_fing),
    nominalTouchForce: finite(data.no_touch_force),
    maxTouchForce: finite(data.max_touch_val),
    sensors: data.sensors,
  };
}
