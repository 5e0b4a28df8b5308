import { Link } from 'react-router';
import { apiGet } from '../../api/client';
import { MAX_LIMIT } from '../../api/pagination';
import { plural } from '../../api/rollouts';
import type { CodeChange, Release } from '../../api/schemas';
import { BarChart } from '../../components/BarChart';
import { DataTable } from '../../components/DataTable';
import { ErrorState } from '../../components/ErrorState';
import { Loading } from '../../components/Loading';
import { useApi } from '../../hooks/useApi';

/**
 * Most harvesters a code's link names one by one (`harv_ids=`); a release on more links by its
 * fruit instead, so the address stays one a browser and a proxy take.
 */
const MAX_LINKED_HARVESTERS = 200;

/** `+3` worse (red), `−2` better (green), `0` the same. */
function Change({ value }: { value: number }) {
  if (value > 0) return <span className="change-worse">+{value}</span>;
  if (value < 0) return <span className="change-better">−{-value}</span>;
  return <span className="muted">0</span>;
}

/** The change as a factor, when there was anything before to compare with. */
function factor(row: CodeChange): string {
  if (row.before === 0) return row.on_release > 0 ? 'new' : '—';
  const f = row.on_release / row.before;
  return `${f >= 10 ? f.toFixed(0) : f.toFixed(1)}×`;
}

function codeLabel(row: CodeChange): string {
  return row.code === null || row.code === undefined ? 'unknown code' : String(row.code);
}

/**
 * "What got worse" (`release/{id}/pareto/`): per exception code, the exceptions of the
 * harvesters that have run the release while on it, against the same harvesters over the same
 * length of time just before, worst change first. Each code links to the error reports with it
 * from the harvesters on the release now (`release/{id}/harvesters/`).
 */
export function ReleaseParetoPanel({ release }: { release: Release }) {
  const id = String(release.id);
  const pareto = useApi(apiGet('/api/v1/release/{id}/pareto/', { path: { id } }));
  const rows = pareto.data?.results ?? [];
  // Asked for only when there is a code to link.
  const onRelease = useApi(rows.length ? apiGet('/api/v1/release/{id}/harvesters/', { path: { id }, query: { limit: MAX_LIMIT } }) : null);
  const harvIds = [...new Set((onRelease.data?.results ?? []).map((h) => h.harv_id))].sort((a, b) => a - b);
  const byFruit = !!onRelease.data && (harvIds.length === 0 || harvIds.length > MAX_LINKED_HARVESTERS || onRelease.data.count > onRelease.data.results.length);

  const reportsLink = (row: CodeChange): string | null => {
    if (row.code === null || row.code === undefined || !onRelease.data) return null;
    const scope = byFruit ? `fruits=${encodeURIComponent(release.fruit.name)}` : `harv_ids=${harvIds.join(',')}`;
    return `/errorreports?codes=${row.code}&${scope}`;
  };

  const worse = rows.filter((r) => r.change > 0);

  return (
    <section className="card" aria-labelledby="pareto-title">
      <h2 id="pareto-title">What got worse</h2>
      {pareto.error ? (
        <ErrorState error={pareto.error} onRetry={pareto.reload} compact />
      ) : !pareto.data ? (
        <Loading label="Counting the exceptions on this release…" />
      ) : pareto.data.harvesters === 0 ? (
        <p className="muted" role="status">
          No harvester has run this release yet (their history says when one does): there is nothing to compare.
        </p>
      ) : (
        <>
          <p>
            {plural(pareto.data.harvesters, 'harvester')} {pareto.data.harvesters === 1 ? 'has' : 'have'} run this release,{' '}
            {plural(Math.round(pareto.data.hours * 10) / 10, 'harvester-hour')} in all. Each one’s exceptions while on it are counted against its own over the
            same length of time just before it first ran it.
          </p>
          {rows.length === 0 ? (
            <p className="muted" role="status">
              No exception on this release, nor in the same time before it.
            </p>
          ) : (
            <>
              {worse.length > 0 ? (
                <BarChart title={`Exceptions added with release ${release.version}, per code`} data={worse.map((r) => ({ label: `${codeLabel(r)} ${r.name ?? ''}`.trim(), value: r.change }))} unit="exceptions" />
              ) : (
                <p className="change-better">No exception code got worse with this release.</p>
              )}
              <DataTable<CodeChange>
                caption={`Exceptions per code on release ${release.version} and before it`}
                captionHidden
                rows={rows}
                rowKey={(r, i) => `${r.code ?? 'none'}-${i}`}
                rowClassName={(r) => (r.change > 0 ? 'row-error' : undefined)}
                columns={[
                  {
                    key: 'code',
                    header: 'Code',
                    render: (r) => {
                      const to = reportsLink(r);
                      return to ? (
                        <Link to={to} title={`Error reports with code ${r.code}`}>
                          {codeLabel(r)}
                        </Link>
                      ) : (
                        codeLabel(r)
                      );
                    },
                  },
                  { key: 'name', header: 'Name', render: (r) => r.name ?? <span className="muted">—</span> },
                  { key: 'on_release', header: 'On the release', className: 'num', render: (r) => r.on_release },
                  { key: 'before', header: 'Before', className: 'num', render: (r) => r.before },
                  { key: 'change', header: 'Change', className: 'num', render: (r) => <Change value={r.change} /> },
                  { key: 'factor', header: 'Factor', className: 'num', render: (r) => factor(r) },
                ]}
              />
              <p className="muted">
                {onRelease.error
                  ? 'The harvesters on this release could not be loaded: the codes are not linked.'
                  : !onRelease.data
                    ? 'Linking the codes…'
                    : byFruit
                      ? `Each code links to the error reports with it from every ${release.fruit.name} harvester, at any time.`
                      : `Each code links to the error reports with it from the ${plural(harvIds.length, 'harvester')} on this release now, at any time.`}
              </p>
            </>
          )}
        </>
      )}
    </section>
  );
}
