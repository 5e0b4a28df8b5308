import { Link } from 'react-router';
import type { ParetoRow } from '../../api/schemas';
import { BarChart, sortBars } from '../../components/BarChart';
import { CopyButton } from '../../components/CopyButton';
import { DataTable } from '../../components/DataTable';
import { ErrorState } from '../../components/ErrorState';
import { Breadcrumb } from '../../components/Loaded';
import { Loading } from '../../components/Loading';
import { useApi } from '../../hooks/useApi';
import { useTitle } from '../../hooks/useTitle';
import { useErrorFilters } from './common';
import { ErrorFilterForm } from './ErrorFilterForm';
import { describeFilters, filtersToUrl, paretoQuery, type ParetoQuery } from './filters';
import { GROUPINGS, paretoRequest, parseConfigs, type Grouping } from './pareto';

function valueText(grouping: Grouping, value: unknown): string {
  if (value === null || value === undefined || value === '') return '(none)';
  if (grouping.key === 'handled') {
    if (value === true || value === 'true' || value === 'True') return 'handled';
    if (value === false || value === 'false' || value === 'False') return 'unhandled';
  }
  return String(value);
}

interface ChartRow {
  label: string;
  count: number;
  share: number;
  cumulative: number;
}

export function paretoRows(grouping: Grouping, data: ParetoRow[]): ChartRow[] {
  const bars = sortBars(
    data.map((row) => ({
      label: valueText(grouping, grouping.label in row ? row[grouping.label] : row.value),
      value: Number(row.count) || 0,
    })),
  );
  const total = bars.reduce((sum, b) => sum + b.value, 0) || 1;
  let running = 0;
  return bars.map((b) => {
    running += b.value;
    return { label: b.label, count: b.value, share: b.value / total, cumulative: running / total };
  });
}

const percent = (x: number) => `${(x * 100).toFixed(1)} %`;

function ParetoPanel({ grouping, query, onRemove }: { grouping: Grouping; query: ParetoQuery; onRemove: () => void }) {
  const { data, error, loading, reload } = useApi(paretoRequest(grouping, query), { prefetched: true });
  const rows = Array.isArray(data) ? paretoRows(grouping, data) : [];
  const titleId = `pareto-${grouping.key}`;
  const total = rows.reduce((sum, r) => sum + r.count, 0);

  return (
    <section className="card pareto-panel" aria-labelledby={titleId} aria-busy={loading || undefined}>
      <div className="section-head">
        <h2 id={titleId}>
          By {grouping.title.toLowerCase()}
          {data && <span className="badge">{total} exceptions</span>}
        </h2>
        <button type="button" className="button button-small button-ghost" onClick={onRemove} aria-label={`Remove the ${grouping.title.toLowerCase()} chart`}>
          Remove
        </button>
      </div>
      {error ? (
        <ErrorState error={error} onRetry={reload} compact />
      ) : !data ? (
        <Loading label="Counting exceptions…" />
      ) : rows.length === 0 ? (
        <p className="chart-empty" role="status">
          No data points: no exception matches these filters.
        </p>
      ) : (
        <div className="pareto-body">
          <BarChart
            title={`Exceptions by ${grouping.title.toLowerCase()}`}
            data={rows.map((r) => ({ label: r.label, value: r.count }))}
            unit="exceptions"
          />
          <DataTable<ChartRow>
            caption={`Exceptions by ${grouping.title.toLowerCase()}`}
            captionHidden
            rows={rows}
            rowKey={(r, i) => `${r.label}-${i}`}
            columns={[
              { key: 'label', header: grouping.title, render: (r) => r.label },
              { key: 'count', header: 'Count', className: 'num', render: (r) => r.count },
              { key: 'share', header: 'Share', className: 'num', render: (r) => percent(r.share) },
              { key: 'cumulative', header: 'Cumulative', className: 'num', render: (r) => percent(r.cumulative) },
            ]}
          />
        </div>
      )}
    </section>
  );
}

export function ParetoPage() {
  useTitle('Error pareto');
  const { params, filters, apply, setParams } = useErrorFilters();
  const configs = parseConfigs(params.get('configs'));
  const query = paretoQuery(filters);
  const summary = describeFilters(filters);
  const listLink = `/errorreports?${filtersToUrl(filters).toString()}`;

  const setConfigs = (next: string[]) =>
    setParams((prev) => {
      const out = new URLSearchParams(prev);
      out.set('configs', next.join(','));
      return out;
    });

  const toggle = (key: string) =>
    setConfigs(configs.includes(key) ? configs.filter((k) => k !== key) : [...configs, key]);

  return (
    <div className="page page-wide">
      <Breadcrumb to={listLink} label="Error reports">
        Pareto
      </Breadcrumb>
      <header className="page-head page-head-row">
        <div>
          <h1>Error pareto</h1>
          <p className="muted">Which exceptions happen most, grouped several ways. The filters are the error-report filters.</p>
        </div>
        <div className="page-actions">
          <Link to={listLink} className="button">
            Back to the reports
          </Link>
          <CopyButton label="Copy link to this view" text={() => window.location.href} />
        </div>
      </header>

      <ErrorFilterForm value={filters} onApply={apply} label="Pareto filters" storageKey="hds.pareto.filters-open" />

      <fieldset className="card groupings">
        <legend>Group by</legend>
        <ul className="grouping-options">
          {GROUPINGS.map((g) => (
            <li key={g.key}>
              <label>
                <input type="checkbox" checked={configs.includes(g.key)} onChange={() => toggle(g.key)} /> {g.title}
              </label>
            </li>
          ))}
        </ul>
      </fieldset>

      <p className="muted filter-summary">{summary.length ? `Filtered by: ${summary.join(' · ')}.` : 'No filters: every exception.'}</p>

      {configs.length === 0 ? (
        <p className="notice">Choose at least one grouping above to draw a chart.</p>
      ) : (
        <div className="pareto-grid">
          {configs.map((key) => {
            const grouping = GROUPINGS.find((g) => g.key === key)!;
            return (
              <ParetoPanel
                key={key}
                grouping={grouping}
                query={query}
                onRemove={() => setConfigs(configs.filter((k) => k !== key))}
              />
            );
          })}
        </div>
      )}
    </div>
  );
}
