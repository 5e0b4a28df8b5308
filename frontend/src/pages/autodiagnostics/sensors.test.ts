import { describe, expect, it } from 'vitest';
import { niceTicks, runValues, sensorSeries, stateLabel } from './sensors';

describe('sensor series', () => {
  it('puts the samples of every state on one time line, states in the order they began', () => {
    const series = sensorSeries({
      state_retract: [[110.5, { vac: -98, touch: 1.9, finger: 1.8 }]],
      state_extend: [
        [100.25, { vac: -35.4, touch: 5.2, finger: 0.25 }],
        [100, { vac: -35, touch: 5, finger: 0.2 }],
      ],
    })!;
    expect(series.t0).toBe(100);
    expect(series.duration).toBe(10.5);
    expect(series.points.map((p) => [p.t, p.state, p.vac])).toEqual([
      [0, 'state_extend', -35],
      [0.25, 'state_extend', -35.4],
      [10.5, 'state_retract', -98],
    ]);
    expect(series.states.map((s) => [s.name, s.label, s.start, s.end, s.samples])).toEqual([
      ['state_extend', 'extend', 0, 0.25, 2],
      ['state_retract', 'retract', 10.5, 10.5, 1],
    ]);
    expect(series.ranges.vac).toEqual({ min: -98, max: -35 });
    expect(series.states[0]!.ranges.touch).toEqual({ min: 5, max: 5.2 });
    expect(series.skipped).toBe(0);
  });

  it('skips what it cannot read and leaves gaps for missing values', () => {
    const series = sensorSeries({
      state_a: [[1, { vac: -1, touch: 'x', finger: null }], ['late', { vac: 0 }], [2], 'junk'],
      state_b: 'not a list',
    })!;
    expect(series.points).toEqual([{ t: 0, state: 'state_a', vac: -1, touch: null, finger: null }]);
    expect(series.ranges).toEqual({ vac: { min: -1, max: -1 }, touch: null, finger: null });
    expect(series.skipped).toBe(4);
    expect(sensorSeries({})).toBeNull();
    expect(sensorSeries(null)).toBeNull();
    expect(sensorSeries([1, 2])).toBeNull();
  });

  it('names states without the prefix', () => {
    expect(stateLabel('state_wait_vac_start')).toBe('wait vac start');
    expect(stateLabel('homing')).toBe('homing');
  });

  it('picks round ticks around a range', () => {
    expect(niceTicks(-98.01, -29.35, 5)).toEqual([-100, -80, -60, -40, -20]);
    expect(niceTicks(0, 7.5, 8)).toEqual([0, 2, 4, 6, 8]);
    expect(niceTicks(0, 10, 11)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(niceTicks(0.25, 1.85, 5)).toEqual([0, 0.5, 1, 1.5, 2]);
    const flat = niceTicks(2, 2, 5);
    expect(flat[0]).toBeLessThanOrEqual(2);
    expect(flat.at(-1)).toBeGreaterThanOrEqual(2);
    expect(niceTicks(Number.NaN, 1)).toEqual([]);
  });

  it('reads the run, or the report before the worker extracted it', () => {
    const sensors = { state_a: [[1, { vac: -1, touch: 1, finger: 1 }]] };
    const fromRun = runValues(
      { result: false, ball_found_result: true, template_match_result: null, min_vac: -90, finger_delta: 0.04, sensors },
      null,
    );
    expect(fromRun).toMatchObject({ source: 'run', result: false, ballFound: true, templateMatch: null, minVac: -90, fingerDelta: 0.04, sensors });
    const fromReport = runValues(null, {
      data: {
        passed_autodiag: true,
        passed_autodiag_ball_found: false,
        passed_autodiag_template_match: true,
        min_vac: -97.9,
        delta_fing: 0,
        no_touch_force: 3.28,
        max_touch_val: 19.93,
        tm_y_error: 0,
        finger_open_value: 1.8,
        finger_closed_value: 1.85,
        sensors,
      },
    });
    expect(fromReport).toEqual({
      source: 'report',
      result: true,
      ballFound: false,
      templateMatch: true,
      templateMatchYError: 0,
      minVac: -97.9,
      fingerOpen: 1.8,
      fingerClosed: 1.85,
      fingerDelta: 0,
      nominalTouchForce: 3.28,
      maxTouchForce: 19.93,
      sensors,
    });
    expect(runValues(null, { data: 'x' })).toBeNull();
  });
});
