import { useState } from 'react';
import { Link, useParams } from 'react-router';
import { apiGet, apiList } from '../../api/client';
import { FAILED_INGESTS_PATH, failedIngestsApi, INGEST_QUEUES, INGEST_REASONS, type FailedIngestQuery } from '../../api/failedingests';
import { DEFAULT_PAGE_SIZE, pickParams } from '../../api/pagination';
import { canRedrive } from '../../api/roles';
import type { FailedIngest, RedriveResult } from '../../api/schemas';
import { CodeBlock } from '../../components/CodeBlock';
import { CopyButton } from '../../components/CopyButton';
import { DataTable, type Column } from '../../components/DataTable';
import { Detail, DetailList } from '../../components/DetailList';
import { ErrorState } from '../../components/ErrorState';
import { FilterChips } from '../../components/FilterChips';
import { FilterPanel } from '../../components/FilterPanel';
import { SelectField, TextField } from '../../components/FormField';
import { JsonTree } from '../../components/JsonTree';
import { Breadcrumb, Loaded } from '../../components/Loaded';
import { Loading } from '../../components/Loading';
import { MultiSelect } from '../../components/MultiSelect';
import { Pagination } from '../../components/Pagination';
import { useApi } from '../../hooks/useApi';
import { useFilterDraft } from '../../hooks/useFilterDraft';
import { usePageParams } from '../../hooks/usePageParams';
import { useSubmit } from '../../hooks/useSubmit';
import { useTitle } from '../../hooks/useTitle';
import { formatDateTime } from '../../lib/format';
import { isoToLocalInput, localInputToIso } from '../../lib/time';
import { useAuth, useClient } from '../../services';

const FORM_KEYS = ['queue', 'reason', 'resolved', 'since', 'until'] as const satisfies ReadonlyArray<keyof FailedIngestQuery>;
/** The list's query from the address: the form's filters, and an `ordering` kept as it is. */
const QUERY_KEYS = [...FORM_KEYS, 'ordering'] as const satisfies ReadonlyArray<keyof FailedIngestQuery>;
type Filters = Pick<FailedIngestQuery, (typeof QUERY_KEYS)[number]>;

/**
 * The API query of the list: the address's query string, where a missing `resolved`
 * means the default view (`resolved=false`) and an empty `resolved=` means all.
 */
export function failedIngestQuery(params: URLSearchParams): Filters {
  const out: Filters = pickParams(params, QUERY_KEYS);
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

function draftOf(query: Filters): Draft {
  const resolved = query.resolved === 'true' || query.resolved === '1' ? 'true' : query.resolved === undefined ? '' : 'false';
  return {
    queue: splitList(query.queue),
    reason: splitList(query.reason),
    resolved,
    since: isoToLocalInput(query.since),
    until: isoToLocalInput(query.until),
  };
}

function draftToParams(draft: Draft, previous: Filters): URLSearchParams {
  const params = new URLSearchParams();
  // Parameters the form does not edit (ordering=…) stay as they were.
  if (previous.ordering) params.set('ordering', previous.ordering);
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

const CLEARED: Draft = { queue: [], reason: [], resolved: 'false', since: '', until: '' };

const options = (values: readonly string[]) => values.map((v) => ({ value: v, label: v }));

function FailedIngestFilterForm({ query, onApply }: { query: Filters; onApply: (params: URLSearchParams) => void }) {
  const { draft, set, dirty, submit, reset } = useFilterDraft(draftOf(query), (d) => onApply(draftToParams(d, query)));

  return (
    <FilterPanel
      label="Filter failed ingests"
      summary={Object.entries(query).map(([k, v]) => `${k}=${v}`)}
      onSubmit={submit}
      onClear={() => reset(CLEARED)}
      dirty={dirty}
      note="Times are on your computer's clock."
      storageKey="hds.failedingests.filters-open"
    >
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
    </FilterPanel>
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
  const failed = Object.entries(result.failed);
  const sent = result.redriven;
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

const NOTHING_SELECTED: ReadonlySet<number> = new Set();

export function FailedIngestListPage() {
  useTitle('Failed ingests');
  const { user } = useAuth();
  const manager = canRedrive(user);
  const { params, setParams, limit, offset, setPage, clearFilter } = usePageParams();
  const query = failedIngestQuery(params);
  const request = apiList(FAILED_INGESTS_PATH, { limit, offset, query });
  const list = useApi(request);
  // The selection belongs to one page of one list: a new page or new filters select nothing.
  const [selection, setSelection] = useState({ key: request.key, ids: NOTHING_SELECTED });
  const selected = selection.key === request.key ? selection.ids : NOTHING_SELECTED;
  const select = (ids: ReadonlySet<number>) => setSelection({ key: request.key, ids });
  const actions = useIngestActions(() => {
    select(NOTHING_SELECTED);
    list.reload();
  });

  const rows = list.data?.results ?? [];
  const allSelected = rows.length > 0 && rows.every((r) => selected.has(r.id));
  const toggle = (id: number, on: boolean) => {
    const next = new Set(selected);
    if (on) next.add(id);
    else next.delete(id);
    select(next);
  };

  const apply = (next: URLSearchParams) => {
    actions.clear();
    if (limit !== DEFAULT_PAGE_SIZE) next.set('limit', String(limit));
    setParams(next);
  };

  // `resolved=` (all) is a filter too, although it is empty.
  const chips = Object.fromEntries(
    [...params].filter(([k, v]) => (QUERY_KEYS as readonly string[]).includes(k) && (v !== '' || k === 'resolved')),
  );

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
      <FailedIngestFilterForm query={query} onApply={apply} />
      <FilterChips filters={chips} onRemove={clearFilter} />
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
                  onChange={(e) => select(e.target.checked ? new Set(rows.map((r) => r.id)) : NOTHING_SELECTED)}
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
  const { data: row, error, reload } = useApi(apiGet('/api/v1/failedingests/{id}/', { path: { id } }));
  useTitle(`Failed ingest ${id}`);
  const actions = useIngestActions(reload);
  const body = row ? parsedBody(row.message) : undefined;

  return (
    <div className="page">
      <Breadcrumb to="/failedingests" label="Failed ingests">
        {id}
      </Breadcrumb>
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
      <Loaded data={row} error={error} reload={reload}>
        {(row) => (
            <>
              <section className="card" aria-labelledby="summary-title">
                <h2 id="summary-title">Summary</h2>
                <DetailList>
                  <Detail label="Queue">
                    <code>{row.queue}</code>
                  </Detail>
                  <Detail label="Reason">
                    <span className="badge">{row.reason}</span>
                  </Detail>
                  <Detail label="Detail">{row.detail || '—'}</Detail>
                  <Detail label="HTTP status">{row.http_status ?? '—'}</Detail>
                  <Detail label="Bucket">{row.bucket ? <code>{row.bucket}</code> : '—'}</Detail>
                  <Detail label="Key">
                    {row.key ? (
                      <>
                        <code className="break-all">{row.key}</code> <CopyButton text={row.key} ariaLabel="Copy key" />
                      </>
                    ) : (
                      '—'
                    )}
                  </Detail>
                  <Detail label="Message ID">
                    <code>{row.message_id}</code>
                  </Detail>
                  <Detail label="Received">{row.receive_count}×</Detail>
                  <Detail label="First seen">{formatDateTime(row.first_seen)}</Detail>
                  <Detail label="Last seen">{formatDateTime(row.last_seen)}</Detail>
                  <Detail label="Status">
                    <StatusBadge row={row} />
                  </Detail>
                  <Detail label="Resolved">
                    {row.resolved_at ? (
                      <>
                        {formatDateTime(row.resolved_at)}
                        {typeof row.resolved_by === 'number' && <span className="muted"> by user {row.resolved_by}</span>}
                      </>
                    ) : (
                      'No'
                    )}
                  </Detail>
                  <Detail label="Sent again">
                    {row.redrive_count > 0 ? `${row.redrive_count}×, last ${formatDateTime(row.redriven_at)}` : 'Never'}
                  </Detail>
                </DetailList>
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
      </Loaded>
    </div>
  );
}
