import { useState } from 'react';
import { Link, useParams } from 'react-router';
import { apiGet, apiList } from '../../api/client';
import {
  isPending,
  MIGRATION_RESULTS,
  MIGRATIONS_PATH,
  migrationsApi,
  resultBadge,
  runDuration,
  shortHash,
} from '../../api/migrations';
import { canManageUsers } from '../../api/roles';
import type { MigrationLog, SchemaMigration } from '../../api/schemas';
import { CodeBlock } from '../../components/CodeBlock';
import { CopyButton } from '../../components/CopyButton';
import { DataTable, type Column } from '../../components/DataTable';
import { Detail, DetailList } from '../../components/DetailList';
import { ErrorState } from '../../components/ErrorState';
import { SelectField } from '../../components/FormField';
import { Breadcrumb, Loaded } from '../../components/Loaded';
import { Loading } from '../../components/Loading';
import { ConfirmDialog } from '../../components/Modal';
import { Pagination } from '../../components/Pagination';
import { useApi } from '../../hooks/useApi';
import { usePageParams } from '../../hooks/usePageParams';
import { usePolling } from '../../hooks/usePolling';
import { useSubmit } from '../../hooks/useSubmit';
import { useTitle } from '../../hooks/useTitle';
import { formatDateTime } from '../../lib/format';
import { useAuth, useClient } from '../../services';

/** How often a page with a pending run asks again, until the worker has recorded it. */
export const PENDING_POLL_MS = 3000;

const none = <span className="muted">—</span>;

function ResultBadge({ result }: { result: string }) {
  return <span className={resultBadge(result)}>{result}</span>;
}

function Githash({ hash }: { hash: string }) {
  return (
    <code title={hash} className="nowrap">
      {shortHash(hash)}
    </code>
  );
}

/** "Queue migrations" (managers): a confirmation, then `migrations/migrate/`; tells which log records the run. */
function QueueButton({ onQueued }: { onQueued: (id: number) => void }) {
  const client = useClient();
  const [confirming, setConfirming] = useState(false);
  const { pending, failure, run } = useSubmit();
  return (
    <>
      <button type="button" className="button button-primary" onClick={() => setConfirming(true)}>
        Queue migrations
      </button>
      {confirming && (
        <ConfirmDialog
          title="Run the schema migrations?"
          confirmLabel="Queue migrations"
          pendingLabel="Queueing…"
          pending={pending}
          error={failure !== null ? <ErrorState error={failure} compact /> : undefined}
          onCancel={() => setConfirming(false)}
          onConfirm={() =>
            void run(() => migrationsApi.migrate(client)).then((result) => {
              if (!result.ok) return;
              setConfirming(false);
              onQueued(result.value.id);
            })
          }
        >
          <p>
            The worker applies every migration of this build that the database does not have yet, one run at a time, and records
            what it did. Migrations change the database for every user of HDS.
          </p>
        </ConfirmDialog>
      )}
    </>
  );
}

const LOG_COLUMNS: Column<MigrationLog>[] = [
  { key: 'id', header: 'ID', render: (r) => <Link to={`/migrations/${r.id}`}>{r.id}</Link> },
  { key: 'result', header: 'Result', render: (r) => <ResultBadge result={r.result} /> },
  { key: 'created', header: 'Queued', className: 'nowrap', render: (r) => formatDateTime(r.created) },
  { key: 'startTime', header: 'Started', className: 'nowrap', render: (r) => (r.startTime ? formatDateTime(r.startTime) : none) },
  { key: 'endTime', header: 'Ended', className: 'nowrap', render: (r) => (r.endTime ? formatDateTime(r.endTime) : none) },
  { key: 'duration', header: 'Took', className: 'nowrap', render: (r) => runDuration(r.startTime, r.endTime) ?? none },
  { key: 'applied', header: 'Applied', render: (r) => (r.result === 'pending' ? none : String(r.applied.length)) },
  { key: 'githash', header: 'Githash', render: (r) => <Githash hash={r.githash} /> },
];

const SCHEMA_COLUMNS: Column<SchemaMigration>[] = [
  { key: 'version', header: 'Version', render: (m) => <code>{m.version}</code> },
  { key: 'name', header: 'Name', render: (m) => (m.name ? <code>{m.name}</code> : <span className="muted">not in this build</span>) },
  {
    key: 'run_on',
    header: 'Applied',
    className: 'nowrap',
    render: (m) => (m.run_on ? formatDateTime(m.run_on) : <span className="badge badge-info">pending</span>),
  },
];

/** `migrations/applied/`: the schema migrations this build knows, and which the database has. */
function SchemaMigrations() {
  const applied = useApi(apiGet('/api/v1/migrations/applied/'));
  const rows = applied.data ?? [];
  const pending = rows.filter((m) => !m.run_on).length;
  return (
    <section className="card" aria-labelledby="schema-title">
      <h2 id="schema-title">Schema migrations</h2>
      <p className="muted">
        {applied.data
          ? pending
            ? `${pending} of ${rows.length} not applied yet.`
            : `All ${rows.length} migrations of this build are applied.`
          : 'The migrations this build carries, and when each was applied.'}
      </p>
      <Loaded data={applied.data} error={applied.error} reload={applied.reload} label="Loading the schema migrations…">
        {(rows) => (
          <DataTable
            columns={SCHEMA_COLUMNS}
            rows={rows}
            rowKey={(m) => m.version}
            caption="Schema migrations"
            captionHidden
            emptyMessage="No migration."
          />
        )}
      </Loaded>
    </section>
  );
}

export function MigrationListPage() {
  useTitle('Migrations');
  const { user } = useAuth();
  const manager = canManageUsers(user);
  const { params, setParams, limit, offset, setPage } = usePageParams();
  const result = params.get('result') ?? '';
  const query = result ? { result } : {};
  const list = useApi(apiList(MIGRATIONS_PATH, { limit, offset, query }));
  const [queued, setQueued] = useState<number | null>(null);
  const rows = list.data?.results ?? [];
  const running = rows.some(isPending);
  // A run that finishes may change what is applied: the schema list is read again (a new key)
  // whenever the number of pending runs on the page changes.
  const pendingNow = rows.filter(isPending).length;
  usePolling(list.reload, running, PENDING_POLL_MS);

  const chooseResult = (value: string) => {
    const next = new URLSearchParams();
    if (value) next.set('result', value);
    setParams(next);
  };

  return (
    <div className="page">
      <header className="page-head page-head-row">
        <div>
          <h1>Migrations</h1>
          <p className="muted">
            Runs of the database schema migrations, newest first.
            {manager ? ' Queue a run after deploying a build that brings new migrations.' : ''}
          </p>
        </div>
        {manager && (
          <div className="page-actions">
            <QueueButton
              onQueued={(id) => {
                setQueued(id);
                list.reload();
              }}
            />
          </div>
        )}
      </header>
      {queued !== null && (
        <p className="notice notice-success" role="status">
          Migration queued: <Link to={`/migrations/${queued}`}>run {queued}</Link>.
        </p>
      )}
      <div className="toolbar">
        <SelectField label="Result" value={result} onChange={(e) => chooseResult(e.target.value)}>
          <option value="">Any result</option>
          {MIGRATION_RESULTS.map((r) => (
            <option key={r} value={r}>
              {r}
            </option>
          ))}
        </SelectField>
      </div>
      {list.error ? (
        <ErrorState error={list.error} onRetry={list.reload} />
      ) : !list.data ? (
        <Loading label="Loading migration runs…" />
      ) : (
        <div className="list-view">
          <DataTable
            columns={LOG_COLUMNS}
            rows={rows}
            caption="Migration runs"
            captionHidden
            busy={list.loading}
            rowClassName={(r) => (r.result === 'failed' ? 'row-error' : undefined)}
            emptyMessage={result ? `No ${result} run.` : 'No run yet.'}
          />
          <Pagination
            count={list.data.count}
            limit={limit}
            offset={offset}
            next={list.data.next}
            previous={list.data.previous}
            onChange={setPage}
            label="Migration run pages"
            disabled={list.loading}
          />
        </div>
      )}
      <SchemaMigrations key={pendingNow} />
    </div>
  );
}

export function MigrationDetailPage() {
  const { id = '' } = useParams();
  useTitle(`Migration run ${id}`);
  const { data: log, error, reload } = useApi(apiGet('/api/v1/migrations/{id}/', { path: { id } }));
  usePolling(reload, !!log && isPending(log), PENDING_POLL_MS);

  return (
    <div className="page">
      <Breadcrumb to="/migrations" label="Migrations">
        {id}
      </Breadcrumb>
      <header className="page-head">
        <h1>Migration run {id}</h1>
        {log && (
          <p className="muted">
            <ResultBadge result={log.result} /> {isPending(log) ? 'The worker has not finished it yet; this page follows it.' : ''}
          </p>
        )}
      </header>
      <Loaded data={log} error={error} reload={reload} label="Loading the migration run…">
        {(log) => (
          <>
            <section className="card" aria-labelledby="summary-title">
              <h2 id="summary-title">Summary</h2>
              <DetailList>
                <Detail label="Result">
                  <ResultBadge result={log.result} />
                </Detail>
                <Detail label="Queued">
                  {formatDateTime(log.created)}
                  {log.creator !== null && <span className="muted"> by user {log.creator}</span>}
                </Detail>
                <Detail label="Started">{log.startTime ? formatDateTime(log.startTime) : none}</Detail>
                <Detail label="Ended">{log.endTime ? formatDateTime(log.endTime) : none}</Detail>
                <Detail label="Took">{runDuration(log.startTime, log.endTime) ?? none}</Detail>
                <Detail label="Githash">
                  <span className="link-row">
                    <code>{log.githash}</code>
                    <CopyButton text={log.githash} ariaLabel="Copy the githash" />
                  </span>
                </Detail>
                <Detail label="Applied">
                  {log.applied.length ? (
                    <ul className="plain-list" aria-label="Migrations applied">
                      {log.applied.map((name) => (
                        <li key={name}>
                          <code>{name}</code>
                        </li>
                      ))}
                    </ul>
                  ) : isPending(log) ? (
                    none
                  ) : (
                    <span className="muted">nothing</span>
                  )}
                </Detail>
              </DetailList>
            </section>
            <section className="card" aria-labelledby="output-title">
              <h2 id="output-title">Output</h2>
              {log.output ? <CodeBlock title="Output of the run" code={log.output} /> : <p className="muted">No output yet.</p>}
            </section>
          </>
        )}
      </Loaded>
    </div>
  );
}
