import { Link, useParams } from 'react-router';
import { apiGet, apiList } from '../../api/client';
import {
  canUploadLogs,
  fileLabel,
  isExtracting,
  LOGFILES_PATH,
  LOGSESSION_FILTERS,
  LOGSESSIONS_PATH,
  LOGVIDEOS_PATH,
  progressPercent,
  SESSION_STATES,
  stateBadge,
  stateText,
  videoLabel,
  viewerHref,
  type LogSessionQuery,
} from '../../api/logsessions';
import { DEFAULT_PAGE_SIZE } from '../../api/pagination';
import type { LogFile, LogSession, LogVideo } from '../../api/schemas';
import { DataTable, type Column } from '../../components/DataTable';
import { Detail, DetailList } from '../../components/DetailList';
import { ErrorState } from '../../components/ErrorState';
import { FilterChips } from '../../components/FilterChips';
import { FilterPanel } from '../../components/FilterPanel';
import { SelectField, TextField } from '../../components/FormField';
import { Breadcrumb, Loaded } from '../../components/Loaded';
import { Loading } from '../../components/Loading';
import { Pagination } from '../../components/Pagination';
import { useApi } from '../../hooks/useApi';
import { useFilterDraft } from '../../hooks/useFilterDraft';
import { usePageParams } from '../../hooks/usePageParams';
import { usePolling } from '../../hooks/usePolling';
import { useTitle } from '../../hooks/useTitle';
import { formatDateTime } from '../../lib/format';
import { DEFAULT_TZ, formatInZone, isoToLocalInput, localInputToIso, zoneAbbreviation } from '../../lib/time';
import { useAuth } from '../../services';
import { UploadForm } from './UploadForm';

/** How often a page with a session being extracted asks again. */
export const EXTRACT_POLL_MS = 2000;

const none = <span className="muted">—</span>;

type Filters = Partial<Record<(typeof LOGSESSION_FILTERS)[number], string>>;

/** A session's state: the badge, and while extracting a bar of the members done. */
export function SessionState({ session }: { session: LogSession }) {
  const percent = progressPercent(session);
  return (
    <span className="session-state">
      <span className={stateBadge(session.status)}>{stateText(session)}</span>
      {session.status === 'extracting' && (
        <span
          className="progress session-progress"
          role="progressbar"
          aria-label={`Extraction of session ${session.id}`}
          aria-valuemin={0}
          aria-valuemax={100}
          aria-valuenow={percent}
        >
          <span className="progress-pending" style={{ width: `${percent}%` }} />
        </span>
      )}
      {session.status === 'failed' && session.failure_reason && <span className="failure-reason">{session.failure_reason}</span>}
    </span>
  );
}

/** The session's log date on the log's own clock (US/Pacific, as its lines): `2023-01-31 13:12:51 PST`. */
export function logDate(session: Pick<LogSession, 'date_time'>): string | null {
  if (!session.date_time) return null;
  const date = new Date(session.date_time);
  if (Number.isNaN(date.getTime())) return session.date_time;
  return `${formatInZone(date, DEFAULT_TZ).slice(0, 19)} ${zoneAbbreviation(date, DEFAULT_TZ)}`;
}

function HarvesterLink({ session }: { session: LogSession }) {
  const harvId = session.logs.harv_id;
  if (session.harv === null || session.harv === undefined) return none;
  return <Link to={`/harvesters/${session.harv}`}>{harvId ?? session.harv}</Link>;
}

interface Draft {
  harv: string;
  status: string;
  created_after: string;
  created_before: string;
}

function draftOf(filters: Filters): Draft {
  return {
    harv: filters.harv__harv_id ?? '',
    status: filters.status ?? '',
    created_after: isoToLocalInput(filters.created_after),
    created_before: isoToLocalInput(filters.created_before),
  };
}

function draftToParams(draft: Draft, previous: Filters): URLSearchParams {
  const params = new URLSearchParams();
  if (draft.harv.trim()) params.set('harv__harv_id', draft.harv.trim());
  if (draft.status) params.set('status', draft.status);
  // An unchanged time keeps the address's own value (also one the form cannot show).
  for (const key of ['created_after', 'created_before'] as const) {
    const before = previous[key];
    const value = before && draft[key] === isoToLocalInput(before) ? before : localInputToIso(draft[key]);
    if (value) params.set(key, value);
  }
  return params;
}

function SessionFilterForm({ filters, onApply }: { filters: Filters; onApply: (params: URLSearchParams) => void }) {
  const { draft, set, dirty, submit, reset } = useFilterDraft(draftOf(filters), (d) => onApply(draftToParams(d, filters)));
  return (
    <FilterPanel
      label="Filter log sessions"
      summary={Object.entries(filters).map(([k, v]) => `${k}=${v}`)}
      onSubmit={submit}
      onClear={() => reset(draftOf({}))}
      dirty={dirty}
      note="Times are on your computer's clock."
      storageKey="hds.logsessions.filters-open"
    >
      <div className="filter-grid">
        <TextField
          label="Harvester"
          inputMode="numeric"
          value={draft.harv}
          onChange={(e) => set('harv', e.target.value)}
          placeholder="e.g. 10"
          hint="The harvester number (harv_id)."
        />
        <SelectField label="State" value={draft.status} onChange={(e) => set('status', e.target.value)}>
          <option value="">Any state</option>
          {SESSION_STATES.map((s) => (
            <option key={s} value={s}>
              {s}
            </option>
          ))}
        </SelectField>
        <TextField label="Uploaded after" type="datetime-local" value={draft.created_after} onChange={(e) => set('created_after', e.target.value)} />
        <TextField label="Uploaded before" type="datetime-local" value={draft.created_before} onChange={(e) => set('created_before', e.target.value)} />
      </div>
    </FilterPanel>
  );
}

const SESSION_COLUMNS: Column<LogSession>[] = [
  { key: 'id', header: 'ID', render: (s) => <Link to={`/logsession/${s.id}`}>{s.id}</Link> },
  {
    key: 'name',
    header: 'Name',
    render: (s) => (
      <span className="clip" title={s.name}>
        {s.name}
      </span>
    ),
  },
  { key: 'harv', header: 'Harvester', render: (s) => <HarvesterLink session={s} /> },
  { key: 'date_time', header: 'Log date', className: 'nowrap', render: (s) => logDate(s) ?? none },
  { key: 'status', header: 'State', render: (s) => <SessionState session={s} /> },
  { key: 'created', header: 'Uploaded', className: 'nowrap', render: (s) => formatDateTime(s.created) },
  {
    key: 'view',
    header: 'Logs',
    render: (s) =>
      s.status === 'done' ? (
        <Link to={viewerHref(s.id)}>
          View logs<span className="visually-hidden"> of session {s.id}</span>
        </Link>
      ) : (
        none
      ),
  },
];

export function LogSessionListPage() {
  useTitle('Log sessions');
  const { user } = useAuth();
  const { setParams, limit, offset, filters, setPage, clearFilter } = usePageParams(LOGSESSION_FILTERS);
  const query: LogSessionQuery = filters;
  const list = useApi(apiList(LOGSESSIONS_PATH, { limit, offset, query }));
  const rows = list.data?.results ?? [];
  usePolling(list.reload, rows.some(isExtracting), EXTRACT_POLL_MS);
  const mayUpload = canUploadLogs(user);

  const apply = (next: URLSearchParams) => {
    if (limit !== DEFAULT_PAGE_SIZE) next.set('limit', String(limit));
    setParams(next);
  };

  return (
    <div className="page">
      <header className="page-head">
        <h1>Log sessions</h1>
        <p className="muted">
          Session-clip zips: each robot&rsquo;s logs and camera videos of a stretch of harvesting, read on one timeline in the log
          viewer. The worker extracts a zip after its upload; this page follows it.
        </p>
      </header>
      {mayUpload && <UploadForm onUploaded={() => list.reload()} />}
      <SessionFilterForm filters={filters} onApply={apply} />
      <FilterChips filters={filters} onRemove={clearFilter} />
      {list.error ? (
        <ErrorState error={list.error} onRetry={list.reload} />
      ) : !list.data ? (
        <Loading label="Loading log sessions…" />
      ) : (
        <div className="list-view">
          <DataTable
            columns={SESSION_COLUMNS}
            rows={rows}
            caption="Log sessions"
            captionHidden
            busy={list.loading}
            rowClassName={(s) => (s.status === 'failed' ? 'row-error' : undefined)}
            emptyMessage={Object.keys(filters).length ? 'No log session matches.' : 'No log session yet.'}
          />
          <Pagination
            count={list.data.count}
            limit={limit}
            offset={offset}
            next={list.data.next}
            previous={list.data.previous}
            onChange={setPage}
            label="Log session pages"
            disabled={list.loading}
          />
        </div>
      )}
    </div>
  );
}

/** The zip as stored (`sessclip/{id}/`): a download link while the link is fresh. */
function ZipLink({ id }: { id: number }) {
  const clip = useApi(apiGet('/api/v1/sessclip/{id}/', { path: { id: String(id) } }));
  if (clip.error) return <span className="muted">not available</span>;
  if (!clip.data) return <Loading inline label="Loading the zip's link…" />;
  return clip.data.file ? (
    <a href={clip.data.file} target="_blank" rel="noopener noreferrer" className="download-link">
      Download the zip
    </a>
  ) : (
    <span className="muted">no link</span>
  );
}

function fileColumns(sessionId: number): Column<LogFile>[] {
  return [
    { key: 'file_name', header: 'File', render: (f) => <code className="break-all">{f.file_name}</code> },
    { key: 'service', header: 'Service', render: (f) => f.service },
    { key: 'robot', header: 'Robot', render: (f) => (f.robot ?? none) },
    { key: 'logfile_type', header: 'Type', render: (f) => f.logfile_type },
    { key: 'line_count', header: 'Entries', className: 'numeric', render: (f) => f.line_count.toLocaleString('en-US') },
    {
      key: 'view',
      header: 'Viewer',
      render: (f) => (
        <Link to={viewerHref(sessionId, { files: [f.id] })}>
          Open<span className="visually-hidden"> {fileLabel(f)} in the viewer</span>
        </Link>
      ),
    },
  ];
}

function videoColumns(sessionId: number): Column<LogVideo>[] {
  return [
    { key: 'file_name', header: 'File', render: (v) => <code className="break-all">{v.file_name}</code> },
    { key: 'category', header: 'Camera', render: (v) => v.category },
    { key: 'robot', header: 'Robot', render: (v) => (v.robot ?? none) },
    {
      key: 'view',
      header: 'Viewer',
      render: (v) => (
        <Link to={viewerHref(sessionId, { video: v.id })}>
          Watch with the logs<span className="visually-hidden"> ({videoLabel(v)})</span>
        </Link>
      ),
    },
  ];
}

/** The session's log files and videos (`logfiles/`, `logvideos/` of the session). */
function SessionContents({ session }: { session: LogSession }) {
  const query = { log_session_id: session.id };
  const files = useApi(apiList(LOGFILES_PATH, { limit: 200, offset: 0, query }));
  const videos = useApi(apiList(LOGVIDEOS_PATH, { limit: 200, offset: 0, query }));
  return (
    <>
      <section className="card" aria-labelledby="files-title">
        <h2 id="files-title">Log files</h2>
        <Loaded data={files.data} error={files.error} reload={files.reload} label="Loading the log files…">
          {(page) => (
            <DataTable
              columns={fileColumns(session.id)}
              rows={[...page.results].sort((a, b) => fileLabel(a).localeCompare(fileLabel(b)))}
              caption="Log files"
              captionHidden
              emptyMessage={isExtracting(session) ? 'None yet.' : 'The zip held no log file.'}
            />
          )}
        </Loaded>
      </section>
      <section className="card" aria-labelledby="videos-title">
        <h2 id="videos-title">Videos</h2>
        <Loaded data={videos.data} error={videos.error} reload={videos.reload} label="Loading the videos…">
          {(page) => (
            <DataTable
              columns={videoColumns(session.id)}
              rows={page.results}
              caption="Videos"
              captionHidden
              emptyMessage={isExtracting(session) ? 'None yet.' : 'The zip held no video.'}
            />
          )}
        </Loaded>
      </section>
    </>
  );
}

export function LogSessionDetailPage() {
  const { id = '' } = useParams();
  useTitle(`Log session ${id}`);
  const { data: session, error, reload } = useApi(apiGet('/api/v1/logsessions/{id}/', { path: { id } }));
  const extracting = !!session && isExtracting(session);
  usePolling(reload, extracting, EXTRACT_POLL_MS);

  return (
    <div className="page">
      <Breadcrumb to="/logsession" label="Log sessions">
        {id}
      </Breadcrumb>
      <header className="page-head page-head-row">
        <div>
          <h1>Log session {id}</h1>
          {session && (
            <p className="muted">
              <span className="break-all">{session.name}</span>
              {extracting && ' · The worker is extracting it; this page follows.'}
            </p>
          )}
        </div>
        {session?.status === 'done' && (
          <div className="page-actions">
            <Link className="button button-primary" to={viewerHref(session.id)}>
              Open the log viewer
            </Link>
          </div>
        )}
      </header>
      <Loaded data={session} error={error} reload={reload} label="Loading the log session…">
        {(session) => (
          <>
            <section className="card" aria-labelledby="summary-title">
              <h2 id="summary-title">Summary</h2>
              <DetailList>
                <Detail label="State">
                  <SessionState session={session} />
                </Detail>
                <Detail label="Harvester">
                  <HarvesterLink session={session} />
                </Detail>
                <Detail label="Log date">{logDate(session) ?? none}</Detail>
                <Detail label="Uploaded">
                  {formatDateTime(session.created)}
                  {session.creator !== null && session.creator !== undefined && <span className="muted"> by user {session.creator}</span>}
                </Detail>
                <Detail label="Tags">{session.tags.length ? session.tags.join(', ') : none}</Detail>
                <Detail label="Zip">{session._zip_file !== null && session._zip_file !== undefined ? <ZipLink id={session._zip_file} /> : none}</Detail>
                <Detail label="Robots">{session.logs.robots.length ? session.logs.robots.join(', ') : none}</Detail>
                <Detail label="Services">
                  {session.logs.services.length ? (
                    <ul className="inline-list" aria-label="Services">
                      {[...session.logs.services]
                        .sort((a, b) => fileLabel(a).localeCompare(fileLabel(b)))
                        .map((s) => (
                          <li key={s.id}>
                            <Link to={viewerHref(session.id, { files: [s.id] })}>{fileLabel(s)}</Link>
                          </li>
                        ))}
                    </ul>
                  ) : (
                    none
                  )}
                </Detail>
              </DetailList>
            </section>
            {/* Read again as extraction moves on (a new key), so files and videos appear as they are stored. */}
            <SessionContents key={`${session.status}-${session.progress.done}`} session={session} />
          </>
        )}
      </Loaded>
    </div>
  );
}
