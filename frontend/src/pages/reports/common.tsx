import { useMemo, useState, type ReactNode } from 'react';
import { Link } from 'react-router';
import type { ApiRequest } from '../../api/client';
import type { Page } from '../../api/contract';
import type { Harvester, Location } from '../../api/schemas';
import type { Column } from '../../components/DataTable';
import { JsonTree } from '../../components/JsonTree';
import { PagedList } from '../../components/ListView';
import { useLookup } from '../../hooks/useLookup';
import { usePageParams } from '../../hooks/usePageParams';
import { useTitle } from '../../hooks/useTitle';
import { downloadJson } from '../../lib/download';
import { isPlainObject } from '../../lib/format';
import { DEFAULT_TZ } from '../../lib/time';
import { Tags } from '../events/related';
import { HarvesterLink, LocationLink, ReportTime } from '../errorreports/common';
import { zoneOf, type FilterSpec } from './filters';
import { ReportFilterForm } from './ReportFilterForm';

/**
 * Harvesters and locations by id, for the report kinds that give them as ids (version, grip,
 * config and job-result reports): the drop-down lists (`?limit=10000`, cached five minutes).
 */
export interface FleetNames {
  harvesters: Map<number, Harvester>;
  locations: Map<number, Location>;
}

export function useFleetNames(): FleetNames {
  const harvesters = useLookup('/api/v1/harvesters/');
  const locations = useLookup('/api/v1/locations/');
  return useMemo(
    () => ({
      harvesters: new Map(harvesters.items.map((h) => [h.id, h])),
      locations: new Map(locations.items.map((l) => [l.id, l])),
    }),
    [harvesters.items, locations.items],
  );
}

/** A top-level field of a report as received (`serial_number`, `timestamp`…). */
export function reportField(report: unknown, key: string): unknown {
  return isPlainObject(report) ? report[key] : undefined;
}

/**
 * A harvester given by id, as its harv_id linking to its page; until the names are there (or
 * when the harvester is unknown), the report's own serial number.
 */
export function HarvesterById({ id, names, report }: { id: number | null | undefined; names: FleetNames; report?: unknown }) {
  if (id === null || id === undefined) return <span className="muted">—</span>;
  const harvester = names.harvesters.get(id);
  if (harvester) return <HarvesterLink harvester={harvester} />;
  const serial = reportField(report, 'serial_number');
  const text = typeof serial === 'string' || typeof serial === 'number' ? String(Number(serial)) : `#${id}`;
  return <Link to={`/harvesters/${id}`}>{text}</Link>;
}

export function LocationById({ id, names }: { id: number | null | undefined; names: FleetNames }) {
  if (id === null || id === undefined) return <span className="muted">—</span>;
  const location = names.locations.get(id);
  return location ? <LocationLink location={location} /> : <Link to={`/locations/${id}`}>Location {id}</Link>;
}

/** `?tz=…` for a link to a detail page that should show times in the same zone. */
export function zoneSuffix(tz: string): string {
  return tz === DEFAULT_TZ ? '' : `?tz=${encodeURIComponent(tz)}`;
}

/** The columns every report kind's list starts with: ID (to its page) and report time. */
export function reportColumns<T extends { id: number; reportTime?: string | null }>(route: string, tz: string): Column<T>[] {
  return [
    { key: 'id', header: 'ID', render: (r) => <Link to={`${route}/${r.id}${zoneSuffix(tz)}`}>{r.id}</Link> },
    { key: 'reportTime', header: 'Report time', render: (r) => <ReportTime value={r.reportTime} tz={tz} />, className: 'nowrap' },
  ];
}

export function tagsColumn<T extends { tags: string[] }>(): Column<T> {
  return { key: 'tags', header: 'Tags', render: (r) => <Tags tags={r.tags} /> };
}

/** The report as received: a JSON tree (copy), and a download. */
export function RawReportCard({ report, fileName, expandDepth = 1 }: { report: unknown; fileName: string; expandDepth?: number }) {
  const [failed, setFailed] = useState(false);
  return (
    <section className="card" aria-labelledby="report-title">
      <div className="section-head">
        <h2 id="report-title">Raw report</h2>
        <button type="button" className="button button-small" onClick={() => setFailed(!downloadJson(report, fileName))}>
          Download JSON
        </button>
      </div>
      {failed && (
        <p className="field-error" role="alert">
          This browser cannot save files from the page; use “Copy JSON” instead.
        </p>
      )}
      <JsonTree value={report} expandDepth={expandDepth} copyable />
    </section>
  );
}

/** A list page of a report kind: what it shows, its filters, and its page request. */
export interface ReportListDef<T> {
  title: string;
  description: ReactNode;
  spec: FilterSpec;
  /** localStorage key of the filter panel's open/folded state. */
  storageKey: string;
  /** One page of the list, with the address's filters. */
  request: (page: { limit: number; offset: number; params: URLSearchParams }) => ApiRequest<Page<T>>;
  columns: (context: { tz: string; names: FleetNames }) => Column<T>[];
  caption: string;
  empty: string;
  rowClassName?: (row: T) => string | undefined;
  /** Links under the heading (related pages). */
  links?: ReactNode;
  /** Rows per page when the address does not say (default 10). */
  defaultLimit?: number;
}

/**
 * A report kind's list: filters in a foldable panel (kept in the address as the API's query),
 * then the table, paged, with report times in the address's zone.
 */
export function ReportListPage<T>({ def }: { def: ReportListDef<T> }) {
  useTitle(def.title);
  const { params, setParams, limit, offset, setPage } = usePageParams([], def.defaultLimit);
  const names = useFleetNames();
  const tz = zoneOf(params);
  const columns = useMemo(() => def.columns({ tz, names }), [def, tz, names]);

  return (
    <div className="page">
      <header className="page-head">
        <h1>{def.title}</h1>
        <p className="muted">{def.description}</p>
        {def.links && <p className="link-row">{def.links}</p>}
      </header>
      <ReportFilterForm spec={def.spec} params={params} onApply={setParams} label={`${def.title} filters`} storageKey={def.storageKey} />
      <PagedList
        request={def.request({ limit, offset, params })}
        columns={columns}
        caption={def.caption}
        captionHidden
        limit={limit}
        offset={offset}
        onPageChange={setPage}
        emptyMessage={def.empty}
        rowClassName={def.rowClassName}
      />
    </div>
  );
}
