/**
 * Version reports: what each host of a harvester (`master`, `aft-robot01`, `aft-stereo01`…) says
 * it runs, whether its tree is dirty or holds unexpected files, and how that compares with the
 * harvester's release (`conflicts`). See docs/api-design.md#report-kinds.
 *
 * `report.data` maps each host to `{version, dirty, unexpected, type?, project?, error?}` or to
 * `{error}` when the version could not be read. A host is dirty (or has unexpected files) as the
 * server decides it for the report's `is_dirty` / `has_unexpected`: its `dirty` (`unexpected`)
 * is a non-empty object, list or string, or any other value but null.
 */
import { isPlainObject } from '../../lib/format';

export interface HostVersion {
  host: string;
  /** The version as text (`1.0` sent as a number reads "1"; as the server compares, `String`). */
  version: string | null;
  type: string | null;
  project: string | null;
  /** The error reading this host's version, if any. */
  error: string | null;
  dirty: boolean;
  unexpected: boolean;
  /** What is dirty / unexpected, one line each (`a.py: M`). */
  dirtyEntries: string[];
  unexpectedEntries: string[];
  /** The host is among the report's conflicts with the release. */
  conflict: boolean;
}

export interface Conflicts {
  /** Why there is nothing to compare with (`"No release"`), or null. */
  reason: string | null;
  /** The hosts whose version differs from the release's or that report an error. */
  hosts: string[];
}

/** Truthiness of a `dirty` / `unexpected` value, as the server reads it. */
export function isSet(value: unknown): boolean {
  if (value === null || value === undefined) return false;
  if (Array.isArray(value)) return value.length > 0;
  if (isPlainObject(value)) return Object.keys(value).length > 0;
  if (typeof value === 'string') return value.length > 0;
  return true;
}

function text(value: unknown): string {
  if (typeof value === 'string') return value;
  if (value === null || value === undefined) return '';
  return typeof value === 'object' ? JSON.stringify(value) : String(value);
}

/** The lines of a `dirty` / `unexpected` value: `file: status` for an object, items for a list. */
export function entries(value: unknown): string[] {
  if (!isSet(value)) return [];
  if (Array.isArray(value)) return value.map(text);
  if (isPlainObject(value)) return Object.entries(value).map(([k, v]) => (v === null || v === '' ? k : `${k}: ${text(v)}`));
  return [text(value)];
}

/** Master first, then robots and stereo cameras in number order (`aft-robot2` before `aft-robot10`). */
export function compareHosts(a: string, b: string): number {
  if (a === b) return 0;
  if (a === 'master') return -1;
  if (b === 'master') return 1;
  return a.localeCompare(b, 'en', { numeric: true });
}

/**
 * The report's conflicts: `{"error": "No release"}` while the harvester has no release,
 * otherwise `{host: what it reported}` for each conflicting host (empty: none).
 */
export function readConflicts(conflicts: unknown): Conflicts {
  if (!isPlainObject(conflicts)) return { reason: null, hosts: [] };
  const keys = Object.keys(conflicts);
  if (keys.length === 1 && keys[0] === 'error' && typeof conflicts.error === 'string') {
    return { reason: conflicts.error, hosts: [] };
  }
  return { reason: null, hosts: keys.sort(compareHosts) };
}

/** Each host of a version report (its `report` as received), master first. */
export function hostVersions(report: unknown, conflicts: unknown = null): HostVersion[] {
  const data = isPlainObject(report) ? report.data : undefined;
  if (!isPlainObject(data)) return [];
  const conflicting = new Set(readConflicts(conflicts).hosts);
  return Object.entries(data)
    .filter(([, value]) => isPlainObject(value))
    .map(([host, value]) => {
      const v = value as Record<string, unknown>;
      const version = v.version === null || v.version === undefined ? null : text(v.version);
      const error = v.error === null || v.error === undefined || v.error === '' ? null : text(v.error);
      return {
        host,
        version,
        type: typeof v.type === 'string' ? v.type : null,
        project: typeof v.project === 'string' ? v.project : null,
        error,
        dirty: isSet(v.dirty),
        unexpected: isSet(v.unexpected),
        dirtyEntries: entries(v.dirty),
        unexpectedEntries: entries(v.unexpected),
        conflict: conflicting.has(host),
      };
    })
    .sort((a, b) => compareHosts(a.host, b.host));
}

export interface VersionSummary {
  /** The versions the hosts run, most common first (master's first among equals). */
  versions: string[];
  /** Short text for a table cell: `1.2`, `1.2 (+1 other)`, or null when no host reported one. */
  label: string | null;
  /** Hosts that reported an error instead of a version. */
  errors: number;
  dirtyHosts: string[];
  unexpectedHosts: string[];
}

/** What a version report says in one line: the version(s), the hosts in error, dirty or with unexpected files. */
export function versionSummary(report: unknown): VersionSummary {
  const hosts = hostVersions(report);
  const counts = new Map<string, number>();
  for (const h of hosts) if (h.version !== null) counts.set(h.version, (counts.get(h.version) ?? 0) + 1);
  // Map keeps insertion order (master first), and sort is stable.
  const versions = [...counts.entries()].sort((a, b) => b[1] - a[1]).map(([v]) => v);
  const others = versions.length - 1;
  return {
    versions,
    label: versions.length ? `${versions[0]}${others > 0 ? ` (+${others} other${others > 1 ? 's' : ''})` : ''}` : null,
    errors: hosts.filter((h) => h.error !== null).length,
    dirtyHosts: hosts.filter((h) => h.dirty).map((h) => h.host),
    unexpectedHosts: hosts.filter((h) => h.unexpected).map((h) => h.host),
  };
}
