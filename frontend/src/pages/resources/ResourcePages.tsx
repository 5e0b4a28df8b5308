import type { ReactNode } from 'react';
import { useParams } from 'react-router';
import { Detail, DetailList } from '../../components/DetailList';
import { FilterChips } from '../../components/FilterChips';
import { JsonTree } from '../../components/JsonTree';
import { PagedList } from '../../components/ListView';
import { Breadcrumb, Loaded } from '../../components/Loaded';
import { useApi } from '../../hooks/useApi';
import { usePageParams } from '../../hooks/usePageParams';
import { useTitle } from '../../hooks/useTitle';
import { formatValue, humanize, isPlainObject } from '../../lib/format';
import { FIELD_ROUTES, NestedLink, type ResourceDef } from './definitions';
import { DETAIL_EXTRAS } from './extras';

export function ResourceListPage({ def }: { def: ResourceDef }) {
  useTitle(def.title);
  const { params, limit, offset, setPage, clearFilter } = usePageParams();
  const list = def.list?.({ limit, offset, params });

  return (
    <div className="page">
      <header className="page-head">
        <h1>{def.title}</h1>
        <p className="muted">{def.description}</p>
      </header>
      {list && (
        <>
          <FilterChips filters={list.filters} onRemove={clearFilter} />
          <PagedList
            request={list.request}
            columns={def.columns}
            caption={def.title}
            captionHidden
            limit={limit}
            offset={offset}
            onPageChange={setPage}
            emptyMessage={`No ${def.title.toLowerCase()}.`}
          />
        </>
      )}
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
  const { data, error, reload } = useApi(def.detail(id));
  const title = data ? (def.titleOf?.(data) ?? `${def.singular} ${id}`) : `${def.singular} ${id}`;
  useTitle(title);
  const Extras = DETAIL_EXTRAS[def.key];
  const hidden = new Set(def.hideInSummary ?? []);

  return (
    <div className="page">
      <Breadcrumb to={def.route} label={def.title}>
        {id}
      </Breadcrumb>
      <header className="page-head">
        <h1>{title}</h1>
      </header>
      <Loaded data={data} error={error} reload={reload}>
        {(data) => (
            <>
              <section className="card" aria-labelledby="summary-title">
                <h2 id="summary-title">Summary</h2>
                <DetailList>
                  {Object.entries(data)
                    .filter(([field]) => !hidden.has(field))
                    .map(([field, value]) => (
                      <Detail key={field} label={humanize(field)}>
                        <SummaryValue field={field} value={value} />
                      </Detail>
                    ))}
                </DetailList>
              </section>
              {Extras && <Extras item={data} />}
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
