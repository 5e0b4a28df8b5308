/**
 * Job results: per host the outcome of a job. The worker extracts `host_results` from the
 * report's `data` (`{host: {status, ts, exit_code, stdout, stderr, …}}`); until it has, the page
 * reads the same hosts from the report, mapping the status as the worker will.
 */
import type { JobResults } from '../../api/schemas';
import { isPlainObject } from '../../lib/format';

export interface HostRow {
  host: string;
  /** `Success`, `Failed`, `Error` or `canceled`. */
  result: string;
  /** ISO time, or null. */
  timestamp: string | null;
  details: unknown;
}

/** The worker's mapping of a host's `status`: anything unknown is an `Error`. */
export function resultOfStatus(status: unknown): string {
  switch (String(status ?? '').toLowerCase()) {
    case 'success':
      return 'Success';
    case 'failure':
      return 'Failed';
    case 'canceled':
    case 'cancelled':
      return 'canceled';
    default:
      return 'Error';
  }
}

/** `ok`, `error` or `muted`: how a result is shown. */
export function resultTone(result: string): 'ok' | 'error' | 'muted' {
  if (result === 'Success') return 'ok';
  if (result === 'canceled') return 'muted';
  return 'error';
}

function isoOfEpoch(value: unknown): string | null {
  if (typeof value !== 'number' || !Number.isFinite(value)) return null;
  const date = new Date(value * 1000);
  return Number.isNaN(date.getTime()) ? null : date.toISOString();
}

/** The hosts of job results, in host order, and whether they come from the report (not extracted yet). */
export function hostRows(results: Pick<JobResults, 'host_results' | 'report'>): { rows: HostRow[]; fromReport: boolean } {
  const byHost = (a: HostRow, b: HostRow) => a.host.localeCompare(b.host, 'en', { numeric: true });
  if (results.host_results.length) {
    return {
      rows: results.host_results
        .map((h) => ({ host: h.host, result: h.result, timestamp: h.timestamp ?? null, details: h.details }))
        .sort(byHost),
      fromReport: false,
    };
  }
  const data = isPlainObject(results.report) ? results.report.data : undefined;
  if (!isPlainObject(data)) return { rows: [], fromReport: true };
  return {
    rows: Object.entries(data)
      .map(([host, details]) => ({
        host,
        result: resultOfStatus(isPlainObject(details) ? details.status : undefined),
        timestamp: isPlainObject(details) ? isoOfEpoch(details.ts) : null,
        details,
      }))
      .sort(byHost),
    fromReport: true,
  };
}
