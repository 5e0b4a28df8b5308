import { useState, type ReactNode } from 'react';
import { Link } from 'react-router';
import type { ApiObject } from '../../api/types';
import { DataTable } from '../../components/DataTable';
import { JsonTree } from '../../components/JsonTree';
import { ListView } from '../../components/ListView';
import { formatValue, isPlainObject } from '../../lib/format';
import { RESOURCES } from './definitions';

const errorReportColumns = RESOURCES.find((r) => r.key === 'errorreports')!.columns;

function RecentErrors({ item }: { item: ApiObject }) {
  const [page, setPage] = useState({ limit: 10, offset: 0 });
  const harvId = item.harv_id;
  if (harvId === undefined || harvId === null) return null;
  return (
    <section className="card" aria-labelledby="recent-errors-title">
      <div className="section-head">
        <h2 id="recent-errors-title">Recent error reports</h2>
        <Link to={`/errorreports?harv_ids=${encodeURIComponent(String(harvId))}`}>All error reports of this harvester →</Link>
      </div>
      <ListView<ApiObject>
        apiPath="errorreports/"
        query={{ harv_ids: String(harvId) }}
        columns={errorReportColumns}
        caption="Recent error reports"
        captionHidden
        limit={page.limit}
        offset={page.offset}
        onPageChange={(offset, limit) => setPage({ offset, limit })}
        emptyMessage="No error reports from this harvester."
      />
    </section>
  );
}

type Related = { url?: unknown; object?: unknown; filetype?: unknown; [key: string]: unknown };

function RelatedLink({ url, children }: { url: unknown; children: ReactNode }) {
  if (typeof url !== 'string' || !url) return <>{children}</>;
  // related_objects URLs are routes of this app; files are download URLs.
  if (url.startsWith('/')) return <Link to={url}>{children}</Link>;
  return (
    <a href={url} target="_blank" rel="noopener noreferrer">
      {children}
    </a>
  );
}

function RelatedItems({ event, title }: { event: Record<string, unknown>; title: string }) {
  const objects = Array.isArray(event.related_objects) ? (event.related_objects as Related[]) : [];
  const files = Array.isArray(event.related_files) ? (event.related_files as Related[]) : [];
  return (
    <section className="card" aria-label={title}>
      <h2>{title}</h2>
      {event.UUID !== undefined && (
        <p>
          UUID <code>{formatValue(event.UUID)}</code>
          {event.id !== undefined && (
            <>
              {' '}
              · <Link to={`/events/${encodeURIComponent(String(event.id))}`}>event page</Link>
            </>
          )}
        </p>
      )}
      <h3>Related objects</h3>
      {objects.length === 0 ? (
        <p className="muted">None.</p>
      ) : (
        <ul>
          {objects.map((o, i) => (
            <li key={i}>
              <RelatedLink url={o.url}>{formatValue(o.object ?? o.url)}</RelatedLink>
            </li>
          ))}
        </ul>
      )}
      <h3>Related files</h3>
      {files.length === 0 ? (
        <p className="muted">None.</p>
      ) : (
        <ul>
          {files.map((f, i) => (
            <li key={i}>
              <RelatedLink url={f.url}>
                {formatValue(f.filetype)} file
                {typeof f.url === 'string' ? ` (${decodeURIComponent(f.url.split('?')[0]?.split('/').pop() ?? '')})` : ''}
              </RelatedLink>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

type ExceptionRow = Record<string, unknown>;

function ErrorReportExtras({ item }: { item: ApiObject }) {
  const exceptions = Array.isArray(item.exceptions) ? (item.exceptions as ExceptionRow[]) : [];
  const event = isPlainObject(item.event) ? item.event : null;
  return (
    <>
      <section className="card" aria-labelledby="exceptions-title">
        <h2 id="exceptions-title">Exceptions</h2>
        <DataTable<ExceptionRow>
          caption="Exceptions"
          captionHidden
          rows={exceptions}
          emptyMessage="No exceptions extracted."
          columns={[
            {
              key: 'code',
              header: 'Code',
              render: (e) => (isPlainObject(e.code) ? formatValue(e.code.code) : formatValue(e.code)),
            },
            { key: 'name', header: 'Name', render: (e) => (isPlainObject(e.code) ? formatValue(e.code.name) : '—') },
            { key: 'service', header: 'Service' },
            { key: 'robot', header: 'Robot' },
            { key: 'handled', header: 'Handled' },
            { key: 'primary', header: 'Primary' },
            { key: 'timestamp', header: 'Time' },
          ]}
        />
      </section>
      {event && <RelatedItems event={event} title="Event" />}
      {item.report !== undefined && (
        <section className="card" aria-labelledby="report-title">
          <h2 id="report-title">Report</h2>
          <JsonTree value={item.report} expandDepth={1} copyable />
        </section>
      )}
    </>
  );
}

function EventExtras({ item }: { item: ApiObject }) {
  return <RelatedItems event={item} title="Related items" />;
}

export const DETAIL_EXTRAS: Record<string, (props: { item: ApiObject }) => ReactNode> = {
  harvesters: RecentErrors,
  errorreports: ErrorReportExtras,
  events: EventExtras,
  picksessions: EventExtras,
};
