/**
 * Types of the HDS resources the web app shows, as the API represents them
 * (see the API contract: harvesters §4.6, locations §4.7, events §3.3/§4.2,
 * error reports §4.3, exceptions §4.4, notifications §4.10).
 *
 * Fields the app does not rely on are optional: the pages render whatever
 * the server sends and never crash on a missing one.
 */
import type { Assignable, AsSent, Expect, Schemas } from './schemas';
import type { User } from './types';

/** `created`/`lastModified`/`creator`/`modifiedBy` on almost every object. */
export interface CommonInfo {
  id: number;
  created?: string;
  lastModified?: string;
  creator?: number | null;
  modifiedBy?: number | null;
}

export interface Fruit extends CommonInfo {
  name: string;
}

export interface Distributor extends CommonInfo {
  name: string;
}

export interface Location extends CommonInfo {
  ranch: string | null;
  country?: string | null;
  region?: string | null;
  site_channel?: string | null;
  /** Nested in reads; an id in writes. */
  distributor: Distributor | number | null;
}

export interface Release extends CommonInfo {
  version: string;
  release?: unknown;
  tags?: string[];
  fruit?: Fruit | number | null;
}

export interface Harvester extends CommonInfo {
  harv_id: number | null;
  name: string | null;
  is_emulator: boolean;
  thingName?: string | null;
  fruit: Fruit | null;
  location: Location | null;
  release?: Release | null;
  harvester_history?: string;
  version?: Record<string, unknown> | null;
  /**
   * The newest error report of the harvester (null: none yet) and its primary exception
   * (`error`, null when the report has none). Only `harvesters/` and `harvesters/{id}/`
   * carry it, not the harvesters nested in other objects.
   */
  last_report?: HarvesterLastReport | null;
}

/** `last_report` of a harvester: the newest error report and its primary exception. */
export interface HarvesterLastReport {
  id: number;
  reportTime: string | null;
  error: {
    code: number | null;
    name: string | null;
    service: string | null;
    robot: number | null;
  } | null;
}

/** A row of `harvesterhistory/` (simple-history columns + the harvester's). */
export interface HarvesterHistory {
  history_id: number;
  id: number;
  harv_id: number | null;
  name?: string | null;
  is_emulator?: boolean;
  thingName?: string | null;
  history_date: string;
  history_type: '+' | '~' | '-' | string;
  history_change_reason?: string | null;
  history_user?: number | string | { id?: number; username?: string } | null;
  fruit?: Fruit | number | null;
  location?: Location | number | null;
  release?: Release | number | null;
  [key: string]: unknown;
}

export interface ExceptionCode extends CommonInfo {
  code: number;
  name: string;
  msg?: string;
  team?: string;
  cycle?: boolean;
  operator_msg?: string;
  manifest?: number | null;
}

export interface AftException extends CommonInfo {
  code: ExceptionCode | null;
  service: string | null;
  node: number | null;
  robot: number | null;
  traceback: string | null;
  info: string | null;
  timestamp: string | null;
  handled: boolean;
  primary: boolean | null;
  report?: number | null;
}

/** `related_objects[]`: `url` is a route of this web app (`/errorreports/3/`). */
export interface RelatedObject {
  url: string;
  object: string;
}

/** `related_files[]`: `url` is a download URL (pre-signed S3 or /media/…), or null. */
export interface RelatedFile {
  url: string | null;
  filetype: string;
}

export interface HdsEvent extends CommonInfo {
  UUID: string;
  tags: string[];
  secondary_events?: number[];
  related_objects: RelatedObject[];
  related_files: RelatedFile[];
}

export interface PickSession extends CommonInfo {
  UUID: string;
  tags: string[];
  start_time?: string | null;
  session_length?: string | null;
  harvester?: Partial<Harvester> | null;
  location?: Partial<Location> | null;
  related_objects: RelatedObject[];
  related_files?: RelatedFile[];
}

/**
 * One row of `GET errorreports/` (the API's `ErrorReportListItem`, whose nested objects
 * the document leaves untyped).
 */
export type ErrorReportSummary = Omit<Schemas['ErrorReportListItem'], 'harvester' | 'location' | 'exceptions' | 'reportTime'> & {
  reportTime: string | null;
  harvester: Harvester | null;
  location: Location | null;
  exceptions: AftException[];
};

/** `GET errorreports/{id}/` (the full serializer). */
export interface ErrorReport extends CommonInfo {
  reportTime: string | null;
  report: unknown;
  githash: string | null;
  gitbranch: string | null;
  tags: string[];
  exceptions: AftException[];
  harvester: Harvester | null;
  location: Location | null;
  event: HdsEvent | null;
  pick_session: PickSession | null;
}

/**
 * `criteria` of a notification: the error-report list's own query parameters
 * (harv_ids, locations, fruits, codes, traceback, is_emulator, handled, primary).
 */
export type NotificationCriteria = Record<string, unknown>;

/** The API's `Notification`; `recipients` are usernames. */
export type Notification = CommonInfo &
  Omit<Schemas['Notification'], 'criteria'> & {
    criteria: NotificationCriteria;
  };

/** One row of `exceptions/pareto/`: `{<aggregate_name>: value, count}`. */
export type ParetoEntry = Record<string, unknown> & { count: number };

/**
 * What the API documents can be read as what the pages expect: a field the app relies on
 * that the backend drops, renames or retypes fails the type check here ("Type 'false' does
 * not satisfy the constraint 'true'" on the line of the schema that changed).
 */
export type ReadModelsMatchTheApi = [
  Expect<Assignable<AsSent<Schemas['Fruit']>, Fruit>>,
  Expect<Assignable<AsSent<Schemas['Distributor']>, Distributor>>,
  Expect<Assignable<AsSent<Schemas['Location']>, Location>>,
  Expect<Assignable<AsSent<Schemas['Harvester']>, Harvester>>,
  Expect<Assignable<AsSent<Schemas['HarvesterHistory']>, HarvesterHistory>>,
  Expect<Assignable<AsSent<Schemas['ExceptionCode']>, ExceptionCode>>,
  Expect<Assignable<AsSent<Schemas['Exception']>, Partial<AftException>>>,
  Expect<Assignable<AsSent<Schemas['RelatedObject']>, RelatedObject>>,
  Expect<Assignable<AsSent<Omit<Schemas['Event'], 'related_files'>>, Omit<HdsEvent, 'related_files'>>>,
  Expect<Assignable<AsSent<Omit<Schemas['PickSession'], 'harvester' | 'location'>>, Omit<PickSession, 'harvester' | 'location'>>>,
];

/** superuser ⊂ manager ⊂ developer ⊂ support. */
const RANK: Record<string, number> = { support: 1, developer: 2, manager: 3 };

/** Developers, managers and superusers may create and edit fleet objects. */
export function canDevelop(user: User | null | undefined): boolean {
  if (!user) return false;
  if (user.is_superuser) return true;
  return (RANK[user.profile?.role ?? ''] ?? 0) >= RANK.developer!;
}

/** An object's id, whether the API nested the object or sent the bare id. */
export function refId(value: unknown): number | null {
  if (typeof value === 'number') return value;
  if (value && typeof value === 'object' && typeof (value as { id?: unknown }).id === 'number') {
    return (value as { id: number }).id;
  }
  return null;
}
