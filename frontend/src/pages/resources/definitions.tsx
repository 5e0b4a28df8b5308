import type { ReactNode } from 'react';
import { Link } from 'react-router';
import { apiGet, apiList, type ApiRequest } from '../../api/client';
import type { AddressValue, ListQuery, Page } from '../../api/contract';
import { pickParams } from '../../api/pagination';
import type { Column } from '../../components/DataTable';
import { formatDateTime, formatValue, objectLabel } from '../../lib/format';

/** Any API object: the generic pages only assume an `id`. */
export type ApiObject = Record<string, unknown> & { id?: number | string };

/** A page of the generic list: its size and position, and the address holding its filters. */
export interface ResourcePage {
  limit: number;
  offset: number;
  params: URLSearchParams;
}

export interface ResourceDef {
  /** URL segment of the client routes: `fruits`. */
  key: string;
  title: string;
  singular: string;
  description: string;
  /** Client route of the list page. */
  route: string;
  /** `GET <resource>/{id}/`. */
  detail: (id: string) => ApiRequest<ApiObject>;
  /** A page of `GET <resource>/` with the filters of the address (only for the generic list page). */
  list?: (page: ResourcePage) => { request: ApiRequest<Page<ApiObject>>; filters: Partial<Record<string, string>> };
  columns: Column<ApiObject>[];
  /** Heading of the detail page. */
  titleOf?: (item: ApiObject) => string;
  /** Fields left out of the detail page's summary (shown in the JSON view only). */
  hideInSummary?: string[];
}

/** A page of a generic list: the request `list` makes with the filters `keys` picks from the address. */
function filtered<K extends string>(
  { params }: ResourcePage,
  keys: readonly K[],
  list: (query: Partial<Record<K, AddressValue>>) => ApiRequest<Page<ApiObject>>,
) {
  const filters = pickParams(params, keys);
  return { request: list(filters), filters };
}

const FRUIT_FILTERS = ['name', 'created_after', 'created_before', 'ordering'] as const satisfies ReadonlyArray<
  keyof ListQuery<'/api/v1/fruits/'>
>;
const CODE_FILTERS = ['code', 'codes', 'team', 'created_after', 'created_before', 'ordering'] as const satisfies ReadonlyArray<
  keyof ListQuery<'/api/v1/exceptioncodes/'>
>;

/** Client routes of the resources that nested objects link to. */
export const FIELD_ROUTES: Record<string, string> = {
  fruit: '/fruits',
  location: '/locations',
  distributor: '/distributors',
  harvester: '/harvesters',
  event: '/events',
  pick_session: '/picksessions',
  picksession: '/picksessions',
};

function get(item: ApiObject, key: string): unknown {
  return item[key];
}

function idOf(value: unknown): string | null {
  if (value && typeof value === 'object' && 'id' in value) {
    const id = (value as { id: unknown }).id;
    if (typeof id === 'number' || typeof id === 'string') return String(id);
  }
  return null;
}

/** A nested object (or bare id) as a link to its own detail page. */
export function NestedLink({ field, value }: { field: string; value: unknown }) {
  const route = FIELD_ROUTES[field];
  const id = idOf(value) ?? (typeof value === 'number' ? String(value) : null);
  const text = typeof value === 'object' ? objectLabel(value) : formatValue(value);
  if (!route || id === null) return <>{text}</>;
  return <Link to={`${route}/${encodeURIComponent(id)}`}>{text}</Link>;
}

function detailLink(def: { route: string }, text: (item: ApiObject) => ReactNode): Column<ApiObject>['render'] {
  return (item) =>
    item.id === undefined ? (
      text(item)
    ) : (
      <Link to={`${def.route}/${encodeURIComponent(String(item.id))}`}>{text(item)}</Link>
    );
}

function nested(field: string, header: string): Column<ApiObject> {
  return { key: field, header, render: (item) => <NestedLink field={field} value={get(item, field)} /> };
}

function date(field: string, header: string): Column<ApiObject> {
  return { key: field, header, render: (item) => formatDateTime(get(item, field)) };
}

const route = (key: string) => ({ route: `/${key}` });

export const RESOURCES: ResourceDef[] = [
  {
    key: 'locations',
    title: 'Locations',
    singular: 'Location',
    description: 'Ranches the harvesters work at.',
    route: '/locations',
    detail: (id) => apiGet('/api/v1/locations/{id}/', { path: { id } }),
    titleOf: (l) => `Location ${formatValue(l.ranch ?? l.id)}`,
    columns: [
      { key: 'id', header: 'ID', render: detailLink(route('locations'), (l) => formatValue(l.id)) },
      { key: 'ranch', header: 'Ranch', render: detailLink(route('locations'), (l) => formatValue(l.ranch)) },
      nested('distributor', 'Distributor'),
      { key: 'country', header: 'Country' },
      { key: 'region', header: 'Region' },
      { key: 'site_channel', header: 'Site channel' },
    ],
  },
  {
    key: 'distributors',
    title: 'Distributors',
    singular: 'Distributor',
    description: 'Distributors the locations belong to.',
    route: '/distributors',
    detail: (id) => apiGet('/api/v1/distributors/{id}/', { path: { id } }),
    titleOf: (d) => `Distributor ${formatValue(d.name ?? d.id)}`,
    columns: [
      { key: 'id', header: 'ID', render: detailLink(route('distributors'), (d) => formatValue(d.id)) },
      { key: 'name', header: 'Name', render: detailLink(route('distributors'), (d) => formatValue(d.name)) },
      date('created', 'Created'),
      date('lastModified', 'Last modified'),
    ],
  },
  {
    key: 'fruits',
    title: 'Fruits',
    singular: 'Fruit',
    description: 'Fruits the harvesters pick.',
    route: '/fruits',
    detail: (id) => apiGet('/api/v1/fruits/{id}/', { path: { id } }),
    list: (page) => filtered(page, FRUIT_FILTERS, (query) => apiList('/api/v1/fruits/', { limit: page.limit, offset: page.offset, query })),
    titleOf: (f) => `Fruit ${formatValue(f.name ?? f.id)}`,
    columns: [
      { key: 'id', header: 'ID', render: detailLink(route('fruits'), (f) => formatValue(f.id)) },
      { key: 'name', header: 'Name', render: detailLink(route('fruits'), (f) => formatValue(f.name)) },
      {
        key: 'harvesters',
        header: 'Harvesters',
        render: (f) => <Link to={`/harvesters?fruit__name=${encodeURIComponent(String(f.name ?? ''))}`}>Harvesters</Link>,
      },
      date('created', 'Created'),
      date('lastModified', 'Last modified'),
    ],
  },
  {
    key: 'exceptioncodes',
    title: 'Exception codes',
    singular: 'Exception code',
    description: 'AFT exception codes: what each means, which team owns it, what the operator is told.',
    route: '/exceptioncodes',
    detail: (id) => apiGet('/api/v1/exceptioncodes/{id}/', { path: { id } }),
    list: (page) => filtered(page, CODE_FILTERS, (query) => apiList('/api/v1/exceptioncodes/', { limit: page.limit, offset: page.offset, query })),
    titleOf: (c) => `Exception code ${formatValue(c.code ?? c.id)}${c.name ? ` — ${String(c.name)}` : ''}`,
    columns: [
      { key: 'code', header: 'Code', render: detailLink(route('exceptioncodes'), (c) => formatValue(c.code ?? c.id)) },
      { key: 'name', header: 'Name' },
      { key: 'team', header: 'Team' },
      { key: 'cycle', header: 'Cycle' },
      { key: 'msg', header: 'Message' },
      { key: 'operator_msg', header: 'Operator message' },
      {
        key: 'reports',
        header: 'Reports',
        render: (c) => <Link to={`/errorreports?codes=${encodeURIComponent(String(c.code ?? ''))}`}>Error reports</Link>,
      },
    ],
  },
  {
    key: 'harvesterhistory',
    title: 'Harvester history',
    singular: 'History entry',
    description: 'Changes to harvesters.',
    route: '/harvesterhistory',
    detail: (id) => apiGet('/api/v1/harvesterhistory/{id}/', { path: { id } }),
    titleOf: (h) =>
      `Harvester ${formatValue(h.harv_id)} ${HISTORY_TYPES[String(h.history_type)] ?? formatValue(h.history_type)} ${formatDateTime(h.history_date)}`,
    columns: [],
  },
];

const HISTORY_TYPES: Record<string, string> = { '+': 'created', '~': 'updated', '-': 'deleted' };

export function resourceByKey(key: string): ResourceDef | undefined {
  return RESOURCES.find((r) => r.key === key);
}
