import { useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import { apiGet, type ApiRequest } from '../../api/client';
import type { ListQuery } from '../../api/contract';
import type { HdsEvent, PickSession, RelatedFile, TagList } from '../../api/schemas';
import { CopyButton } from '../../components/CopyButton';
import type { Column } from '../../components/DataTable';
import { Detail, DetailList } from '../../components/DetailList';
import { FilterChips } from '../../components/FilterChips';
import { TextField } from '../../components/FormField';
import { JsonTree } from '../../components/JsonTree';
import { ListView } from '../../components/ListView';
import { Breadcrumb, Loaded } from '../../components/Loaded';
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
  /** `events/tags/` or `picksessions/tags/`: the tags in use. */
  tags: ApiRequest<TagList>;
  route: string;
  title: string;
  singular: string;
  description: string;
  other: { route: string; title: string };
}

const KINDS: Record<EventKind, KindDef> = {
  events: {
    tags: apiGet('/api/v1/events/tags/'),
    route: '/events',
    title: 'Events',
    singular: 'Event',
    description:
      'An event ties together everything that came from one thing happening on a harvester: reports, files, jobs. Search by UUID or by tags (all chosen tags must be present).',
    other: { route: '/picksessions', title: 'Pick sessions' },
  },
  picksessions: {
    tags: apiGet('/api/v1/picksessions/tags/'),
    route: '/picksessions',
    title: 'Pick sessions',
    singular: 'Pick session',
    description: 'A pick session groups the reports of one picking session.',
    other: { route: '/events', title: 'Events' },
  },
};

type Row = HdsEvent | PickSession;

/** The filters of both lists that the address may hold. */
const FILTERS = ['UUID', 'tags', 'created_after', 'created_before', 'ordering'] as const satisfies ReadonlyArray<
  keyof ListQuery<'/api/v1/events/'> & keyof ListQuery<'/api/v1/picksessions/'>
>;
type Filters = Partial<Record<(typeof FILTERS)[number], string>>;

function FileLinks({ files }: { files: RelatedFile[] | undefined }) {
  const list = (files ?? []).filter((f) => f.url);
  if (!list.length) return <span className="muted">—</span>;
  return (
    <span className="link-row">
      {list.map((f, i) => (
        <a key={`${f.url}-${i}`} href={f.url ?? undefined} download={fileName(f.url) || true} target="_blank" rel="noopener noreferrer" title={fileName(f.url)}>
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
      { key: 'harvester', header: 'Harvester', render: (r) => 'harvester' in r && <HarvesterLink harvester={r.harvester} /> },
      { key: 'location', header: 'Location', render: (r) => 'location' in r && <LocationLink location={r.location} /> },
      { key: 'start_time', header: 'Start', render: (r) => 'start_time' in r && <ReportTime value={r.start_time} tz={DEFAULT_TZ} /> },
    );
  }
  columns.push(
    { key: 'related_objects', header: 'Related objects', render: (r) => <ObjectLinks row={r} /> },
    { key: 'related_files', header: 'Files', render: (r) => ('related_files' in r ? <FileLinks files={r.related_files} /> : '—') },
    { key: 'created', header: 'Created', render: (r) => formatDateTime(r.created) },
  );
  return columns;
}

function SearchForm({ kind, filters }: { kind: EventKind; filters: Filters }) {
  const navigate = useNavigate();
  const def = KINDS[kind];
  const [uuid, setUuid] = useState(filters.UUID ?? '');
  const [tags, setTags] = useState<string[]>(filters.tags ? filters.tags.split(',').filter(Boolean) : []);
  const available = useApi(def.tags);
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
        for (const [k, v] of Object.entries(filters)) if (k !== 'UUID' && k !== 'tags' && v) params.set(k, v);
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
  const { limit, offset, filters, setPage, clearFilter } = usePageParams(FILTERS);
  const list = {
    query: filters,
    caption: def.title,
    captionHidden: true,
    limit,
    offset,
    onPageChange: setPage,
    emptyMessage: `No ${def.title.toLowerCase()} match.`,
  };

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
      <FilterChips filters={filters} onRemove={clearFilter} />
      {kind === 'events' ? (
        <ListView path="/api/v1/events/" columns={columnsFor(kind)} {...list} />
      ) : (
        <ListView path="/api/v1/picksessions/" columns={columnsFor(kind)} {...list} />
      )}
    </div>
  );
}

export function EventDetailPage({ kind }: { kind: EventKind }) {
  const def = KINDS[kind];
  const { id = '' } = useParams();
  const events = useApi(kind === 'events' ? apiGet('/api/v1/events/{id}/', { path: { id } }) : null);
  const sessions = useApi(kind === 'picksessions' ? apiGet('/api/v1/picksessions/{id}/', { path: { id } }) : null);
  const { error, reload } = kind === 'events' ? events : sessions;
  const event = events.data;
  const session = sessions.data;
  const data: Row | undefined = event ?? session;
  useTitle(`${def.singular} ${id}`);

  return (
    <div className="page">
      <Breadcrumb to={def.route} label={def.title}>
        {id}
      </Breadcrumb>
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
      <Loaded data={data} error={error} reload={reload}>
        {(data) => (
            <>
              <section className="card" aria-labelledby="summary-title">
                <h2 id="summary-title">Summary</h2>
                <DetailList>
                  <Detail label="UUID">
                    <code>{data.UUID}</code> <CopyButton text={data.UUID} ariaLabel="Copy UUID" />
                  </Detail>
                  <Detail label="Tags">
                    <Tags tags={data.tags} />
                  </Detail>
                  {session && (
                    <>
                      <Detail label="Harvester">
                        <HarvesterLink harvester={session.harvester} />
                      </Detail>
                      <Detail label="Location">
                        <LocationLink location={session.location} />
                      </Detail>
                      <Detail label="Start time">
                        <ReportTime value={session.start_time} tz={DEFAULT_TZ} /> {session.start_time && <span className="muted">(US/Pacific)</span>}
                      </Detail>
                      <Detail label="Length">{session.session_length ?? '—'}</Detail>
                    </>
                  )}
                  {event && (
                    <Detail label="Secondary events">
                      {event.secondary_events.length ? (
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
                    </Detail>
                  )}
                  <Detail label="Created">{formatDateTime(data.created)}</Detail>
                  <Detail label="Last modified">{formatDateTime(data.lastModified)}</Detail>
                </DetailList>
              </section>
              <section className="card" aria-labelledby="objects-title">
                <h2 id="objects-title">Related objects</h2>
                <RelatedObjects objects={data.related_objects} />
              </section>
              {'related_files' in data && (
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
      </Loaded>
    </div>
  );
}
