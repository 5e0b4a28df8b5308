/**
 * The requests of the error-report pages, built from the address alone, so
 * `prefetchErrorReportPage` can send them while the page's chunk is still
 * loading and the page finds them under the same key (see api/prefetch.ts).
 * No React and no page code here: this module is part of the first download.
 */
import { apiGet, apiList, type ApiClient } from '../../api/client';
import { clampLimit, clampOffset } from '../../api/pagination';
import { prefetch } from '../../api/prefetch';
import { DEFAULT_TZ } from '../../lib/time';
import { filterQuery, paretoQuery, parseFilters, withDefaultFilters, type ErrorReportQuery } from './filters';
import { GROUPINGS, paretoRequest, parseConfigs } from './pareto';

export const REPORTS_PATH = '/api/v1/errorreports/';

/** `GET errorreports/{id}/` */
export function reportRequest(id: string) {
  return apiGet('/api/v1/errorreports/{id}/', { path: { id } });
}

export interface ListRequest {
  limit: number;
  offset: number;
  /** The API filters (the first-visit default applied). */
  query: ErrorReportQuery;
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
export function paretoRequests(params: URLSearchParams) {
  const effective = withDefaultFilters(params);
  const query = paretoQuery(parseFilters(effective));
  return parseConfigs(effective.get('configs')).flatMap((key) => {
    const grouping = GROUPINGS.find((g) => g.key === key);
    return grouping ? [paretoRequest(grouping, query)] : [];
  });
}

export type ErrorReportPage = { kind: 'list' } | { kind: 'pareto' } | { kind: 'detail'; id: string };

/** Sends the data requests of an error-report page now; the page takes the answers when it mounts. */
export function prefetchErrorReportPage(client: ApiClient, page: ErrorReportPage, params: URLSearchParams): void {
  if (page.kind === 'list') {
    prefetch(client, apiList(REPORTS_PATH, listRequest(params)));
  } else if (page.kind === 'pareto') {
    for (const request of paretoRequests(params)) prefetch(client, request);
  } else {
    prefetch(client, reportRequest(page.id));
  }
}

/** The zone the page shows its times in. */
export function pageTimeZone(page: ErrorReportPage, params: URLSearchParams): string {
  if (page.kind === 'detail') return params.get('tz') || DEFAULT_TZ;
  return parseFilters(withDefaultFilters(params)).tz;
}
