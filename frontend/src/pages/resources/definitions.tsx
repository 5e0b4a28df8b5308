import type { ReactNode } from 'react';
import { Link } from 'react-router';
import type { ApiObject } from '../../api/types';
import type { Column } from '../../components/DataTable';
import { formatDateTime, formatValue, objectLabel } from '../../lib/format';

export interface ResourceDef {
  /** API collection name and URL segment: `harvesters`. */
  key: string;
  title: string;
  singular: string;
  description: string;
  /** List endpoint relative to the API root. */
  apiPath: string;
  /** Client route of the list page. */
  route: string;
  columns: Column<ApiObject>[];
  /** Heading of the detail page. */
  titleOf?: (item: ApiObject) => string;
  /** Fields left out of the detail page's summary (shown in the JSON view only). */
  hideInSummary?: string[];
  /** The list page is the generic one (others have their own pages). */
  genericList?: boolean;
}

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
    apiPath: 'locations/',
    route: '/locations',
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
    apiPath: 'distributors/',
    route: '/distributors',
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
    apiPath: 'fruits/',
    route: '/fruits',
    genericList: true,
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
    apiPath: 'exceptioncodes/',
    route: '/exceptioncodes',
    genericList: true,
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
    apiPath: 'harvesterhistory/',
    route: '/harvesterhistory',
    titleOf: (h) =>
      `Harvester ${formatValue(h.harv_id)} ${HISTORY_TYPES[String(h.history_type)] ?? formatValue(h.history_type)} ${formatDateTime(h.history_date)}`,
    columns: [],
  },
];

const HISTORY_TYPES: Record<string, string> = { '+': 'created', '~': 'updated', '-': 'deleted' };

export function resourceByKey(key: string): ResourceDef | undefined {
  return RESOURCES.find((r) => r.key === key);
}
