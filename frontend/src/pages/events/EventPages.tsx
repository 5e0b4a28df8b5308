import { useState, type ReactNode } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import type { HdsEvent, PickSession, RelatedFile } from '../../api/hds';
import { CopyButton } from '../../components/CopyButton';
import type { Column } from '../../components/DataTable';
import { ErrorState } from '../../components/ErrorState';
import { TextField } from '../../components/FormField';
import { JsonTree } from '../../components/JsonTree';
import { ListView } from '../../components/ListView';
import { Loading } from '../../components/Loading';
import { MultiSelect } from '../../components/MultiSelect';
import { useApi } from '../../hooks/useApi';
import { usePageParams } from '../../hooks/usePageParams';
import { useTitle } from '../../hooks/useTitle';
import { formatDateTime } from '../../lib/format';
import { DEFAULT_TZ } from '../../lib/time';
import { HarvesterLink, LocationLink, ReportTime } from '../errorreports/common';
import { fileName, RelatedFiles, RelatedObjects, Tags } from './related';

export type EventKind = 'events' | 'picksessions';

interface KindDef {
  api: string;
  route: string;
  title: string;
  singular: string;
  description: string;
  other: { route: string; title: string };
}

const KINDS: Record<EventKind, KindDef> = {
  events: {
    api: 'events/',
    route: '/events',
    title: 'Events',
    singular: 'Event',
    description:
      'An event ties together everything that came from one thing happening on a harvester: reports, files, jobs. Search by UUID or by tags (all chosen tags must be present).',
    other: { route: '/picksessions', title: 'Pick sessions' },
  },
  picksessions: {
    api: 'picksessions/',
    route: '/picksessions',
    title: 'Pick sessions',
    singular: 'Pick session',
    description: 'A pick session groups the reports of one picking session.',
    other: { route: '/events', title: 'Events' },
  },
};

type Row = HdsEvent | PickSession;

function FileLinks({ files }: { files: RelatedFile[] | undefined }) {
  const list = (files ?? []).filter((f) => f.url);
  if (!list.length) return <span className="muted">—</span>;
  return (
    <span className="link-row">
      {list.map((f, i) => (
        <a key={`${f.url}-${i}`} href={f.url!} download={fileName(f.url) || true} target="_blank" rel="noopener noreferrer" title={fileName(f.url)}>
          {f.filetype || 'file'}
        </a>
      ))}
    </span>
  );
}

function ObjectLinks({ row }: { row: Row }) {
  const list = row.related_objects ?? [];
  if (!list.length) return <span className="muted">—</span>;
  return (
    <span className="link-row">
      {list.map((o, i) => {
        const id = o.url?.match(/\/(\d+)\/?$/)?.[1];
        const text = `${o.object}${id ? ` ${id}` : ''}`;
        return o.url?.startsWith('/') ? (
          <Link key={`${o.url}-${i}`} to={o.url}>
            {text}
          </Link>
        ) : (
          <span key={`${o.url}-${i}`}>{text}</span>
        );
      })}
    </span>
  );
}

function columnsFor(kind: EventKind): Column<Row>[] {
  const def = KINDS[kind];
  const columns: Column<Row>[] = [
    { key: 'id', header: 'ID', render: (r) => <Link to={`${def.route}/${r.id}`}>{r.id}</Link> },
    { key: 'UUID', header: 'UUID', render: (r) => <Link to={`${def.route}/${r.id}`}><code>{r.UUID}</code></Link> },
    { key: 'tags', header: 'Tags', render: (r) => <Tags tags={r.tags} /> },
  ];
  if (kind === 'picksessions') {
    columns.push(
      { key: 'harvester', header: 'Harvester', render: (r) => <HarvesterLink harvester={(r as PickSession).harvester} /> },
      { key: 'location', header: 'Location', render: (r) => <LocationLink location={(r as PickSession).location} /> },
      { key: 'start_time', header: 'Start', render: (r) => <ReportTime value={(r as PickSession).start_time} tz={DEFAULT_TZ} /> },
    );
  }
  columns.push(
    { key: 'related_objects', header: 'Related objects', render: (r) => <ObjectLinks row={r} /> },
    { key: 'related_files', header: 'Files', render: (r) => <FileLinks files={r.related_files} /> },
    { key: 'created', header: 'Created', render: (r) => formatDateTime(r.created) },
  );
  return columns;
}

function SearchForm({ kind, filters }: { kind: EventKind; filters: Record<string, string> }) {
  const navigate = useNavigate();
  const def = KINDS[kind];
  const [uuid, setUuid] = useState(filters.UUID ?? '');
  const [tags, setTags] = useState<string[]>(filters.tags ? filters.tags.split(',').filter(Boolean) : []);
  const tagPath = `${def.api}tags/`;
  const available = useApi<{ tags: string[] }>(tagPath, (client, signal) => client.get<{ tags: string[] }>(tagPath, { signal }));
  const options = (available.data?.tags ?? []).map((t) => ({ value: t, label: t })).sort((a, b) => a.label.localeCompare(b.label));

  return (
    <form
      className="toolbar card"
      role="search"
      aria-label={`Search ${def.title.toLowerCase()}`}
      onSubmit={(e) => {
        e.preventDefault();
        const params = new URLSearchParams();
        // Other filters from the address (harv_ids, created_after…) are kept.
        for (const [k, v] of Object.entries(filters)) if (k !== 'UUID' && k !== 'tags') params.set(k, v);
        if (uuid.trim()) params.set('UUID', uuid.trim());
        if (tags.length) params.set('tags', tags.join(','));
        navigate({ search: params.toString() });
      }}
    >
      <TextField label="UUID" value={uuid} onChange={(e) => setUuid(e.target.value)} placeholder="exact UUID" spellCheck={false} />
      <MultiSelect
        label="Tags"
        placeholder="Any tags"
        options={options}
        value={tags}
        onChange={setTags}
        loading={available.loading}
        loadError={available.error ? 'The tags could not be loaded.' : null}
        allowCustom={(t) => t.length > 0}
      />
      <div className="field">
        <button type="submit" className="button button-primary">
          Search
        </button>
      </div>
    </form>
  );
}

export function EventListPage({ kind }: { kind: EventKind }) {
  const def = KINDS[kind];
  useTitle(def.title);
  const { limit, offset, filters, setPage, clearFilter } = usePageParams();
  const active = Object.entries(filters);

  return (
    <div className="page">
      <header className="page-head page-head-row">
        <div>
          <h1>{def.title}</h1>
          <p className="muted">{def.description}</p>
        </div>
        <Link to={def.other.route} className="button">
          {def.other.title}
        </Link>
      </header>
      <SearchForm key={JSON.stringify(filters)} kind={kind} filters={filters} />
      {active.length > 0 && (
        <div className="filters" aria-label="Active filters" role="group">
          <span className="muted">Filtered by</span>
          {active.map(([key, value]) => (
            <span className="chip" key={key}>
              <code>
                {key}={value}
              </code>
              <button type="button" className="chip-remove" onClick={() => clearFilter(key)} aria-label={`Remove filter ${key}`}>
                ×
              </button>
            </span>
          ))}
        </div>
      )}
      <ListView<Row>
        apiPath={def.api}
        query={filters}
        columns={columnsFor(kind)}
        caption={def.title}
        captionHidden
        limit={limit}
        offset={offset}
        onPageChange={setPage}
        emptyMessage={`No ${def.title.toLowerCase()} match.`}
      />
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

export function EventDetailPage({ kind }: { kind: EventKind }) {
  const def = KINDS[kind];
  const { id = '' } = useParams();
  const path = `${def.api}${encodeURIComponent(id)}/`;
  const { data, error, reload } = useApi<Row>(path, (client, signal) => client.get<Row>(path, { signal }));
  useTitle(`${def.singular} ${id}`);
  const session = kind === 'picksessions' ? (data as PickSession | undefined) : undefined;
  const event = kind === 'events' ? (data as HdsEvent | undefined) : undefined;

  return (
    <div className="page">
      <nav aria-label="Breadcrumb" className="breadcrumb">
        <Link to={def.route}>{def.title}</Link> <span aria-hidden="true">/</span> {id}
      </nav>
      <header className="page-head">
        <h1>
          {def.singular} {id}
        </h1>
        {data && (
          <p className="muted">
            <code>{data.UUID}</code>
          </p>
        )}
      </header>
      {error ? (
        <ErrorState error={error} onRetry={reload} />
      ) : !data ? (
        <Loading />
      ) : (
        <>
          <section className="card" aria-labelledby="summary-title">
            <h2 id="summary-title">Summary</h2>
            <dl className="kv">
              <KV label="UUID">
                <code>{data.UUID}</code> <CopyButton text={data.UUID} ariaLabel="Copy UUID" />
              </KV>
              <KV label="Tags">
                <Tags tags={data.tags} />
              </KV>
              {session && (
                <>
                  <KV label="Harvester">
                    <HarvesterLink harvester={session.harvester} />
                  </KV>
                  <KV label="Location">
                    <LocationLink location={session.location} />
                  </KV>
                  <KV label="Start time">
                    <ReportTime value={session.start_time} tz={DEFAULT_TZ} /> {session.start_time && <span className="muted">(US/Pacific)</span>}
                  </KV>
                  <KV label="Length">{session.session_length ?? '—'}</KV>
                </>
              )}
              {event && (
                <KV label="Secondary events">
                  {event.secondary_events?.length ? (
                    <span className="link-row">
                      {event.secondary_events.map((s) => (
                        <Link key={s} to={`/events/${s}`}>
                          Event {s}
                        </Link>
                      ))}
                    </span>
                  ) : (
                    '—'
                  )}
                </KV>
              )}
              <KV label="Created">{formatDateTime(data.created)}</KV>
              <KV label="Last modified">{formatDateTime(data.lastModified)}</KV>
            </dl>
          </section>
          <section className="card" aria-labelledby="objects-title">
            <h2 id="objects-title">Related objects</h2>
            <RelatedObjects objects={data.related_objects} />
          </section>
          {(kind === 'events' || (data.related_files?.length ?? 0) > 0) && (
            <section className="card" aria-labelledby="files-title">
              <h2 id="files-title">Related files</h2>
              <RelatedFiles files={data.related_files} />
            </section>
          )}
          <section className="card" aria-labelledby="json-title">
            <h2 id="json-title">JSON</h2>
            <JsonTree value={data} expandDepth={1} copyable />
          </section>
        </>
      )}
    </div>
  );
}
