import { useMemo, useState } from 'react';
import { Link, useParams } from 'react-router';
import { apiGet, apiList } from '../../api/client';
import type { ListQuery } from '../../api/contract';
import { canManageJobs, JOB_STATUSES, payloadField, resultsRoute } from '../../api/jobs';
import { pickParams } from '../../api/pagination';
import type { Job, JobHistoryEntry, JobResults } from '../../api/schemas';
import type { Column } from '../../components/DataTable';
import { Detail, DetailList } from '../../components/DetailList';
import { ErrorState } from '../../components/ErrorState';
import { FilterChips } from '../../components/FilterChips';
import { JsonTree } from '../../components/JsonTree';
import { ListView, PagedList } from '../../components/ListView';
import { Breadcrumb, Loaded } from '../../components/Loaded';
import { useZoneParam, ZoneSelect } from '../../components/TimeZoneOptions';
import { ConfirmDialog } from '../../components/Modal';
import { useApi } from '../../hooks/useApi';
import { useLookup } from '../../hooks/useLookup';
import { usePageParams } from '../../hooks/usePageParams';
import { useSubmit } from '../../hooks/useSubmit';
import { useTitle } from '../../hooks/useTitle';
import { formatDateTime } from '../../lib/format';
import { useAuth, useClient } from '../../services';
import { RelatedFiles } from '../events/related';
import { HostResults } from '../jobresults/JobResultPages';
import { ReportTime } from '../errorreports/common';
import { HarvesterById, useFleetNames, type FleetNames } from '../reports/common';
import { ReportFilterForm } from '../reports/ReportFilterForm';
import type { FilterSpec } from '../reports/filters';
import { ArrivalNotice, DispatchState, JobKind, JobStatusBadge, jobRowClass, useSchemasById } from './common';

/** What the list's address may hold: the form's filters and the ones links set (`uuid`, `schedule`, `schema__id`). */
const QUERY = [
  'event__UUID',
  'target__harv_id',
  'jobstatus',
  'jobtype',
  'uuid',
  'schedule',
  'schema__id',
  'schema__version',
  'created_after',
  'created_before',
  'ordering',
] as const satisfies ReadonlyArray<keyof ListQuery<'/api/v1/harvjobs/'>>;
/** Set by links (the scheduler's "see the new jobs", a schedule's jobs…), removable as chips. */
const LINKED = ['uuid', 'schedule', 'schema__id', 'schema__version', 'created_after', 'created_before'] as const;

function targetsText(job: Job): string {
  const targets = payloadField(job, 'targets');
  return Array.isArray(targets) && targets.length ? targets.map(String).join(', ') : '—';
}

function jobColumns({ names, schemas, compact = false }: { names: FleetNames; schemas: ReturnType<typeof useSchemasById>; compact?: boolean }): Column<Job>[] {
  const columns: Column<Job>[] = [
    { key: 'id', header: 'ID', render: (j) => <Link to={`/jobs/${j.id}`}>{j.id}</Link> },
    { key: 'created', header: 'Created', className: 'nowrap', render: (j) => formatDateTime(j.created) },
    { key: 'type', header: 'Job type', render: (j) => <JobKind job={j} schemas={schemas} /> },
    { key: 'target', header: 'Harvester', render: (j) => <HarvesterById id={j.target} names={names} /> },
    { key: 'status', header: 'Status', render: (j) => <JobStatusBadge status={j.jobstatus} /> },
    { key: 'dispatch', header: 'Sent', render: (j) => <DispatchState dispatch={j.dispatch} /> },
  ];
  if (!compact) {
    columns.splice(4, 0, { key: 'targets', header: 'Hosts', render: (j) => targetsText(j) });
    columns.push(
      {
        key: 'timeout',
        header: 'Timeout',
        className: 'num',
        render: (j) => {
          const timeout = payloadField(j, 'timeout');
          return typeof timeout === 'number' ? `${timeout} s` : '—';
        },
      },
      {
        key: 'links',
        header: 'See',
        render: (j) => (
          <span className="link-row">
            <Link to={resultsRoute(j)} aria-label={`Results of job ${j.id}`}>
              Results
            </Link>
            <Link to={`/jobstatus/${j.id}`} aria-label={`Status history of job ${j.id}`}>
              History
            </Link>
          </span>
        ),
      },
    );
  }
  return columns;
}

/** A page of jobs (the scheduler's recent jobs, a schedule's or a schema's): id, type, harvester, status, sent. */
export function JobTable({
  query,
  limit,
  offset,
  onPageChange,
  caption,
  emptyMessage,
  hidePagination,
}: {
  query: ListQuery<'/api/v1/harvjobs/'>;
  limit: number;
  offset: number;
  onPageChange: (offset: number, limit: number) => void;
  caption: string;
  emptyMessage: string;
  hidePagination?: boolean;
}) {
  const names = useFleetNames();
  const schemas = useSchemasById();
  const columns = useMemo(() => jobColumns({ names, schemas, compact: true }), [names, schemas]);
  return (
    <ListView
      path="/api/v1/harvjobs/"
      query={query}
      columns={columns}
      caption={caption}
      captionHidden
      limit={limit}
      offset={offset}
      onPageChange={onPageChange}
      emptyMessage={emptyMessage}
      rowClassName={jobRowClass}
      hidePagination={hidePagination}
    />
  );
}

function shortValue(key: string, value: string): string {
  if (key !== 'uuid') return value;
  const uuids = value.split(',').filter(Boolean);
  return uuids.length > 1 ? `${uuids.length} job UUIDs` : value;
}

export function JobListPage() {
  useTitle('Jobs');
  const { params, setParams, limit, offset, setPage, clearFilter } = usePageParams();
  const names = useFleetNames();
  const schemas = useSchemasById();
  const types = useLookup('/api/v1/jobtypes/');
  const spec = useMemo<FilterSpec>(
    () => ({
      fields: [
        { param: 'target__harv_id', kind: 'harvester', label: 'Harvester' },
        {
          param: 'jobstatus',
          kind: 'choice',
          label: 'Status',
          any: 'Any status',
          choices: JOB_STATUSES.map((s) => ({ value: s, label: s })),
        },
        {
          param: 'jobtype',
          kind: 'choice',
          label: 'Job type',
          any: 'Any type',
          choices: types.items.map((t) => ({ value: t.name, label: t.name })),
          choicesLoading: types.loading,
          choicesError: types.error ? 'The job types could not be loaded.' : null,
        },
        { param: 'event__UUID', kind: 'text', label: 'Job UUID', placeholder: 'The job’s event UUID' },
      ],
    }),
    [types.items, types.loading, types.error],
  );
  const columns = useMemo(() => jobColumns({ names, schemas }), [names, schemas]);
  const chips = Object.fromEntries(
    LINKED.filter((k) => params.get(k)).map((k) => [k, shortValue(k, params.get(k)!)]),
  );

  return (
    <div className="page">
      <header className="page-head">
        <h1>Jobs</h1>
        <p className="muted">
          Jobs sent to harvesters, newest first: their status from the hosts’ results, and whether the job server took them.
        </p>
        <p className="link-row">
          <Link to="/jobscheduler">Schedule a job</Link>
          <Link to="/jobschedules">Job schedules</Link>
          <Link to="/jobresults">Job results</Link>
        </p>
      </header>
      <ArrivalNotice />
      <ReportFilterForm spec={spec} params={params} onApply={setParams} label="Job filters" storageKey="hds.jobs.filters-open" />
      <FilterChips filters={chips} onRemove={clearFilter} />
      <PagedList
        request={apiList('/api/v1/harvjobs/', { limit, offset, query: pickParams(params, QUERY) })}
        columns={columns}
        caption="Jobs"
        captionHidden
        limit={limit}
        offset={offset}
        onPageChange={setPage}
        emptyMessage="No job matches."
        rowClassName={jobRowClass}
      />
    </div>
  );
}

function historyColumns(): Column<JobHistoryEntry>[] {
  return [
    { key: 'jobstatus', header: 'Status', render: (h) => <JobStatusBadge status={h.jobstatus} /> },
    { key: 'history_date', header: 'Date', className: 'nowrap', render: (h) => formatDateTime(h.history_date) },
    { key: 'history_id', header: 'Change', className: 'num', render: (h) => h.history_id },
  ];
}

/** A job's statuses, newest first (`harvjobs/{id}/history/`). */
function StatusHistory({ jobId, limit, offset, onPageChange }: { jobId: string; limit: number; offset: number; onPageChange: (offset: number, limit: number) => void }) {
  return (
    <PagedList
      request={apiGet('/api/v1/harvjobs/{id}/history/', { path: { id: jobId }, query: { limit, offset } })}
      columns={historyColumns()}
      caption="Status history"
      captionHidden
      limit={limit}
      offset={offset}
      onPageChange={onPageChange}
      emptyMessage="No status recorded."
    />
  );
}

function resultColumns(tz: string): Column<JobResults>[] {
  return [
    { key: 'id', header: 'ID', render: (r) => <Link to={`/jobresults/${r.id}`}>{r.id}</Link> },
    { key: 'reportTime', header: 'Report time', className: 'nowrap', render: (r) => <ReportTime value={r.reportTime} tz={tz} /> },
    { key: 'hosts', header: 'Host results', render: (r) => <HostResults results={r} /> },
  ];
}

/** GET `harvjobs/{id}/reschedule/` (managers) after a confirmation: the job is sent again. */
function RescheduleButton({ job, onDone }: { job: Job; onDone: () => void }) {
  const client = useClient();
  const [confirming, setConfirming] = useState(false);
  const { pending, failure, run } = useSubmit();
  const [done, setDone] = useState(false);
  return (
    <>
      <button type="button" className="button" onClick={() => setConfirming(true)}>
        Reschedule
      </button>
      {done && (
        <p className="notice notice-success" role="status">
          Job {job.id} will be sent again.
        </p>
      )}
      {confirming && (
        <ConfirmDialog
          title={`Reschedule job ${job.id}?`}
          confirmLabel="Send it again"
          pendingLabel="Sending…"
          pending={pending}
          error={failure !== null ? <ErrorState error={failure} compact /> : undefined}
          onCancel={() => setConfirming(false)}
          onConfirm={() =>
            void run(() => client.get('/api/v1/harvjobs/{id}/reschedule/', { path: { id: String(job.id) } })).then((result) => {
              if (!result.ok) return;
              setConfirming(false);
              setDone(true);
              onDone();
            })
          }
        >
          <p>
            The job goes to the job server again, with the same payload and UUID
            {job.jobstatus === 'Failed to send' ? '; it is Pending until then.' : '.'} The harvester runs it again.
          </p>
        </ConfirmDialog>
      )}
    </>
  );
}

export function JobDetailPage() {
  const { id = '' } = useParams();
  const { user } = useAuth();
  const names = useFleetNames();
  const schemas = useSchemasById();
  const [historyOffset, setHistoryOffset] = useState(0);
  const [resultsOffset, setResultsOffset] = useState(0);
  const { data, error, reload } = useApi(apiGet('/api/v1/harvjobs/{id}/', { path: { id } }));
  const [tz, setTz] = useZoneParam();
  useTitle(`Job ${id}`);

  return (
    <div className="page">
      <Breadcrumb to="/jobs" label="Jobs">
        {id}
      </Breadcrumb>
      <Loaded data={data} error={error} reload={reload} label="Loading the job…">
        {(j) => (
          <>
            <header className="page-head page-head-row">
              <div>
                <h1>
                  Job {j.id} <JobStatusBadge status={j.jobstatus} />
                </h1>
                <p className="link-row">
                  <Link to={resultsRoute(j)}>Its results</Link>
                  <Link to={`/jobstatus/${j.id}`}>Full status history</Link>
                  <Link to={`/events/${j.event.id}`}>Event and files</Link>
                </p>
              </div>
              {canManageJobs(user) && <RescheduleButton job={j} onDone={reload} />}
            </header>
            <section className="card" aria-labelledby="job-title">
              <h2 id="job-title">Job</h2>
              <DetailList>
                <Detail label="Status">
                  <JobStatusBadge status={j.jobstatus} />
                </Detail>
                <Detail label="Job type">
                  <JobKind job={j} schemas={schemas} />
                </Detail>
                <Detail label="Harvester">
                  <HarvesterById id={j.target} names={names} />
                </Detail>
                <Detail label="Hosts">{targetsText(j)}</Detail>
                <Detail label="UUID">
                  <code>{j.event.UUID}</code>
                </Detail>
                <Detail label="Created">{formatDateTime(j.created)}</Detail>
                <Detail label="Last modified">{formatDateTime(j.lastModified)}</Detail>
                {j.schedule !== null && j.schedule !== undefined && (
                  <Detail label="Schedule">
                    <Link to={`/jobschedules/${j.schedule}`}>Schedule {j.schedule}</Link>
                  </Detail>
                )}
              </DetailList>
            </section>
            <section className="card" aria-labelledby="dispatch-title">
              <h2 id="dispatch-title">Sending</h2>
              <DetailList>
                <Detail label="State">
                  <DispatchState dispatch={j.dispatch} />
                </Detail>
                <Detail label="Attempts">{j.dispatch.attempts}</Detail>
                <Detail label="Taken by the job server">{j.dispatch.sent ? formatDateTime(j.dispatch.sent) : '—'}</Detail>
                {j.dispatch.error && (
                  <Detail label="Last error">
                    <code className="wrap-anywhere">{j.dispatch.error}</code>
                  </Detail>
                )}
              </DetailList>
            </section>
            <section className="card" aria-labelledby="results-title">
              <div className="section-head">
                <h2 id="results-title">Job results</h2>
                <ZoneSelect value={tz} onChange={setTz} />
              </div>
              <ListView
                path="/api/v1/jobresults/"
                query={{ job: j.id }}
                columns={resultColumns(tz)}
                caption="Results of this job"
                captionHidden
                limit={10}
                offset={resultsOffset}
                onPageChange={(o) => setResultsOffset(o)}
                emptyMessage="No results yet: the harvester uploads them when the job is done."
              />
            </section>
            <section className="card" aria-labelledby="history-title">
              <div className="section-head">
                <h2 id="history-title">Status history</h2>
                <Link to={`/jobstatus/${j.id}`}>On its own page</Link>
              </div>
              <StatusHistory jobId={String(j.id)} limit={10} offset={historyOffset} onPageChange={(o) => setHistoryOffset(o)} />
            </section>
            <section className="card" aria-labelledby="payload-title">
              <h2 id="payload-title">Payload</h2>
              <JsonTree value={j.payload} expandDepth={2} copyable name="payload" />
            </section>
            <section className="card" aria-labelledby="files-title">
              <div className="section-head">
                <h2 id="files-title">Files</h2>
                <Link to={`/events/${j.event.id}`}>The job’s event</Link>
              </div>
              <RelatedFiles files={j.event.related_files} caption="Files of the job" />
            </section>
          </>
        )}
      </Loaded>
    </div>
  );
}

/** `/jobstatus/:jobId`: a job's status history, paged in the address. */
export function JobStatusPage() {
  const { id = '' } = useParams();
  const { limit, offset, setPage } = usePageParams();
  useTitle(`Status history of job ${id}`);
  return (
    <div className="page">
      <Breadcrumb to="/jobs" label="Jobs">
        <Link to={`/jobs/${id}`}>{id}</Link> / status history
      </Breadcrumb>
      <header className="page-head">
        <h1>Status history of job {id}</h1>
        <p className="muted">Every status the job has had, newest first.</p>
      </header>
      <StatusHistory jobId={id} limit={limit} offset={offset} onPageChange={setPage} />
    </div>
  );
}
