import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import { SESSION_KEY } from '../../auth/tokens';
import { codes, harvester, location, reportDetail, reportSummary } from '../../test/fixtures';
import { apSysmonReport } from '../../test/sysmonReports';
import {
  currentLocation,
  fail,
  jsonResponse,
  makeUser,
  mockFetch,
  ok,
  pageOf,
  renderApp,
  storeSession,
} from '../../test/helpers';
import { FILTERS_OPEN_KEY } from './ErrorReportListPage';

const emulator = { ...harvester, id: 8, harv_id: 100, name: 'emu100', is_emulator: true };

/** The drop-down lists of the filter form. */
const lookups = {
  'GET /api/v1/harvesters/': () => jsonResponse(200, ok(pageOf([harvester, emulator]))),
  'GET /api/v1/locations/': () => jsonResponse(200, ok(pageOf([location]))),
  'GET /api/v1/fruits/': () => jsonResponse(200, ok(pageOf([{ id: 1, name: 'strawberry' }]))),
  'GET /api/v1/exceptioncodes/': () => jsonResponse(200, ok(pageOf(codes))),
  'GET /api/v1/users/profiles/': () =>
    jsonResponse(200, ok(pageOf([makeUser(), makeUser({ id: 2, username: 'bob', first_name: 'Bob', last_name: 'B' })]))),
};

/** Opens the filter panel of the list (folded until the user opens it). */
const showFilters = async () => userEvent.click(await screen.findByRole('button', { name: 'Show filters' }));

const reportCalls = (calls: { path: string; url: string; method: string }[]) =>
  calls.filter((c) => c.method === 'GET' && c.path === '/api/v1/errorreports/').map((c) => c.url);

describe('error report list', () => {
  it('shows real harvesters only on a first visit and writes that into the address', async () => {
    storeSession();
    const { fetch, calls } = mockFetch({
      ...lookups,
      'GET /api/v1/errorreports/': () => jsonResponse(200, ok(pageOf([reportSummary()], 31))),
    });
    renderApp('/errorreports', fetch);
    const table = await screen.findByRole('table', { name: 'Error reports' });
    expect(reportCalls(calls)).toEqual(['/api/v1/errorreports/?is_emulator=0&limit=10&offset=0']);
    await waitFor(() => expect(currentLocation()).toBe('/errorreports?is_emulator=0'));
    expect(screen.getByLabelText('Emulator')).toHaveValue('no');

    const cells = within(within(table).getAllByRole('row')[1]!).getAllByRole('cell');
    expect(cells.map((c) => c.textContent)).toEqual([
      '3',
      '2022-05-02 14:27:42.789',
      '11',
      'Ranch A',
      '0*, 3',
      'harvester.0*, picker.2',
      'main',
      'abc1234',
    ]);
    expect(within(cells[0]!).getByRole('link')).toHaveAttribute('href', '/errorreports/3');
    expect(within(cells[2]!).getByRole('link')).toHaveAttribute('href', '/harvesters/7');
    expect(screen.getByText('Showing 1–10 of 31')).toBeInTheDocument();
  });

  it('fills the form from the address and sends the same query to the API', async () => {
    storeSession();
    const { fetch, calls } = mockFetch({ ...lookups, 'GET /api/v1/errorreports/': () => jsonResponse(200, ok(pageOf([]))) });
    renderApp(
      '/errorreports?harv_ids=11%2C100&codes=3&handled=0&primary=true&traceback=Timeout&tags=incomplete' +
        '&start_time=20250101T080000.000&tz=UTC&limit=25',
      fetch,
    );
    expect(await screen.findByText('No error report matches these filters.')).toBeInTheDocument();
    expect(reportCalls(calls)).toEqual([
      '/api/v1/errorreports/?harv_ids=11%2C100&codes=3&traceback=Timeout&handled=0&primary=true&tags=incomplete' +
        '&start_time=20250101T080000.000&tz=UTC&limit=25&offset=0',
    ]);
    await showFilters();
    expect(screen.getByRole('button', { name: 'Harvesters: 11, 100' })).toBeInTheDocument();
    expect(await screen.findByRole('button', { name: 'Remove 100 · emu100 (emulator)' })).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Exception codes: 3' })).toBeInTheDocument();
    expect(screen.getByLabelText('Handled')).toHaveValue('no');
    expect(screen.getByLabelText('Primary')).toHaveValue('yes');
    expect(screen.getByLabelText('Emulator')).toHaveValue('');
    expect(screen.getByLabelText('Traceback contains')).toHaveValue('Timeout');
    expect(screen.getByLabelText('Tags')).toHaveValue('incomplete');
    // The browser shows the shortest form of the same wall time.
    expect(screen.getByLabelText('From')).toHaveValue('2025-01-01T08:00');
    expect(screen.getByLabelText('Time zone')).toHaveValue('UTC');
  });

  it('applies edited filters in one request and keeps them in the address', async () => {
    storeSession();
    const user = userEvent.setup();
    const { fetch, calls } = mockFetch({ ...lookups, 'GET /api/v1/errorreports/': () => jsonResponse(200, ok(pageOf([]))) });
    renderApp('/errorreports?is_emulator=0&offset=20', fetch);
    await screen.findByText('No error report matches these filters.');

    await showFilters();
    await user.click(screen.getByRole('button', { name: 'Harvesters: Any harvester' }));
    await user.click(await screen.findByRole('checkbox', { name: '11 · harv011' }));
    await user.click(screen.getByRole('button', { name: 'Done' }));
    await user.click(screen.getByRole('button', { name: 'Exception codes: Any code' }));
    await user.type(screen.getByRole('searchbox', { name: 'Search exception codes' }), 'vacuum{Enter}');
    await user.keyboard('{Escape}');
    await user.selectOptions(screen.getByLabelText('Handled'), 'yes');
    await user.selectOptions(screen.getByLabelText('Time zone'), 'UTC');
    await user.type(screen.getByLabelText('From'), '2025-02-03T04:05:06.007');
    expect(screen.getByText('Changes not applied yet.')).toBeInTheDocument();
    expect(reportCalls(calls)).toHaveLength(1);

    await user.click(screen.getByRole('button', { name: 'Apply filters' }));
    const expected =
      'harv_ids=11&codes=3&handled=1&is_emulator=0&start_time=20250203T040506.007&tz=UTC';
    await waitFor(() => expect(currentLocation()).toBe(`/errorreports?${expected}`));
    await waitFor(() => expect(reportCalls(calls).at(-1)).toBe(`/api/v1/errorreports/?${expected}&limit=10&offset=0`));
    expect(reportCalls(calls)).toHaveLength(2);
  });

  it('starts with the filters folded to what is applied, and remembers them open', async () => {
    storeSession();
    const { fetch } = mockFetch({ ...lookups, 'GET /api/v1/errorreports/': () => jsonResponse(200, ok(pageOf([]))) });
    const first = renderApp('/errorreports?harv_ids=11&handled=0', fetch);
    await screen.findByText('No error report matches these filters.');
    const form = screen.getByRole('form', { name: 'Error report filters' });
    expect(within(form).getByText('Harvesters 11 · unhandled')).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Apply filters' })).not.toBeInTheDocument();
    const toggle = screen.getByRole('button', { name: 'Show filters' });
    expect(toggle).toHaveAttribute('aria-expanded', 'false');
    await userEvent.click(toggle);
    expect(screen.getByRole('button', { name: 'Hide filters' })).toHaveAttribute('aria-expanded', 'true');
    expect(screen.getByRole('button', { name: 'Apply filters' })).toBeInTheDocument();
    expect(localStorage.getItem(FILTERS_OPEN_KEY)).toBe('true');
    first.unmount();

    // The next visit finds them as they were left.
    renderApp('/errorreports?harv_ids=11&handled=0', fetch);
    await screen.findByText('No error report matches these filters.');
    await userEvent.click(screen.getByRole('button', { name: 'Hide filters' }));
    expect(localStorage.getItem(FILTERS_OPEN_KEY)).toBe('false');
    expect(screen.queryByRole('button', { name: 'Apply filters' })).not.toBeInTheDocument();
  });

  it('clears every filter on purpose without falling back to the first-visit default', async () => {
    storeSession();
    const { fetch, calls } = mockFetch({ ...lookups, 'GET /api/v1/errorreports/': () => jsonResponse(200, ok(pageOf([]))) });
    renderApp('/errorreports?harv_ids=11', fetch);
    await screen.findByText('No error report matches these filters.');
    await showFilters();
    await userEvent.click(screen.getByRole('button', { name: 'Clear filters' }));
    await waitFor(() => expect(currentLocation()).toBe('/errorreports?is_emulator='));
    await waitFor(() => expect(reportCalls(calls).at(-1)).toBe('/api/v1/errorreports/?limit=10&offset=0'));
  });

  it('copies the API query and links to the pareto with the same filters', async () => {
    storeSession();
    const user = userEvent.setup();
    const writeText = vi.spyOn(navigator.clipboard, 'writeText').mockResolvedValue();
    const { fetch } = mockFetch({ ...lookups, 'GET /api/v1/errorreports/': () => jsonResponse(200, ok(pageOf([]))) });
    renderApp('/errorreports?harv_ids=11&codes=3', fetch);
    await screen.findByText('No error report matches these filters.');
    await user.click(screen.getByRole('button', { name: 'Copy API query' }));
    expect(writeText).toHaveBeenCalledWith(`${window.location.origin}/api/v1/errorreports/?harv_ids=11&codes=3&limit=10&offset=0`);
    expect(await screen.findByText('Copied.')).toBeInTheDocument();
    expect(screen.getByRole('link', { name: 'Pareto' })).toHaveAttribute('href', '/errorreports/view/pareto?harv_ids=11&codes=3');
  });

  it('creates a notification from the filters', async () => {
    storeSession();
    const user = userEvent.setup();
    const created = {
      id: 42,
      trigger_on: 'ErrorReport',
      criteria: { harv_ids: [11], codes: [3], is_emulator: false },
      recipients: ['ada', 'bob'],
      creator: 1,
    };
    const { fetch, calls, bellCalls } = mockFetch({
      ...lookups,
      'GET /api/v1/errorreports/': () => jsonResponse(200, ok(pageOf([]))),
      'POST /api/v1/errorreports/createnotification/': () => jsonResponse(200, ok(created, 'Notification created')),
    });
    renderApp('/errorreports?harv_ids=11&codes=3&is_emulator=0&start_time=20250101T000000.000&tags=x', fetch);
    await screen.findByText('No error report matches these filters.');
    await user.click(screen.getByRole('button', { name: 'Create notification from these filters' }));
    const dialog = await screen.findByRole('dialog', { name: 'Create a notification' });
    expect(within(dialog).getByText('Harvesters')).toBeInTheDocument();
    expect(within(dialog).getByText('real harvesters only')).toBeInTheDocument();
    expect(within(dialog).getByText(/left out\): time range, tags/)).toBeInTheDocument();
    // The signed-in user is a recipient already; add bob.
    await user.click(within(dialog).getByRole('button', { name: /^Recipients:/ }));
    await user.click(await within(dialog).findByRole('checkbox', { name: 'bob (Bob B)' }));
    await user.click(within(dialog).getByRole('button', { name: 'Create notification' }));

    const success = await screen.findByRole('dialog', { name: 'Notification created' });
    expect(success).toHaveTextContent('Notification 42 created. Slack will notify ada, bob');
    const post = calls.find((c) => c.method === 'POST')!;
    expect(post.url).toBe('/api/v1/errorreports/createnotification/?harv_ids=11&codes=3&is_emulator=0');
    expect(post.body).toEqual({ recipients: [1, 2] });
    expect(within(success).getByRole('link', { name: 'Open notification 42' })).toHaveAttribute('href', '/notifications/42');
    // The bell asks for its count again.
    await waitFor(() => expect(bellCalls.length).toBeGreaterThanOrEqual(2));
  });

  it('shows a 403 from createnotification in the dialog and keeps the session', async () => {
    storeSession();
    const user = userEvent.setup();
    const { fetch } = mockFetch({
      ...lookups,
      'GET /api/v1/errorreports/': () => jsonResponse(200, ok(pageOf([]))),
      'POST /api/v1/errorreports/createnotification/': () =>
        jsonResponse(403, fail({ exception: 'Permission denied for user.' })),
    });
    renderApp('/errorreports?harv_ids=11', fetch);
    await screen.findByText('No error report matches these filters.');
    await user.click(screen.getByRole('button', { name: 'Create notification from these filters' }));
    const dialog = await screen.findByRole('dialog');
    await user.click(within(dialog).getByRole('button', { name: 'Create notification' }));
    const alert = await within(dialog).findByRole('alert');
    expect(alert).toHaveTextContent('Not allowed');
    expect(alert).toHaveTextContent('Permission denied for user.');
    expect(localStorage.getItem(SESSION_KEY)).not.toBeNull();
    expect(screen.queryByRole('form', { name: 'Sign in' })).not.toBeInTheDocument();
  });

  it('refuses a notification without criteria', async () => {
    storeSession();
    const user = userEvent.setup();
    const { fetch } = mockFetch({ ...lookups, 'GET /api/v1/errorreports/': () => jsonResponse(200, ok(pageOf([]))) });
    renderApp('/errorreports?is_emulator=&tags=x', fetch);
    await screen.findByText('No error report matches these filters.');
    await user.click(screen.getByRole('button', { name: 'Create notification from these filters' }));
    const dialog = await screen.findByRole('dialog');
    expect(within(dialog).getByRole('alert')).toHaveTextContent('Choose at least one harvester');
    expect(within(dialog).getByRole('button', { name: 'Create notification' })).toBeDisabled();
  });
});

describe('error report detail', () => {
  it('shows the report, its exceptions, event files and pick session', async () => {
    storeSession();
    const { fetch, calls } = mockFetch({ 'GET /api/v1/errorreports/3/': () => jsonResponse(200, ok(reportDetail())) });
    renderApp('/errorreports/3', fetch);
    expect(await screen.findByRole('heading', { name: 'Error report 3', level: 1 })).toBeInTheDocument();
    expect(await screen.findByText('2022-05-02 14:27:42.789 PDT · harvester 11 · Ranch A')).toBeInTheDocument();
    // Asked once the report is shown: the request leaves in an effect, after the heading's render.
    expect(calls.map((c) => c.url)).toEqual(['/api/v1/errorreports/3/']);

    const summary = screen.getByRole('region', { name: 'Summary' });
    expect(within(summary).getByRole('link', { name: '11' })).toHaveAttribute('href', '/harvesters/7');
    expect(within(summary).getByRole('link', { name: 'Ranch A' })).toHaveAttribute('href', '/locations/2');
    expect(within(summary).getByText('abc1234')).toBeInTheDocument();
    expect(within(summary).getByText('incomplete')).toBeInTheDocument();

    const exceptions = screen.getByRole('region', { name: /Exceptions/ });
    const articles = within(exceptions).getAllByRole('article');
    expect(articles).toHaveLength(2);
    expect(within(articles[0]!).getByRole('heading', { name: /Code 0 · AFTBaseException.*primary.*unhandled/ })).toBeInTheDocument();
    expect(within(articles[0]!).getByText('harvester.0')).toBeInTheDocument();
    expect(within(articles[0]!).getByRole('group', { name: 'Traceback' })).toHaveTextContent('TimeoutError: boom');
    expect(within(articles[0]!).getByRole('button', { name: 'Copy traceback' })).toBeInTheDocument();
    expect(within(articles[1]!).getByRole('heading', { name: /Code 3 · VacuumLow.*secondary.*handled/ })).toBeInTheDocument();

    const event = screen.getByRole('region', { name: 'Event' });
    expect(within(event).getByRole('link', { name: 'Error Report 3' })).toHaveAttribute('href', '/errorreports/3/');
    const download = within(event).getByRole('link', { name: /Download logs file hv011_6c1d9e0a.zip/ });
    expect(download).toHaveAttribute('href', 'https://bucket.example/logs/hv011_6c1d9e0a.zip?X-Amz-Signature=abc');
    expect(download).toHaveAttribute('rel', 'noopener noreferrer');
    expect(within(event).getByText('not available')).toBeInTheDocument();

    expect(screen.getByRole('region', { name: 'Pick session' })).toHaveTextContent('00:38:40.870794');
    expect(screen.getByRole('region', { name: 'Raw report' })).toHaveTextContent('serial_number');
    expect(screen.getByRole('region', { name: 'Sysmon' })).toHaveTextContent('The sysmon report has no entries.');
  });

  it('shows times in the zone chosen on the page', async () => {
    storeSession();
    const { fetch } = mockFetch({ 'GET /api/v1/errorreports/3/': () => jsonResponse(200, ok(reportDetail())) });
    renderApp('/errorreports/3?tz=UTC', fetch);
    expect(await screen.findByText('2022-05-02 21:27:42.789 UTC · harvester 11 · Ranch A')).toBeInTheDocument();
    await userEvent.selectOptions(screen.getByLabelText('Show times in'), 'US/Pacific');
    expect(await screen.findByText('2022-05-02 14:27:42.789 PDT · harvester 11 · Ranch A')).toBeInTheDocument();
    expect(currentLocation()).toBe('/errorreports/3');
  });

  it('creates a notification for the harvester, optionally for these codes only', async () => {
    storeSession();
    const user = userEvent.setup();
    const { fetch, calls } = mockFetch({
      ...lookups,
      'GET /api/v1/errorreports/3/': () => jsonResponse(200, ok(reportDetail())),
      'POST /api/v1/errorreports/createnotification/': () =>
        jsonResponse(200, ok({ id: 7, criteria: { harv_ids: [11], codes: [0, 3] }, recipients: ['ada'] }, 'Notification created')),
    });
    renderApp('/errorreports/3', fetch);
    await user.click(await screen.findByRole('button', { name: 'Create notification' }));
    const dialog = await screen.findByRole('dialog', { name: 'Create a notification for harvester 11' });
    await user.click(within(dialog).getByLabelText("Only for this report's codes (0, 3)"));
    await user.click(within(dialog).getByRole('button', { name: 'Create notification' }));
    await screen.findByRole('dialog', { name: 'Notification created' });
    expect(calls.find((c) => c.method === 'POST')!.url).toBe('/api/v1/errorreports/createnotification/?harv_ids=11&codes=0%2C3');
  });

  it('shows the sysmon panel of the raw report, between the exceptions and the event', async () => {
    storeSession();
    const user = userEvent.setup();
    const { fetch } = mockFetch({
      'GET /api/v1/errorreports/3/': () => jsonResponse(200, ok(reportDetail({ report: apSysmonReport() }))),
    });
    renderApp('/errorreports/3?tz=UTC', fetch);
    const sysmon = await screen.findByRole('region', { name: 'Sysmon' });
    const regions = screen.getAllByRole('region').map((r) => r.getAttribute('aria-labelledby'));
    expect(regions.indexOf('sysmon-title')).toBe(regions.indexOf('exceptions-title') + 1);
    expect(within(sysmon).getByRole('tab', { name: 'Robot 1 (in error)' })).toHaveClass('tab-error');
    await user.click(within(sysmon).getByRole('tab', { name: 'Robot 2' }));
    expect(within(sysmon).getByRole('tablist', { name: 'Robot 2 computers' })).toBeInTheDocument();
    expect(within(sysmon).getByRole('table', { name: 'Services of Robot 2 NUC' })).toHaveTextContent('robot.2');
  });

  it('shows the API 404', async () => {
    storeSession();
    const { fetch } = mockFetch({
      'GET /api/v1/errorreports/99/': () => jsonResponse(404, fail({ exception: 'No ErrorReport matches the given query.' })),
    });
    renderApp('/errorreports/99', fetch);
    expect(await screen.findByRole('alert')).toHaveTextContent('No ErrorReport matches the given query.');
  });
});
