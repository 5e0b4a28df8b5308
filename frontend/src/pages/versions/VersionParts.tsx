import { Link } from 'react-router';
import type { VersionReport } from '../../api/schemas';
import { DataTable, type Column } from '../../components/DataTable';
import { Detail, DetailList } from '../../components/DetailList';
import { ReportTime } from '../errorreports/common';
import { hostVersions, readConflicts, versionSummary, type HostVersion } from './versions';

/** "dirty", "unexpected files": the report's flags as badges ("clean" when neither). */
export function VersionFlags({ report }: { report: Pick<VersionReport, 'is_dirty' | 'has_unexpected'> }) {
  if (!report.is_dirty && !report.has_unexpected) return <span className="badge badge-ok">clean</span>;
  return (
    <span>
      {report.is_dirty && <span className="badge badge-error">dirty</span>}
      {report.has_unexpected && <span className="badge badge-warn">unexpected files</span>}
    </span>
  );
}

/** How the report compares with the release: "No release", "matches the release" or the conflicting hosts. */
export function ConflictsBadge({ conflicts }: { conflicts: unknown }) {
  const c = readConflicts(conflicts);
  if (c.reason !== null) return <span className="badge badge-muted">{c.reason}</span>;
  if (!c.hosts.length) return <span className="badge badge-ok">matches the release</span>;
  return (
    <span className="badge badge-error" title={c.hosts.join(', ')}>
      {c.hosts.length} conflicting host{c.hosts.length > 1 ? 's' : ''}
    </span>
  );
}

/** The version the hosts run, in one cell: `1.2 (+1 other)`. */
export function VersionLabel({ report }: { report: unknown }) {
  const s = versionSummary(report);
  if (!s.label) return <span className="muted">{s.errors ? 'not read' : '—'}</span>;
  return <span title={s.versions.join(', ')}>{s.label}</span>;
}

function EntryList({ label, items }: { label: string; items: string[] }) {
  if (!items.length) return null;
  return (
    <div className="host-entries">
      <span className="muted">{label}:</span>
      <ul>
        {items.slice(0, 20).map((item, i) => (
          <li key={i}>
            <code>{item}</code>
          </li>
        ))}
        {items.length > 20 && <li className="muted">and {items.length - 20} more</li>}
      </ul>
    </div>
  );
}

const hostColumns: Column<HostVersion>[] = [
  { key: 'host', header: 'Host', render: (h) => <code>{h.host}</code> },
  { key: 'version', header: 'Version', render: (h) => (h.version !== null ? <code>{h.version}</code> : <span className="muted">—</span>) },
  {
    key: 'state',
    header: 'State',
    // One element: on phones the cell is a grid of its column name and its content.
    render: (h) => (
      <span>
        {h.error !== null && <span className="badge badge-error">error</span>}
        {h.conflict && <span className="badge badge-error">conflict</span>}
        {h.dirty && <span className="badge badge-error">dirty</span>}
        {h.unexpected && <span className="badge badge-warn">unexpected files</span>}
        {h.error === null && !h.conflict && !h.dirty && !h.unexpected && <span className="badge badge-ok">clean</span>}
      </span>
    ),
  },
  {
    key: 'details',
    header: 'Details',
    render: (h) => (
      <div>
        {h.error !== null && <p className="host-error">{h.error}</p>}
        <EntryList label="Dirty" items={h.dirtyEntries} />
        <EntryList label="Unexpected" items={h.unexpectedEntries} />
        {(h.type || h.project) && <span className="muted">{[h.type, h.project].filter(Boolean).join(' · ')}</span>}
      </div>
    ),
  },
];

function hostRowClass(h: HostVersion): string | undefined {
  if (h.error !== null || h.conflict) return 'row-error';
  if (h.dirty || h.unexpected) return 'row-warn';
  return undefined;
}

/**
 * Every host of a version report: its version, and flagged when it reports an error, conflicts
 * with the release (red rows), is dirty or holds unexpected files (yellow rows).
 */
export function HostVersionsTable({ report, caption = 'Hosts' }: { report: Pick<VersionReport, 'report' | 'conflicts'>; caption?: string }) {
  const hosts = hostVersions(report.report, report.conflicts);
  return (
    <DataTable
      columns={hostColumns}
      rows={hosts}
      caption={caption}
      captionHidden
      rowKey={(h) => h.host}
      rowClassName={hostRowClass}
      emptyMessage="The report names no host."
    />
  );
}

/** The harvester page's Version tab: its latest version report, per host. */
export function HarvesterVersionTab({
  harvester,
  tz,
}: {
  harvester: { id: number; version?: VersionReport | null };
  tz: string;
}) {
  const v = harvester.version;
  const conflicts = v ? readConflicts(v.conflicts) : null;
  return (
    <section className="card" aria-labelledby="version-title">
      <div className="section-head">
        <h2 id="version-title">Installed version</h2>
        <Link to={`/harvesters/${harvester.id}/versions`}>All its version reports →</Link>
      </div>
      {!v ? (
        <p className="muted">No version report from this harvester yet.</p>
      ) : (
        <>
          <DetailList compact>
            <Detail label="Latest report">
              <Link to={`/harvversion/${v.id}`}>Version report {v.id}</Link> <span className="muted">·</span> <ReportTime value={v.reportTime} tz={tz} />
            </Detail>
            <Detail label="Version">
              <VersionLabel report={v.report} />
            </Detail>
            <Detail label="Dirty">
              <VersionFlags report={v} />
            </Detail>
            <Detail label="Release">
              <ConflictsBadge conflicts={v.conflicts} />
              {conflicts?.reason && <span className="muted"> not compared</span>}
            </Detail>
          </DetailList>
          <HostVersionsTable report={v} caption="Hosts of the latest version report" />
        </>
      )}
    </section>
  );
}
