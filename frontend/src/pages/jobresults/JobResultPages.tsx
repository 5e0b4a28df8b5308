import { Link, useParams } from 'react-router';
import { apiGet, apiList } from '../../api/client';
import type { ListQuery } from '../../api/contract';
import { pickParams } from '../../api/pagination';
import type { JobResults } from '../../api/schemas';
import { CodeBlock } from '../../components/CodeBlock';
import { DataTable, type Column } from '../../components/DataTable';
import { Detail, DetailList } from '../../components/DetailList';
import { JsonTree } from '../../components/JsonTree';
import { Breadcrumb, Loaded } from '../../components/Loaded';
import { useZoneParam, ZoneSelect } from '../../components/TimeZoneOptions';
import { useApi } from '../../hooks/useApi';
import { useTitle } from '../../hooks/useTitle';
import { formatDateTime, isPlainObject } from '../../lib/format';
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
import { hostRows, resultTone, type HostRow } from './hostResults';

const QUERY = [
  'harv_ids',
  'locations',
  'uuid',
  'job',
  'job__target__harv_id',
  'job__event__UUID',
  'start_time',
  'end_time',
  'tz',
  'ordering',
] as const satisfies ReadonlyArray<keyof ListQuery<'/api/v1/jobresults/'>>;

/** A job's `results` link (`?job__target__harv_id=11&job__event__UUID=…`) fills the job fields. */
const SPEC: FilterSpec = {
  fields: [
    { param: 'harv_ids', kind: 'harvesters', label: 'Harvesters' },
    { param: 'locations', kind: 'locations', label: 'Locations' },
    { param: 'uuid', kind: 'text', label: 'Event UUIDs', hint: 'Comma-separated; a job’s results share its UUID.' },
    { param: 'job', kind: 'integer', label: 'Job ID' },
    { param: 'job__target__harv_id', kind: 'harvester', label: 'Job’s harvester' },
    { param: 'job__event__UUID', kind: 'text', label: 'Job UUID' },
  ],
  timeRange: true,
};

/** The job the results belong to (null while no job has their UUID). */
function JobLink({ job }: { job: number | null | undefined }) {
  if (job === null || job === undefined) return <span className="muted">—</span>;
  return <Link to={`/jobs/${job}`}>Job {job}</Link>;
}

export function ResultBadge({ result }: { result: string }) {
  const tone = resultTone(result);
  return <span className={tone === 'muted' ? 'badge badge-muted' : `badge badge-${tone}`}>{result}</span>;
}

/** A result's hosts in a line, each with its outcome coloured. */
export function HostResults({ results }: { results: JobResults }) {
  const { rows, fromReport } = hostRows(results);
  if (!rows.length) return <span className="muted">—</span>;
  return (
    <span className="host-results" title={fromReport ? 'From the report: not extracted yet' : undefined}>
      {rows.map((h) => (
        <span key={h.host} className="nowrap">
          <code>{h.host}</code> <ResultBadge result={h.result} />{' '}
        </span>
      ))}
    </span>
  );
}

const LIST: ReportListDef<JobResults> = {
  title: 'Job results',
  description: 'What each host of a harvester answered to a job: success, failure, error or canceled.',
  spec: SPEC,
  storageKey: 'hds.jobresults.filters-open',
  request: ({ limit, offset, params }) => apiList('/api/v1/jobresults/', { limit, offset, query: pickParams(params, QUERY) }),
  columns: ({ tz, names }) => [
    ...reportColumns<JobResults>('/jobresults', tz),
    { key: 'harvester', header: 'Harvester', render: (r) => <HarvesterById id={r.harvester} names={names} report={r.report} /> },
    { key: 'hosts', header: 'Host results', render: (r) => <HostResults results={r} /> },
    { key: 'job', header: 'Job', render: (r) => <JobLink job={r.job} /> },
    {
      key: 'event',
      header: 'Job UUID',
      render: (r) => (
        <Link to={`/events/${r.event.id}`}>
          <code className="clip">{r.event.UUID}</code>
        </Link>
      ),
    },
    tagsColumn(),
  ],
  caption: 'Job results',
  empty: 'No job results match.',
  rowClassName: (r) => (hostRows(r).rows.some((h) => resultTone(h.result) === 'error') ? 'row-error' : undefined),
};

export function JobResultListPage() {
  return <ReportListPage def={LIST} />;
}

function hostColumns(tz: string): Column<HostRow>[] {
  return [
    { key: 'host', header: 'Host', render: (h) => <code>{h.host}</code> },
    { key: 'result', header: 'Result', render: (h) => <ResultBadge result={h.result} /> },
    { key: 'timestamp', header: 'Time', className: 'nowrap', render: (h) => <ReportTime value={h.timestamp} tz={tz} /> },
    {
      key: 'exit',
      header: 'Exit code',
      className: 'num',
      render: (h) => (isPlainObject(h.details) && h.details.exit_code !== undefined ? String(h.details.exit_code) : '—'),
    },
  ];
}

const TEXT_FIELDS = [
  ['stdout', 'Output'],
  ['stderr', 'Errors'],
  ['traceback', 'Traceback'],
] as const;

/** One host's details: its output and traceback as code blocks, the rest as JSON. */
function HostDetails({ row }: { row: HostRow }) {
  const details = isPlainObject(row.details) ? row.details : null;
  const texts = details ? TEXT_FIELDS.filter(([key]) => typeof details[key] === 'string' && details[key]) : [];
  return (
    <details className="host-details" open={resultTone(row.result) === 'error' || undefined}>
      <summary>
        <code>{row.host}</code> <ResultBadge result={row.result} />
      </summary>
      {texts.map(([key, title]) => (
        <CodeBlock key={key} title={title} code={String(details![key])} />
      ))}
      <JsonTree value={row.details} expandDepth={1} />
    </details>
  );
}

export function JobResultDetailPage() {
  const { id = '' } = useParams();
  const [tz, setTz] = useZoneParam();
  const names = useFleetNames();
  const { data, error, reload } = useApi(apiGet('/api/v1/jobresults/{id}/', { path: { id } }));
  useTitle(`Job results ${id}`);

  return (
    <div className="page">
      <Breadcrumb to="/jobresults" label="Job results">
        {id}
      </Breadcrumb>
      <header className="page-head">
        <h1>Job results {id}</h1>
      </header>
      <Loaded data={data} error={error} reload={reload} label="Loading the job results…">
        {(r) => {
          const { rows, fromReport } = hostRows(r);
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
                  <Detail label="Job">
                    {r.job !== null && r.job !== undefined ? (
                      <span className="link-row">
                        <JobLink job={r.job} />
                        <Link to={`/jobstatus/${r.job}`}>Its status history</Link>
                      </span>
                    ) : (
                      <span className="muted">no job has this UUID (yet)</span>
                    )}
                  </Detail>
                  <Detail label="Job UUID">
                    <code>{r.event.UUID}</code>
                  </Detail>
                  <Detail label="Tags">
                    <Tags tags={r.tags} />
                  </Detail>
                  <Detail label="Received">{formatDateTime(r.created)}</Detail>
                </DetailList>
              </section>
              <section className="card" aria-labelledby="hosts-title">
                <h2 id="hosts-title">Host results</h2>
                {fromReport && rows.length > 0 && (
                  <p className="notice">Not extracted yet (the background worker does it): read from the report, with the results it will record.</p>
                )}
                <DataTable
                  columns={hostColumns(tz)}
                  rows={rows}
                  rowKey={(h) => h.host}
                  rowClassName={(h) => (resultTone(h.result) === 'error' ? 'row-error' : undefined)}
                  caption="Host results"
                  captionHidden
                  emptyMessage="No host in these results."
                />
                {rows.map((h) => (
                  <HostDetails key={h.host} row={h} />
                ))}
              </section>
              <EventCard event={r.event} />
              <RawReportCard report={r.report} fileName={`jobresults-${r.id}.json`} />
            </>
          );
        }}
      </Loaded>
    </div>
  );
}
