import { Link } from 'react-router';
import type { RelatedFile, RelatedObject } from '../../api/schemas';
import { DataTable } from '../../components/DataTable';

/** The last path segment of a download URL, without its query (pre-signed S3 URLs carry one). */
export function fileName(url: string | null | undefined): string {
  if (!url) return '';
  try {
    const path = new URL(url, 'http://placeholder.invalid').pathname;
    return decodeURIComponent(path.split('/').pop() ?? '');
  } catch {
    return url.split('?')[0]?.split('/').pop() ?? '';
  }
}

/**
 * `related_objects[].url` is a route of this app, e.g. `/errorreports/3/`. Job results are
 * linked as `/jobstatus/<job results id>/` (the original's link), but `/jobstatus/:jobId` is a
 * job's status history: those links go to the job results' own page.
 */
export function appRoute(url: string): string | null {
  let path: string;
  if (url.startsWith('/')) path = url;
  else {
    try {
      const parsed = new URL(url);
      // A server configured with an absolute FRONTEND_URL: keep the path.
      path = parsed.pathname + parsed.search;
    } catch {
      return null;
    }
  }
  const jobResults = /^\/jobstatus\/(\d+)\/?$/.exec(path);
  return jobResults ? `/jobresults/${jobResults[1]}` : path;
}

export function RelatedObjects({ objects }: { objects: RelatedObject[] | undefined }) {
  const list = objects ?? [];
  if (!list.length) return <p className="muted">None.</p>;
  return (
    <ul className="related-list">
      {list.map((o, i) => {
        const route = typeof o.url === 'string' ? appRoute(o.url) : null;
        const id = route?.match(/\/(\d+)\/?$/)?.[1];
        // The original named job results "Job Status"; the link now says where it goes.
        const label = route?.startsWith('/jobresults/') && o.object === 'Job Status' ? 'Job results' : o.object;
        const text = `${label}${id ? ` ${id}` : ''}`;
        return <li key={`${o.url}-${i}`}>{route ? <Link to={route}>{text}</Link> : text}</li>;
      })}
    </ul>
  );
}

/** Files announced for the event; each links straight to its (pre-signed) download URL. */
export function RelatedFiles({ files, caption = 'Related files' }: { files: RelatedFile[] | undefined; caption?: string }) {
  const list = files ?? [];
  if (!list.length) return <p className="muted">No files.</p>;
  return (
    <DataTable<RelatedFile & { key: string }>
      caption={caption}
      captionHidden
      rows={list.map((f, i) => ({ ...f, key: `${f.url}-${i}` }))}
      rowKey={(f) => f.key}
      columns={[
        { key: 'filetype', header: 'Type', render: (f) => f.filetype || '—' },
        {
          key: 'name',
          header: 'File',
          render: (f) => (f.url ? <code className="clip">{fileName(f.url)}</code> : <span className="muted">no URL</span>),
        },
        {
          key: 'download',
          header: 'Download',
          render: (f) =>
            f.url ? (
              <a href={f.url} download={fileName(f.url) || true} target="_blank" rel="noopener noreferrer" className="download-link">
                Download<span className="visually-hidden"> {f.filetype} file {fileName(f.url)}</span>
              </a>
            ) : (
              <span className="muted">not available</span>
            ),
        },
      ]}
    />
  );
}

export function Tags({ tags }: { tags: string[] | undefined }) {
  if (!tags?.length) return <span className="muted">—</span>;
  return (
    <ul className="tag-list" aria-label="Tags">
      {tags.map((t) => (
        <li key={t} className="badge">
          {t}
        </li>
      ))}
    </ul>
  );
}
