import { useState } from 'react';
import { Link, useLocation, useNavigate, useParams } from 'react-router';
import { apiGet } from '../../api/client';
import { DEFAULT_PAGE_SIZE } from '../../api/pagination';
import { canDevelop } from '../../api/roles';
import { formatBytes, S3FILE_FILTERS, S3FILES_PATH, s3filesApi, type S3FileQuery } from '../../api/s3files';
import type { S3File } from '../../api/schemas';
import { CopyButton } from '../../components/CopyButton';
import type { Column } from '../../components/DataTable';
import { Detail, DetailList } from '../../components/DetailList';
import { ErrorState } from '../../components/ErrorState';
import { FilterChips } from '../../components/FilterChips';
import { FilterPanel } from '../../components/FilterPanel';
import { CheckboxField, TextField } from '../../components/FormField';
import { JsonTree } from '../../components/JsonTree';
import { ListView } from '../../components/ListView';
import { Breadcrumb, Loaded } from '../../components/Loaded';
import { ConfirmDialog } from '../../components/Modal';
import { MultiSelect } from '../../components/MultiSelect';
import { useApi } from '../../hooks/useApi';
import { useFilterDraft } from '../../hooks/useFilterDraft';
import { usePageParams } from '../../hooks/usePageParams';
import { useSubmit } from '../../hooks/useSubmit';
import { useTitle } from '../../hooks/useTitle';
import { formatDateTime } from '../../lib/format';
import { isoToLocalInput, localInputToIso } from '../../lib/time';
import { useAuth, useClient } from '../../services';
import { fileName, RelatedFiles, RelatedObjects, Tags } from '../events/related';

/** The list's query from the address: the form's filters, and an `ordering` kept as it is. */
const QUERY_KEYS = [...S3FILE_FILTERS, 'ordering'] as const satisfies ReadonlyArray<keyof S3FileQuery>;
type Filters = Partial<Record<(typeof QUERY_KEYS)[number], string>>;

const EVENT_TAGS = apiGet('/api/v1/events/tags/');

const splitList = (text: string) =>
  text
    .split(/[\s,]+/)
    .map((s) => s.trim())
    .filter(Boolean);

interface Draft {
  key: string;
  filetype: string;
  tags: string[];
  uuid: string;
  deleted: boolean;
  created_after: string;
  created_before: string;
}

function draftOf(filters: Filters): Draft {
  return {
    key: filters.key ?? '',
    filetype: filters.filetype ?? '',
    tags: filters.tags ? splitList(filters.tags) : [],
    uuid: filters.uuid ? splitList(filters.uuid).join(', ') : '',
    deleted: filters.deleted === 'true' || filters.deleted === '1',
    created_after: isoToLocalInput(filters.created_after),
    created_before: isoToLocalInput(filters.created_before),
  };
}

function draftToParams(draft: Draft, previous: Filters): URLSearchParams {
  const params = new URLSearchParams();
  // Parameters the form does not edit (ordering=…) stay as they were.
  if (previous.ordering) params.set('ordering', previous.ordering);
  if (draft.key.trim()) params.set('key', draft.key.trim());
  if (draft.filetype.trim()) params.set('filetype', draft.filetype.trim());
  if (draft.tags.length) params.set('tags', draft.tags.join(','));
  const uuids = splitList(draft.uuid);
  if (uuids.length) params.set('uuid', uuids.join(','));
  if (draft.deleted) params.set('deleted', 'true');
  // An unchanged time keeps the address's own value (also one the form cannot show).
  for (const key of ['created_after', 'created_before'] as const) {
    const before = previous[key];
    const value = before && draft[key] === isoToLocalInput(before) ? before : localInputToIso(draft[key]);
    if (value) params.set(key, value);
  }
  return params;
}

function S3FileFilterForm({ filters, onApply }: { filters: Filters; onApply: (params: URLSearchParams) => void }) {
  const { draft, set, dirty, submit, reset } = useFilterDraft(draftOf(filters), (d) => onApply(draftToParams(d, filters)));
  const tags = useApi(EVENT_TAGS);
  const tagOptions = (tags.data?.tags ?? []).map((t) => ({ value: t, label: t })).sort((a, b) => a.label.localeCompare(b.label));

  return (
    <FilterPanel
      label="Filter S3 files"
      summary={Object.entries(filters).map(([k, v]) => `${k}=${v}`)}
      onSubmit={submit}
      onClear={() => reset(draftOf({}))}
      dirty={dirty}
      note="Times are on your computer's clock."
      storageKey="hds.s3files.filters-open"
    >
      <div className="filter-grid">
        <TextField label="Key contains" value={draft.key} onChange={(e) => set('key', e.target.value)} placeholder="e.g. hv011_" spellCheck={false} />
        <TextField label="File type contains" value={draft.filetype} onChange={(e) => set('filetype', e.target.value)} placeholder="e.g. logs" spellCheck={false} />
        <MultiSelect
          label="Event tags"
          placeholder="Any tags"
          options={tagOptions}
          value={draft.tags}
          onChange={(v) => set('tags', v)}
          loading={tags.loading}
          loadError={tags.error ? 'The tags could not be loaded.' : null}
          allowCustom={(t) => t.length > 0}
          hint="The file's event must carry all of them."
        />
        <TextField
          label="Event UUIDs"
          value={draft.uuid}
          onChange={(e) => set('uuid', e.target.value)}
          spellCheck={false}
          hint="Comma-separated."
        />
        <TextField label="Created after" type="datetime-local" value={draft.created_after} onChange={(e) => set('created_after', e.target.value)} />
        <TextField label="Created before" type="datetime-local" value={draft.created_before} onChange={(e) => set('created_before', e.target.value)} />
        <CheckboxField
          label="Show deleted"
          checked={draft.deleted}
          onChange={(e) => set('deleted', e.target.checked)}
          hint="Lists the deleted files instead."
        />
      </div>
    </FilterPanel>
  );
}

/** The pre-signed download link, or why there is none. */
function DownloadLink({ file, className = 'download-link' }: { file: S3File; className?: string }) {
  if (!file.file) return <span className="muted">{file.deleted ? 'deleted' : 'no link'}</span>;
  const name = fileName(file.key) || fileName(file.file);
  return (
    <a href={file.file} download={name || true} target="_blank" rel="noopener noreferrer" className={className}>
      Download<span className="visually-hidden"> {file.key}</span>
    </a>
  );
}

function EventLink({ file }: { file: S3File }) {
  const event = file.event;
  if (!event) return <span className="muted">—</span>;
  return (
    <Link to={`/events/${event.id}`}>
      <code>{event.UUID}</code>
    </Link>
  );
}

/** Delete with confirmation: DELETE `s3files/{id}/`. A 403 is shown in the dialog. */
function useDeleteS3File(onDeleted: (file: S3File) => void) {
  const client = useClient();
  const [target, setTarget] = useState<S3File | null>(null);
  const { pending, failure, run } = useSubmit();

  const confirm = async () => {
    if (!target) return;
    const result = await run(() => s3filesApi.remove(client, target.id));
    if (result.ok) {
      const done = target;
      setTarget(null);
      onDeleted(done);
    }
  };

  const dialog = target ? (
    <ConfirmDialog
      title={`Delete S3 file ${target.id}?`}
      confirmLabel="Delete file"
      pendingLabel="Deleting…"
      danger
      pending={pending}
      error={failure !== null ? <ErrorState error={failure} compact /> : undefined}
      onConfirm={() => void confirm()}
      onCancel={() => setTarget(null)}
    >
      <p>
        The object <code className="break-all">{target.key}</code> is removed from the bucket <code>{target.bucket}</code> and the
        file is marked deleted. This cannot be undone.
      </p>
    </ConfirmDialog>
  ) : null;

  return { ask: setTarget, dialog };
}

export function S3FileListPage() {
  useTitle('S3 files');
  const { user } = useAuth();
  const { setParams, limit, offset, filters, setPage, clearFilter } = usePageParams(QUERY_KEYS);
  const location = useLocation();
  const [version, setVersion] = useState(0);
  const [flash, setFlash] = useState<string | null>(
    () => (location.state as { flash?: string } | null)?.flash ?? null,
  );
  const mayDelete = canDevelop(user);
  const { ask, dialog } = useDeleteS3File((f) => {
    setFlash(`S3 file ${f.id} deleted.`);
    setVersion((v) => v + 1);
  });

  const apply = (next: URLSearchParams) => {
    setFlash(null);
    if (limit !== DEFAULT_PAGE_SIZE) next.set('limit', String(limit));
    setParams(next);
  };

  const columns: Column<S3File>[] = [
    { key: 'id', header: 'ID', render: (f) => <Link to={`/s3files/${f.id}`}>{f.id}</Link> },
    {
      key: 'key',
      header: 'Key',
      render: (f) => (
        <code className="clip" title={f.key}>
          {f.key}
        </code>
      ),
    },
    { key: 'filetype', header: 'Type', render: (f) => f.filetype || '—' },
    { key: 'event', header: 'Event UUID', render: (f) => <EventLink file={f} /> },
    { key: 'created', header: 'Created', render: (f) => formatDateTime(f.created) },
    { key: 'size', header: 'Size', render: (f) => formatBytes(f.size), className: 'nowrap' },
    { key: 'file', header: 'Download', render: (f) => <DownloadLink file={f} /> },
  ];
  if (mayDelete) {
    columns.push({
      key: 'actions',
      header: 'Actions',
      render: (f) =>
        f.deleted ? (
          <span className="badge badge-muted">deleted</span>
        ) : (
          <button type="button" className="button button-small button-danger" onClick={() => ask(f)} aria-label={`Delete S3 file ${f.id}`}>
            Delete
          </button>
        ),
    });
  }

  const showingDeleted = filters.deleted === 'true' || filters.deleted === '1';

  return (
    <div className="page">
      <header className="page-head">
        <h1>S3 files</h1>
        <p className="muted">
          Files the harvesters uploaded to S3, each tied to an <Link to="/events">event</Link>. Download links are pre-signed
          and valid for 15 minutes: reload the page for fresh ones.
        </p>
      </header>
      <S3FileFilterForm filters={filters} onApply={apply} />
      <FilterChips filters={filters} onRemove={clearFilter} />
      {flash && (
        <p className="notice notice-success" role="status">
          {flash}
        </p>
      )}
      <ListView
        key={version}
        path={S3FILES_PATH}
        query={filters}
        columns={columns}
        caption={showingDeleted ? 'Deleted S3 files' : 'S3 files'}
        captionHidden
        limit={limit}
        offset={offset}
        onPageChange={setPage}
        emptyMessage={showingDeleted ? 'No deleted file matches.' : 'No S3 file matches.'}
      />
      {dialog}
    </div>
  );
}

export function S3FileDetailPage() {
  const { id = '' } = useParams();
  const navigate = useNavigate();
  const { user } = useAuth();
  const { data: file, error, reload } = useApi(apiGet('/api/v1/s3files/{id}/', { path: { id } }));
  useTitle(`S3 file ${id}`);
  const { ask, dialog } = useDeleteS3File((f) =>
    navigate('/s3files', { replace: true, state: { flash: `S3 file ${f.id} deleted.` } }),
  );

  return (
    <div className="page">
      <Breadcrumb to="/s3files" label="S3 files">
        {id}
      </Breadcrumb>
      <header className="page-head page-head-row">
        <div>
          <h1>S3 file {id}</h1>
          {file && (
            <p className="muted">
              <code className="break-all">{file.key}</code>
            </p>
          )}
        </div>
        {file && (
          <div className="page-actions">
            {file.file && <DownloadLink file={file} className="button button-primary download-link" />}
            {canDevelop(user) && !file.deleted && (
              <button type="button" className="button button-danger" onClick={() => ask(file)}>
                Delete
              </button>
            )}
          </div>
        )}
      </header>
      <Loaded data={file} error={error} reload={reload}>
        {(file) => (
            <>
              <section className="card" aria-labelledby="summary-title">
                <h2 id="summary-title">Summary</h2>
                <DetailList>
                  <Detail label="Key">
                    <code className="break-all">{file.key}</code> <CopyButton text={file.key} ariaLabel="Copy key" />
                  </Detail>
                  <Detail label="Bucket">
                    <code>{file.bucket}</code>
                  </Detail>
                  <Detail label="File type">{file.filetype || '—'}</Detail>
                  <Detail label="Size">
                    {formatBytes(file.size)}
                    {typeof file.size === 'number' && file.size >= 1024 && <span className="muted"> ({file.size.toLocaleString()} bytes)</span>}
                  </Detail>
                  <Detail label="ETag">{file.etag ? <code>{file.etag}</code> : '—'}</Detail>
                  <Detail label="Deleted">{file.deleted ? <span className="badge badge-error">deleted</span> : 'No'}</Detail>
                  <Detail label="Download">
                    <DownloadLink file={file} />
                  </Detail>
                  <Detail label="Created">{formatDateTime(file.created)}</Detail>
                  <Detail label="Last modified">{formatDateTime(file.lastModified)}</Detail>
                </DetailList>
              </section>
              <section className="card" aria-labelledby="event-title">
                <h2 id="event-title">Event</h2>
                {file.event ? (
                  <>
                    <DetailList>
                      <Detail label="UUID">
                        <EventLink file={file} /> <CopyButton text={file.event.UUID} ariaLabel="Copy event UUID" />
                      </Detail>
                      <Detail label="Tags">
                        <Tags tags={file.event.tags} />
                      </Detail>
                    </DetailList>
                    <h3>Related objects</h3>
                    <RelatedObjects objects={file.event.related_objects} />
                    <h3>Related files</h3>
                    <RelatedFiles files={file.event.related_files} caption="Files of the event" />
                  </>
                ) : (
                  <p className="muted">No event.</p>
                )}
              </section>
              <section className="card" aria-labelledby="json-title">
                <h2 id="json-title">JSON</h2>
                <JsonTree value={file} expandDepth={1} copyable />
              </section>
            </>
        )}
      </Loaded>
      {dialog}
    </div>
  );
}
