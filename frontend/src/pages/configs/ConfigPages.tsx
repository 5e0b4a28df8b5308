import { useState } from 'react';
import { Link, useParams, useSearchParams } from 'react-router';
import { apiGet, apiList } from '../../api/client';
import type { ListQuery } from '../../api/contract';
import { isApiError } from '../../api/errors';
import { pickParams } from '../../api/pagination';
import type { ConfigReport, Harvester } from '../../api/schemas';
import { DataTable, type Column } from '../../components/DataTable';
import { Detail, DetailList } from '../../components/DetailList';
import { ErrorState } from '../../components/ErrorState';
import { Loading } from '../../components/Loading';
import { Breadcrumb, Loaded } from '../../components/Loaded';
import { Pagination } from '../../components/Pagination';
import { useZoneParam, ZoneSelect } from '../../components/TimeZoneOptions';
import { useApi } from '../../hooks/useApi';
import { useTitle } from '../../hooks/useTitle';
import { formatDateTime, isPlainObject } from '../../lib/format';
import { DEFAULT_TZ } from '../../lib/time';
import { EventCard } from '../events/cards';
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
  type ReportListDef,
} from '../reports/common';
import { ConfigDiffView, ConfigView } from './ConfigParts';

const QUERY = ['harvester__harv_id', 'location__ranch', 'uuid', 'start_time', 'end_time', 'tz', 'ordering'] as const satisfies ReadonlyArray<
  keyof ListQuery<'/api/v1/aftconfigs/'>
>;

const SPEC: FilterSpec = {
  fields: [
    { param: 'harvester__harv_id', kind: 'harvester', label: 'Harvester' },
    { param: 'location__ranch', kind: 'location', label: 'Location' },
    { param: 'uuid', kind: 'text', label: 'Event UUID' },
  ],
  timeRange: true,
};

/** A config report is about a megabyte, and the list sends each whole: few rows per page. */
const CONFIG_PAGE = 5;

function indexCount(report: unknown): number {
  const data = isPlainObject(report) ? report.data : undefined;
  return isPlainObject(data) ? Object.keys(data).length : 0;
}

const LIST: ReportListDef<ConfigReport> = {
  title: 'Config reports',
  description: 'The configuration each harvester runs, per robot index: the defaults and the overlay applied on top.',
  spec: SPEC,
  storageKey: 'hds.aftconfigs.filters-open',
  request: ({ limit, offset, params }) => apiList('/api/v1/aftconfigs/', { limit, offset, query: pickParams(params, QUERY) }),
  columns: ({ tz, names }) => [
    ...reportColumns<ConfigReport>('/aftconfigs', tz),
    { key: 'harvester', header: 'Harvester', render: (r) => <HarvesterById id={r.harvester} names={names} report={r.report} /> },
    { key: 'location', header: 'Location', render: (r) => <LocationById id={r.location} names={names} /> },
    { key: 'indexes', header: 'Robot indexes', className: 'num', render: (r) => indexCount(r.report) },
    tagsColumn(),
  ],
  caption: 'Config reports',
  empty: 'No config report matches.',
  defaultLimit: CONFIG_PAGE,
};

export function ConfigListPage() {
  return <ReportListPage def={LIST} />;
}

export function ConfigDetailPage() {
  const { id = '' } = useParams();
  const [tz, setTz] = useZoneParam();
  const names = useFleetNames();
  const { data, error, reload } = useApi(apiGet('/api/v1/aftconfigs/{id}/', { path: { id } }));
  useTitle(`Config report ${id}`);

  return (
    <div className="page">
      <Breadcrumb to="/aftconfigs" label="Config reports">
        {id}
      </Breadcrumb>
      <header className="page-head">
        <h1>Config report {id}</h1>
      </header>
      <Loaded data={data} error={error} reload={reload} label="Loading the config report…">
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
                      <Link to={`/harvesters/${r.harvester}?tab=config`}>Compare with its other config reports</Link>
                    </span>
                  )}
                </Detail>
                <Detail label="Location">
                  <LocationById id={r.location} names={names} />
                </Detail>
                <Detail label="Tags">
                  <Tags tags={r.tags} />
                </Detail>
                <Detail label="Received">{formatDateTime(r.created)}</Detail>
              </DetailList>
            </section>
            <section className="card" aria-labelledby="config-title">
              <h2 id="config-title">Configuration</h2>
              <ConfigView report={r.report} />
            </section>
            <EventCard event={r.event} />
            <RawReportCard report={r.report} fileName={`configreport-${r.id}.json`} />
          </>
        )}
      </Loaded>
    </div>
  );
}

function ReportLine({ label, report, tz }: { label: string; report: ConfigReport; tz: string }) {
  return (
    <Detail label={label}>
      <Link to={`/aftconfigs/${report.id}`}>Config report {report.id}</Link> <span className="muted">·</span>{' '}
      <ReportTime value={report.reportTime} tz={tz} />
    </Detail>
  );
}

/** `/aftconfigs/compare?from=A&to=B`: what changed in the configuration from report A to report B. */
export function ConfigComparePage() {
  const [params] = useSearchParams();
  const [tz, setTz] = useZoneParam();
  const from = params.get('from') ?? '';
  const to = params.get('to') ?? '';
  useTitle(`Config reports ${from} → ${to}`);
  const before = useApi(from ? apiGet('/api/v1/aftconfigs/{id}/', { path: { id: from } }) : null);
  const after = useApi(to ? apiGet('/api/v1/aftconfigs/{id}/', { path: { id: to } }) : null);

  let body;
  if (!from || !to) body = <p className="notice">Name two config reports in the address: <code>?from=&lt;id&gt;&amp;to=&lt;id&gt;</code>.</p>;
  else if (before.error || after.error) body = <ErrorState error={before.error ?? after.error} onRetry={before.error ? before.reload : after.reload} />;
  else if (!before.data || !after.data) body = <Loading label="Loading both config reports…" />;
  else
    body = (
      <>
        <section className="card" aria-labelledby="compared-title">
          <div className="section-head">
            <h2 id="compared-title">Compared</h2>
            <ZoneSelect value={tz} onChange={setTz} />
          </div>
          <DetailList compact>
            <ReportLine label="From" report={before.data} tz={tz} />
            <ReportLine label="To" report={after.data} tz={tz} />
          </DetailList>
        </section>
        <section className="card" aria-labelledby="diff-title">
          <h2 id="diff-title">Differences</h2>
          <ConfigDiffView before={before.data.report} after={after.data.report} />
        </section>
      </>
    );

  return (
    <div className="page">
      <Breadcrumb to="/aftconfigs" label="Config reports">
        Compare {from || '?'} → {to || '?'}
      </Breadcrumb>
      <header className="page-head">
        <h1>Configuration changes</h1>
      </header>
      {body}
    </div>
  );
}

/** Whether an answer of `harvesters/{id}/config/` says the harvester has no config report yet. */
function isNoConfig(error: unknown): boolean {
  return isApiError(error) && error.status === 400;
}

/**
 * Two of a harvester's config reports to compare (`aftconfigs/?harvester__harv_id=N`, a few at a
 * time): "From" and "To" chosen in the table (the newest two at first), the differences below.
 */
function ConfigComparison({ harvester, tz }: { harvester: Harvester; tz: string }) {
  const [page, setPage] = useState({ limit: CONFIG_PAGE, offset: 0 });
  const list = useApi(apiList('/api/v1/aftconfigs/', { ...page, query: { harvester__harv_id: harvester.harv_id } }));
  const [picked, setPicked] = useState<{ from: ConfigReport | null; to: ConfigReport | null }>({ from: null, to: null });
  const rows = list.data?.results ?? [];
  // Until the reader chooses: the newest report against the one before it.
  const from = picked.from ?? (page.offset === 0 ? (rows[1] ?? null) : null);
  const to = picked.to ?? (page.offset === 0 ? (rows[0] ?? null) : null);

  if (list.error) return <ErrorState error={list.error} onRetry={list.reload} />;
  if (!list.data) return <Loading label="Loading the config reports…" />;
  if (list.data.count < 2) return <p className="muted">Comparing needs two config reports; this harvester has {list.data.count}.</p>;

  const columns: Column<ConfigReport>[] = [
    { key: 'id', header: 'ID', render: (r) => <Link to={`/aftconfigs/${r.id}`}>{r.id}</Link> },
    { key: 'reportTime', header: 'Report time', render: (r) => <ReportTime value={r.reportTime} tz={tz} />, className: 'nowrap' },
    {
      key: 'from',
      header: 'From',
      className: 'select-cell',
      render: (r) => (
        <input
          type="radio"
          name="config-from"
          aria-label={`Compare from config report ${r.id}`}
          checked={from?.id === r.id}
          onChange={() => setPicked((p) => ({ from: r, to: p.to ?? to }))}
        />
      ),
    },
    {
      key: 'to',
      header: 'To',
      className: 'select-cell',
      render: (r) => (
        <input
          type="radio"
          name="config-to"
          aria-label={`Compare to config report ${r.id}`}
          checked={to?.id === r.id}
          onChange={() => setPicked((p) => ({ from: p.from ?? from, to: r }))}
        />
      ),
    },
  ];

  return (
    <>
      <DataTable columns={columns} rows={rows} caption="Config reports of this harvester" captionHidden busy={list.loading} />
      <Pagination
        count={list.data.count}
        limit={page.limit}
        offset={page.offset}
        next={list.data.next}
        previous={list.data.previous}
        onChange={(offset, limit) => setPage({ offset, limit })}
        pageSizes={[CONFIG_PAGE, 10]}
        label="Config report pages"
        disabled={list.loading}
      />
      {from && to ? (
        from.id === to.id ? (
          <p className="muted">Choose two different reports.</p>
        ) : (
          <>
            <h3>
              Changes from report {from.id} to report {to.id}{' '}
              <Link className="small-link" to={`/aftconfigs/compare?from=${from.id}&to=${to.id}${tz === DEFAULT_TZ ? '' : `&tz=${encodeURIComponent(tz)}`}`}>
                (own page)
              </Link>
            </h3>
            <ConfigDiffView before={from.report} after={to.report} />
          </>
        )
      ) : (
        <p className="muted">Choose a report to compare from and one to compare to.</p>
      )}
    </>
  );
}

/** The harvester page's Config tab: its latest config report (`harvesters/{id}/config/`) and a comparison of two. */
export function HarvesterConfigTab({ harvester, tz }: { harvester: Harvester; tz: string }) {
  const latest = useApi(apiGet('/api/v1/harvesters/{id}/config/', { path: { id: String(harvester.id) } }));
  return (
    <>
      <section className="card" aria-labelledby="latest-config-title">
        <div className="section-head">
          <h2 id="latest-config-title">Latest configuration</h2>
          <Link to={`/aftconfigs?harvester__harv_id=${harvester.harv_id}`}>All its config reports →</Link>
        </div>
        {isNoConfig(latest.error) ? (
          <p className="muted">No config report from this harvester yet.</p>
        ) : latest.error ? (
          <ErrorState error={latest.error} onRetry={latest.reload} />
        ) : !latest.data ? (
          <Loading label="Loading the latest config report…" />
        ) : (
          <>
            <p className="muted">
              <Link to={`/aftconfigs/${latest.data.id}`}>Config report {latest.data.id}</Link>, reported{' '}
              <ReportTime value={latest.data.reportTime} tz={tz} />.
            </p>
            <ConfigView report={latest.data.report} />
          </>
        )}
      </section>
      {!isNoConfig(latest.error) && (
        <section className="card" aria-labelledby="config-compare-title">
          <h2 id="config-compare-title">Compare two config reports</h2>
          <ConfigComparison harvester={harvester} tz={tz} />
        </section>
      )}
    </>
  );
}
