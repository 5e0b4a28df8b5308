import { describe, expect, it } from 'vitest';
import { rollout } from '../test/fixtures';
import { describeEvaluation, parseWave, rolloutStatusClass, waveEnds, wavePlan, waveProgress, waveState } from './rollouts';

describe('rollout waves', () => {
  it('reads a wave as a number of harvesters or a share', () => {
    expect(parseWave(' 3 ')).toBe(3);
    expect(parseWave('0')).toBe(0);
    expect(parseWave('10%')).toBe('10%');
    expect(parseWave('12.5 %')).toBe('12.5%');
    expect(parseWave('100%')).toBe('100%');
    expect(parseWave('0%')).toBeNull();
    expect(parseWave('120%')).toBeNull();
    expect(parseWave('ten')).toBeNull();
    expect(parseWave('-1')).toBeNull();
    expect(parseWave('')).toBeNull();
  });

  it('splits the targets as the server does (rollouts.rs wave_ends)', () => {
    const defaults = [1, '10%', '100%'];
    expect(waveEnds(defaults, 50)).toEqual([1, 5, 50]);
    // Waves that add nobody are dropped.
    expect(waveEnds(defaults, 1)).toEqual([1]);
    expect(waveEnds(defaults, 5)).toEqual([1, 5]);
    // The last wave takes the rest.
    expect(waveEnds([2], 7)).toEqual([2, 7]);
    expect(waveEnds([0, 3, '50%'], 10)).toEqual([3, 5, 10]);
    // Per wave as typed: the one that adds nobody says so, and what a last wave of the server's takes.
    expect(wavePlan(defaults, 2)).toEqual({ sizes: [1, 0, 1], rest: 0 });
    expect(wavePlan([2, '50%'], 10)).toEqual({ sizes: [2, 3], rest: 5 });
  });

  it('counts a wave’s install jobs by outcome', () => {
    expect(waveProgress({ harvesters: [1, 2, 3, 4, 5], jobs: { Success: 2, Pending: 1, Failed: 1 } })).toEqual({
      harvesters: 5,
      success: 2,
      pending: 1,
      failed: 1,
      cancelled: 0,
      notStarted: 1,
    });
    expect(waveProgress({ harvesters: [1, 2], jobs: { 'Failed to send': 1, canceled: 1 } })).toMatchObject({ failed: 1, cancelled: 1, notStarted: 0 });
  });

  it('says where a wave stands', () => {
    const r = rollout({ current_wave: 2 });
    expect(waveState(r, { wave: 1 }, waveProgress({ harvesters: [11], jobs: { Success: 1 } }))).toBe('installed');
    expect(waveState(r, { wave: 2 }, waveProgress({ harvesters: [12, 13], jobs: { Pending: 2 } }))).toBe('current');
    expect(waveState(r, { wave: 2 }, waveProgress({ harvesters: [12, 13], jobs: { Pending: 1, Error: 1 } }))).toBe('failed');
    expect(waveState(r, { wave: 3 }, waveProgress({ harvesters: [14], jobs: {} }))).toBe('waiting');
    expect(waveState({ ...r, status: 'cancelled' }, { wave: 2 }, waveProgress({ harvesters: [12], jobs: { Pending: 1 } }))).toBe('stopped');
  });

  it('colours a status', () => {
    expect(rolloutStatusClass('running')).toContain('badge-info');
    expect(rolloutStatusClass('halted')).toContain('badge-error');
    expect(rolloutStatusClass('done')).toContain('badge-ok');
    expect(rolloutStatusClass('cancelled')).toContain('badge-muted');
  });
});

describe('the halt rule in words', () => {
  it('has nothing to compare before a harvester is updated', () => {
    expect(describeEvaluation(rollout({ evaluation: null })).comparison).toMatch(/nothing to compare/);
    expect(describeEvaluation(rollout({ evaluation: { updated_harvesters: 0, reports_on_release: 0, reports_before: 0 } })).breaks).toBe(false);
  });

  it('needs enough reports, then more than the ratio', () => {
    const e = (on: number, before: number) => describeEvaluation(rollout({ evaluation: { updated_harvesters: 3, reports_on_release: on, reports_before: before } }));
    expect(e(4, 0).verdict).toBe('Too few reports to judge: the rule needs at least 5.');
    expect(e(10, 2)).toEqual({
      comparison: 'The 3 harvesters updated so far sent 10 error reports since their install, against 2 over the same length of time just before it.',
      verdict: 'That is more than 1.5× the reports before (3): it breaks the halt rule.',
      breaks: true,
    });
    expect(e(10, 8).verdict).toBe('Within the rule: not more than 1.5× the reports before (12).');
    expect(e(10, 7).breaks).toBe(false);
    expect(e(11, 7).verdict).toBe('That is more than 1.5× the reports before (10.5): it breaks the halt rule.');
  });
});
