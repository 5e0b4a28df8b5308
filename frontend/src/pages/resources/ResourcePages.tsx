import type { ReactNode } from 'react';
import { Link, useParams } from 'react-router';
import type { ApiObject } from '../../api/types';
import { ErrorState } from '../../components/ErrorState';
import { JsonTree } from '../../components/JsonTree';
import { ListView } from '../../components/ListView';
import { Loading } from '../../components/Loading';
import { useApi } from '../../hooks/useApi';
import { usePageParams } from '../../hooks/usePageParams';
import { useTitle } from '../../hooks/useTitle';
import { formatValue, humanize, isPlainObject } from '../../lib/format';
import { FIELD_ROUTES, NestedLink, type ResourceDef } from './definitions';
import { DETAIL_EXTRAS } from './extras';

export function ResourceListPage({ def }: { def: ResourceDef }) {
  useTitle(def.title);
  const { limit, offset, filters, setPage, clearFilter } = usePageParams();
  const active = Object.entries(filters);

  return (
    <div className="page">
      <header className="page-head">
        <h1>{def.title}</h1>
        <p className="muted">{def.description}</p>
      </header>
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
      <ListView<ApiObject>
        apiPath={def.apiPath}
        query={filters}
        columns={def.columns}
        caption={def.title}
        captionHidden
        limit={limit}
        offset={offset}
        onPageChange={setPage}
        emptyMessage={`No ${def.title.toLowerCase()}.`}
      />
    </div>
  );
}

function SummaryValue({ field, value }: { field: string; value: unknown }): ReactNode {
  if (FIELD_ROUTES[field] && value !== null && value !== undefined) return <NestedLink field={field} value={value} />;
  if (isPlainObject(value) || Array.isArray(value)) {
    if (Array.isArray(value) && value.every((v) => typeof v !== 'object' || v === null)) {
      return value.length ? value.map((v) => formatValue(v)).join(', ') : '—';
    }
    return <JsonTree value={value} expandDepth={0} />;
  }
  return formatValue(value);
}

export function ResourceDetailPage({ def }: { def: ResourceDef }) {
  const { id = '' } = useParams();
  const path = `${def.apiPath}${encodeURIComponent(id)}/`;
  const { data, error, reload } = useApi<ApiObject>(path, (client, signal) => client.get<ApiObject>(path, { signal }));
  const title = data ? (def.titleOf?.(data) ?? `${def.singular} ${id}`) : `${def.singular} ${id}`;
  useTitle(title);
  const Extras = DETAIL_EXTRAS[def.key];
  const hidden = new Set(def.hideInSummary ?? []);

  return (
    <div className="page">
      <nav aria-label="Breadcrumb" className="breadcrumb">
        <Link to={def.route}>{def.title}</Link> <span aria-hidden="true">/</span> {id}
      </nav>
      <header className="page-head">
        <h1>{title}</h1>
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
              {Object.entries(data)
                .filter(([field]) => !hidden.has(field))
                .map(([field, value]) => (
                  <div className="kv-row" key={field}>
                    <dt>{humanize(field)}</dt>
                    <dd>
                      <SummaryValue field={field} value={value} />
                    </dd>
                  </div>
                ))}
            </dl>
          </section>
          {Extras && <Extras item={data} />}
          <section className="card" aria-labelledby="json-title">
            <h2 id="json-title">JSON</h2>
            <JsonTree value={data} expandDepth={1} copyable />
          </section>
        </>
      )}
    </div>
  );
}
