import { Fragment, useCallback, useEffect, useMemo } from 'react';
import { Link, useSearchParams } from 'react-router';
import type { AftException, ErrorReportListItem, Harvester } from '../../api/schemas';
import type { Column } from '../../components/DataTable';
import type { Option } from '../../components/MultiSelect';
import { useLookup } from '../../hooks/useLookup';
import { DEFAULT_TZ, formatInZone } from '../../lib/time';
import {
  filtersToUrl,
  hasFilterParams,
  NON_FILTER_PARAMS,
  parseFilters,
  withDefaultFilters,
  type ErrorFilters,
} from './filters';

/**
 * The filters in the address bar. A bare address (first visit) gets the
 * default `is_emulator=0`, written back with `replace` so Back still works.
 */
export function useErrorFilters() {
  const [params, setParams] = useSearchParams();
  const bare = !hasFilterParams(params);
  const effective = useMemo(() => withDefaultFilters(params), [params]);
  const filters = useMemo(() => parseFilters(effective), [effective]);

  useEffect(() => {
    if (bare) setParams(withDefaultFilters, { replace: true });
  }, [bare, setParams]);

  /** New filters: back to the first page; page size and chart groupings are kept. */
  const apply = useCallback(
    (next: ErrorFilters) => {
      setParams((prev) => {
        const out = filtersToUrl(next);
        for (const key of NON_FILTER_PARAMS) {
          const value = prev.get(key);
          if (value !== null && key !== 'offset') out.set(key, value);
        }
        return out;
      });
    },
    [setParams],
  );

  return { params: effective, filters, apply, setParams };
}

export function harvesterOption(h: Pick<Harvester, 'harv_id' | 'name' | 'is_emulator'>): Option {
  const name = h.name ? ` · ${h.name}` : '';
  return { value: String(h.harv_id), label: `${h.harv_id}${name}${h.is_emulator ? ' (emulator)' : ''}` };
}

function unique(options: Array<Option | null>): Option[] {
  const seen = new Map<string, Option>();
  for (const o of options) if (o && !seen.has(o.value)) seen.set(o.value, o);
  return [...seen.values()];
}

const byNumber = (a: Option, b: Option) => Number(a.value) - Number(b.value) || a.label.localeCompare(b.label);
const byLabel = (a: Option, b: Option) => a.label.localeCompare(b.label);

export interface FilterOptions {
  harvesters: Option[];
  locations: Option[];
  fruits: Option[];
  codes: Option[];
  loading: { harvesters: boolean; locations: boolean; fruits: boolean; codes: boolean };
  errors: { harvesters: string | null; locations: string | null; fruits: string | null; codes: string | null };
  /** Code number → name, for tooltips. */
  codeNames: Map<string, string>;
}

function loadError(error: unknown, what: string): string | null {
  if (!error) return null;
  const reason = error instanceof Error ? error.message : String(error);
  return `The ${what} could not be loaded (${reason}).`;
}

/** The drop-down contents of the filter form (one `?limit=10000` request each, cached). */
export function useFilterOptions(): FilterOptions {
  const harvesters = useLookup('/api/v1/harvesters/');
  const locations = useLookup('/api/v1/locations/');
  const fruits = useLookup('/api/v1/fruits/');
  const codes = useLookup('/api/v1/exceptioncodes/');

  return useMemo(
    () => ({
      harvesters: unique(harvesters.items.map(harvesterOption)).sort(byNumber),
      locations: unique(locations.items.map((l) => (l.ranch ? { value: l.ranch, label: l.ranch } : null))).sort(byLabel),
      fruits: unique(fruits.items.map((f) => (f.name ? { value: f.name, label: f.name } : null))).sort(byLabel),
      codes: unique(
        codes.items.map((c) => ({ value: String(c.code), label: `${c.code} · ${c.name}` })),
      ).sort(byNumber),
      loading: {
        harvesters: harvesters.loading,
        locations: locations.loading,
        fruits: fruits.loading,
        codes: codes.loading,
      },
      errors: {
        harvesters: loadError(harvesters.error, 'harvesters'),
        locations: loadError(locations.error, 'locations'),
        fruits: loadError(fruits.error, 'fruits'),
        codes: loadError(codes.error, 'exception codes'),
      },
      codeNames: new Map(codes.items.map((c) => [String(c.code), c.name])),
    }),
    [harvesters, locations, fruits, codes],
  );
}

/** Primary first, then by time. */
export function sortExceptions(list: AftException[]): AftException[] {
  return [...list].sort((a, b) => {
    if (!!a.primary !== !!b.primary) return a.primary ? -1 : 1;
    return String(a.timestamp ?? '').localeCompare(String(b.timestamp ?? ''));
  });
}

function PrimaryMark({ exception }: { exception: AftException }) {
  return exception.primary ? <abbr title="primary exception">*</abbr> : null;
}

export function ExceptionCodes({ exceptions }: { exceptions: AftException[] }) {
  if (!exceptions.length) return <span className="muted">—</span>;
  // One element, so the phone layout (cells as grids) keeps it on one line.
  return (
    <span>
      {sortExceptions(exceptions).map((e, i) => (
        <Fragment key={e.id ?? i}>
          {i > 0 && ', '}
          <span title={e.code?.name ?? undefined}>{e.code ? e.code.code : '?'}</span>
          <PrimaryMark exception={e} />
        </Fragment>
      ))}
    </span>
  );
}

export function serviceLabel(e: Pick<AftException, 'service' | 'robot'>): string {
  return `${e.service ?? '?'}.${e.robot ?? '?'}`;
}

export function ExceptionServices({ exceptions }: { exceptions: AftException[] }) {
  if (!exceptions.length) return <span className="muted">—</span>;
  return (
    <span>
      {sortExceptions(exceptions).map((e, i) => (
        <Fragment key={e.id ?? i}>
          {i > 0 && ', '}
          {serviceLabel(e)}
          <PrimaryMark exception={e} />
        </Fragment>
      ))}
    </span>
  );
}

export function ReportTime({ value, tz }: { value: string | null | undefined; tz: string }) {
  if (!value) return <span className="muted">—</span>;
  return (
    <time dateTime={value} title={`${value} (UTC)`}>
      {formatInZone(value, tz)}
    </time>
  );
}

/** A harvester as other objects nest it (a pick session's may be empty: no id, no harv_id). */
type HarvesterRef = { id?: number; harv_id?: number | null; name?: string | null };

export function HarvesterLink({ harvester }: { harvester: HarvesterRef | null | undefined }) {
  if (!harvester || harvester.harv_id === null || harvester.harv_id === undefined) return <span className="muted">—</span>;
  const text = String(harvester.harv_id);
  if (typeof harvester.id !== 'number') return <>{text}</>;
  return (
    <Link to={`/harvesters/${harvester.id}`} title={harvester.name ?? undefined}>
      {text}
    </Link>
  );
}

export function LocationLink({ location }: { location: { id?: number; ranch?: string | null } | null | undefined }) {
  if (!location || !location.ranch) return <span className="muted">—</span>;
  if (typeof location.id !== 'number') return <>{location.ranch}</>;
  return <Link to={`/locations/${location.id}`}>{location.ranch}</Link>;
}

export function errorReportColumns(tz: string): Column<ErrorReportListItem>[] {
  return [
    {
      key: 'id',
      header: 'ID',
      render: (r) => (
        <Link to={`/errorreports/${r.id}${tz === DEFAULT_TZ ? '' : `?tz=${encodeURIComponent(tz)}`}`}>{r.id}</Link>
      ),
    },
    { key: 'reportTime', header: 'Report time', render: (r) => <ReportTime value={r.reportTime} tz={tz} />, className: 'nowrap' },
    { key: 'harvester', header: 'Harvester', render: (r) => <HarvesterLink harvester={r.harvester} /> },
    { key: 'location', header: 'Location', render: (r) => <LocationLink location={r.location} /> },
    { key: 'codes', header: 'Codes', render: (r) => <ExceptionCodes exceptions={r.exceptions} /> },
    { key: 'services', header: 'Services', render: (r) => <ExceptionServices exceptions={r.exceptions} /> },
    { key: 'gitbranch', header: 'Branch', render: (r) => r.gitbranch || '—' },
    {
      key: 'githash',
      header: 'Githash',
      render: (r) => (r.githash ? <code className="clip">{r.githash}</code> : '—'),
    },
  ];
}
