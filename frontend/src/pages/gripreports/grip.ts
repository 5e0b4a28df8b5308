/**
 * Grip reports: a pick session's candidates (`data.cand`: fruit the robots considered) and grip
 * attempts (`data.grip`: each with its robot, candidate, whether it succeeded and the modality of
 * each phase).
 */
import { isPlainObject } from '../../lib/format';

export interface GripAttempt {
  /** Position in `data.grip`, from 1. */
  index: number;
  robot: number | null;
  candidate: number | null;
  success: boolean | null;
  /** Epoch seconds (`_meta.ts`, else `index_ts`). */
  ts: number | null;
  /** `ACQUIRE_CHILD: ACQUIRE_IMPROVE_REACH`, one per phase. */
  modality: string[];
}

export interface GripSummary {
  candidates: number;
  attempts: number;
  successes: number;
  failures: number;
}

const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);

function dataOf(report: unknown): Record<string, unknown> {
  const data = isPlainObject(report) ? report.data : undefined;
  return isPlainObject(data) ? data : {};
}

/** The grip attempts of a grip report (its `report` as received). */
export function gripAttempts(report: unknown): GripAttempt[] {
  const grip = dataOf(report).grip;
  if (!Array.isArray(grip)) return [];
  return grip.map((g, i) => {
    const a = isPlainObject(g) ? g : {};
    const meta = isPlainObject(a._meta) ? a._meta : {};
    return {
      index: i + 1,
      robot: num(a.robot_id),
      candidate: num(a.cand_id),
      success: typeof a.success === 'boolean' ? a.success : null,
      ts: num(meta.ts) ?? num(a.index_ts),
      modality: isPlainObject(a.modality) ? Object.entries(a.modality).map(([phase, how]) => `${phase}: ${String(how)}`) : [],
    };
  });
}

export function gripSummary(report: unknown): GripSummary {
  const cand = dataOf(report).cand;
  const attempts = gripAttempts(report);
  return {
    candidates: Array.isArray(cand) ? cand.length : 0,
    attempts: attempts.length,
    successes: attempts.filter((a) => a.success === true).length,
    failures: attempts.filter((a) => a.success === false).length,
  };
}
