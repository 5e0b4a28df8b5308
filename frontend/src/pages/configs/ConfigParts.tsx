import { useDeferredValue, useId, useMemo, useState } from 'react';
import { DataTable, type Column } from '../../components/DataTable';
import { JsonTree } from '../../components/JsonTree';
import { TabList } from '../../components/Tabs';
import { searchJson } from '../../lib/jsonSearch';
import {
  configIndexes,
  countKinds,
  diffConfigReports,
  formatPath,
  overlayRows,
  preview,
  type Change,
  type ConfigIndex,
  type OverlayRow,
} from './config';

/** Matches shown at most (all are counted). */
const SEARCH_LIMIT = 300;

/**
 * A JSON value as a tree with a search box: while there is a query, the tree holds only the keys
 * and values that contain it (and the way to them), opened down to each match, the text marked.
 */
export function SearchableJson({ value, label }: { value: unknown; label: string }) {
  const id = useId();
  const [query, setQuery] = useState('');
  // Typing stays responsive on a megabyte of JSON: the search follows a little behind.
  const deferred = useDeferredValue(query);
  const result = useMemo(() => searchJson(value, deferred, SEARCH_LIMIT), [value, deferred]);
  const stale = deferred !== query;

  return (
    <div className="json-search">
      <div className="field json-search-field">
        <label htmlFor={`${id}-q`}>Search {label}</label>
        <input
          id={`${id}-q`}
          type="search"
          value={query}
          onChange={(e) => setQuery(e.target.value)}
          placeholder="A key or a value, e.g. min_ripeness"
          spellCheck={false}
          aria-describedby={`${id}-status`}
        />
      </div>
      <p id={`${id}-status`} className="muted" aria-live="polite">
        {!result
          ? ''
          : result.matches === 0
            ? `Nothing in the ${label} contains “${deferred.trim()}”.`
            : `${result.matches} match${result.matches === 1 ? '' : 'es'}${
                result.shown < result.matches ? `, the first ${result.shown} shown` : ''
              }.`}
      </p>
      <div aria-busy={stale || undefined}>
        {result ? (
          result.value !== undefined && (
            <JsonTree key={deferred} value={result.value} openPaths={result.open} highlight={deferred.trim()} copyable={false} />
          )
        ) : (
          <JsonTree value={value} expandDepth={1} copyable />
        )}
      </div>
    </div>
  );
}

const overlayColumns: Column<OverlayRow & { key: string }>[] = [
  { key: 'path', header: 'Setting', render: (r) => <code className="break-all">{r.path}</code> },
  { key: 'kind', header: 'Change', render: (r) => <span className="badge">{r.kind}</span> },
  { key: 'before', header: 'Default', render: (r) => (r.before === undefined ? '—' : <code>{preview(r.before)}</code>) },
  { key: 'after', header: 'Applied', render: (r) => (r.after === undefined ? '—' : <code>{preview(r.after)}</code>) },
];

/** What the overlay changes in the default configuration of one robot index. */
export function OverlayView({ overlay, index }: { overlay: unknown; index: string }) {
  const rows = overlayRows(overlay);
  if (rows === null) return <JsonTree value={overlay} expandDepth={2} copyable />;
  return (
    <DataTable
      columns={overlayColumns}
      rows={rows.map((r, i) => ({ ...r, key: `${i}` }))}
      rowKey={(r) => r.key}
      caption={`Applied overlay diff of ${index}`}
      captionHidden
      emptyMessage="The overlay changes nothing."
    />
  );
}

type Part = 'default' | 'overlay';

function IndexView({ entry }: { entry: ConfigIndex }) {
  const [part, setPart] = useState<Part>('default');
  const prefix = `config-${entry.key}`;
  return (
    <>
      <TabList
        label={`${entry.label} configuration`}
        items={[
          { id: 'default', label: 'Default configuration' },
          { id: 'overlay', label: 'Applied overlay diff' },
        ]}
        selected={part}
        onSelect={(p) => setPart(p as Part)}
        idPrefix={prefix}
        panelId={`${prefix}-panel`}
        className="tabs sub-tabs"
      />
      <div role="tabpanel" id={`${prefix}-panel`} aria-labelledby={`${prefix}-${part}`} className="tab-panel">
        {part === 'default' ? (
          <SearchableJson value={entry.confDefault ?? null} label={`default configuration of ${entry.label.toLowerCase()}`} />
        ) : (
          <OverlayView overlay={entry.overlayDiff ?? null} index={entry.label.toLowerCase()} />
        )}
        {Object.keys(entry.other).length > 0 && (
          <>
            <h3>Other fields</h3>
            <JsonTree value={entry.other} expandDepth={1} />
          </>
        )}
      </div>
    </>
  );
}

/** A config report: one tab per robot index, each with its default configuration (searchable) and its overlay. */
export function ConfigView({ report }: { report: unknown }) {
  const indexes = useMemo(() => configIndexes(report), [report]);
  const [selected, setSelected] = useState<string | null>(null);
  if (!indexes.length) return <p className="muted">The report holds no configuration (its `data` is not keyed by robot index).</p>;
  const entry = indexes.find((e) => e.key === selected) ?? indexes[0]!;
  return (
    <div className="config-view">
      <TabList
        label="Robot indexes"
        items={indexes.map((e) => ({ id: e.key, label: e.label }))}
        selected={entry.key}
        onSelect={setSelected}
        idPrefix="config-index"
        panelId="config-index-panel"
      />
      <div role="tabpanel" id="config-index-panel" aria-labelledby={`config-index-${entry.key}`} className="tab-panel">
        <IndexView key={entry.key} entry={entry} />
      </div>
    </div>
  );
}

const KIND_BADGES: Record<Change['kind'], string> = { added: 'badge badge-ok', removed: 'badge badge-error', changed: 'badge badge-warn' };

const changeColumns: Column<Change & { key: string }>[] = [
  { key: 'index', header: 'Index', render: (c) => String(c.path[0] ?? '—') },
  { key: 'path', header: 'Setting', render: (c) => <code className="break-all">{formatPath(c.path.slice(1))}</code> },
  { key: 'kind', header: 'Change', render: (c) => <span className={KIND_BADGES[c.kind]}>{c.kind}</span> },
  { key: 'before', header: 'Before', render: (c) => (c.before === undefined ? '—' : <code className="break-all">{preview(c.before)}</code>) },
  { key: 'after', header: 'After', render: (c) => (c.after === undefined ? '—' : <code className="break-all">{preview(c.after)}</code>) },
];

/** Rows shown at most (the filter narrows them). */
const DIFF_ROWS = 500;

/**
 * What changed in the configuration from `before` to `after` (two config reports' `report`):
 * every setting added, removed or changed, per robot index, with a filter on the setting's path.
 */
export function ConfigDiffView({ before, after }: { before: unknown; after: unknown }) {
  const id = useId();
  const diff = useMemo(() => diffConfigReports(before, after, 20_000), [before, after]);
  const [filter, setFilter] = useState('');
  const needle = filter.trim().toLowerCase();
  const matching = useMemo(
    () => (needle ? diff.changes.filter((c) => formatPath(c.path).toLowerCase().includes(needle)) : diff.changes),
    [diff, needle],
  );
  const counts = countKinds(diff.changes);

  if (diff.total === 0) return <p className="notice notice-success">The two configurations are the same.</p>;
  return (
    <div className="config-diff">
      <p>
        <strong>{diff.total}</strong> difference{diff.total === 1 ? '' : 's'}: <span className="badge badge-warn">{counts.changed} changed</span>
        <span className="badge badge-ok">{counts.added} added</span>
        <span className="badge badge-error">{counts.removed} removed</span>
        {diff.changes.length < diff.total && <span className="muted"> (the first {diff.changes.length} listed)</span>}
      </p>
      <div className="field json-search-field">
        <label htmlFor={`${id}-filter`}>Filter settings</label>
        <input
          id={`${id}-filter`}
          type="search"
          value={filter}
          onChange={(e) => setFilter(e.target.value)}
          placeholder="Part of a setting's path, e.g. services"
          spellCheck={false}
        />
      </div>
      <DataTable
        columns={changeColumns}
        rows={matching.slice(0, DIFF_ROWS).map((c, i) => ({ ...c, key: `${i}:${formatPath(c.path)}` }))}
        rowKey={(c) => c.key}
        caption="Configuration differences"
        captionHidden
        emptyMessage="No difference matches the filter."
      />
      {matching.length > DIFF_ROWS && (
        <p className="muted">
          {matching.length - DIFF_ROWS} more difference{matching.length - DIFF_ROWS === 1 ? '' : 's'} not shown: narrow the filter.
        </p>
      )}
    </div>
  );
}
