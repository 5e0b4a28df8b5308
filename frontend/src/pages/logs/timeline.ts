/**
 * The log viewer's arithmetic, apart from the components: the merged timeline held as a window
 * of entries fetched in server-side pages (keyset: each page starts after the previous page's
 * last entry or ends before its first), which rows of it are on the screen (virtual scrolling),
 * and how a log position maps to a video's position and back.
 *
 * Positions are `(ts, seq)`: `ts` seconds since the epoch, `seq` unique in the session; the
 * server orders the timeline by both (docs/api-design.md#log-sessions).
 */

export interface Cursor {
  ts: number;
  seq: number;
}

/** What the window needs of an entry. */
export interface Positioned {
  ts: number;
  seq: number;
}

export function compareCursor(a: Cursor, b: Cursor): number {
  return a.ts - b.ts || a.seq - b.seq;
}

export interface Window<T extends Positioned> {
  entries: T[];
  /** Entries exist before the first one held (the server said so, or some were dropped). */
  moreBefore: boolean;
  /** Entries exist after the last one held. */
  moreAfter: boolean;
}

export function emptyWindow<T extends Positioned>(): Window<T> {
  return { entries: [], moreBefore: false, moreAfter: false };
}

/** A page of the entries route: the entries and whether there are more on either side. */
export interface EntriesPage<T extends Positioned> {
  results: T[];
  more_before: boolean;
  more_after: boolean;
}

/** Where a page was asked for: a fresh start (a jump or new filters), after the held entries, or before them. */
export type PageDirection = 'replace' | 'after' | 'before';

/**
 * The window once `page` arrived. `after` appends, `before` prepends (entries already held are
 * not repeated), `replace` starts over. At most `max` entries are kept: the side away from the
 * new page is cut, and then has more entries.
 */
export function mergePage<T extends Positioned>(
  win: Window<T>,
  page: EntriesPage<T>,
  direction: PageDirection,
  max: number,
): { window: Window<T>; dropped: number } {
  if (direction === 'replace') {
    const entries = page.results.slice(0, max);
    return {
      window: { entries, moreBefore: page.more_before, moreAfter: page.more_after || entries.length < page.results.length },
      dropped: 0,
    };
  }
  if (direction === 'after') {
    const last = win.entries.at(-1);
    const fresh = last ? page.results.filter((e) => compareCursor(e, last) > 0) : page.results;
    const all = [...win.entries, ...fresh];
    const dropped = Math.max(0, all.length - max);
    return {
      window: { entries: all.slice(dropped), moreBefore: win.moreBefore || dropped > 0, moreAfter: page.more_after },
      dropped,
    };
  }
  const first = win.entries[0];
  const fresh = first ? page.results.filter((e) => compareCursor(e, first) < 0) : page.results;
  const all = [...fresh, ...win.entries];
  const cut = Math.max(0, all.length - max);
  return {
    window: { entries: all.slice(0, all.length - cut), moreBefore: page.more_before, moreAfter: win.moreAfter || cut > 0 },
    // Prepended rows move what is on screen down by this many.
    dropped: fresh.length,
  };
}

/** The query position of the next page in `direction` (null: nothing to ask for). */
export function pagePosition<T extends Positioned>(
  win: Window<T>,
  direction: 'after' | 'before',
): Record<string, string> | null {
  if (direction === 'after') {
    const last = win.entries.at(-1);
    if (!last || !win.moreAfter) return null;
    return { after_ts: String(last.ts), after_seq: String(last.seq) };
  }
  const first = win.entries[0];
  if (!first || !win.moreBefore) return null;
  return { before_ts: String(first.ts), before_seq: String(first.seq) };
}

/** Index of the first entry at or after `ts` (entries.length when none is). */
export function indexAtOrAfter(entries: readonly Positioned[], ts: number): number {
  let lo = 0;
  let hi = entries.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (entries[mid]!.ts < ts) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * Index of the entry a time falls on: the last one at or before `ts` (the line being "played"),
 * else the first; -1 without entries.
 */
export function indexForTime(entries: readonly Positioned[], ts: number): number {
  if (!entries.length) return -1;
  const after = indexAtOrAfter(entries, ts);
  if (after < entries.length && entries[after]!.ts === ts) return after;
  return Math.max(0, after - 1);
}

/** Whether `ts` lies within the held entries (a jump there needs no new page). */
export function holds(win: Window<Positioned>, ts: number): boolean {
  const first = win.entries[0];
  const last = win.entries.at(-1);
  if (!first || !last) return false;
  return (ts >= first.ts || !win.moreBefore) && (ts <= last.ts || !win.moreAfter);
}

// ── virtual scrolling ───────────────────────────────────────────────────────────────────────

export interface RowRange {
  /** First row drawn. */
  start: number;
  /** One past the last row drawn. */
  end: number;
  /** Space above the drawn rows, px. */
  padTop: number;
  /** Space below them, px. */
  padBottom: number;
}

/** The rows to draw for a scroll position: those in view plus `overscan` on each side. */
export function visibleRows(scrollTop: number, viewport: number, rowHeight: number, count: number, overscan = 10): RowRange {
  if (count <= 0 || rowHeight <= 0) return { start: 0, end: 0, padTop: 0, padBottom: 0 };
  const first = Math.floor(Math.max(0, scrollTop) / rowHeight);
  const inView = Math.ceil(Math.max(0, viewport) / rowHeight) + 1;
  const start = Math.max(0, Math.min(count - 1, first) - overscan);
  const end = Math.min(count, first + inView + overscan);
  return { start, end, padTop: start * rowHeight, padBottom: (count - end) * rowHeight };
}

/** The scroll position that puts row `index` at the top third of the viewport. */
export function scrollTopFor(index: number, viewport: number, rowHeight: number): number {
  return Math.max(0, index * rowHeight - Math.floor(viewport / 3));
}

/** Which side needs a new page: within `threshold` rows of an end that has more. */
export function edgeToLoad(range: RowRange, count: number, win: Window<Positioned>, threshold = 50): 'before' | 'after' | null {
  if (win.moreAfter && count - range.end <= threshold) return 'after';
  if (win.moreBefore && range.start <= threshold) return 'before';
  return null;
}

// ── the video beside the log ──────────────────────────────────────────────────────────────

/**
 * When a video starts, seconds since the epoch: the `ts` of its first metadata line (the
 * camera's JSON lines, one per frame or event), as the original web app read it; null when the
 * metadata has no time.
 */
export function videoStart(meta: unknown): number | null {
  if (!Array.isArray(meta)) return null;
  for (const line of meta) {
    if (line && typeof line === 'object') {
      const ts = Number((line as { ts?: unknown }).ts);
      if (Number.isFinite(ts) && ts > 0) return ts;
    }
  }
  return null;
}

/** The log time (epoch seconds) shown at `currentTime` seconds into a video that starts at `start`. */
export function logTimeAt(start: number, currentTime: number): number {
  return start + Math.max(0, currentTime);
}

/**
 * Where a video must be for a log line at `ts`: seconds into it, clamped to its length; null when
 * the line is outside the video (before its start or after its end, when the length is known).
 */
export function videoTimeFor(start: number, ts: number, duration?: number | null): number | null {
  const t = ts - start;
  if (t < 0) return null;
  if (duration !== undefined && duration !== null && Number.isFinite(duration) && t > duration) return null;
  return t;
}

/**
 * Whether the log should move to follow the video: only once the video time reached another
 * line than the one selected (a video reports its time several times a second).
 */
export function followTarget(entries: readonly Positioned[], selected: number, logTs: number): number | null {
  const index = indexForTime(entries, logTs);
  return index >= 0 && index !== selected ? index : null;
}
