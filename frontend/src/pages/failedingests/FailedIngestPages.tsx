import { useEffect, useMemo, useState, type FormEvent, type ReactNode } from 'react';
import { Link, useParams, useSearchParams } from 'react-router';
import {
  canRedrive,
  FAILED_INGESTS_PATH,
  failedIngestsApi,
  INGEST_QUEUES,
  INGEST_REASONS,
  type FailedIngest,
  type FailedIngestQuery,
  type RedriveResult,
} from '../../api/failedingests';
import { DEFAULT_PAGE_SIZE, clampLimit, clampOffset, pagePath, type Page } from '../../api/pagination';
import { CodeBlock } from '../../components/CodeBlock';
import { CopyButton } from '../../components/CopyButton';
import { DataTable, type Column } from '../../components/DataTable';
import { ErrorState } from '../../components/ErrorState';
import { FilterChips } from '../../components/FilterChips';
import { SelectField, TextField } from '../../components/FormField';
import { JsonTree } from '../../components/JsonTree';
import { Loading } from '../../components/Loading';
import { MultiSelect } from '../../components/MultiSelect';
import { Pagination } from '../../components/Pagination';
import { useApi } from '../../hooks/useApi';
import { useSubmit } from '../../hooks/useSubmit';
import { useTitle } from '../../hooks/useTitle';
import { formatDateTime } from '../../lib/format';
import { isoToLocalInput, localInputToIso } from '../../lib/time';
import { useAuth, useClient } from '../../services';

const FORM_KEYS = ['queue', 'reason', 'resolved', 'since', 'until'] as const;

/**
 * The API query of the list: the address's query string, where a missing `resolved`
 * means the default view (`resolved=false`) and an empty `resolved=` means all.
 */
export function failedIngestQuery(params: URLSearchParams): FailedIngestQuery {
  const out: Record<string, string> = {};
  params.forEach((value, key) => {
    if (key !== 'limit' && key !== 'offset' && value !== '') out[key] = value;
  });
  if (!params.has('resolved')) out.resolved = 'false';
  return out;
}

type Status = 'false' | 'true' | '';

const STATUS_LABELS: Record<Status, string> = { false: 'Unresolved', true: 'Resolved', '': 'All' };

interface Draft {
  queue: string[];
  reason: string[];
  resolved: Status;
  since: string;
  until: string;
}

const splitList = (text: string | undefined) => (text ?? '').split(',').map((s) => s.trim()).filter(Boolean);

function draftOf(query: FailedIngestQuery): Draft {
  const resolved = query.resolved === 'true' || query.resolved === '1' ? 'true' : query.resolved === undefined ? '' : 'false';
  return {
    queue: splitList(query.queue),
    reason: splitList(query.reason),
    resolved,
    since: isoToLocalInput(query.since),
    until: isoToLocalInput(query.until),
  };
}

function draftToParams(draft: Draft, previous: FailedIngestQuery): URLSearchParams {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(previous)) {
    if (!(FORM_KEYS as readonly string[]).includes(k) && typeof v === 'string') params.set(k, v);
  }
  if (draft.queue.length) params.set('queue', draft.queue.join(','));
  if (draft.reason.length) params.set('reason', draft.reason.join(','));
  // The default view (unresolved) is the bare address.
  if (draft.resolved !== 'false') params.set('resolved', draft.resolved);
  for (const key of ['since', 'until'] as const) {
    const before = previous[key];
    const value = before && draft[key] === isoToLocalInput(before) ? before : localInputToIso(draft[key]);
    if (value) params.set(key, value);
  }
  return params;
}

const options = (values: readonly string[]) => values.map((v) => ({ value: v, label: v }));

function FailedIngestFilterForm({ query, onApply }: { query: FailedIngestQuery; onApply: (params: URLSearchParams) => void }) {
  const [draft, setDraft] = useState<Draft>(() => draftOf(query));
  const set = <K extends keyof Draft>(key: K, value: Draft[K]) => setDraft((d) => ({ ...d, [key]: value }));
  const submit = (event: FormEvent) => {
    event.preventDefault();
    onApply(draftToParams(draft, query));
  };

  return (
    <form className="card filter-form" aria-label="Filter failed ingests" onSubmit={submit} noValidate>
      <div className="filter-head">
        <h2>Filters</h2>
      </div>
      <div className="filter-grid">
        <MultiSelect label="Queues" placeholder="Any queue" options={options(INGEST_QUEUES)} value={draft.queue} onChange={(v) => set('queue', v)} />
        <MultiSelect
          label="Reasons"
          placeholder="Any reason"
          options={options(INGEST_REASONS)}
          value={draft.reason}
          onChange={(v) => set('reason', v)}
          allowCustom={(t) => /^[a-z0-9_]+$/.test(t)}
        />
        <SelectField label="Status" value={draft.resolved} onChange={(e) => set('resolved', e.target.value as Status)}>
          {(Object.keys(STATUS_LABELS) as Status[]).map((s) => (
            <option key={s} value={s}>
              {STATUS_LABELS[s]}
            </option>
          ))}
        </SelectField>
        <TextField label="Last seen since" type="datetime-local" value={draft.since} onChange={(e) => set('since', e.target.value)} />
        <TextField label="Last seen until" type="datetime-local" value={draft.until} onChange={(e) => set('until', e.target.value)} />
      </div>
      <div className="form-actions">
        <button type="submit" className="button button-primary">
          Apply filters
        </button>
        <button
          type="button"
          className="button"
          onClick={() => {
            const cleared: Draft = { queue: [], reason: [], resolved: 'false', since: '', until: '' };
            setDraft(cleared);
            onApply(draftToParams(cleared, {}));
          }}
        >
          Clear filters
        </button>
        <span className="muted">Times are on your computer&apos;s clock.</span>
      </div>
    </form>
  );
}

function StatusBadge({ row }: { row: FailedIngest }) {
  return (
    <span className="link-row">
      {row.resolved_at ? (
        <span className="badge badge-ok" title={`Resolved ${formatDateTime(row.resolved_at)}`}>
          resolved
        </span>
      ) : (
        <span className="badge badge-error">unresolved</span>
      )}
      {row.redrive_count > 0 && (
        <span className="badge badge-muted" title={row.redriven_at ? `Last sent again ${formatDateTime(row.redriven_at)}` : undefined}>
          redriven {row.redrive_count}×
        </span>
      )}
    </span>
  );
}

function ObjectCell({ row }: { row: FailedIngest }) {
  if (!row.bucket && !row.key) return <span className="muted">—</span>;
  const text = row.bucket ? `${row.bucket}/${row.key ?? ''}` : (row.key ?? '');
  return (
    <code className="clip clip-narrow" title={text}>
      {text}
    </code>
  );
}

/** What an action did, for the notice above the table. */
function redriveSummary(result: RedriveResult): { ok: string | null; failed: Array<[string, string]> } {
  const failed = Object.entries(result.failed ?? {});
  const sent = result.redriven ?? [];
  return {
    ok: sent.length ? `Sent to their queue again: ${sent.join(', ')}.` : null,
    failed,
  };
}

/** Redrive and resolve, one row or the selected rows, with the outcome and any refusal. */
function useIngestActions(onChanged: () => void) {
  const client = useClient();
  const { pending, failure, run } = useSubmit();
  const [notice, setNotice] = useState<{ ok: string | null; failed: Array<[string, string]> } | null>(null);

  const act = async (action: () => Promise<{ ok: string | null; failed: Array<[string, string]> }>) => {
    setNotice(null);
    const result = await run(action);
    if (result.ok) {
      setNotice(result.value);
      onChanged();
    }
    return result.ok;
  };

  return {
    pending,
    failure,
    notice,
    clear: () => setNotice(null),
    redrive: (id: number) =>
      act(async () => {
        await failedIngestsApi.redrive(client, id);
        return { ok: `Failure ${id}: message sent to its queue again.`, failed: [] };
      }),
    resolve: (id: number) =>
      act(async () => {
        await failedIngestsApi.resolve(client, id);
        return { ok: `Failure ${id} marked as resolved.`, failed: [] };
      }),
    redriveMany: (ids: number[]) => act(async () => redriveSummary(await failedIngestsApi.redriveMany(client, ids))),
  };
}

function ActionNotice({ notice, failure }: { notice: { ok: string | null; failed: Array<[string, string]> } | null; failure: unknown }) {
  return (
    <>
      {failure !== null && <ErrorState error={failure} compact />}
      {notice?.ok && (
        <p className="notice notice-success" role="status">
          {notice.ok}
        </p>
      )}
      {notice && notice.failed.length > 0 && (
        <div className="notice" role="alert">
          <p>Not sent again:</p>
          <ul>
            {notice.failed.map(([id, message]) => (
              <li key={id}>
                <Link to={`/failedingests/${id}`}>Failure {id}</Link>: {message}
              </li>
            ))}
          </ul>
        </div>
      )}
    </>
  );
}

export function FailedIngestListPage() {
  useTitle('Failed ingests');
  const { user } = useAuth();
  const manager = canRedrive(user);
  const [params, setParams] = useSearchParams();
  const limit = clampLimit(params.get('limit'));
  const offset = clampOffset(params.get('offset'));
  const query = useMemo(() => failedIngestQuery(params), [params]);
  const [version, setVersion] = useState(0);
  const key = `${pagePath(FAILED_INGESTS_PATH, limit, offset, query)}#${version}`;
  const list = useApi<Page<FailedIngest>>(key, (client, signal) => failedIngestsApi.list(client, limit, offset, query, signal));
  const [selected, setSelected] = useState<Set<number>>(new Set());
  const actions = useIngestActions(() => {
    setSelected(new Set());
    setVersion((v) => v + 1);
  });

  // A new page or new filters: nothing is selected.
  const listKey = pagePath(FAILED_INGESTS_PATH, limit, offset, query);
  useEffect(() => setSelected(new Set()), [listKey]);

  const rows = list.data?.results ?? [];
  const allSelected = rows.length > 0 && rows.every((r) => selected.has(r.id));
  const toggle = (id: number, on: boolean) =>
    setSelected((prev) => {
      const next = new Set(prev);
      if (on) next.add(id);
      else next.delete(id);
      return next;
    });

  const setPage = (nextOffset: number, nextLimit: number) =>
    setParams((prev) => {
      const next = new URLSearchParams(prev);
      if (nextOffset > 0) next.set('offset', String(nextOffset));
      else next.delete('offset');
      if (nextLimit !== DEFAULT_PAGE_SIZE) next.set('limit', String(nextLimit));
      else next.delete('limit');
      return next;
    });

  const apply = (next: URLSearchParams) => {
    actions.clear();
    if (limit !== DEFAULT_PAGE_SIZE) next.set('limit', String(limit));
    setParams(next);
  };

  const removeFilter = (name: string) =>
    setParams((prev) => {
      const next = new URLSearchParams(prev);
      next.delete(name);
      next.delete('offset');
      return next;
    });

  const chips = [...params.entries()].filter(([k, v]) => k !== 'limit' && k !== 'offset' && (v !== '' || k === 'resolved'));

  const columns: Column<FailedIngest>[] = [];
  if (manager) {
    columns.push({
      key: 'select',
      header: 'Select',
      className: 'select-cell',
      render: (r) => (
        <input
          type="checkbox"
          checked={selected.has(r.id)}
          onChange={(e) => toggle(r.id, e.target.checked)}
          aria-label={`Select failure ${r.id}`}
        />
      ),
    });
  }
  columns.push(
    { key: 'id', header: 'ID', render: (r) => <Link to={`/failedingests/${r.id}`}>{r.id}</Link> },
    { key: 'queue', header: 'Queue', render: (r) => <code>{r.queue}</code> },
    {
      key: 'reason',
      header: 'Reason',
      render: (r) => (
        <>
          <span className="badge">{r.reason}</span>
          {r.http_status != null && <span className="muted"> HTTP {r.http_status}</span>}
          {r.detail && (
            <span className="cell-note clip" title={r.detail}>
              {r.detail}
            </span>
          )}
        </>
      ),
    },
    { key: 'object', header: 'Object', render: (r) => <ObjectCell row={r} /> },
    {
      key: 'last_seen',
      header: 'Last seen',
      className: 'nowrap',
      render: (r) => (
        <>
          {formatDateTime(r.last_seen)}
          <span className="cell-note">received {r.receive_count}×</span>
        </>
      ),
    },
    { key: 'status', header: 'Status', render: (r) => <StatusBadge row={r} /> },
  );
  if (manager) {
    columns.push({
      key: 'actions',
      header: 'Actions',
      render: (r) => (
        <span className="link-row">
          <button
            type="button"
            className="button button-small"
            disabled={actions.pending}
            onClick={() => void actions.redrive(r.id)}
            aria-label={`Redrive failure ${r.id}`}
          >
            Redrive
          </button>
          {!r.resolved_at && (
            <button
              type="button"
              className="button button-small"
              disabled={actions.pending}
              onClick={() => void actions.resolve(r.id)}
              aria-label={`Resolve failure ${r.id}`}
            >
              Resolve
            </button>
          )}
        </span>
      ),
    });
  }

  const status = query.resolved === 'true' ? 'true' : query.resolved === 'false' ? 'false' : '';
  const caption = `${STATUS_LABELS[status]} failed ingests`;

  return (
    <div className="page">
      <header className="page-head">
        <h1>Failed ingests</h1>
        <p className="muted">
          Messages the queue forwarders could not ingest (bad JSON, a missing S3 object, a refused report…), newest first.
          {manager ? ' Redrive sends a stored message to its queue again; resolve marks a failure as handled.' : ''}
        </p>
      </header>
      <FailedIngestFilterForm key={params.toString()} query={query} onApply={apply} />
      <FilterChips filters={chips} onRemove={removeFilter} />
      <ActionNotice notice={actions.notice} failure={actions.failure} />
      {list.error ? (
        <ErrorState error={list.error} onRetry={list.reload} />
      ) : !list.data ? (
        <Loading label="Loading failed ingests…" />
      ) : (
        <div className="list-view">
          {manager && (
            <div className="toolbar bulk-actions" role="group" aria-label="Selected failures">
              <label className="field-checkbox">
                <input
                  type="checkbox"
                  checked={allSelected}
                  disabled={!rows.length}
                  onChange={(e) => setSelected(e.target.checked ? new Set(rows.map((r) => r.id)) : new Set())}
                />{' '}
                Select all on this page
              </label>
              <button
                type="button"
                className="button button-primary"
                disabled={!selected.size || actions.pending}
                onClick={() => void actions.redriveMany([...selected].sort((a, b) => a - b))}
              >
                {actions.pending ? 'Working…' : `Redrive selected (${selected.size})`}
              </button>
            </div>
          )}
          {list.loading && <Loading inline label="Updating…" />}
          <DataTable
            columns={columns}
            rows={rows}
            caption={caption}
            captionHidden
            busy={list.loading}
            emptyMessage={status === 'false' ? 'No unresolved failure: everything was ingested.' : 'No failure matches.'}
          />
          <Pagination
            count={list.data.count}
            limit={limit}
            offset={offset}
            next={list.data.next}
            previous={list.data.previous}
            onChange={setPage}
            label="Failed ingests pages"
            disabled={list.loading}
          />
        </div>
      )}
    </div>
  );
}

function KV({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div className="kv-row">
      <dt>{label}</dt>
      <dd>{children}</dd>
    </div>
  );
}

/** The SQS `Body` of a stored message, parsed when it is JSON. */
function parsedBody(message: unknown): unknown {
  if (!message || typeof message !== 'object') return undefined;
  const body = (message as { Body?: unknown }).Body;
  if (typeof body !== 'string') return undefined;
  try {
    return JSON.parse(body) as unknown;
  } catch {
    return undefined;
  }
}

export function FailedIngestDetailPage() {
  const { id = '' } = useParams();
  const { user } = useAuth();
  const manager = canRedrive(user);
  const [version, setVersion] = useState(0);
  const { data: row, error, reload } = useApi<FailedIngest>(`${FAILED_INGESTS_PATH}${id}/#${version}`, (client, signal) =>
    failedIngestsApi.get(client, id, signal),
  );
  useTitle(`Failed ingest ${id}`);
  const actions = useIngestActions(() => setVersion((v) => v + 1));
  const body = row ? parsedBody(row.message) : undefined;

  return (
    <div className="page">
      <nav aria-label="Breadcrumb" className="breadcrumb">
        <Link to="/failedingests">Failed ingests</Link> <span aria-hidden="true">/</span> {id}
      </nav>
      <header className="page-head page-head-row">
        <div>
          <h1>Failed ingest {id}</h1>
          {row && (
            <p className="muted">
              <code>{row.queue}</code> · {row.reason}
            </p>
          )}
        </div>
        {row && manager && (
          <div className="page-actions">
            <button type="button" className="button button-primary" disabled={actions.pending} onClick={() => void actions.redrive(row.id)}>
              Redrive
            </button>
            {!row.resolved_at && (
              <button type="button" className="button" disabled={actions.pending} onClick={() => void actions.resolve(row.id)}>
                Resolve
              </button>
            )}
          </div>
        )}
      </header>
      <ActionNotice notice={actions.notice} failure={actions.failure} />
      {error ? (
        <ErrorState error={error} onRetry={reload} />
      ) : !row ? (
        <Loading />
      ) : (
        <>
          <section className="card" aria-labelledby="summary-title">
            <h2 id="summary-title">Summary</h2>
            <dl className="kv">
              <KV label="Queue">
                <code>{row.queue}</code>
              </KV>
              <KV label="Reason">
                <span className="badge">{row.reason}</span>
              </KV>
              <KV label="Detail">{row.detail || '—'}</KV>
              <KV label="HTTP status">{row.http_status ?? '—'}</KV>
              <KV label="Bucket">{row.bucket ? <code>{row.bucket}</code> : '—'}</KV>
              <KV label="Key">
                {row.key ? (
                  <>
                    <code className="break-all">{row.key}</code> <CopyButton text={row.key} ariaLabel="Copy key" />
                  </>
                ) : (
                  '—'
                )}
              </KV>
              <KV label="Message ID">
                <code>{row.message_id}</code>
              </KV>
              <KV label="Received">{row.receive_count}×</KV>
              <KV label="First seen">{formatDateTime(row.first_seen)}</KV>
              <KV label="Last seen">{formatDateTime(row.last_seen)}</KV>
              <KV label="Status">
                <StatusBadge row={row} />
              </KV>
              <KV label="Resolved">
                {row.resolved_at ? (
                  <>
                    {formatDateTime(row.resolved_at)}
                    {typeof row.resolved_by === 'number' && <span className="muted"> by user {row.resolved_by}</span>}
                  </>
                ) : (
                  'No'
                )}
              </KV>
              <KV label="Sent again">
                {row.redrive_count > 0 ? `${row.redrive_count}×, last ${formatDateTime(row.redriven_at)}` : 'Never'}
              </KV>
            </dl>
          </section>
          <section className="card" aria-labelledby="excerpt-title">
            <h2 id="excerpt-title">Body excerpt</h2>
            <CodeBlock title="The start of the message body, as received" code={row.body_excerpt} />
          </section>
          <section className="card" aria-labelledby="message-title">
            <h2 id="message-title">Message</h2>
            {row.message === undefined || row.message === null ? (
              <p className="muted">No stored message: this failure cannot be sent again.</p>
            ) : (
              <JsonTree value={row.message} name="message" expandDepth={2} copyable />
            )}
            {body !== undefined && (
              <>
                <h3>Body, parsed</h3>
                <JsonTree value={body} name="Body" expandDepth={1} copyable />
              </>
            )}
          </section>
        </>
      )}
    </div>
  );
}
