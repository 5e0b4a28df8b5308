import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import type { LogEntry, LogVideo } from '../../api/schemas';
import type { Call } from '../../test/helpers';
import { logSession } from '../../test/logSessions';
import { currentLocation, jsonResponse, makeUser, mockFetch, ok, pageOf, renderApp, storeSession } from '../../test/helpers';
import { clockOf, jumpTime, ROW_HEIGHT, shownText } from './LogViewerPage';

/** 2023-01-31 13:12:50 US/Pacific. */
const T0 = Date.UTC(2023, 0, 31, 21, 12, 50) / 1000;

/** `2023-01-31 13:12:50.500000-08:00` for a time in January (PST). */
function pacific(ts: number): string {
  const iso = new Date((ts - 8 * 3600) * 1000).toISOString();
  return `${iso.slice(0, 10)} ${iso.slice(11, 23)}000-08:00`;
}

/** Entry `i` (1-based): every half second, robot 2's fsm_main and robot 3's robot log taking turns. */
function entry(i: number): LogEntry {
  const ts = T0 + i * 0.5;
  const fsm = i % 2 === 1;
  return {
    seq: i,
    ts,
    log_date: pacific(ts),
    file: fsm ? 30 : 31,
    service: fsm ? 'fsm_main' : 'robot',
    robot: fsm ? 2 : 3,
    logfile_type: 'log',
    level: i % 100 === 0 ? 'ERROR' : 'INFO',
    message: `[20230131T${clockOf({ log_date: pacific(ts), ts }).replace(/:/g, '')}] [${i % 100 === 0 ? 'ERROR' : 'INFO'}] ${
      i % 100 === 0 ? `line ${i} failed\nTraceback: boom` : `line ${i}`
    }`,
  };
}

/** The entries route over `count` entries: filters, keyset positions and `at` as the server reads them. */
function entriesRoute(count: number) {
  const all = Array.from({ length: count }, (_, k) => entry(k + 1));
  return (call: Call) => {
    const p = new URL(call.url, 'http://localhost').searchParams;
    const limit = Number(p.get('limit') ?? 500);
    const q = p.get('q')?.toLowerCase();
    const files = p.get('files')?.split(',').map(Number);
    const levels = p.get('levels')?.split(',');
    const matching = all.filter(
      (e) => (!q || e.message.toLowerCase().includes(q)) && (!files || files.includes(e.file)) && (!levels || levels.includes(e.level ?? '')),
    );
    const after = (e: LogEntry, ts: number, seq: number) => e.ts > ts || (e.ts === ts && e.seq > seq);
    let start = 0;
    let end: number;
    if (p.has('after_ts')) {
      start = matching.findIndex((e) => after(e, Number(p.get('after_ts')), Number(p.get('after_seq'))));
      if (start < 0) start = matching.length;
      end = Math.min(matching.length, start + limit);
    } else if (p.has('before_ts')) {
      const ts = Number(p.get('before_ts'));
      const seq = Number(p.get('before_seq'));
      end = matching.findIndex((e) => e.ts > ts || (e.ts === ts && e.seq >= seq));
      if (end < 0) end = matching.length;
      start = Math.max(0, end - limit);
    } else {
      if (p.has('at')) {
        start = matching.findIndex((e) => e.ts >= Number(p.get('at')));
        if (start < 0) start = matching.length;
      }
      end = Math.min(matching.length, start + limit);
    }
    const results = matching.slice(start, end);
    return jsonResponse(
      200,
      ok({
        results,
        first: results[0] ? { ts: results[0].ts, seq: results[0].seq } : null,
        last: results.at(-1) ? { ts: results.at(-1)!.ts, seq: results.at(-1)!.seq } : null,
        more_before: start > 0,
        more_after: end < matching.length,
      }),
    );
  };
}

const video: LogVideo = {
  id: 40,
  created: '2026-12-05T20:00:10.000000Z',
  lastModified: '2026-12-05T20:00:10.000000Z',
  creator: null,
  modifiedBy: null,
  file_name: '20230131131250_010_02_drive_cam.mp4',
  category: 'drive_cam',
  robot: 2,
  log_session: 5,
  video_avi: 'http://s3.example/video.mp4?sig=1',
  // The video starts with entry 100 (T0 + 50 s).
  meta: [{ ts: T0 + 50, frame: 0 }],
};

function server(count = 3000) {
  return mockFetch({
    'GET /api/v1/logsessions/5/': () => jsonResponse(200, ok(logSession())),
    'GET /api/v1/logsessions/5/entries/': entriesRoute(count),
    'GET /api/v1/logvideos/': () => jsonResponse(200, ok(pageOf([video]))),
  });
}

const entryCalls = (calls: Call[]) =>
  calls.filter((c) => c.path === '/api/v1/logsessions/5/entries/').map((c) => Object.fromEntries(new URL(c.url, 'http://localhost').searchParams));

const options = () => within(screen.getByRole('listbox', { name: 'Log lines' })).getAllByRole('option');
const selectedText = () => within(screen.getByRole('listbox', { name: 'Log lines' })).queryByRole('option', { selected: true })?.textContent;

/** The player with what jsdom lacks: a settable time, a length, and playing or not. */
function fakePlayer(duration = 600) {
  const player = screen.getByLabelText('Video drive_cam.2') as HTMLVideoElement;
  const state = { time: 0, paused: true };
  Object.defineProperty(player, 'currentTime', { get: () => state.time, set: (t: number) => (state.time = t), configurable: true });
  Object.defineProperty(player, 'duration', { value: duration, configurable: true });
  Object.defineProperty(player, 'paused', { get: () => state.paused, configurable: true });
  return { player, state };
}

describe('log viewer helpers', () => {
  it('reads jump times on the log’s clock and shows entry times', () => {
    expect(jumpTime('2023-01-31 13:12:52.5', null)).toBe(T0 + 2.5);
    expect(jumpTime('13:13:00', '2023-01-31')).toBe(T0 + 10);
    expect(jumpTime('9:05', '2023-01-31')).toBe(Date.UTC(2023, 0, 31, 17, 5) / 1000);
    expect(jumpTime('13:13:00', null)).toBeNull();
    expect(jumpTime('soon', '2023-01-31')).toBeNull();
    expect(clockOf(entry(1))).toBe('13:12:50.500');
  });

  it('shows an entry’s text without the time and level its columns show', () => {
    expect(shownText({ message: '[20230131T131251.000] [INFO] [fsm] -- picking', level: 'INFO' })).toBe('[fsm] -- picking');
    expect(shownText({ message: '[20230131T131252.500] [ERROR] [fsm] -- Traceback\n  File', level: 'ERROR' })).toBe('[fsm] -- Traceback\n  File');
    expect(shownText({ message: '[20230131T131250.181000]  rcan0  384  37 97', level: null })).toBe('rcan0  384  37 97');
    expect(shownText({ message: 'started without a clock', level: null })).toBe('started without a clock');
  });
});

describe('log viewer', () => {
  it('draws only the rows in view and fetches later lines as the list scrolls down', async () => {
    storeSession(makeUser());
    const { fetch, calls } = server();
    renderApp('/logfiles/5', fetch);
    await waitFor(() => expect(options()[0]).toHaveTextContent('line 1'));
    expect(options()[0]).toHaveTextContent('13:12:50.500');
    expect(options()[0]).toHaveTextContent('fsm_main.2');
    // 500 entries held, a screenful (and a margin) drawn.
    expect(options().length).toBeLessThan(50);
    expect(screen.getByText(/held \(500, more as you scroll\)/)).toBeInTheDocument();
    expect(entryCalls(calls)).toEqual([{ limit: '500' }]);

    const list = screen.getByRole('listbox', { name: 'Log lines' });
    list.scrollTop = 470 * ROW_HEIGHT;
    fireEvent.scroll(list);
    await waitFor(() => expect(entryCalls(calls)).toHaveLength(2));
    expect(entryCalls(calls)[1]).toEqual({ after_ts: String(entry(500).ts), after_seq: '500', limit: '500' });
    await screen.findByText(/held \(1000, more as you scroll\)/);
    expect(options().some((o) => o.textContent?.includes('line 480'))).toBe(true);
    expect(options().length).toBeLessThan(50);
  });

  it('jumps to a time, fetches the lines before it and keeps the line in view', async () => {
    storeSession(makeUser());
    const user = userEvent.setup();
    const { fetch, calls } = server();
    renderApp('/logfiles/5', fetch);
    await waitFor(() => expect(options()[0]).toHaveTextContent('line 1'));
    // Entry 1000 is at T0 + 500 s: 13:21:10 US/Pacific.
    await user.type(screen.getByRole('textbox', { name: 'Jump to time (US/Pacific)' }), '13:21:10');
    await user.click(within(screen.getByRole('form', { name: 'Jump to a time' })).getByRole('button', { name: 'Go' }));
    await waitFor(() => expect(entryCalls(calls)[1]).toEqual({ at: String(T0 + 500), limit: '500' }));
    expect(currentLocation()).toBe(`/logfiles/5?at=${T0 + 500}`);
    // At the top of what the jump brought, the lines before it are fetched, and the list stays on the line.
    await waitFor(() => expect(entryCalls(calls)[2]).toEqual({ before_ts: String(T0 + 500), before_seq: '1000', limit: '500' }));
    await waitFor(() => expect(selectedText()).toContain('line 1000'));
    const list = screen.getByRole('listbox', { name: 'Log lines' });
    expect(list.scrollTop).toBe(500 * ROW_HEIGHT);
    expect(screen.getByRole('region', { name: 'Selected line' })).toHaveTextContent('line 1000');
  });

  it('says how to write a time it cannot read', async () => {
    storeSession(makeUser());
    const user = userEvent.setup();
    const { fetch, calls } = server();
    renderApp('/logfiles/5', fetch);
    await waitFor(() => expect(options()[0]).toHaveTextContent('line 1'));
    await user.type(screen.getByRole('textbox', { name: 'Jump to time (US/Pacific)' }), 'lunchtime');
    await user.click(within(screen.getByRole('form', { name: 'Jump to a time' })).getByRole('button', { name: 'Go' }));
    expect(screen.getByText(/Write a time as 13:12:52/)).toBeInTheDocument();
    expect(entryCalls(calls)).toHaveLength(1);
  });

  it('searches, filters by service and level on the server, and marks the text found', async () => {
    storeSession(makeUser());
    const user = userEvent.setup();
    const { fetch, calls } = server();
    renderApp('/logfiles/5', fetch);
    await waitFor(() => expect(options()[0]).toHaveTextContent('line 1'));
    await user.type(screen.getByRole('searchbox', { name: 'Lines containing' }), 'FAILED');
    await user.click(screen.getByRole('button', { name: 'Search' }));
    await waitFor(() => expect(entryCalls(calls).at(-1)).toEqual({ q: 'FAILED', limit: '500' }));
    await waitFor(() => expect(options()[0]).toHaveTextContent('line 100 failed …'));
    expect(within(options()[0]!).getByText('failed').tagName).toBe('MARK');
    expect(options()).toHaveLength(30);
    expect(currentLocation()).toBe('/logfiles/5?q=FAILED');

    await user.click(screen.getByRole('checkbox', { name: 'robot.3' }));
    await waitFor(() => expect(entryCalls(calls).at(-1)).toEqual({ files: '31', q: 'FAILED', limit: '500' }));
    await user.selectOptions(screen.getByRole('combobox', { name: 'Level' }), 'ERROR');
    await waitFor(() => expect(entryCalls(calls).at(-1)).toEqual({ files: '31', levels: 'ERROR', q: 'FAILED', limit: '500' }));
    await waitFor(() => expect(options()[0]).toHaveTextContent('line 100 failed'));

    await user.clear(screen.getByRole('searchbox', { name: 'Lines containing' }));
    await user.type(screen.getByRole('searchbox', { name: 'Lines containing' }), 'nothing like this');
    await user.click(screen.getByRole('button', { name: 'Search' }));
    expect(await screen.findByText('No line matches.')).toBeInTheDocument();
  });

  it('seeks the video to a clicked line, and moves the log as the video plays', async () => {
    storeSession(makeUser());
    const user = userEvent.setup();
    const { fetch } = server();
    renderApp('/logfiles/5?video=40', fetch);
    await waitFor(() => expect(options()[0]).toHaveTextContent('line 1'));
    await screen.findByLabelText('Video drive_cam.2');
    const { player, state } = fakePlayer();
    expect(screen.getByRole('region', { name: 'Video' })).toHaveTextContent('Starts at 2023-01-31 13:13:40.000');

    // Entry 110 is 5 s after the video's start.
    const list = screen.getByRole('listbox', { name: 'Log lines' });
    list.scrollTop = 100 * ROW_HEIGHT;
    fireEvent.scroll(list);
    await user.click(await within(list).findByText('line 110'));
    expect(state.time).toBe(5);
    expect(selectedText()).toContain('line 110');

    // A line before the video starts: the video stays where it is, and says why.
    list.scrollTop = 0;
    fireEvent.scroll(list);
    await user.click(await within(list).findByText('line 3'));
    expect(state.time).toBe(5);
    expect(screen.getByRole('region', { name: 'Video' })).toHaveTextContent('This line is outside the drive_cam.2 video.');

    // Playing, 20 s in: the log moves to entry 140 (T0 + 70 s) and shows it.
    state.paused = false;
    state.time = 20;
    fireEvent.timeUpdate(player);
    await waitFor(() => expect(selectedText()).toContain('line 140'));
    expect(list.scrollTop).toBeGreaterThan(100 * ROW_HEIGHT);
    // Paused, the video does not move the log.
    state.paused = true;
    state.time = 30;
    fireEvent.timeUpdate(player);
    expect(selectedText()).toContain('line 140');
  });

  it('jumps when the playing video goes past the lines held', async () => {
    storeSession(makeUser());
    const { fetch, calls } = server();
    renderApp('/logfiles/5', fetch);
    await waitFor(() => expect(options()[0]).toHaveTextContent('line 1'));
    await screen.findByLabelText('Video drive_cam.2');
    const { player, state } = fakePlayer(2000);
    state.paused = false;
    // 600 s after its start is T0 + 650 s: entry 1300, beyond the 500 held.
    state.time = 600;
    fireEvent.timeUpdate(player);
    await waitFor(() => expect(entryCalls(calls)[1]).toEqual({ at: String(T0 + 650), limit: '500' }));
    await waitFor(() => expect(selectedText()).toContain('line 1300'));
  });

  it('tells that a session still being extracted has no logs to read yet', async () => {
    storeSession(makeUser());
    const { fetch, calls } = mockFetch({
      'GET /api/v1/logsessions/5/': () => jsonResponse(200, ok(logSession({ status: 'extracting', progress: { done: 1, total: 3 } }))),
    });
    renderApp('/logfiles/5', fetch);
    expect(await screen.findByText(/The session is extracting/)).toBeInTheDocument();
    expect(screen.getByRole('link', { name: 'follow it here' })).toHaveAttribute('href', '/logsession/5');
    expect(calls.filter((c) => c.path.endsWith('/entries/'))).toHaveLength(0);
  });
});
