import { useMemo } from 'react';
import { Link, useParams } from 'react-router';
import { apiGet, apiList } from '../../api/client';
import type { ListQuery } from '../../api/contract';
import { pickParams } from '../../api/pagination';
import type { VersionReport } from '../../api/schemas';
import type { Column } from '../../components/DataTable';
import { Detail, DetailList } from '../../components/DetailList';
import { PagedList } from '../../components/ListView';
import { Breadcrumb, Loaded } from '../../components/Loaded';
import { useZoneParam, ZoneSelect } from '../../components/TimeZoneOptions';
import { useApi } from '../../hooks/useApi';
import { usePageParams } from '../../hooks/usePageParams';
import { useTitle } from '../../hooks/useTitle';
import { formatDateTime } from '../../lib/format';
import { Tags } from '../events/related';
import { ReportTime } from '../errorreports/common';
import type { FilterSpec } from '../reports/filters';
import {
  HarvesterById,
  LocationById,
  RawReportCard,
  ReportListPage,
  reportColumns,
  tagsColumn,
  useFleetNames,
  zoneSuffix,
  type ReportListDef,
} from '../reports/common';
import { ConflictsBadge, HostVersionsTable, VersionFlags, VersionLabel } from './VersionParts';
import { readConflicts } from './versions';

const QUERY = ['harv_ids', 'locations', 'start_time', 'end_time', 'tz', 'ordering'] as const satisfies ReadonlyArray<
  keyof ListQuery<'/api/v1/harvversion/'>
>;

const SPEC: FilterSpec = {
  fields: [
    { param: 'harv_ids', kind: 'harvesters', label: 'Harvesters' },
    { param: 'locations', kind: 'locations', label: 'Locations' },
  ],
  timeRange: true,
};

/** A report that needs a look: a host in error or conflicting (red), dirty or with unexpected files (yellow). */
function versionRowClass(r: VersionReport): string | undefined {
  if (readConflicts(r.conflicts).hosts.length) return 'row-error';
  if (r.is_dirty || r.has_unexpected) return 'row-warn';
  return undefined;
}

function versionColumns(tz: string, withHarvester: boolean, names: ReturnType<typeof useFleetNames>): Column<VersionReport>[] {
  const columns: Column<VersionReport>[] = [...reportColumns<VersionReport>('/harvversion', tz)];
  if (withHarvester) {
    columns.push(
      { key: 'harvester', header: 'Harvester', render: (r) => <HarvesterById id={r.harvester} names={names} report={r.report} /> },
      { key: 'location', header: 'Location', render: (r) => <LocationById id={r.location} names={names} /> },
    );
  }
  columns.push(
    { key: 'version', header: 'Version', render: (r) => <VersionLabel report={r.report} /> },
    { key: 'flags', header: 'Dirty', render: (r) => <VersionFlags report={r} /> },
    { key: 'conflicts', header: 'Release', render: (r) => <ConflictsBadge conflicts={r.conflicts} /> },
    { key: 'lastModified', header: 'Last confirmed', render: (r) => formatDateTime(r.lastModified), className: 'nowrap' },
  );
  if (withHarvester) columns.push(tagsColumn());
  return columns;
}

const LIST: ReportListDef<VersionReport> = {
  title: 'Version reports',
  description:
    'What each harvester says it runs, per host: a new report only when something changed (an unchanged repeat only moves "Last confirmed"). Dirty trees and unexpected files are flagged.',
  spec: SPEC,
  storageKey: 'hds.harvversion.filters-open',
  request: ({ limit, offset, params }) => apiList('/api/v1/harvversion/', { limit, offset, query: pickParams(params, QUERY) }),
  columns: ({ tz, names }) => versionColumns(tz, true, names),
  caption: 'Version reports',
  empty: 'No version report matches.',
  rowClassName: versionRowClass,
};

export function VersionListPage() {
  return <ReportListPage def={LIST} />;
}

export function VersionDetailPage() {
  const { id = '' } = useParams();
  const [tz, setTz] = useZoneParam();
  const names = useFleetNames();
  const { data: report, error, reload } = useApi(apiGet('/api/v1/harvversion/{id}/', { path: { id } }));
  useTitle(`Version report ${id}`);
  const conflicts = report ? readConflicts(report.conflicts) : null;

  return (
    <div className="page">
      <Breadcrumb to="/harvversion" label="Version reports">
        {id}
      </Breadcrumb>
      <header className="page-head">
        <h1>Version report {id}</h1>
      </header>
      <Loaded data={report} error={error} reload={reload} label="Loading the version report…">
        {(r) => (
          <>
            <section className="card" aria-labelledby="summary-title">
              <div className="section-head">
                <h2 id="summary-title">Summary</h2>
                <ZoneSelect value={tz} onChange={setTz} />
              </div>
              <DetailList>
                <Detail label="Report time">
                  <ReportTime value={r.reportTime} tz={tz} />
                </Detail>
                <Detail label="Harvester">
                  <HarvesterById id={r.harvester} names={names} report={r.report} />
                  {r.harvester !== null && r.harvester !== undefined && (
                    <span className="link-row inline-links">
                      <Link to={`/harvesters/${r.harvester}/versions${zoneSuffix(tz)}`}>All its version reports</Link>
                    </span>
                  )}
                </Detail>
                <Detail label="Location">
                  <LocationById id={r.location} names={names} />
                </Detail>
                <Detail label="Version">
                  <VersionLabel report={r.report} />
                </Detail>
                <Detail label="Dirty">
                  <VersionFlags report={r} />
                </Detail>
                <Detail label="Release">
                  <ConflictsBadge conflicts={r.conflicts} />
                </Detail>
                <Detail label="Tags">
                  <Tags tags={r.tags} />
                </Detail>
                <Detail label="Received">{formatDateTime(r.created)}</Detail>
                <Detail label="Last confirmed">{formatDateTime(r.lastModified)}</Detail>
              </DetailList>
            </section>
            <section className="card" aria-labelledby="hosts-title">
              <h2 id="hosts-title">Hosts</h2>
              {conflicts?.reason && (
                <p className="muted">
                  {conflicts.reason === 'No release'
                    ? 'The harvester has no release: the hosts are not compared with one.'
                    : `Not compared with a release: ${conflicts.reason}.`}
                </p>
              )}
              <HostVersionsTable report={r} />
            </section>
            <RawReportCard report={r.report} fileName={`versionreport-${r.id}.json`} expandDepth={2} />
          </>
        )}
      </Loaded>
    </div>
  );
}

/** `/harvesters/:id/versions`: one harvester's version reports, newest first. */
export function HarvesterVersionsPage() {
  const { id = '' } = useParams();
  const [tz] = useZoneParam();
  const names = useFleetNames();
  const { limit, offset, setPage } = usePageParams();
  const harvester = useApi(apiGet('/api/v1/harvesters/{id}/', { path: { id } }));
  const label = harvester.data ? String(harvester.data.harv_id) : id;
  useTitle(`Versions of harvester ${label}`);
  const columns = useMemo(() => versionColumns(tz, false, names), [tz, names]);

  return (
    <div className="page">
      <Breadcrumb to={`/harvesters/${id}`} label={`Harvester ${label}`}>
        Versions
      </Breadcrumb>
      <header className="page-head">
        <h1>Versions of harvester {label}</h1>
        <p className="muted">Its version reports, newest first: a new one each time a host's version, dirty files or unexpected files changed.</p>
      </header>
      <PagedList
        request={apiGet('/api/v1/harvesters/{id}/versions/', { path: { id }, query: { limit, offset } })}
        columns={columns}
        caption="Version reports"
        captionHidden
        limit={limit}
        offset={offset}
        onPageChange={setPage}
        emptyMessage="No version report from this harvester."
        rowClassName={versionRowClass}
      />
    </div>
  );
}
