import { apiGet } from '../../api/client';
import type { ParetoQuery } from './filters';

/**
 * The groupings of the pareto page. No React here: the app asks for the charts'
 * data before the page's chunk is loaded (requests.ts).
 */
export interface Grouping {
  /** `aggregate_query`: the exception field path to group by. */
  key: string;
  /** `aggregate_name`: the key each row's value comes back under. */
  label: string;
  title: string;
}

export const GROUPINGS: Grouping[] = [
  { key: 'code__code', label: 'code', title: 'Exception code' },
  { key: 'code__name', label: 'exception', title: 'Exception name' },
  { key: 'code__team', label: 'team', title: 'Team' },
  { key: 'service', label: 'service', title: 'Service' },
  { key: 'robot', label: 'robot', title: 'Robot' },
  { key: 'report__harvester__harv_id', label: 'harvester', title: 'Harvester' },
  { key: 'report__location__ranch', label: 'location', title: 'Location' },
  { key: 'report__githash', label: 'githash', title: 'Githash' },
  { key: 'handled', label: 'handled', title: 'Handled' },
];

/** Shown when the address names no grouping. */
export const DEFAULT_CONFIGS = ['code__name', 'service'];

/** `configs=code__code,service` → known groupings, in the order given. */
export function parseConfigs(value: string | null): string[] {
  if (value === null) return DEFAULT_CONFIGS;
  const known = new Set(GROUPINGS.map((g) => g.key));
  return [...new Set(value.split(',').map((s) => s.trim()))].filter((k) => known.has(k));
}

/** The `exceptions/pareto/` request of one chart. */
export function paretoRequest(grouping: Grouping, query: ParetoQuery) {
  return apiGet('/api/v1/exceptions/pareto/', {
    query: { aggregate_query: grouping.key, aggregate_name: grouping.label, ...query },
  });
}
