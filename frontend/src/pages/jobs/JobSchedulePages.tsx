import { useMemo, useState } from 'react';
import { Link, useParams } from 'react-router';
import { apiGet, apiList } from '../../api/client';
import type { ListQuery } from '../../api/contract';
import { canCancelSchedule, scheduleState } from '../../api/jobs';
import { pickParams } from '../../api/pagination';
import type { JobSchedule, User } from '../../api/schemas';
import { displayName } from '../../api/users';
import type { Column } from '../../components/DataTable';
import { Detail, DetailList } from '../../components/DetailList';
import { ErrorState } from '../../components/ErrorState';
import { FilterChips } from '../../components/FilterChips';
import { JsonTree } from '../../components/JsonTree';
import { PagedList } from '../../components/ListView';
import { Breadcrumb, Loaded } from '../../components/Loaded';
import { ConfirmDialog } from '../../components/Modal';
import { useApi } from '../../hooks/useApi';
import { useLookup } from '../../hooks/useLookup';
import { usePageParams } from '../../hooks/usePageParams';
import { useSubmit } from '../../hooks/useSubmit';
import { useTitle } from '../../hooks/useTitle';
import { formatDateTime } from '../../lib/format';
import { useAuth, useClient } from '../../services';
import { ArrivalNotice } from './common';
import { JobTable } from './JobPages';

const QUERY = ['active', 'jobtype'] as const satisfies ReadonlyArray<keyof ListQuery<'/api/v1/jobschedules/'>>;

/**
 * The list's query from the address: a bare address lists the schedules still to fire
 * (`active=true`); `active=` lists all of them, `active=false` the done and cancelled ones.
 */
export function scheduleQuery(params: URLSearchParams): ListQuery<'/api/v1/jobschedules/'> {
  const query: ListQuery<'/api/v1/jobschedules/'> = pickParams(params, QUERY);
  if (!params.has('active')) query.active = 'true';
  else if (!params.get('active')) delete query.active;
  return query;
}

const VIEWS = [
  ['', 'Active'],
  ['all', 'All'],
  ['false', 'Done or cancelled'],
] as const;

function StateBadge({ schedule }: { schedule: Pick<JobSchedule, 'cancelled' | 'next_run'> }) {
  const state = scheduleState(schedule);
  const cls = state === 'active' ? 'badge badge-ok' : state === 'cancelled' ? 'badge badge-muted' : 'badge';
  return <span className={cls}>{state}</span>;
}

/** When a schedule fires: its cron expression (UTC) or its one time. */
export function Timing({ schedule }: { schedule: Pick<JobSchedule, 'cron' | 'run_at'> }) {
  if (schedule.cron) {
    return (
      <span>
        <code>{schedule.cron}</code> <span className="muted">UTC</span>
      </span>
    );
  }
  return <span>once, {formatDateTime(schedule.run_at)}</span>;
}

function targetsText(targets: number[]): string {
  if (targets.length <= 5) return targets.join(', ') || '—';
  return `${targets.slice(0, 5).join(', ')} and ${targets.length - 5} more`;
}

function useUserNames(): Map<number, User> {
  const users = useLookup('/api/v1/users/profiles/');
  return useMemo(() => new Map(users.items.map((u) => [u.id, u])), [users.items]);
}

function creatorName(id: number | null | undefined, users: Map<number, User>, me: User | null): string {
  if (id === null || id === undefined) return '—';
  if (me && id === me.id) return 'you';
  const user = users.get(id);
  return user ? displayName(user) : `user ${id}`;
}

/** DELETE `jobschedules/{id}/` after a confirmation (its creator or a manager); the jobs it made stay. */
function CancelButton({ schedule, onDone, small = false }: { schedule: JobSchedule; onDone: () => void; small?: boolean }) {
  const client = useClient();
  const [confirming, setConfirming] = useState(false);
  const { pending, failure, run } = useSubmit();
  return (
    <>
      <button
        type="button"
        className={small ? 'button button-small button-danger' : 'button button-danger'}
        onClick={() => setConfirming(true)}
        aria-label={`Cancel schedule ${schedule.id}`}
      >
        Cancel
      </button>
      {confirming && (
        <ConfirmDialog
          title={`Cancel schedule ${schedule.id}?`}
          confirmLabel="Cancel the schedule"
          pendingLabel="Cancelling…"
          danger
          pending={pending}
          error={failure !== null ? <ErrorState error={failure} compact /> : undefined}
          onCancel={() => setConfirming(false)}
          onConfirm={() =>
            void run(() => client.delete('/api/v1/jobschedules/{id}/', { path: { id: String(schedule.id) } })).then((result) => {
              if (!result.ok) return;
              setConfirming(false);
              onDone();
            })
          }
        >
          <p>
            It will start no more {schedule.jobtype} jobs. The {schedule.runs === 1 ? 'job' : 'jobs'} it already started stay.
          </p>
        </ConfirmDialog>
      )}
    </>
  );
}

export function JobScheduleListPage() {
  useTitle('Job schedules');
  const { user } = useAuth();
  const users = useUserNames();
  const { params, setParams, limit, offset, setPage, clearFilter } = usePageParams();
  const query = scheduleQuery(params);
  const [round, setRound] = useState(0);
  const view = !params.has('active') ? '' : params.get('active') ? (params.get('active') ?? '') : 'all';

  const setView = (value: string) => {
    const next = new URLSearchParams(params);
    next.delete('offset');
    if (value === '') next.delete('active');
    else next.set('active', value === 'all' ? '' : value);
    setParams(next);
  };

  const columns: Column<JobSchedule>[] = [
    { key: 'id', header: 'ID', render: (s) => <Link to={`/jobschedules/${s.id}`}>{s.id}</Link> },
    {
      key: 'job',
      header: 'Job',
      render: (s) => (
        <span>
          {s.jobtype}{' '}
          <Link className="muted" to={`/jobschemas/${s.schema}`}>
            v{s.schema_version}
          </Link>
        </span>
      ),
    },
    { key: 'targets', header: 'Harvesters', render: (s) => targetsText(s.targets) },
    { key: 'timing', header: 'When', render: (s) => <Timing schedule={s} /> },
    { key: 'next_run', header: 'Next run', className: 'nowrap', render: (s) => (s.next_run ? formatDateTime(s.next_run) : '—') },
    {
      key: 'runs',
      header: 'Runs',
      render: (s) => (
        <span>
          {s.runs ? <Link to={`/jobs?schedule=${s.id}`}>{s.runs}×</Link> : '0'}
          {s.last_run && <span className="cell-note">last {formatDateTime(s.last_run)}</span>}
          {s.last_error && (
            <span className="cell-note field-error" title={s.last_error}>
              {s.last_error}
            </span>
          )}
        </span>
      ),
    },
    { key: 'state', header: 'State', render: (s) => <StateBadge schedule={s} /> },
    { key: 'creator', header: 'By', render: (s) => creatorName(s.creator, users, user) },
    {
      key: 'actions',
      header: 'Actions',
      render: (s) =>
        scheduleState(s) === 'active' && canCancelSchedule(user, s) ? (
          <CancelButton schedule={s} onDone={() => setRound((r) => r + 1)} small />
        ) : (
          <span className="muted">—</span>
        ),
    },
  ];

  return (
    <div className="page">
      <header className="page-head">
        <h1>Job schedules</h1>
        <p className="muted">
          Jobs to start later: once at a time, or at every time of a cron expression (UTC). Each time one fires the worker starts one job per
          harvester. Make one from the <Link to="/jobscheduler">job scheduler</Link>.
        </p>
      </header>
      <div className="toolbar" role="group" aria-label="Which schedules">
        {VIEWS.map(([value, label]) => (
          <button
            key={value}
            type="button"
            className={view === value ? 'button button-small button-primary' : 'button button-small'}
            aria-pressed={view === value}
            onClick={() => setView(value)}
          >
            {label}
          </button>
        ))}
      </div>
      <FilterChips filters={params.get('jobtype') ? { jobtype: params.get('jobtype')! } : {}} onRemove={clearFilter} />
      <PagedList
        key={round}
        request={apiList('/api/v1/jobschedules/', { limit, offset, query })}
        columns={columns}
        caption="Job schedules"
        captionHidden
        limit={limit}
        offset={offset}
        onPageChange={setPage}
        emptyMessage={view === '' ? 'No schedule to fire.' : 'No schedules.'}
        rowClassName={(s) => (s.last_error ? 'row-error' : undefined)}
      />
    </div>
  );
}

export function JobScheduleDetailPage() {
  const { id = '' } = useParams();
  const { user } = useAuth();
  const users = useUserNames();
  const { limit, offset, setPage } = usePageParams();
  const { data, error, reload } = useApi(apiGet('/api/v1/jobschedules/{id}/', { path: { id } }));
  useTitle(`Job schedule ${id}`);

  return (
    <div className="page">
      <Breadcrumb to="/jobschedules" label="Job schedules">
        {id}
      </Breadcrumb>
      <ArrivalNotice />
      <Loaded data={data} error={error} reload={reload} label="Loading the schedule…">
        {(s) => (
          <>
            <header className="page-head page-head-row">
              <div>
                <h1>
                  Schedule {s.id} <StateBadge schedule={s} />
                </h1>
                <p className="muted">
                  {s.jobtype} {s.schema_version} on {s.targets.length === 1 ? '1 harvester' : `${s.targets.length} harvesters`}
                </p>
              </div>
              {scheduleState(s) === 'active' && canCancelSchedule(user, s) && <CancelButton schedule={s} onDone={reload} />}
            </header>
            <section className="card" aria-labelledby="schedule-title">
              <h2 id="schedule-title">Schedule</h2>
              <DetailList>
                <Detail label="Job">
                  {s.jobtype} <Link to={`/jobschemas/${s.schema}`}>schema {s.schema_version}</Link>
                </Detail>
                <Detail label="When">
                  <Timing schedule={s} />
                </Detail>
                <Detail label="Next run">{s.next_run ? formatDateTime(s.next_run) : '—'}</Detail>
                <Detail label="Last run">{s.last_run ? formatDateTime(s.last_run) : '—'}</Detail>
                <Detail label="Runs">{s.runs}</Detail>
                {s.last_error && (
                  <Detail label="Last error">
                    <span className="field-error">{s.last_error}</span>
                  </Detail>
                )}
                {s.cancelled && <Detail label="Cancelled">{formatDateTime(s.cancelled)}</Detail>}
                <Detail label="Harvesters">
                  {s.targets.map((harvId, i) => (
                    <span key={harvId}>
                      {i > 0 && ', '}
                      <Link to={`/jobs?target__harv_id=${harvId}`}>{harvId}</Link>
                    </span>
                  ))}
                </Detail>
                <Detail label="Created">
                  {formatDateTime(s.created)} by {creatorName(s.creator, users, user)}
                </Detail>
              </DetailList>
            </section>
            <section className="card" aria-labelledby="payload-title">
              <h2 id="payload-title">Payload</h2>
              <JsonTree value={s.payload} expandDepth={2} copyable name="payload" />
            </section>
            <section className="card" aria-labelledby="jobs-title">
              <div className="section-head">
                <h2 id="jobs-title">Jobs it started</h2>
                <Link to={`/jobs?schedule=${s.id}`}>In the job list</Link>
              </div>
              <JobTable
                query={{ schedule: s.id }}
                caption="Jobs it started"
                limit={limit}
                offset={offset}
                onPageChange={setPage}
                emptyMessage={scheduleState(s) === 'active' ? 'None yet: the first run is still to come.' : 'It started no job.'}
              />
            </section>
          </>
        )}
      </Loaded>
    </div>
  );
}
