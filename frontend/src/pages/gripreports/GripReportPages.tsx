import { Link, useParams } from 'react-router';
import { apiGet, apiList } from '../../api/client';
import type { ListQuery } from '../../api/contract';
import { pickParams } from '../../api/pagination';
import type { GripReport } from '../../api/schemas';
import { DataTable, type Column } from '../../components/DataTable';
import { Detail, DetailList } from '../../components/DetailList';
import { Breadcrumb, Loaded } from '../../components/Loaded';
import { useZoneParam, ZoneSelect } from '../../components/TimeZoneOptions';
import { useApi } from '../../hooks/useApi';
import { useTitle } from '../../hooks/useTitle';
import { formatDateTime } from '../../lib/format';
import { formatInZone } from '../../lib/time';
import { EventCard, PickSessionCard } from '../events/cards';
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
import { gripAttempts, gripSummary, type GripAttempt } from './grip';

const QUERY = ['harvester__harv_id', 'location__ranch', 'uuid', 'start_time', 'end_time', 'tz', 'ordering'] as const satisfies ReadonlyArray<
  keyof ListQuery<'/api/v1/gripreports/'>
>;

const SPEC: FilterSpec = {
  fields: [
    { param: 'harvester__harv_id', kind: 'harvester', label: 'Harvester' },
    { param: 'location__ranch', kind: 'location', label: 'Location' },
    { param: 'uuid', kind: 'text', label: 'Event UUID' },
  ],
  timeRange: true,
};

function Attempts({ report }: { report: unknown }) {
  const s = gripSummary(report);
  return (
    <span>
      {s.attempts}
      {s.attempts > 0 && (
        <span className="muted">
          {' '}
          ({s.successes} picked{s.failures ? `, ${s.failures} failed` : ''})
        </span>
      )}
    </span>
  );
}

const LIST: ReportListDef<GripReport> = {
  title: 'Grip reports',
  description: 'One per pick session: the fruit the robots considered (candidates) and each grip attempt.',
  spec: SPEC,
  storageKey: 'hds.gripreports.filters-open',
  request: ({ limit, offset, params }) => apiList('/api/v1/gripreports/', { limit, offset, query: pickParams(params, QUERY) }),
  columns: ({ tz, names }) => [
    ...reportColumns<GripReport>('/gripreports', tz),
    { key: 'harvester', header: 'Harvester', render: (r) => <HarvesterById id={r.harvester} names={names} report={r.report} /> },
    { key: 'location', header: 'Location', render: (r) => <LocationById id={r.location} names={names} /> },
    {
      key: 'session',
      header: 'Pick session',
      render: (r) =>
        r.pick_session ? (
          <Link to={`/picksessions/${r.pick_session.id}`} title={r.pick_session.UUID}>
            {r.pick_session.session_length ?? r.pick_session.id}
          </Link>
        ) : (
          <span className="muted">—</span>
        ),
    },
    { key: 'candidates', header: 'Candidates', className: 'num', render: (r) => gripSummary(r.report).candidates },
    { key: 'attempts', header: 'Grip attempts', render: (r) => <Attempts report={r.report} /> },
    tagsColumn(),
  ],
  caption: 'Grip reports',
  empty: 'No grip report matches.',
};

export function GripReportListPage() {
  return <ReportListPage def={LIST} />;
}

function attemptColumns(tz: string): Column<GripAttempt>[] {
  return [
    { key: 'index', header: '#', className: 'num' },
    {
      key: 'ts',
      header: 'Time',
      className: 'nowrap',
      render: (a) => (a.ts === null ? '—' : formatInZone(new Date(a.ts * 1000), tz)),
    },
    { key: 'robot', header: 'Robot', className: 'num' },
    { key: 'candidate', header: 'Candidate', className: 'num' },
    {
      key: 'success',
      header: 'Result',
      render: (a) =>
        a.success === null ? '—' : a.success ? <span className="badge badge-ok">picked</span> : <span className="badge badge-error">failed</span>,
    },
    {
      key: 'modality',
      header: 'Modality',
      render: (a) =>
        a.modality.length ? (
          <ul className="plain-list">
            {a.modality.map((m) => (
              <li key={m}>
                <code>{m}</code>
              </li>
            ))}
          </ul>
        ) : (
          '—'
        ),
    },
  ];
}

export function GripReportDetailPage() {
  const { id = '' } = useParams();
  const [tz, setTz] = useZoneParam();
  const names = useFleetNames();
  const { data, error, reload } = useApi(apiGet('/api/v1/gripreports/{id}/', { path: { id } }));
  useTitle(`Grip report ${id}`);

  return (
    <div className="page">
      <Breadcrumb to="/gripreports" label="Grip reports">
        {id}
      </Breadcrumb>
      <header className="page-head">
        <h1>Grip report {id}</h1>
      </header>
      <Loaded data={data} error={error} reload={reload} label="Loading the grip report…">
        {(r) => {
          const s = gripSummary(r.report);
          return (
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
                  </Detail>
                  <Detail label="Location">
                    <LocationById id={r.location} names={names} />
                  </Detail>
                  <Detail label="Session start">
                    <ReportTime value={r.pick_session?.start_time} tz={tz} />
                  </Detail>
                  <Detail label="Session length">{r.pick_session?.session_length ?? '—'}</Detail>
                  <Detail label="Candidates">{s.candidates}</Detail>
                  <Detail label="Grip attempts">
                    <Attempts report={r.report} />
                  </Detail>
                  <Detail label="Tags">
                    <Tags tags={r.tags} />
                  </Detail>
                  <Detail label="Received">{formatDateTime(r.created)}</Detail>
                </DetailList>
              </section>
              <section className="card" aria-labelledby="attempts-title">
                <h2 id="attempts-title">Grip attempts</h2>
                <DataTable
                  columns={attemptColumns(tz)}
                  rows={gripAttempts(r.report)}
                  rowKey={(a) => a.index}
                  rowClassName={(a) => (a.success === false ? 'row-error' : undefined)}
                  caption="Grip attempts"
                  captionHidden
                  emptyMessage="No grip attempt in this report."
                />
              </section>
              {r.pick_session && <PickSessionCard session={r.pick_session} tz={tz} />}
              <EventCard event={r.event} />
              <RawReportCard report={r.report} fileName={`gripreport-${r.id}.json`} />
            </>
          );
        }}
      </Loaded>
    </div>
  );
}
