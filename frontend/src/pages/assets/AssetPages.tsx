import { useMemo } from 'react';
import { Link, useParams } from 'react-router';
import { apiGet, apiList } from '../../api/client';
import type { ListQuery } from '../../api/contract';
import { pickParams } from '../../api/pagination';
import type { Asset, AssetReport, AssetState, Harvester } from '../../api/schemas';
import { DataTable, type Column } from '../../components/DataTable';
import { Detail, DetailList } from '../../components/DetailList';
import { ErrorState } from '../../components/ErrorState';
import { PagedList } from '../../components/ListView';
import { Loading } from '../../components/Loading';
import { Breadcrumb, Loaded } from '../../components/Loaded';
import { useZoneParam, ZoneSelect } from '../../components/TimeZoneOptions';
import { useApi } from '../../hooks/useApi';
import { useLookup } from '../../hooks/useLookup';
import { usePageParams } from '../../hooks/usePageParams';
import { useTitle } from '../../hooks/useTitle';
import { formatDateTime } from '../../lib/format';
import { EventCard } from '../events/cards';
import { Tags } from '../events/related';
import { HarvesterLink, ReportTime } from '../errorreports/common';
import type { FilterSpec } from '../reports/filters';
import {
  HarvesterById,
  RawReportCard,
  ReportListPage,
  reportColumns,
  tagsColumn,
  useFleetNames,
  type FleetNames,
  type ReportListDef,
} from '../reports/common';
import { assetEntries, historyKind, sortAssets, type AssetEntry } from './assets';

// ---------------------------------------------------------------------------------------------
// Asset reports

const REPORT_QUERY = ['harv_ids', 'locations', 'uuid', 'start_time', 'end_time', 'tz', 'ordering'] as const satisfies ReadonlyArray<
  keyof ListQuery<'/api/v1/harvassetreport/'>
>;

const REPORT_SPEC: FilterSpec = {
  fields: [
    { param: 'harv_ids', kind: 'harvesters', label: 'Harvesters' },
    { param: 'locations', kind: 'locations', label: 'Locations' },
  ],
  timeRange: true,
};

/** Link to the assets list narrowed to one asset (type and serial number). */
function assetSearch(type: string, serial: string): string {
  return `/harvassets?asset__name=${encodeURIComponent(type)}&serial_number=${encodeURIComponent(serial)}`;
}

const REPORT_LIST: ReportListDef<AssetReport> = {
  title: 'Asset reports',
  description: 'The assets (arms, gantries, grippers, tray changers…) each harvester says it carries; they place the assets.',
  spec: REPORT_SPEC,
  storageKey: 'hds.harvassetreport.filters-open',
  request: ({ limit, offset, params }) => apiList('/api/v1/harvassetreport/', { limit, offset, query: pickParams(params, REPORT_QUERY) }),
  columns: ({ tz }) => [
    ...reportColumns<AssetReport>('/harvassetreport', tz),
    { key: 'harvester', header: 'Harvester', render: (r) => <HarvesterLink harvester={r.harvester} /> },
    { key: 'assets', header: 'Assets', className: 'num', render: (r) => assetEntries(r.report).filter((e) => !e.skipped).length },
    tagsColumn(),
  ],
  caption: 'Asset reports',
  empty: 'No asset report matches.',
  links: <Link to="/harvassets">All assets →</Link>,
};

export function AssetReportListPage() {
  return <ReportListPage def={REPORT_LIST} />;
}

const entryColumns: Column<AssetEntry & { key: string }>[] = [
  { key: 'type', header: 'Asset' },
  { key: 'index', header: 'Index', className: 'num' },
  {
    key: 'serial',
    header: 'Serial number',
    render: (e) => (e.serial === null ? <span className="badge badge-muted">none: skipped</span> : <Link to={assetSearch(e.type, e.serial)}>{e.serial}</Link>),
  },
  { key: 'version', header: 'Version', render: (e) => e.version ?? '—' },
];

export function AssetReportDetailPage() {
  const { id = '' } = useParams();
  const [tz, setTz] = useZoneParam();
  const { data, error, reload } = useApi(apiGet('/api/v1/harvassetreport/{id}/', { path: { id } }));
  useTitle(`Asset report ${id}`);

  return (
    <div className="page">
      <Breadcrumb to="/harvassetreport" label="Asset reports">
        {id}
      </Breadcrumb>
      <header className="page-head">
        <h1>Asset report {id}</h1>
      </header>
      <Loaded data={data} error={error} reload={reload} label="Loading the asset report…">
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
                  <HarvesterLink harvester={r.harvester} />
                  {r.harvester && (
                    <span className="link-row inline-links">
                      <Link to={`/harvesters/${r.harvester.id}?tab=assets`}>Its assets now</Link>
                    </span>
                  )}
                </Detail>
                <Detail label="Tags">
                  <Tags tags={r.tags} />
                </Detail>
                <Detail label="Received">{formatDateTime(r.created)}</Detail>
              </DetailList>
            </section>
            <section className="card" aria-labelledby="entries-title">
              <h2 id="entries-title">Assets reported</h2>
              <DataTable
                columns={entryColumns}
                rows={assetEntries(r.report).map((e, i) => ({ ...e, key: `${e.type}-${e.index}-${i}` }))}
                rowKey={(e) => e.key}
                caption="Assets reported"
                captionHidden
                emptyMessage="The report lists no asset."
              />
            </section>
            <EventCard event={r.event} />
            <RawReportCard report={r.report} fileName={`assetreport-${r.id}.json`} />
          </>
        )}
      </Loaded>
    </div>
  );
}

// ---------------------------------------------------------------------------------------------
// Assets

const ASSET_QUERY = ['asset__name', 'serial_number', 'harvester__harv_id', 'harvester__location__ranch', 'ordering'] as const satisfies ReadonlyArray<
  keyof ListQuery<'/api/v1/harvassets/'>
>;

const ASSET_SPEC: FilterSpec = {
  fields: [
    { param: 'asset__name', kind: 'text', label: 'Asset type', placeholder: 'e.g. gripper' },
    { param: 'serial_number', kind: 'text', label: 'Serial number' },
    { param: 'harvester__harv_id', kind: 'harvester', label: 'Harvester' },
    { param: 'harvester__location__ranch', kind: 'location', label: 'Location' },
  ],
};

function OnHarvester({ asset, names }: { asset: Asset; names: FleetNames }) {
  if (asset.harvester === null || asset.harvester === undefined) return <span className="badge badge-muted">on no harvester</span>;
  return <HarvesterById id={asset.harvester} names={names} />;
}

function assetColumns(names: FleetNames, withHarvester: boolean): Column<Asset>[] {
  const columns: Column<Asset>[] = [
    { key: 'type', header: 'Asset', render: (a) => a.asset.name },
    { key: 'index', header: 'Index', className: 'num', render: (a) => (a.harvester === null || a.harvester === undefined ? '—' : a.index) },
    { key: 'serial_number', header: 'Serial number', render: (a) => <code>{a.serial_number}</code> },
    { key: 'version', header: 'Version', render: (a) => a.version || '—' },
  ];
  if (withHarvester) columns.push({ key: 'harvester', header: 'Harvester', render: (a) => <OnHarvester asset={a} names={names} /> });
  columns.push(
    { key: 'lastModified', header: 'Last change', className: 'nowrap', render: (a) => formatDateTime(a.lastModified) },
    { key: 'history', header: 'History', render: (a) => <Link to={`/harvassets/${a.id}/history`} aria-label={`History of ${a.asset.name} ${a.serial_number}`}>History</Link> },
  );
  return columns;
}

const ASSET_LIST: ReportListDef<Asset> = {
  title: 'Assets',
  description: 'Physical assets, unique by type and serial number, and the harvester (and index) each is on now. Asset reports and autodiagnostics place them.',
  spec: ASSET_SPEC,
  storageKey: 'hds.harvassets.filters-open',
  request: ({ limit, offset, params }) => apiList('/api/v1/harvassets/', { limit, offset, query: pickParams(params, ASSET_QUERY) }),
  columns: ({ names }) => assetColumns(names, true),
  caption: 'Assets',
  empty: 'No asset matches.',
  links: <Link to="/harvassetreport">Asset reports →</Link>,
};

export function AssetListPage() {
  return <ReportListPage def={ASSET_LIST} />;
}

function historyColumns(names: FleetNames, users: Map<number, string>): Column<AssetState>[] {
  return [
    { key: 'history_date', header: 'Date', className: 'nowrap', render: (s) => formatDateTime(s.history_date) },
    {
      key: 'history_type',
      header: 'Change',
      render: (s) => {
        const kind = historyKind(s.history_type);
        return <span className={`badge history-${kind}`}>{kind}</span>;
      },
    },
    {
      key: 'harvester',
      header: 'Harvester',
      render: (s) =>
        s.harvester === null || s.harvester === undefined ? (
          <span className="muted">none</span>
        ) : s.harv_id !== null && s.harv_id !== undefined ? (
          <Link to={`/harvesters/${s.harvester}`}>{s.harv_id}</Link>
        ) : (
          <HarvesterById id={s.harvester} names={names} />
        ),
    },
    { key: 'index', header: 'Index', className: 'num', render: (s) => s.index ?? '—' },
    { key: 'version', header: 'Version', render: (s) => s.version || '—' },
    { key: 'serial_number', header: 'Serial number', render: (s) => (s.serial_number ? <code>{s.serial_number}</code> : '—') },
    {
      key: 'history_user',
      header: 'By',
      render: (s) => (s.history_user === null || s.history_user === undefined ? '—' : (users.get(s.history_user) ?? `user ${s.history_user}`)),
    },
  ];
}

/** `/harvassets/:id/history` (and `/harvassets/:id`): the asset now, and every state it was in, newest first. */
export function AssetHistoryPage() {
  const { id = '' } = useParams();
  const names = useFleetNames();
  const userList = useLookup('/api/v1/users/profiles/');
  const users = useMemo(() => new Map(userList.items.map((u) => [u.id, u.username])), [userList.items]);
  const { limit, offset, setPage } = usePageParams();
  const { data: asset, error, reload } = useApi(apiGet('/api/v1/harvassets/{id}/', { path: { id } }));
  const name = asset ? `${asset.asset.name} ${asset.serial_number}` : `Asset ${id}`;
  useTitle(`History of ${name}`);
  const columns = useMemo(() => historyColumns(names, users), [names, users]);

  return (
    <div className="page">
      <Breadcrumb to="/harvassets" label="Assets">
        {name}
      </Breadcrumb>
      <header className="page-head">
        <h1>{name}</h1>
      </header>
      <Loaded data={asset} error={error} reload={reload} label="Loading the asset…">
        {(a) => (
          <section className="card" aria-labelledby="asset-title">
            <h2 id="asset-title">Now</h2>
            <DetailList compact>
              <Detail label="Type">{a.asset.name}</Detail>
              <Detail label="Serial number">
                <code>{a.serial_number}</code>
              </Detail>
              <Detail label="Harvester">
                <OnHarvester asset={a} names={names} />
              </Detail>
              <Detail label="Index">{a.harvester === null || a.harvester === undefined ? '—' : a.index}</Detail>
              <Detail label="Version">{a.version || '—'}</Detail>
              <Detail label="First seen">{formatDateTime(a.created)}</Detail>
              <Detail label="Last change">{formatDateTime(a.lastModified)}</Detail>
            </DetailList>
          </section>
        )}
      </Loaded>
      <section className="card" aria-labelledby="history-title">
        <h2 id="history-title">History</h2>
        <PagedList
          request={apiGet('/api/v1/harvassets/{id}/history/', { path: { id }, query: { limit, offset } })}
          columns={columns}
          caption="Asset history"
          captionHidden
          limit={limit}
          offset={offset}
          onPageChange={setPage}
          emptyMessage="No change recorded."
        />
      </section>
    </div>
  );
}

/** The harvester page's Assets tab: what is on it now (`harvesters/{id}/assets/`), each with its history. */
export function HarvesterAssetsTab({ harvester }: { harvester: Harvester }) {
  const names = useFleetNames();
  const { data, error, reload } = useApi(apiGet('/api/v1/harvesters/{id}/assets/', { path: { id: String(harvester.id) } }));
  const columns = useMemo(() => assetColumns(names, false), [names]);
  return (
    <section className="card" aria-labelledby="assets-title">
      <div className="section-head">
        <h2 id="assets-title">Assets on this harvester</h2>
        <span className="link-row">
          <Link to={`/harvassets?harvester__harv_id=${harvester.harv_id}`}>In the assets list →</Link>
          <Link to={`/harvassetreport?harv_ids=${harvester.harv_id}`}>Asset reports →</Link>
        </span>
      </div>
      {error ? (
        <ErrorState error={error} onRetry={reload} />
      ) : !data ? (
        <Loading label="Loading the assets…" />
      ) : (
        <DataTable columns={columns} rows={sortAssets(data)} caption="Assets on this harvester" captionHidden emptyMessage="No asset recorded on this harvester." />
      )}
    </section>
  );
}
