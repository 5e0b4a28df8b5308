/**
 * Search in a JSON value (a configuration report is about a megabyte): which keys and values
 * contain a text, as a smaller value holding only those parts and the way to them, for the
 * JSON tree to show opened down to each match.
 */

/** The key of a path in a JSON value (`JsonTree`'s `openPaths`): its segments, joined. */
export function pathKey(path: readonly string[]): string {
  return path.join('\u001f');
}

export interface JsonSearch {
  /**
   * The matching parts with their ancestors: a key that matches brings its whole value, a value
   * that matches its key. Arrays become objects keyed by the original index, so an item keeps
   * its number. `undefined` when nothing matches.
   */
  value: unknown;
  /** How many keys and values match (a matching key's value is not searched further). */
  matches: number;
  /** How many of them `value` holds (at most `limit`). */
  shown: number;
  /** `pathKey`s of the containers to show open: every ancestor of a match. */
  open: Set<string>;
}

const NONE: unique symbol = Symbol('none');

function isContainer(value: unknown): value is Record<string, unknown> | unknown[] {
  return typeof value === 'object' && value !== null;
}

function primitiveText(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  return typeof value === 'string' ? value : String(value);
}

/**
 * The parts of `value` whose key or (primitive) value contains `query`, ignoring case. Only the
 * first `limit` matches are kept; all are counted. An empty query matches nothing (null).
 */
export function searchJson(value: unknown, query: string, limit = 500): JsonSearch | null {
  const needle = query.trim().toLowerCase();
  if (!needle) return null;
  const open = new Set<string>();
  let matches = 0;
  let shown = 0;
  const hit = (text: string) => text.toLowerCase().includes(needle);

  /** Counts a match; true when it is still kept (within the limit). */
  const take = (path: string[]): boolean => {
    matches += 1;
    if (shown >= limit) return false;
    shown += 1;
    // Every ancestor opens; a matching container itself stays folded.
    for (let i = 0; i < path.length; i += 1) open.add(pathKey(path.slice(0, i)));
    return true;
  };

  const walk = (node: unknown, path: string[], keyMatches: boolean): unknown => {
    if (!isContainer(node)) {
      if (keyMatches || hit(primitiveText(node))) return take(path) ? node : NONE;
      return NONE;
    }
    if (keyMatches) return take(path) ? node : NONE;
    const entries: Array<[string, unknown]> = Array.isArray(node)
      ? node.map((item, i) => [String(i), item])
      : Object.entries(node);
    const kept: Record<string, unknown> = {};
    let any = false;
    for (const [key, item] of entries) {
      const result = walk(item, [...path, key], hit(key));
      if (result !== NONE) {
        kept[key] = result;
        any = true;
      }
    }
    return any ? kept : NONE;
  };

  const result = walk(value, [], false);
  return { value: result === NONE ? undefined : result, matches, shown, open };
}

/** `text` cut into the parts that do and do not contain `query` (ignoring case), for highlighting. */
export function splitMatches(text: string, query: string): Array<{ text: string; match: boolean }> {
  const needle = query.trim().toLowerCase();
  if (!needle) return [{ text, match: false }];
  const lower = text.toLowerCase();
  const out: Array<{ text: string; match: boolean }> = [];
  let from = 0;
  for (let at = lower.indexOf(needle); at !== -1; at = lower.indexOf(needle, from)) {
    if (at > from) out.push({ text: text.slice(from, at), match: false });
    out.push({ text: text.slice(at, at + needle.length), match: true });
    from = at + needle.length;
  }
  if (from < text.length) out.push({ text: text.slice(from), match: false });
  return out;
}
