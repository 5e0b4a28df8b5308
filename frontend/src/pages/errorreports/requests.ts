/**
 * The requests of the error-report pages, built from the address alone, so
 * `prefetchErrorReportPage` can send them while the page's chunk is still
 * loading and the page finds them under the same key (see api/prefetch.ts).
 * No React and no page code here: this module is part of the first download.
 */
import type { ApiClient } from '../../api/client';
import type { ErrorReport, ErrorReportSummary, ParetoEntry } from '../../api/hds';
import { clampLimit, clampOffset, pagePath } from '../../api/pagination';
import { prefetch } from '../../api/prefetch';
import { DEFAULT_TZ } from '../../lib/time';
import { filterQuery, parseFilters, withDefaultFilters } from './filters';
import { GROUPINGS, paretoPath, parseConfigs } from './pareto';

export const REPORTS_PATH = 'errorreports/';

/** `errorreports/{id}/` */
export function reportPath(id: string): string {
  return `${REPORTS_PATH}${encodeURIComponent(id)}/`;
}

export interface ListRequest {
  limit: number;
  offset: number;
  /** The API filters (the first-visit default applied). */
  query: Record<string, string>;
}

/** The page of reports the list shows for an address (`?harv_ids=…&limit=25&offset=50`). */
export function listRequest(params: URLSearchParams): ListRequest {
  const effective = withDefaultFilters(params);
  return {
    limit: clampLimit(effective.get('limit')),
    offset: clampOffset(effective.get('offset')),
    query: filterQuery(parseFilters(effective)),
  };
}

/** The `exceptions/pareto/` requests of the charts the address asks for, in order. */
export function paretoPaths(params: URLSearchParams): string[] {
  const effective = withDefaultFilters(params);
  const query = filterQuery(parseFilters(effective));
  return parseConfigs(effective.get('configs')).flatMap((key) => {
    const grouping = GROUPINGS.find((g) => g.key === key);
    return grouping ? [paretoPath(grouping, query)] : [];
  });
}

export type ErrorReportPage = { kind: 'list' } | { kind: 'pareto' } | { kind: 'detail'; id: string };

/** Sends the data requests of an error-report page now; the page takes the answers when it mounts. */
export function prefetchErrorReportPage(client: ApiClient, page: ErrorReportPage, params: URLSearchParams): void {
  if (page.kind === 'list') {
    const { limit, offset, query } = listRequest(params);
    prefetch(client, pagePath(REPORTS_PATH, limit, offset, query), (c) =>
      c.list<ErrorReportSummary>(REPORTS_PATH, { limit, offset, query }),
    );
  } else if (page.kind === 'pareto') {
    for (const path of paretoPaths(params)) prefetch(client, path, (c) => c.get<ParetoEntry[]>(path));
  } else {
    const path = reportPath(page.id);
    prefetch(client, path, (c) => c.get<ErrorReport>(path));
  }
}

/** The zone the page shows its times in. */
export function pageTimeZone(page: ErrorReportPage, params: URLSearchParams): string {
  if (page.kind === 'detail') return params.get('tz') || DEFAULT_TZ;
  return parseFilters(withDefaultFilters(params)).tz;
}
