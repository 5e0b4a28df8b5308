/**
 * Release rollouts (docs/api-design.md#release-rollouts): a release installed in waves of
 * `install_release` jobs, halted by the worker when the updated harvesters send markedly more
 * error reports than before. Who may act on them, how a status is shown, the waves as typed in
 * the start form, how many harvesters each wave takes, and what the halt rule saw, in words.
 */
import { canManageJobs } from './jobs';
import type { Rollout, RolloutEvaluation, RolloutWave, User } from './schemas';

export const ROLLOUT_STATUSES = ['running', 'halted', 'done', 'cancelled'] as const;
export type RolloutStatus = (typeof ROLLOUT_STATUSES)[number];

/** The API's defaults (`POST release/{id}/rollouts/` without them). */
export const ROLLOUT_DEFAULTS = { waves: ['1', '10%', '100%'], halt_ratio: 1.5, min_reports: 5, wave_minutes: 60 } as const;

/** How often a page with a running rollout asks for it again. */
export const ROLLOUT_REFRESH_MS = 10_000;

/** Managers and superusers start, halt, resume and cancel rollouts (the server checks again: 403). */
export function canManageRollouts(user: User | null | undefined): boolean {
  return canManageJobs(user);
}

/** Badge classes: running blue, halted red, done green, cancelled grey. */
export function rolloutStatusClass(status: string): string {
  switch (status) {
    case 'running':
      return 'badge badge-info';
    case 'halted':
      return 'badge badge-error';
    case 'done':
      return 'badge badge-ok';
    default:
      return 'badge badge-muted';
  }
}

/** A wave as the API takes it: a number of harvesters, or a share of all targets reached by its end. */
export type WaveSize = number | string;

/**
 * One wave as typed: `3` (harvesters) or `10%` (of all the targets, reached by the end of the
 * wave). The API reads the same; checking here names the row instead of the list.
 */
export function parseWave(text: string): WaveSize | null {
  const value = text.trim();
  if (/^\d+$/.test(value)) return Number(value);
  const share = /^(\d+(?:\.\d+)?)\s*%$/.exec(value);
  if (share) {
    const p = Number(share[1]);
    return p > 0 && p <= 100 ? `${share[1]}%` : null;
  }
  return null;
}

/** Where a wave ends: `reached` plus a count, or a share of every target (rounded up). */
function endOf(wave: WaveSize, reached: number, targets: number): number {
  return Math.min(targets, typeof wave === 'number' ? reached + wave : Math.ceil((Number.parseFloat(wave) / 100) * targets));
}

/**
 * Where each wave ends (harvesters reached, counted from the first) for `targets` harvesters,
 * as the server computes it (`wave_ends` of rollouts.rs): a share is rounded up, a wave that
 * adds nobody is dropped, and a last wave takes whoever is left.
 */
export function waveEnds(waves: readonly WaveSize[], targets: number): number[] {
  const ends: number[] = [];
  let reached = 0;
  for (const wave of waves) {
    const end = endOf(wave, reached, targets);
    if (end > reached) {
      ends.push(end);
      reached = end;
    }
  }
  if (reached < targets) ends.push(targets);
  return ends;
}

/**
 * What each wave as typed adds for `targets` harvesters (0: it adds nobody, and the server
 * drops it), and the harvesters a last wave of the server's own takes when the typed ones
 * leave some (`rest`).
 */
export function wavePlan(waves: readonly WaveSize[], targets: number): { sizes: number[]; rest: number } {
  const sizes: number[] = [];
  let reached = 0;
  for (const end of waves.map((wave) => endOf(wave, reached, targets))) {
    sizes.push(Math.max(0, end - reached));
    reached = Math.max(reached, end);
  }
  return { sizes, rest: targets - reached };
}

/** A wave's install jobs: succeeded, waiting, ended otherwise, and not created yet. */
export interface WaveProgress {
  harvesters: number;
  success: number;
  pending: number;
  failed: number;
  cancelled: number;
  /** Harvesters without a job of this wave yet (the wave has not started). */
  notStarted: number;
}

export function waveProgress(wave: Pick<RolloutWave, 'harvesters' | 'jobs'>): WaveProgress {
  let success = 0;
  let pending = 0;
  let failed = 0;
  let cancelled = 0;
  for (const [status, count] of Object.entries(wave.jobs ?? {})) {
    if (typeof count !== 'number') continue;
    if (status === 'Success') success += count;
    else if (status === 'Pending') pending += count;
    else if (status === 'canceled') cancelled += count;
    else failed += count;
  }
  const harvesters = wave.harvesters.length;
  return { harvesters, success, pending, failed, cancelled, notStarted: Math.max(0, harvesters - success - pending - failed - cancelled) };
}

/** Where a wave stands in its rollout (`stopped`: the current wave of a cancelled one). */
export function waveState(
  rollout: Pick<Rollout, 'current_wave' | 'status'>,
  wave: Pick<RolloutWave, 'wave'>,
  progress: WaveProgress,
): 'waiting' | 'current' | 'stopped' | 'installed' | 'failed' {
  if (wave.wave > rollout.current_wave) return 'waiting';
  if (progress.failed > 0) return 'failed';
  if (progress.harvesters > 0 && progress.success === progress.harvesters) return 'installed';
  if (wave.wave < rollout.current_wave) return 'installed';
  return rollout.status === 'cancelled' ? 'stopped' : 'current';
}

/** A count with its noun: `1 harvester`, `3 harvesters`. */
export function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

/** Whether an evaluation is one: the server leaves it null until the first wave has started. */
export function isEvaluation(value: unknown): value is RolloutEvaluation {
  if (!value || typeof value !== 'object') return false;
  const v = value as Record<string, unknown>;
  return typeof v.updated_harvesters === 'number' && typeof v.reports_on_release === 'number' && typeof v.reports_before === 'number';
}

/**
 * What the halt rule last saw, in words: the comparison, then the verdict (too few reports to
 * judge, within the rule, or breaking it).
 */
export function describeEvaluation(rollout: Pick<Rollout, 'evaluation' | 'halt_ratio' | 'min_reports'>): { comparison: string; verdict: string; breaks: boolean } {
  const e = rollout.evaluation;
  const rule = `The rollout halts when they send at least ${rollout.min_reports} and more than ${rollout.halt_ratio}× as many as before.`;
  if (!isEvaluation(e) || e.updated_harvesters === 0) {
    return { comparison: 'No harvester of this rollout has finished installing the release yet: nothing to compare.', verdict: rule, breaks: false };
  }
  const comparison =
    `The ${plural(e.updated_harvesters, 'harvester')} updated so far sent ${plural(e.reports_on_release, 'error report')} since their install, ` +
    `against ${e.reports_before} over the same length of time just before it.`;
  const limit = rollout.halt_ratio * e.reports_before;
  const limitText = Number.isInteger(limit) ? String(limit) : limit.toFixed(1);
  if (e.reports_on_release < rollout.min_reports) {
    return { comparison, verdict: `Too few reports to judge: the rule needs at least ${rollout.min_reports}.`, breaks: false };
  }
  if (e.reports_on_release > limit) {
    return {
      comparison,
      verdict: `That is more than ${rollout.halt_ratio}× the reports before (${limitText}): it breaks the halt rule.`,
      breaks: true,
    };
  }
  return { comparison, verdict: `Within the rule: not more than ${rollout.halt_ratio}× the reports before (${limitText}).`, breaks: false };
}
