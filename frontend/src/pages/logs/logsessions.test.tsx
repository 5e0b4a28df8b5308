import { act, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ApiError } from '../../api/errors';
import { canUploadLogs, progressPercent, stateText, viewerHref } from '../../api/logsessions';
import type { LogFile, LogSession, LogVideo } from '../../api/schemas';
import { wallTimeToEpoch } from '../../lib/time';
import type { Call } from '../../test/helpers';
import { fail, jsonResponse, makeUser, mockFetch, ok, pageOf, renderApp, storeSession } from '../../test/helpers';
import { logSession } from '../../test/logSessions';
import { EXTRACT_POLL_MS } from './LogSessionPages';
import { uploadErrorMessage } from './UploadForm';

const support = makeUser();
const jenkins = makeUser({ profile: { id: 1, slack_id: null, role: 'jenkins', user: 1 } });

const extracting = logSession({ id: 6, status: 'extracting', progress: { done: 3, total: 7 } });
const failed = logSession({ id: 7, status: 'failed', failure_reason: 'ffmpeg is not installed', progress: { done: 1, total: 4 } });
const pendingSession = logSession({ id: 8, status: 'pending', progress: { done: 0, total: 0 } });

function logFile(overrides: Partial<LogFile> = {}): LogFile {
  return {
    id: 30,
    created: '2026-12-05T20:00:10.000000Z',
    lastModified: '2026-12-05T20:00:10.000000Z',
    creator: null,
    modifiedBy: null,
    file_name: '20230131131250_010_02_fsm_main.log',
    service: 'fsm_main',
    robot: 2,
    logfile_type: 'log',
    line_count: 1234,
    log_session: logSession(),
    ...overrides,
  };
}

function logVideo(overrides: Partial<LogVideo> = {}): LogVideo {
  return {
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
    meta: [{ ts: 1675199570.5, frame: 0 }],
    ...overrides,
  };
}

const listCalls = (calls: Call[]) => calls.filter((c) => c.path === '/api/v1/logsessions/' && c.method === 'GET');

afterEach(() => {
  vi.useRealTimers();
  vi.unstubAllGlobals();
});

describe('log session helpers', () => {
  it('reads states, progress, permissions and viewer links', () => {
    expect(stateText(extracting)).toBe('extracting 3 of 7');
    expect(stateText(pendingSession)).toBe('pending');
    expect(stateText(logSession({ status: 'extracting', progress: { done: 0, total: 0 } }))).toBe('extracting');
    expect(progressPercent(extracting)).toBe(43);
    expect(progressPercent(pendingSession)).toBe(0);
    expect(progressPercent(logSession())).toBe(100);
    expect(canUploadLogs(support)).toBe(true);
    expect(canUploadLogs(makeUser({ is_superuser: true, profile: null }))).toBe(true);
    expect(canUploadLogs(jenkins)).toBe(false);
    expect(canUploadLogs(makeUser({ profile: { id: 1, slack_id: null, role: 'beatbox', user: 1 } }))).toBe(false);
    expect(canUploadLogs(null)).toBe(false);
    expect(viewerHref(5)).toBe('/logfiles/5');
    expect(viewerHref(5, { files: [30, 31], video: 40 })).toBe('/logfiles/5?files=30%2C31&video=40');
  });

  it('says why an upload was refused', () => {
    const refused = new ApiError(400, { detail: { zip_upload: ['not a zip (no end of central directory record)'] } }, '/api/v1/logsessions/');
    expect(uploadErrorMessage(refused)).toBe('The server refused the file: not a zip (no end of central directory record)');
    expect(uploadErrorMessage(new ApiError(413, { detail: 'Request body too large' }, '/'))).toMatch(/too large/);
    expect(uploadErrorMessage(new ApiError(403, { exception: 'Permission denied for user.' }, '/'))).toMatch(/support role/);
    expect(uploadErrorMessage(new ApiError(0, { detail: 'The server could not be reached.' }, '/'))).toBe('The server could not be reached.');
  });

  it('reads a wall time on a zone’s clock as epoch seconds', () => {
    // 2023-01-31 13:12:52.5 in US/Pacific (PST, UTC−8) is 21:12:52.5 UTC.
    expect(wallTimeToEpoch('2023-01-31T13:12:52.500', 'US/Pacific')).toBe(Date.UTC(2023, 0, 31, 21, 12, 52, 500) / 1000);
    // Summer time: PDT, UTC−7.
    expect(wallTimeToEpoch('2023-07-01 08:00:00', 'US/Pacific')).toBe(Date.UTC(2023, 6, 1, 15) / 1000);
    expect(wallTimeToEpoch('2023-07-01 08:00:00', 'UTC')).toBe(Date.UTC(2023, 6, 1, 8) / 1000);
    expect(wallTimeToEpoch('yesterday', 'UTC')).toBeNull();
  });
});

function server(options: { rows?: LogSession[]; detail?: () => LogSession; files?: LogFile[]; videos?: LogVideo[] } = {}) {
  const rows = options.rows ?? [logSession(), extracting, failed, pendingSession];
  return mockFetch({
    'GET /api/v1/logsessions/': (call) => {
      const status = new URL(call.url, 'http://localhost').searchParams.get('status');
      return jsonResponse(200, ok(pageOf(status ? rows.filter((r) => r.status === status) : rows), 'logsessions retrieved successfully'));
    },
    'GET /api/v1/logsessions/5/': () => jsonResponse(200, ok(options.detail ? options.detail() : logSession())),
    'GET /api/v1/logfiles/': () => jsonResponse(200, ok(pageOf(options.files ?? [logFile(), logFile({ id: 31, service: 'robot', robot: 3, file_name: '20230131131250_010_03_robot.log' })]))),
    'GET /api/v1/logvideos/': () => jsonResponse(200, ok(pageOf(options.videos ?? [logVideo()]))),
    'GET /api/v1/sessclip/9/': () =>
      jsonResponse(200, ok({ id: 9, key: 'logsessions/x/session_one.zip', file: 'http://s3.example/zip?sig=1', filetype: 'sessclip' })),
  });
}

describe('log session list', () => {
  it('lists sessions with their states and links into the viewer', async () => {
    storeSession(support);
    const { fetch, calls } = server();
    renderApp('/logsession', fetch);
    const table = await screen.findByRole('table', { name: 'Log sessions' });
    const [, done, running, broken, waiting] = within(table).getAllByRole('row');
    expect(within(done!).getByRole('link', { name: '5' })).toHaveAttribute('href', '/logsession/5');
    expect(within(done!).getByRole('link', { name: '10' })).toHaveAttribute('href', '/harvesters/12');
    expect(within(done!).getByText('done')).toHaveClass('badge-ok');
    // The log's own clock: 21:12:50 UTC is 13:12:50 in US/Pacific.
    expect(done).toHaveTextContent('2023-01-31 13:12:50 PST');
    expect(within(done!).getByRole('link', { name: 'View logs of session 5' })).toHaveAttribute('href', '/logfiles/5');
    expect(within(running!).getByText('extracting 3 of 7')).toBeInTheDocument();
    expect(within(running!).getByRole('progressbar', { name: 'Extraction of session 6' })).toHaveAttribute('aria-valuenow', '43');
    expect(within(running!).queryByRole('link', { name: /View logs/ })).not.toBeInTheDocument();
    expect(within(broken!).getByText('failed')).toHaveClass('badge-error');
    expect(broken).toHaveTextContent('ffmpeg is not installed');
    expect(broken).toHaveClass('row-error');
    expect(within(waiting!).getByText('pending')).toHaveClass('badge-info');
    expect(listCalls(calls).map((c) => c.url)).toEqual(['/api/v1/logsessions/?limit=10&offset=0']);
    expect(screen.getByRole('form', { name: 'Upload a session' })).toBeInTheDocument();
  });

  it('filters by harvester and state through the address', async () => {
    storeSession(support);
    const user = userEvent.setup();
    const { fetch, calls } = server();
    renderApp('/logsession', fetch);
    await screen.findByRole('table', { name: 'Log sessions' });
    const form = screen.getByRole('form', { name: 'Filter log sessions' });
    await user.type(within(form).getByRole('textbox', { name: 'Harvester' }), '10');
    await user.selectOptions(within(form).getByRole('combobox', { name: 'State' }), 'failed');
    await user.click(within(form).getByRole('button', { name: 'Apply filters' }));
    await waitFor(() =>
      expect(listCalls(calls).at(-1)?.url).toBe('/api/v1/logsessions/?harv__harv_id=10&status=failed&limit=10&offset=0'),
    );
    const table = await screen.findByRole('table', { name: 'Log sessions' });
    await waitFor(() => expect(within(table).getAllByRole('row')).toHaveLength(2));
  });

  it('follows sessions being extracted, and stops once none is', async () => {
    vi.useFakeTimers({ shouldAdvanceTime: true });
    storeSession(support);
    let answers = 0;
    const { fetch, calls } = mockFetch({
      'GET /api/v1/logsessions/': () =>
        jsonResponse(200, ok(pageOf([++answers < 2 ? extracting : logSession({ id: 6 })]))),
    });
    renderApp('/logsession', fetch);
    expect(await screen.findByText('extracting 3 of 7')).toBeInTheDocument();
    await act(async () => {
      await vi.advanceTimersByTimeAsync(EXTRACT_POLL_MS + 10);
    });
    expect(await screen.findByRole('link', { name: 'View logs of session 6' })).toBeInTheDocument();
    await act(async () => {
      await vi.advanceTimersByTimeAsync(EXTRACT_POLL_MS * 3);
    });
    expect(listCalls(calls)).toHaveLength(2);
  });

  it('offers no upload to a role that may only read', async () => {
    storeSession(jenkins);
    const { fetch } = server();
    renderApp('/logsession', fetch);
    await screen.findByRole('table', { name: 'Log sessions' });
    expect(screen.queryByRole('form', { name: 'Upload a session' })).not.toBeInTheDocument();
  });
});

/** An XMLHttpRequest stand-in: the test sends its progress and its answer. */
class FakeXhr {
  static last: FakeXhr | null = null;
  method = '';
  url = '';
  headers: Record<string, string> = {};
  body: unknown = null;
  status = 0;
  statusText = '';
  responseText = '';
  withCredentials = false;
  private listeners: Record<string, Array<(event: unknown) => void>> = {};
  upload = {
    listeners: [] as Array<(event: { lengthComputable: boolean; loaded: number; total: number }) => void>,
    addEventListener: (_: string, fn: (event: { lengthComputable: boolean; loaded: number; total: number }) => void) => {
      this.upload.listeners.push(fn);
    },
  };
  constructor() {
    FakeXhr.last = this;
  }
  open(method: string, url: string) {
    this.method = method;
    this.url = url;
  }
  setRequestHeader(name: string, value: string) {
    this.headers[name] = value;
  }
  addEventListener(name: string, fn: (event: unknown) => void) {
    (this.listeners[name] ??= []).push(fn);
  }
  send(body: unknown) {
    this.body = body;
  }
  abort() {
    this.emit('abort');
  }
  progress(loaded: number, total: number) {
    for (const fn of this.upload.listeners) fn({ lengthComputable: true, loaded, total });
  }
  answer(status: number, body: unknown) {
    this.status = status;
    this.responseText = JSON.stringify(body);
    this.emit('load');
  }
  private emit(name: string) {
    for (const fn of this.listeners[name] ?? []) fn({});
  }
}

describe('log session upload', () => {
  it('sends the zip with a progress bar and shows the new session', async () => {
    vi.stubGlobal('XMLHttpRequest', FakeXhr);
    storeSession(support);
    const user = userEvent.setup();
    const { fetch, calls } = server();
    renderApp('/logsession', fetch);
    await screen.findByRole('table', { name: 'Log sessions' });
    const form = screen.getByRole('form', { name: 'Upload a session' });
    const zip = new File([new Uint8Array(1000)], 'session one.zip', { type: 'application/zip' });
    await user.upload(within(form).getByLabelText('Session-clip zip'), zip);
    expect(form).toHaveTextContent('session one.zip · 1000 B');
    await user.click(within(form).getByRole('button', { name: 'Upload' }));

    const xhr = FakeXhr.last!;
    expect(xhr.method).toBe('POST');
    expect(xhr.url).toBe('/api/v1/logsessions/');
    expect(xhr.headers.Authorization).toMatch(/^Bearer /);
    expect((xhr.body as FormData).get('zip_upload')).toBeInstanceOf(File);
    expect(((xhr.body as FormData).get('zip_upload') as File).name).toBe('session one.zip');
    act(() => xhr.progress(400, 1000));
    const bar = within(form).getByRole('progressbar', { name: 'Upload progress' });
    expect(bar).toHaveAttribute('aria-valuenow', '40');
    expect(form).toHaveTextContent('40% · 400 B of 1000 B');
    expect(within(form).getByRole('button', { name: 'Uploading…' })).toBeDisabled();

    act(() => xhr.answer(201, ok(logSession({ id: 9, status: 'pending', progress: { done: 0, total: 0 } }), 'logsession created successfully')));
    const notice = await within(form).findByRole('status');
    expect(notice).toHaveTextContent('Uploaded: session 9.');
    expect(within(notice).getByRole('link', { name: 'session 9' })).toHaveAttribute('href', '/logsession/9');
    expect(within(form).queryByRole('progressbar')).not.toBeInTheDocument();
    await waitFor(() => expect(listCalls(calls)).toHaveLength(2));
  });

  it('shows why the server refused the file', async () => {
    vi.stubGlobal('XMLHttpRequest', FakeXhr);
    storeSession(support);
    const user = userEvent.setup();
    const { fetch, calls } = server();
    renderApp('/logsession', fetch);
    await screen.findByRole('table', { name: 'Log sessions' });
    const form = screen.getByRole('form', { name: 'Upload a session' });
    await user.upload(within(form).getByLabelText('Session-clip zip'), new File(['just text'], 'notes.zip'));
    await user.click(within(form).getByRole('button', { name: 'Upload' }));
    act(() => FakeXhr.last!.answer(400, fail({ detail: { zip_upload: ['not a zip'] } })));
    expect(await within(form).findByRole('alert')).toHaveTextContent('The server refused the file: not a zip');
    expect(within(form).getByRole('button', { name: 'Upload' })).toBeEnabled();
    expect(listCalls(calls)).toHaveLength(1);

    await user.click(within(form).getByRole('button', { name: 'Upload' }));
    act(() => FakeXhr.last!.answer(413, fail({ detail: 'Request body too large' })));
    expect(await within(form).findByRole('alert')).toHaveTextContent('The file is too large for the server');
  });

  it('cancels an upload on the way', async () => {
    vi.stubGlobal('XMLHttpRequest', FakeXhr);
    storeSession(support);
    const user = userEvent.setup();
    const { fetch } = server();
    renderApp('/logsession', fetch);
    await screen.findByRole('table', { name: 'Log sessions' });
    const form = screen.getByRole('form', { name: 'Upload a session' });
    await user.upload(within(form).getByLabelText('Session-clip zip'), new File(['PK'], 's.zip'));
    await user.click(within(form).getByRole('button', { name: 'Upload' }));
    await user.click(within(form).getByRole('button', { name: 'Cancel upload' }));
    expect(await within(form).findByRole('alert')).toHaveTextContent('Upload cancelled: nothing was stored.');
  });
});

describe('log session detail', () => {
  it('shows the session, its services, files and videos with links into the viewer', async () => {
    storeSession(support);
    const { fetch } = server({ detail: () => logSession({ _zip_file: 9 }) });
    renderApp('/logsession/5', fetch);
    expect(await screen.findByRole('heading', { name: 'Log session 5', level: 1 })).toBeInTheDocument();
    expect(await screen.findByRole('link', { name: 'Open the log viewer' })).toHaveAttribute('href', '/logfiles/5');
    const services = screen.getByRole('list', { name: 'Services' });
    expect(within(services).getAllByRole('link').map((a) => [a.textContent, a.getAttribute('href')])).toEqual([
      ['fsm_main.2', '/logfiles/5?files=30'],
      ['robot.3', '/logfiles/5?files=31'],
    ]);
    const files = await screen.findByRole('table', { name: 'Log files' });
    expect(within(files).getAllByRole('row')[1]).toHaveTextContent('20230131131250_010_02_fsm_main.log');
    expect(within(files).getAllByRole('row')[1]).toHaveTextContent('1,234');
    expect(within(files).getByRole('link', { name: 'Open robot.3 in the viewer' })).toHaveAttribute('href', '/logfiles/5?files=31');
    const videos = await screen.findByRole('table', { name: 'Videos' });
    expect(within(videos).getByRole('link', { name: 'Watch with the logs (drive_cam.2)' })).toHaveAttribute('href', '/logfiles/5?video=40');
    expect(await screen.findByRole('link', { name: 'Download the zip' })).toHaveAttribute('href', 'http://s3.example/zip?sig=1');
  });

  it('follows extraction until it ends', async () => {
    vi.useFakeTimers({ shouldAdvanceTime: true });
    storeSession(support);
    let answers = 0;
    const { fetch, calls } = server({
      detail: () => (++answers < 2 ? logSession({ status: 'extracting', progress: { done: 1, total: 4 } }) : logSession()),
    });
    renderApp('/logsession/5', fetch);
    expect(await screen.findByRole('progressbar', { name: 'Extraction of session 5' })).toHaveAttribute('aria-valuenow', '25');
    expect(screen.queryByRole('link', { name: 'Open the log viewer' })).not.toBeInTheDocument();
    await act(async () => {
      await vi.advanceTimersByTimeAsync(EXTRACT_POLL_MS + 10);
    });
    expect(await screen.findByRole('link', { name: 'Open the log viewer' })).toBeInTheDocument();
    // The files are read again once extraction moved on.
    await waitFor(() => expect(calls.filter((c) => c.path === '/api/v1/logfiles/')).toHaveLength(2));
    await act(async () => {
      await vi.advanceTimersByTimeAsync(EXTRACT_POLL_MS * 3);
    });
    expect(calls.filter((c) => c.path === '/api/v1/logsessions/5/')).toHaveLength(2);
  });

  it('shows a failed session with its reason and no viewer link', async () => {
    storeSession(support);
    const { fetch } = server({ detail: () => ({ ...failed, id: 5 }) });
    renderApp('/logsession/5', fetch);
    const summary = await screen.findByRole('region', { name: 'Summary' });
    expect(summary).toHaveTextContent('ffmpeg is not installed');
    expect(screen.queryByRole('link', { name: 'Open the log viewer' })).not.toBeInTheDocument();
  });
});
