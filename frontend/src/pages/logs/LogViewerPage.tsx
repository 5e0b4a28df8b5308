import { useEffect, useLayoutEffect, useMemo, useRef, useState, type FormEvent, type KeyboardEvent, type ReactNode, type RefObject } from 'react';
import { Link, useParams, useSearchParams } from 'react-router';
import { apiGet, apiList } from '../../api/client';
import { fileLabel, LOGVIDEOS_PATH, videoLabel } from '../../api/logsessions';
import type { LogEntry, LogSession, LogVideo } from '../../api/schemas';
import { ErrorState } from '../../components/ErrorState';
import { SelectField, TextField } from '../../components/FormField';
import { Breadcrumb, Loaded } from '../../components/Loaded';
import { Loading } from '../../components/Loading';
import { useApi } from '../../hooks/useApi';
import { useTitle } from '../../hooks/useTitle';
import { DEFAULT_TZ, formatInZone, wallTimeToEpoch } from '../../lib/time';
import {
  compareCursor,
  edgeToLoad,
  followTarget,
  holds,
  logTimeAt,
  scrollTopFor,
  videoStart,
  videoTimeFor,
  visibleRows,
  type Cursor,
} from './timeline';
import { useLogWindow, type EntryFilters } from './useLogWindow';

/** Height of a log row, px: every row is one line (the full entry shows below the list); `.log-row` in styles.css. */
export const ROW_HEIGHT = 22;
/** The list's height before it could be measured (and in tests, where nothing has a size). */
const FALLBACK_VIEWPORT = 480;
/** Levels the filter offers, most severe first. */
const LEVELS = ['CRITICAL', 'ERROR', 'WARNING', 'INFO', 'DEBUG'] as const;
/** The log's clock: entries are written in US/Pacific (docs/api-design.md#log-sessions). */
const LOG_TZ = DEFAULT_TZ;

const splitIds = (value: string | null) => (value ? value.split(',').filter((v) => /^-?\d+$/.test(v)).map(Number) : []);

/** `13:12:50.181` of an entry's `log_date` (`2023-01-31 13:12:50.181000-08:00`). */
export function clockOf(entry: Pick<LogEntry, 'log_date' | 'ts'>): string {
  const m = /\d{2}:\d{2}:\d{2}(?:\.\d{1,3})?/.exec(entry.log_date);
  return m ? m[0] : formatInZone(new Date(entry.ts * 1000), LOG_TZ).slice(11);
}

/**
 * The time a jump asks for, in seconds since the epoch: a date and time (`2023-01-31 13:12:52.5`),
 * or a time alone on the day of `day` (`13:12:52`), on the log's clock; null when unreadable.
 */
export function jumpTime(text: string, day: string | null): number | null {
  const value = text.trim();
  if (/^\d{1,2}:\d{2}(:\d{2}(\.\d+)?)?$/.test(value)) {
    if (!day) return null;
    const [h, rest] = [value.slice(0, value.indexOf(':')), value.slice(value.indexOf(':'))];
    return wallTimeToEpoch(`${day} ${h.padStart(2, '0')}${rest}`, LOG_TZ);
  }
  return wallTimeToEpoch(value.replace(' ', 'T'), LOG_TZ);
}

/**
 * An entry's text without what its columns already show: the leading `[20230131T131250.181]`
 * time and, on a `.log` line, the `[LEVEL]` after it (`[fsm] -- picking` stays).
 */
export function shownText(entry: Pick<LogEntry, 'message' | 'level'>): string {
  let text = entry.message.replace(/^\[\d{8}T\d{6}(?:\.\d+)?\]\s*/, '');
  if (entry.level && text.startsWith(`[${entry.level}]`)) text = text.slice(entry.level.length + 2).trimStart();
  return text;
}

function firstLine(message: string): string {
  const end = message.indexOf('\n');
  return end < 0 ? message : `${message.slice(0, end)} …`;
}

/** `text` with every case-insensitive occurrence of `q` marked. */
function highlighted(text: string, q: string): ReactNode {
  if (!q) return text;
  const lower = text.toLowerCase();
  const needle = q.toLowerCase();
  const out: ReactNode[] = [];
  let from = 0;
  for (let at = lower.indexOf(needle); at >= 0; at = lower.indexOf(needle, from)) {
    if (at > from) out.push(text.slice(from, at));
    out.push(<mark key={at}>{text.slice(at, at + needle.length)}</mark>);
    from = at + needle.length;
  }
  if (from < text.length) out.push(text.slice(from));
  return out;
}

const levelClass = (level: string | null | undefined) => (level ? `log-level level-${level.toLowerCase()}` : 'log-level');

function LogRow({ entry, selected, q, onSelect }: { entry: LogEntry; selected: boolean; q: string; onSelect: (entry: LogEntry) => void }) {
  return (
    <div
      role="option"
      aria-selected={selected}
      id={`log-entry-${entry.seq}`}
      className={selected ? 'log-row log-row-selected' : 'log-row'}
      onClick={() => onSelect(entry)}
    >
      <span className="log-time" title={entry.log_date}>
        {clockOf(entry)}
      </span>
      <span className="log-source">{fileLabel(entry)}</span>
      <span className={levelClass(entry.level)}>{entry.level ?? ''}</span>
      <span className="log-message">{highlighted(firstLine(shownText(entry)), q)}</span>
    </div>
  );
}

/** The viewer's filters: which log files and robots, the level, the text; applied to the address. */
function ViewerFilters({ session, params, onApply }: { session: LogSession; params: URLSearchParams; onApply: (next: URLSearchParams) => void }) {
  const files = [...session.logs.services].sort((a, b) => fileLabel(a).localeCompare(fileLabel(b)));
  const chosenFiles = new Set(splitIds(params.get('files')));
  const chosenRobots = new Set(splitIds(params.get('robots')));
  const [q, setQ] = useState(params.get('q') ?? '');
  const level = params.get('levels') ?? '';

  const toggle = (key: 'files' | 'robots', chosen: Set<number>, id: number) => {
    const next = new Set(chosen);
    if (next.has(id)) next.delete(id);
    else next.add(id);
    const updated = new URLSearchParams(params);
    if (next.size) updated.set(key, [...next].sort((a, b) => a - b).join(','));
    else updated.delete(key);
    onApply(updated);
  };
  const set = (key: string, value: string) => {
    const updated = new URLSearchParams(params);
    if (value) updated.set(key, value);
    else updated.delete(key);
    onApply(updated);
  };

  return (
    <div className="log-filters">
      <fieldset className="check-group">
        <legend>Services</legend>
        {files.map((f) => (
          <label key={f.id} className="check-pill">
            <input type="checkbox" checked={chosenFiles.has(f.id)} onChange={() => toggle('files', chosenFiles, f.id)} />
            {fileLabel(f)}
          </label>
        ))}
        <span className="field-hint">{chosenFiles.size ? `${chosenFiles.size} of ${files.length}` : 'All of them'}</span>
      </fieldset>
      {session.logs.robots.length > 1 && (
        <fieldset className="check-group">
          <legend>Robots</legend>
          {session.logs.robots.map((r) => (
            <label key={r} className="check-pill">
              <input type="checkbox" checked={chosenRobots.has(r)} onChange={() => toggle('robots', chosenRobots, r)} />
              {r}
            </label>
          ))}
        </fieldset>
      )}
      <SelectField label="Level" value={level} onChange={(e) => set('levels', e.target.value)}>
        <option value="">Any level</option>
        {LEVELS.map((l) => (
          <option key={l} value={l}>
            {l}
          </option>
        ))}
      </SelectField>
      <form
        className="inline-form log-form"
        role="search"
        aria-label="Search the log"
        onSubmit={(e) => {
          e.preventDefault();
          set('q', q.trim());
        }}
      >
        <TextField label="Lines containing" type="search" value={q} onChange={(e) => setQ(e.target.value)} spellCheck={false} />
        <button type="submit" className="button">
          Search
        </button>
      </form>
    </div>
  );
}

function JumpForm({ day, onJump }: { day: string | null; onJump: (ts: number) => void }) {
  const [text, setText] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    const ts = jumpTime(text, day);
    if (ts === null) {
      setProblem('Write a time as 13:12:52, or a date and time as 2023-01-31 13:12:52.500.');
      return;
    }
    setProblem(null);
    onJump(ts);
  };
  return (
    <form className="inline-form log-form" aria-label="Jump to a time" onSubmit={submit}>
      <TextField
        label="Jump to time (US/Pacific)"
        value={text}
        onChange={(e) => setText(e.target.value)}
        placeholder={day ? `${day} 13:12:52` : '2023-01-31 13:12:52'}
        errors={problem ? [problem] : undefined}
        spellCheck={false}
      />
      <button type="submit" className="button">
        Go
      </button>
    </form>
  );
}

/** The selected video beside the log: plays at a chosen rate, follows a clicked line, and the log follows it. */
interface VideoPanelProps {
  videos: LogVideo[];
  video: LogVideo | null;
  onChoose: (id: number) => void;
  videoRef: RefObject<HTMLVideoElement | null>;
  onTimeUpdate: () => void;
  note: string | null;
}

function VideoPanel({ videos, video, onChoose, videoRef, onTimeUpdate, note }: VideoPanelProps) {
  const [rate, setRate] = useState(1);
  useEffect(() => {
    if (videoRef.current) videoRef.current.playbackRate = rate;
  }, [rate, videoRef, video?.id]);
  const start = video ? videoStart(video.meta) : null;
  return (
    <section className="card log-video" aria-labelledby="video-title">
      <h2 id="video-title">Video</h2>
      <SelectField label="Camera" value={video ? String(video.id) : ''} onChange={(e) => onChoose(Number(e.target.value))}>
        {videos.map((v) => (
          <option key={v.id} value={v.id}>
            {videoLabel(v)}
          </option>
        ))}
      </SelectField>
      {video &&
        (video.video_avi ? (
          <video
            key={video.id}
            ref={videoRef}
            className="log-video-player"
            src={video.video_avi}
            controls
            preload="metadata"
            aria-label={`Video ${videoLabel(video)}`}
            onTimeUpdate={onTimeUpdate}
          />
        ) : (
          <p className="muted">This video has no stored file.</p>
        ))}
      <label className="rate-field">
        Speed {rate.toFixed(1)}×
        <input type="range" min={0.5} max={2.5} step={0.1} value={rate} onChange={(e) => setRate(Number(e.target.value))} />
      </label>
      {video && start === null && <p className="muted">Its metadata has no time: the log cannot follow it.</p>}
      {video && start !== null && (
        <p className="muted">Starts at {formatInZone(new Date(start * 1000), LOG_TZ)}. Click a line to see the video there; play it and the log follows.</p>
      )}
      {note && (
        <p className="notice" role="status">
          {note}
        </p>
      )}
    </section>
  );
}

function SelectedEntry({ entry }: { entry: LogEntry }) {
  return (
    <section className="card" aria-labelledby="entry-title">
      <h2 id="entry-title">Selected line</h2>
      <p className="muted">
        <span title={entry.log_date}>{entry.log_date}</span> · {fileLabel(entry)} ({entry.logfile_type}){entry.level ? ` · ${entry.level}` : ''}
      </p>
      <pre className="log-entry-full">{entry.message}</pre>
    </section>
  );
}

export function LogViewerPage() {
  const { sessionId = '' } = useParams();
  useTitle(`Logs of session ${sessionId}`);
  const session = useApi(apiGet('/api/v1/logsessions/{id}/', { path: { id: sessionId } }));
  return (
    <div className="page">
      <Breadcrumb to={`/logsession/${sessionId}`} label={`Log session ${sessionId}`}>
        Logs
      </Breadcrumb>
      <header className="page-head">
        <h1>Logs of session {sessionId}</h1>
        {session.data && <p className="muted break-all">{session.data.name}</p>}
      </header>
      <Loaded data={session.data} error={session.error} reload={session.reload} label="Loading the log session…">
        {(s) =>
          s.status === 'done' ? (
            <Viewer session={s} />
          ) : (
            <p className="notice" role="status">
              The session is {s.status}
              {s.failure_reason ? `: ${s.failure_reason}` : ''}. Its logs are read once the worker has extracted it (
              <Link to={`/logsession/${s.id}`}>follow it here</Link>).
            </p>
          )
        }
      </Loaded>
    </div>
  );
}

function Viewer({ session }: { session: LogSession }) {
  const [params, setParams] = useSearchParams();
  const filters: EntryFilters = {
    files: params.get('files') ?? undefined,
    robots: params.get('robots') ?? undefined,
    levels: params.get('levels') ?? undefined,
    q: params.get('q') ?? undefined,
  };
  const atParam = Number(params.get('at'));
  const at = params.get('at') && Number.isFinite(atParam) ? atParam : null;
  const { window: win, loading, error, shift, loadMore, retry } = useLogWindow(String(session.id), filters, at);
  const entries = win.entries;

  // ── the scrolled list ──
  const scroller = useRef<HTMLDivElement>(null);
  const [scrollTop, setScrollTop] = useState(0);
  const [viewport, setViewport] = useState(FALLBACK_VIEWPORT);
  useLayoutEffect(() => {
    const el = scroller.current;
    if (!el) return;
    const measure = () => setViewport(el.clientHeight || FALLBACK_VIEWPORT);
    measure();
    if (typeof ResizeObserver === 'undefined') return;
    const observer = new ResizeObserver(measure);
    observer.observe(el);
    return () => observer.disconnect();
  }, []);
  const range = visibleRows(scrollTop, viewport, ROW_HEIGHT, entries.length);

  const [selected, setSelected] = useState<Cursor | null>(null);
  const selectedIndex = useMemo(() => (selected ? entries.findIndex((e) => compareCursor(e, selected) === 0) : -1), [entries, selected]);
  const scrollTo = (top: number) => {
    const el = scroller.current;
    if (el) el.scrollTop = top;
    setScrollTop(top);
  };
  /** Scrolls row `index` into view when it is not. */
  const reveal = (index: number) => {
    const top = index * ROW_HEIGHT;
    if (top < scrollTop || top + ROW_HEIGHT > scrollTop + viewport) scrollTo(scrollTopFor(index, viewport, ROW_HEIGHT));
  };

  // Pages that arrive move the rows: the scroll position moves with them, so the same lines stay
  // in view; a jump selects the line its time falls on and shows it. Set while rendering (it
  // follows the page that arrived), written to the list below.
  const [shiftSeen, setShiftSeen] = useState(0);
  if (shift.id !== shiftSeen) {
    setShiftSeen(shift.id);
    if (shift.kind === 'replace') {
      if (shift.target) setSelected(shift.target);
      const index = shift.target ? entries.findIndex((e) => compareCursor(e, shift.target!) === 0) : 0;
      setScrollTop(index > 0 ? scrollTopFor(index, viewport, ROW_HEIGHT) : 0);
    } else {
      setScrollTop((top) => Math.max(0, top + shift.rows * ROW_HEIGHT));
    }
  }
  useLayoutEffect(() => {
    const el = scroller.current;
    if (el && shift.id > 0) el.scrollTop = scrollTop;
    // Only a shift moves the list; the user's own scrolling is read from it.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [shift.id]);

  // Near an end that has more, the next page is fetched (not again while one failed).
  useEffect(() => {
    if (loading || error) return;
    const side = edgeToLoad(range, entries.length, win);
    if (side) loadMore(side);
  }, [range.start, range.end, entries.length, win, loading, error, loadMore]); // eslint-disable-line react-hooks/exhaustive-deps

  // ── the video ──
  const videoList = useApi(
    session.logs.videos.length ? apiList(LOGVIDEOS_PATH, { limit: 100, offset: 0, query: { log_session_id: session.id } }) : null,
  );
  const videos = useMemo(
    () => [...(videoList.data?.results ?? [])].sort((a, b) => videoLabel(a).localeCompare(videoLabel(b))),
    [videoList.data],
  );
  const videoId = Number(params.get('video'));
  const video = videos.find((v) => v.id === videoId) ?? videos[0] ?? null;
  const start = video ? videoStart(video.meta) : null;
  const player = useRef<HTMLVideoElement | null>(null);
  const [videoNote, setVideoNote] = useState<string | null>(null);

  const select = (entry: LogEntry) => {
    setSelected({ ts: entry.ts, seq: entry.seq });
    const el = player.current;
    if (!video || !el) return;
    if (start === null) {
      setVideoNote(null);
      return;
    }
    const t = videoTimeFor(start, entry.ts, el.duration);
    if (t === null) {
      setVideoNote(`This line is outside the ${videoLabel(video)} video.`);
    } else {
      setVideoNote(null);
      el.currentTime = t;
    }
  };

  // A playing video moves the log: the line at its time is selected and kept in view; a time
  // beyond the held entries is a jump there.
  const followVideo = () => {
    const el = player.current;
    if (!el || el.paused || start === null) return;
    const ts = logTimeAt(start, el.currentTime);
    if (holds(win, ts)) {
      const index = followTarget(entries, selectedIndex, ts);
      if (index === null) return;
      setSelected({ ts: entries[index]!.ts, seq: entries[index]!.seq });
      reveal(index);
    } else if (!loading) {
      const next = new URLSearchParams(params);
      next.set('at', String(ts));
      setParams(next, { replace: true });
    }
  };

  const applyFilters = (next: URLSearchParams) => setParams(next, { replace: true });
  const jump = (ts: number) => {
    const next = new URLSearchParams(params);
    next.set('at', String(ts));
    setParams(next);
  };
  const chooseVideo = (id: number) => {
    const next = new URLSearchParams(params);
    next.set('video', String(id));
    setParams(next, { replace: true });
    setVideoNote(null);
  };

  const onKey = (event: KeyboardEvent) => {
    if (event.key !== 'ArrowDown' && event.key !== 'ArrowUp') return;
    event.preventDefault();
    const from = selectedIndex >= 0 ? selectedIndex : range.start;
    const index = Math.max(0, Math.min(entries.length - 1, from + (event.key === 'ArrowDown' ? 1 : -1)));
    const entry = entries[index];
    if (!entry) return;
    select(entry);
    reveal(index);
  };

  const day = (entries[selectedIndex] ?? entries[0])?.log_date.slice(0, 10) ?? session.date_time?.slice(0, 10) ?? null;
  const q = filters.q ?? '';
  const selectedEntry = selectedIndex >= 0 ? entries[selectedIndex]! : null;

  return (
    <div className={session.logs.videos.length ? 'log-viewer log-viewer-with-video' : 'log-viewer'}>
      <div className="log-main">
        <section className="card" aria-label="Log">
          <ViewerFilters session={session} params={params} onApply={applyFilters} />
          <div className="log-toolbar">
            <JumpForm day={day} onJump={jump} />
            <span className="muted" aria-live="polite">
              {loading === 'replace'
                ? 'Loading…'
                : loading === 'before'
                  ? 'Loading earlier lines…'
                  : loading === 'after'
                    ? 'Loading later lines…'
                    : entries.length
                  ? `Lines ${entries[0]!.log_date.slice(11, 19)}–${entries.at(-1)!.log_date.slice(11, 19)} held (${entries.length}${win.moreBefore || win.moreAfter ? ', more as you scroll' : ''})`
                  : ''}
            </span>
          </div>
          {error ? <ErrorState error={error} onRetry={retry} compact /> : null}
          <div
            ref={scroller}
            className="log-scroll"
            role="listbox"
            aria-label="Log lines"
            aria-busy={loading !== null}
            aria-activedescendant={selectedEntry ? `log-entry-${selectedEntry.seq}` : undefined}
            tabIndex={0}
            onKeyDown={onKey}
            onScroll={(e) => setScrollTop(e.currentTarget.scrollTop)}
          >
            <div style={{ height: range.padTop }} aria-hidden="true" />
            {entries.slice(range.start, range.end).map((entry) => (
              <LogRow key={entry.seq} entry={entry} q={q} selected={selectedEntry?.seq === entry.seq} onSelect={select} />
            ))}
            <div style={{ height: range.padBottom }} aria-hidden="true" />
            {!entries.length && loading === null && !error && (
              <p className="log-empty muted">{q || filters.levels || filters.files || filters.robots ? 'No line matches.' : 'No line.'}</p>
            )}
          </div>
          {loading === 'replace' && <Loading inline label="Loading log lines…" />}
        </section>
        {selectedEntry && <SelectedEntry entry={selectedEntry} />}
      </div>
      {session.logs.videos.length > 0 && (
        <aside className="log-side">
          {videoList.error ? (
            <ErrorState error={videoList.error} onRetry={videoList.reload} compact />
          ) : !videoList.data ? (
            <Loading label="Loading the videos…" />
          ) : (
            <VideoPanel videos={videos} video={video} onChoose={chooseVideo} videoRef={player} onTimeUpdate={followVideo} note={videoNote} />
          )}
        </aside>
      )}
    </div>
  );
}
