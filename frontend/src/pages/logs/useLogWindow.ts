import { useCallback, useEffect, useRef, useState } from 'react';
import { ENTRIES_PATH } from '../../api/logsessions';
import type { LogEntry } from '../../api/schemas';
import { useClient } from '../../services';
import { emptyWindow, indexForTime, mergePage, pagePosition, type Cursor, type PageDirection, type Window } from './timeline';

/** Entries asked for at a time (the route's default window). */
export const PAGE_SIZE = 500;
/** Entries held at most: four pages; scrolling further drops the far side (fetched again when needed). */
export const MAX_HELD = 2000;

/** The entries route's filters as the viewer's address holds them (comma-separated lists). */
export interface EntryFilters {
  files?: string;
  robots?: string;
  levels?: string;
  q?: string;
}

/**
 * How the rows moved when a page arrived, for the scroll position to follow: `replace` (a new
 * start: go to the top), or `shift` by `rows` (rows prepended, or dropped at the top when
 * negative). `id` tells one change from the next.
 */
export interface RowShift {
  id: number;
  kind: 'replace' | 'shift';
  rows: number;
  /** After a jump: the entry the time falls on, to select. */
  target: Cursor | null;
}

export interface LogWindowState {
  window: Window<LogEntry>;
  /** The page being fetched, if any. */
  loading: PageDirection | null;
  error: unknown;
  shift: RowShift;
  /** Fetches the next page on that side (nothing while a page is on its way or the side has none). */
  loadMore: (direction: 'after' | 'before') => void;
  /** Asks again for what failed (the whole window after a failed start). */
  retry: () => void;
}

function filterQuery(filters: EntryFilters) {
  const query: { files?: string; robots?: string; levels?: string; q?: string } = {};
  if (filters.files) query.files = filters.files;
  if (filters.robots) query.robots = filters.robots;
  if (filters.levels) query.levels = filters.levels;
  if (filters.q) query.q = filters.q;
  return query;
}

/**
 * A session's merged timeline held as a window of server pages (keyset, docs/api-design.md#log-sessions):
 * the first page from `at` (or the start) whenever the session, the filters or `at` change, then
 * pages after or before the held entries as the viewer scrolls. Arithmetic in `timeline.ts`.
 */
export function useLogWindow(sessionId: string, filters: EntryFilters, at: number | null): LogWindowState {
  const client = useClient();
  const [round, setRound] = useState(0);
  const key = JSON.stringify([sessionId, filterQuery(filters), at, round]);
  // What the last first page answered, and for which key: another key is a start on its way.
  const [held, setHeld] = useState<{ key: string; window: Window<LogEntry>; error: unknown }>({
    key: '',
    window: emptyWindow(),
    error: null,
  });
  const [more, setMore] = useState<'after' | 'before' | null>(null);
  const [shift, setShift] = useState<RowShift>({ id: 0, kind: 'replace', rows: 0, target: null });
  const current = useRef(held.window);
  const busy = useRef<AbortController | null>(null);
  const failedSide = useRef<'after' | 'before' | null>(null);

  // The first page: a fresh start whenever what is shown changes.
  useEffect(() => {
    const [id, query, from] = JSON.parse(key) as [string, ReturnType<typeof filterQuery>, number | null];
    busy.current?.abort();
    const controller = new AbortController();
    busy.current = controller;
    failedSide.current = null;
    client
      .get(ENTRIES_PATH, {
        path: { id },
        query: { ...query, ...(from !== null ? { at: from } : {}), limit: PAGE_SIZE },
        signal: controller.signal,
      })
      .then(
        (page) => {
          if (controller.signal.aborted) return;
          const next = mergePage(emptyWindow<LogEntry>(), page, 'replace', MAX_HELD).window;
          current.current = next;
          busy.current = null;
          setMore(null);
          setHeld({ key, window: next, error: null });
          const index = from !== null ? indexForTime(next.entries, from) : -1;
          const target = index >= 0 ? { ts: next.entries[index]!.ts, seq: next.entries[index]!.seq } : null;
          setShift((s) => ({ id: s.id + 1, kind: 'replace', rows: 0, target }));
        },
        (failure: unknown) => {
          if (controller.signal.aborted) return;
          current.current = emptyWindow();
          busy.current = null;
          setMore(null);
          setHeld({ key, window: emptyWindow(), error: failure });
        },
      );
    return () => controller.abort();
  }, [client, key]);

  const loadMore = useCallback(
    (direction: 'after' | 'before') => {
      if (busy.current) return;
      const position = pagePosition(current.current, direction);
      if (!position) return;
      const [id, query] = JSON.parse(key) as [string, ReturnType<typeof filterQuery>];
      const controller = new AbortController();
      busy.current = controller;
      setMore(direction);
      const keyset =
        direction === 'after'
          ? { after_ts: Number(position.after_ts), after_seq: Number(position.after_seq) }
          : { before_ts: Number(position.before_ts), before_seq: Number(position.before_seq) };
      client
        .get(ENTRIES_PATH, { path: { id }, query: { ...query, ...keyset, limit: PAGE_SIZE }, signal: controller.signal })
        .then(
          (page) => {
            if (controller.signal.aborted) return;
            const { window: next, dropped } = mergePage(current.current, page, direction, MAX_HELD);
            current.current = next;
            busy.current = null;
            failedSide.current = null;
            setMore(null);
            setHeld({ key, window: next, error: null });
            // Rows prepended push what is on screen down; rows cut at the top pull it up.
            const rows = direction === 'before' ? dropped : -dropped;
            if (rows) setShift((s) => ({ id: s.id + 1, kind: 'shift', rows, target: null }));
          },
          (failure: unknown) => {
            if (controller.signal.aborted) return;
            failedSide.current = direction;
            busy.current = null;
            setMore(null);
            setHeld((h) => ({ ...h, error: failure }));
          },
        );
    },
    [client, key],
  );

  const retry = useCallback(() => {
    const side = failedSide.current;
    if (side && current.current.entries.length) {
      failedSide.current = null;
      setHeld((h) => ({ ...h, error: null }));
      loadMore(side);
    } else {
      setRound((r) => r + 1);
    }
  }, [loadMore]);

  const starting = held.key !== key;
  return {
    window: held.window,
    loading: starting ? 'replace' : more,
    error: starting ? null : held.error,
    shift,
    loadMore,
    retry,
  };
}
