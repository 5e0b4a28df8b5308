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

type ExceptionItem = { code?: { code?: unknown; name?: unknown } | unknown; service?: unknown; robot?: unknown; primary?: unknown };

function exceptionsOf(item: ApiObject): ExceptionItem[] {
  const list = get(item, 'exceptions');
  return Array.isArray(list) ? (list as ExceptionItem[]) : [];
}

function codeOf(exception: ExceptionItem): string {
  const code = exception.code;
  if (code && typeof code === 'object') return String((code as { code?: unknown }).code ?? objectLabel(code));
  return formatValue(code);
}

function mark(exception: ExceptionItem): string {
  return exception.primary ? '*' : '';
}

const route = (key: string) => ({ route: `/${key}` });

export const RESOURCES: ResourceDef[] = [
  {
    key: 'harvesters',
    title: 'Harvesters',
    singular: 'Harvester',
    description: 'Every harvester of the fleet, with its fruit and location.',
    apiPath: 'harvesters/',
    route: '/harvesters',
    titleOf: (h) => `Harvester ${formatValue(h.harv_id ?? h.id)}${h.name ? ` — ${String(h.name)}` : ''}`,
    columns: [
      { key: 'harv_id', header: 'Harv ID', render: detailLink(route('harvesters'), (h) => formatValue(h.harv_id ?? h.id)) },
      { key: 'name', header: 'Name' },
      nested('fruit', 'Fruit'),
      nested('location', 'Location'),
      { key: 'is_emulator', header: 'Emulator' },
      { key: 'thingName', header: 'Thing name' },
    ],
  },
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
    titleOf: (f) => `Fruit ${formatValue(f.name ?? f.id)}`,
    columns: [
      { key: 'id', header: 'ID', render: detailLink(route('fruits'), (f) => formatValue(f.id)) },
      { key: 'name', header: 'Name', render: detailLink(route('fruits'), (f) => formatValue(f.name)) },
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
    titleOf: (c) => `Exception code ${formatValue(c.code ?? c.id)}${c.name ? ` — ${String(c.name)}` : ''}`,
    columns: [
      { key: 'code', header: 'Code', render: detailLink(route('exceptioncodes'), (c) => formatValue(c.code ?? c.id)) },
      { key: 'name', header: 'Name' },
      { key: 'team', header: 'Team' },
      { key: 'cycle', header: 'Cycle' },
      { key: 'msg', header: 'Message' },
      { key: 'operator_msg', header: 'Operator message' },
    ],
  },
  {
    key: 'errorreports',
    title: 'Error reports',
    singular: 'Error report',
    description: 'Error reports sent by the harvesters, newest first.',
    apiPath: 'errorreports/',
    route: '/errorreports',
    titleOf: (r) => `Error report ${formatValue(r.id)}`,
    hideInSummary: ['report', 'exceptions', 'event'],
    columns: [
      { key: 'id', header: 'ID', render: detailLink(route('errorreports'), (r) => formatValue(r.id)) },
      date('reportTime', 'Time'),
      nested('harvester', 'Harvester'),
      nested('location', 'Location'),
      {
        key: 'codes',
        header: 'Code(s)',
        render: (r) => exceptionsOf(r).map((e) => `${codeOf(e)}${mark(e)}`).join(', ') || '—',
      },
      {
        key: 'services',
        header: 'Services',
        render: (r) =>
          exceptionsOf(r)
            .map((e) => `${formatValue(e.service)}.${formatValue(e.robot)}${mark(e)}`)
            .join(', ') || '—',
      },
      { key: 'gitbranch', header: 'Branch' },
      { key: 'githash', header: 'Githash' },
    ],
  },
  {
    key: 'events',
    title: 'Events',
    singular: 'Event',
    description: 'Events tie reports and files together by UUID.',
    apiPath: 'events/',
    route: '/events',
    titleOf: (e) => `Event ${formatValue(e.UUID ?? e.id)}`,
    hideInSummary: ['related_objects', 'related_files'],
    columns: [
      { key: 'id', header: 'ID', render: detailLink(route('events'), (e) => formatValue(e.id)) },
      { key: 'UUID', header: 'UUID', render: detailLink(route('events'), (e) => formatValue(e.UUID)) },
      { key: 'related_objects', header: 'Objects', render: (e) => countOf(e.related_objects) },
      { key: 'related_files', header: 'Files', render: (e) => countOf(e.related_files) },
      date('created', 'Created'),
    ],
  },
  {
    key: 'picksessions',
    title: 'Pick sessions',
    singular: 'Pick session',
    description: 'Pick sessions tie reports and files together by UUID.',
    apiPath: 'picksessions/',
    route: '/picksessions',
    titleOf: (e) => `Pick session ${formatValue(e.UUID ?? e.id)}`,
    hideInSummary: ['related_objects', 'related_files'],
    columns: [
      { key: 'id', header: 'ID', render: detailLink(route('picksessions'), (e) => formatValue(e.id)) },
      { key: 'UUID', header: 'UUID', render: detailLink(route('picksessions'), (e) => formatValue(e.UUID)) },
      { key: 'related_objects', header: 'Objects', render: (e) => countOf(e.related_objects) },
      { key: 'related_files', header: 'Files', render: (e) => countOf(e.related_files) },
      date('created', 'Created'),
    ],
  },
  {
    key: 'notifications',
    title: 'Notifications',
    singular: 'Notification',
    description: 'Slack notifications sent when new error reports match their criteria.',
    apiPath: 'notifications/',
    route: '/notifications',
    titleOf: (n) => `Notification ${formatValue(n.id)}`,
    columns: [
      { key: 'id', header: 'ID', render: detailLink(route('notifications'), (n) => formatValue(n.id)) },
      { key: 'trigger_on', header: 'Trigger on' },
      { key: 'recipients', header: 'Recipients', render: (n) => formatValue(n.recipients) },
      {
        key: 'criteria',
        header: 'Criteria',
        render: (n) => <code className="clip">{n.criteria === undefined ? '—' : JSON.stringify(n.criteria)}</code>,
      },
      date('created', 'Created'),
    ],
  },
];

function countOf(value: unknown): string {
  return Array.isArray(value) ? String(value.length) : '—';
}

export function resourceByKey(key: string): ResourceDef | undefined {
  return RESOURCES.find((r) => r.key === key);
}
