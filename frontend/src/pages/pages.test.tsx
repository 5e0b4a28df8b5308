import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import type { Role } from '../api/schemas';
import { SESSION_KEY } from '../auth/tokens';
import {
  fail,
  fakeJwt,
  jsonResponse,
  makeUser,
  mockFetch,
  ok,
  okDouble,
  renderApp,
  storeSession,
} from '../test/helpers';
import { harvester } from '../test/fixtures';

const emptyPage = { count: 0, next: null, previous: null, results: [] };
const manager = makeUser({ id: 9, username: 'boss', profile: { id: 9, slack_id: null, role: 'manager', user: 9 } });

describe('login', () => {
  it('sends visitors without a session to the login page', async () => {
    const { fetch } = mockFetch({});
    renderApp('/harvesters', fetch);
    expect(await screen.findByRole('heading', { name: 'Harvester Data Store' })).toBeInTheDocument();
    expect(screen.getByRole('form', { name: 'Sign in' })).toBeInTheDocument();
  });

  it('signs in, stores the tokens and goes where the user wanted', async () => {
    const user = makeUser();
    const access = fakeJwt(900);
    const { fetch, calls } = mockFetch({
      'POST /api/v1/users/login/': () =>
        jsonResponse(200, okDouble({ token: access, access, refresh: 'r1', user }, 'Login successful')),
      'GET /api/v1/harvesters/': () => jsonResponse(200, ok({ count: 1, next: null, previous: null, results: [harvester] })),
    });
    renderApp('/harvesters', fetch);
    const submit = await screen.findByRole('button', { name: 'Sign in' });
    expect(submit).toBeDisabled();
    await userEvent.type(screen.getByLabelText(/Username/), 'ada');
    await userEvent.type(screen.getByLabelText(/Password/), 'secret');
    await userEvent.click(submit);
    expect(await screen.findByRole('heading', { name: 'Harvesters', level: 1 })).toBeInTheDocument();
    expect(calls[0]).toMatchObject({ method: 'POST', path: '/api/v1/users/login/', body: { username: 'ada', password: 'secret' } });
    expect(JSON.parse(localStorage.getItem(SESSION_KEY)!)).toMatchObject({ access, refresh: 'r1' });
    expect(await screen.findByRole('link', { name: '11' })).toHaveAttribute('href', '/harvesters/7');
    const list = calls.find((c) => c.path === '/api/v1/harvesters/')!;
    expect(list.headers.authorization).toBe(`Bearer ${access}`);
  });

  it('shows the API message for bad credentials and lets the user retry', async () => {
    const { fetch } = mockFetch({
      'POST /api/v1/users/login/': () => jsonResponse(400, fail({ exception: 'invalid username or password' })),
    });
    renderApp('/login', fetch);
    await userEvent.type(await screen.findByLabelText(/Username/), 'ada');
    await userEvent.type(screen.getByLabelText(/Password/), 'wrong');
    await userEvent.click(screen.getByRole('button', { name: 'Sign in' }));
    expect(await screen.findByRole('alert')).toHaveTextContent('Invalid username or password.');
    expect(screen.getByRole('button', { name: 'Sign in' })).toBeEnabled();
    expect(localStorage.getItem(SESSION_KEY)).toBeNull();
  });

  it('disables the form while signing in', async () => {
    let answer!: (r: Response) => void;
    const { fetch } = mockFetch({ 'POST /api/v1/users/login/': () => new Promise<Response>((r) => (answer = r)) });
    renderApp('/login', fetch);
    await userEvent.type(await screen.findByLabelText(/Username/), 'ada');
    await userEvent.type(screen.getByLabelText(/Password/), 'pw');
    await userEvent.click(screen.getByRole('button', { name: 'Sign in' }));
    expect(screen.getByRole('button', { name: 'Signing in…' })).toBeDisabled();
    answer(jsonResponse(400, fail({ exception: 'invalid username or password' })));
    expect(await screen.findByRole('button', { name: 'Sign in' })).toBeEnabled();
  });

  it('sends a signed-in user away from /login', async () => {
    storeSession();
    const { fetch } = mockFetch({ 'GET /api/v1/harvesters/': () => jsonResponse(200, ok(emptyPage)) });
    renderApp('/login', fetch);
    expect(await screen.findByRole('heading', { name: 'Welcome to HDS' })).toBeInTheDocument();
  });

  it('logs out from the navigation bar', async () => {
    storeSession(makeUser(), 'acc', 'ref');
    const { fetch, calls } = mockFetch({
      'GET /api/v1/harvesters/': () => jsonResponse(200, ok(emptyPage)),
      'POST /api/v1/users/logout/': () => jsonResponse(200, okDouble({}, 'Logout successful')),
    });
    renderApp('/', fetch);
    await userEvent.click(await screen.findByRole('button', { name: 'Log out' }));
    expect(await screen.findByRole('form', { name: 'Sign in' })).toBeInTheDocument();
    expect(localStorage.getItem(SESSION_KEY)).toBeNull();
    await waitFor(() => expect(calls.some((c) => c.path === '/api/v1/users/logout/')).toBe(true));
    expect(calls.find((c) => c.path === '/api/v1/users/logout/')!.body).toEqual({ token: 'acc', refresh: 'ref' });
  });

  it('returns to the login page when the session cannot be renewed', async () => {
    storeSession(makeUser(), fakeJwt(900), 'dead');
    const { fetch } = mockFetch({
      'GET /api/v1/harvesters/': () => jsonResponse(401, fail({ detail: 'Token is invalid or expired' })),
      'POST /api/v1/users/token/refresh/': () => jsonResponse(401, fail({ detail: 'Token is invalid or expired' })),
    });
    renderApp('/harvesters', fetch);
    expect(await screen.findByText('Your session has ended. Please sign in again.')).toBeInTheDocument();
  });
});

describe('home', () => {
  it('lists the fleet and the menu', async () => {
    storeSession();
    const { fetch, calls } = mockFetch({
      'GET /api/v1/harvesters/': () => jsonResponse(200, ok({ count: 1, next: null, previous: null, results: [harvester] })),
    });
    renderApp('/', fetch);
    const table = await screen.findByRole('table', { name: 'Harvesters' });
    expect(within(table).getAllByRole('columnheader').map((c) => c.textContent)).toEqual([
      'Harv ID',
      'Name',
      'Location',
      'Fruit',
      'Emulator',
      'Last report',
      'Last error',
      'Version',
      'Release',
      'Dirty',
    ]);
    const cells = within(within(table).getAllByRole('row')[1]!).getAllByRole('cell');
    expect(cells.map((c) => c.textContent)).toEqual(['11', 'harv011', 'Ranch A', 'strawberry', 'No', '—', '—', '—', '—', '—']);
    expect(calls[0]!.url).toBe('/api/v1/harvesters/?limit=25&offset=0');
    expect(screen.getByRole('link', { name: /Harvesters.*fleet/ })).toHaveAttribute('href', '/harvesters');
    expect(screen.queryByRole('link', { name: /^Users/ })).not.toBeInTheDocument();
  });

  it("shows each harvester's last report and error, in the chosen time zone", async () => {
    storeSession();
    const fleet = [
      {
        ...harvester,
        last_report: {
          id: 42,
          reportTime: '2026-01-15T20:30:05.250Z',
          error: { code: 1, name: 'DriveFault', service: 'drive', robot: 2 },
        },
      },
      { ...harvester, id: 8, harv_id: 12, name: 'harv012', last_report: { id: 41, reportTime: '2026-01-14T08:00:00Z', error: null } },
      { ...harvester, id: 9, harv_id: 13, name: 'harv013', last_report: null },
    ];
    const { fetch } = mockFetch({
      'GET /api/v1/harvesters/': () => jsonResponse(200, ok({ count: 3, next: null, previous: null, results: fleet })),
    });
    renderApp('/', fetch);
    const table = await screen.findByRole('table', { name: 'Harvesters' });
    const rows = within(table).getAllByRole('row').slice(1);
    const lastCells = (row: HTMLElement) =>
      within(row)
        .getAllByRole('cell')
        .filter((c) => ['Last report', 'Last error'].includes(c.getAttribute('data-label') ?? ''))
        .map((c) => c.textContent);
    expect(rows.map(lastCells)).toEqual([
      ['2026-01-15 12:30:05.250', '1 DriveFault drive.2'],
      ['2026-01-14 00:00:00.000', '—'],
      ['—', '—'],
    ]);
    const link = within(rows[0]!).getByRole('link', { name: '2026-01-15 12:30:05.250' });
    expect(link).toHaveAttribute('href', '/errorreports/42');
    expect(within(link).getByText('2026-01-15 12:30:05.250').closest('time')).toHaveAttribute('dateTime', '2026-01-15T20:30:05.250Z');
    expect(within(rows[0]!).getAllByRole('cell')[6]).toHaveAttribute('data-label', 'Last error');

    await userEvent.selectOptions(screen.getByLabelText('Show times in'), 'UTC');
    const utcLink = await within(table).findByRole('link', { name: '2026-01-15 20:30:05.250' });
    expect(utcLink).toHaveAttribute('href', '/errorreports/42?tz=UTC');
  });

  it('shows the Users card to managers', async () => {
    storeSession(manager);
    const { fetch } = mockFetch({ 'GET /api/v1/harvesters/': () => jsonResponse(200, ok(emptyPage)) });
    renderApp('/', fetch);
    expect(await screen.findByRole('link', { name: /Users.*roles/ })).toHaveAttribute('href', '/users');
  });

  it('goes to the harvester found by harv_id', async () => {
    storeSession();
    const { fetch, calls } = mockFetch({
      'GET /api/v1/harvesters/?harv_id=11': () => jsonResponse(200, ok({ count: 1, next: null, previous: null, results: [harvester] })),
      'GET /api/v1/harvesters/': () => jsonResponse(200, ok(emptyPage)),
      'GET /api/v1/harvesters/7/': () => jsonResponse(200, ok(harvester)),
      'GET /api/v1/errorreports/': () => jsonResponse(200, ok(emptyPage)),
    });
    renderApp('/', fetch);
    await userEvent.type(await screen.findByLabelText('Harvester ID (harv_id)'), '11');
    await userEvent.click(screen.getByRole('button', { name: 'Go' }));
    expect(await screen.findByRole('heading', { name: 'Harvester 11 · harv011', level: 1 })).toBeInTheDocument();
    await waitFor(() => expect(calls.some((c) => c.url === '/api/v1/errorreports/?harv_ids=11&limit=10&offset=0')).toBe(true));
    expect(calls.some((c) => c.url === '/api/v1/harvesterhistory/?harv_id=11&limit=10&offset=0')).toBe(true);
  });

  it('says when no harvester has that harv_id', async () => {
    storeSession();
    const { fetch } = mockFetch({ 'GET /api/v1/harvesters/': () => jsonResponse(200, ok(emptyPage)) });
    renderApp('/', fetch);
    await userEvent.type(await screen.findByLabelText('Harvester ID (harv_id)'), '404');
    await userEvent.click(screen.getByRole('button', { name: 'Go' }));
    expect(await screen.findByText('No harvester has harv_id 404.')).toBeInTheDocument();
  });

  it('shows the API error when the fleet cannot be listed', async () => {
    storeSession();
    const { fetch } = mockFetch({});
    renderApp('/', fetch);
    const alert = await screen.findByRole('alert');
    expect(alert).toHaveTextContent('Not found');
    expect(alert).toHaveTextContent('No route for GET /api/v1/harvesters/');
  });
});

describe('guards and status pages', () => {
  it('sends non-managers from /users to /forbidden', async () => {
    storeSession();
    const { fetch } = mockFetch({});
    renderApp('/users', fetch);
    expect(await screen.findByRole('heading', { name: 'You are not allowed to see this page' })).toBeInTheDocument();
  });

  it('shows a 404 page for unknown routes', async () => {
    storeSession();
    const { fetch } = mockFetch({});
    renderApp('/no/such/page', fetch);
    expect(await screen.findByRole('heading', { name: 'Page not found' })).toBeInTheDocument();
  });

  it('keeps the session on a 403 from the API', async () => {
    storeSession(manager);
    const { fetch } = mockFetch({
      'GET /api/v1/users/profiles/': () => jsonResponse(403, fail({ exception: 'Permission denied for user.' })),
    });
    const { services } = renderApp('/users', fetch);
    expect(await screen.findByRole('heading', { name: /Not allowed/ })).toBeInTheDocument();
    expect(screen.getByRole('alert')).toHaveTextContent('Permission denied for user.');
    expect(services.auth.isAuthenticated).toBe(true);
    expect(localStorage.getItem(SESSION_KEY)).not.toBeNull();
  });
});

describe('profile', () => {
  it('shows my details and saves names, email and slack id without the role', async () => {
    const me = makeUser();
    storeSession(me);
    const { fetch, calls } = mockFetch({
      'GET /api/v1/users/me/': () => jsonResponse(200, ok(me)),
      'PATCH /api/v1/users/profiles/1/': (call) =>
        jsonResponse(200, ok({ ...me, ...(call.body as object), profile: { ...me.profile, slack_id: 'U999' } })),
    });
    renderApp('/users/profile/me', fetch);
    expect(await screen.findByRole('heading', { name: 'My profile' })).toBeInTheDocument();
    expect(screen.getByText('support')).toBeInTheDocument();
    const first = screen.getByLabelText('First name');
    await userEvent.clear(first);
    await userEvent.type(first, 'Augusta');
    const slack = screen.getByLabelText('Slack ID');
    await userEvent.clear(slack);
    await userEvent.type(slack, 'U999');
    await userEvent.click(screen.getByRole('button', { name: 'Save details' }));
    expect(await screen.findByText('Details saved.')).toBeInTheDocument();
    const patch = calls.find((c) => c.method === 'PATCH')!;
    expect(patch.body).toEqual({
      first_name: 'Augusta',
      last_name: 'Lovelace',
      email: 'ada@example.com',
      profile: { slack_id: 'U999' },
    });
    expect(JSON.parse(localStorage.getItem(SESSION_KEY)!).user.first_name).toBe('Augusta');
  });

  it('changes the password and shows field errors from the API', async () => {
    storeSession();
    let attempt = 0;
    const { fetch, calls } = mockFetch({
      'GET /api/v1/users/me/': () => jsonResponse(200, ok(makeUser())),
      'POST /api/v1/users/change/password/': () =>
        ++attempt === 1
          ? jsonResponse(400, fail({ exception: 'could not authenticate with given credentials' }))
          : jsonResponse(200, okDouble({}, 'Password changed successful')),
    });
    renderApp('/users/profile/me', fetch);
    await userEvent.type(await screen.findByLabelText(/^Current password/), 'old');
    await userEvent.type(screen.getByLabelText(/^New password/), 'newpass');
    await userEvent.type(screen.getByLabelText(/^Repeat new password/), 'newpasX');
    expect(screen.getByText('The passwords do not match.')).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Change password' })).toBeDisabled();
    await userEvent.type(screen.getByLabelText(/^Repeat new password/), '{Backspace}s');
    await userEvent.click(screen.getByRole('button', { name: 'Change password' }));
    expect(await screen.findByText('could not authenticate with given credentials')).toBeInTheDocument();
    await userEvent.click(screen.getByRole('button', { name: 'Change password' }));
    expect(await screen.findByText('Password changed.')).toBeInTheDocument();
    expect(calls.filter((c) => c.method === 'POST').at(-1)!.body).toEqual({ current_password: 'old', new_password: 'newpass' });
  });
});

describe('users management', () => {
  const users = [manager, makeUser({ id: 2, username: 'sam', is_active: false })];

  it('lists users with paging', async () => {
    storeSession(manager);
    const { fetch, calls } = mockFetch({
      'GET /api/v1/users/profiles/': () =>
        jsonResponse(200, ok({ count: 12, next: 'http://h/api/v1/users/profiles/?limit=10&offset=10', previous: null, results: users })),
    });
    renderApp('/users', fetch);
    const table = await screen.findByRole('table', { name: 'Users' });
    expect(within(table).getByRole('link', { name: 'sam' })).toHaveAttribute('href', '/users/2');
    expect(within(table).getByText('Inactive')).toBeInTheDocument();
    await userEvent.click(screen.getByRole('button', { name: 'Next' }));
    await waitFor(() => expect(calls.at(-1)!.url).toBe('/api/v1/users/profiles/?limit=10&offset=10'));
  });

  it('creates a user with a role', async () => {
    storeSession(manager);
    const { fetch, calls } = mockFetch({
      'POST /api/v1/users/profiles/': (call) => {
        const body = call.body as { username: string };
        return body.username === 'taken'
          ? jsonResponse(400, fail({ detail: { username: ['A user with that username already exists.'] } }))
          : jsonResponse(201, ok(makeUser({ id: 3, username: body.username }), 'user created successfully'));
      },
      'GET /api/v1/users/profiles/': () => jsonResponse(200, ok({ count: 0, next: null, previous: null, results: [] })),
    });
    renderApp('/users/new', fetch);
    await userEvent.type(await screen.findByLabelText(/^Username/), 'taken');
    await userEvent.type(screen.getByLabelText(/^Password/), 'pw12345');
    await userEvent.type(screen.getByLabelText(/^Repeat password/), 'pw12345');
    await userEvent.selectOptions(screen.getByLabelText('Role'), 'developer');
    await userEvent.click(screen.getByRole('button', { name: 'Create user' }));
    expect(await screen.findByText('A user with that username already exists.')).toBeInTheDocument();
    expect(screen.getByLabelText(/^Username/)).toHaveAttribute('aria-invalid', 'true');
    await userEvent.clear(screen.getByLabelText(/^Username/));
    await userEvent.type(screen.getByLabelText(/^Username/), 'newbie');
    await userEvent.click(screen.getByRole('button', { name: 'Create user' }));
    expect(await screen.findByText('User newbie created.')).toBeInTheDocument();
    expect(calls.filter((c) => c.method === 'POST').at(-1)!.body).toEqual({
      username: 'newbie',
      password: 'pw12345',
      email: '',
      first_name: '',
      last_name: '',
      profile: { role: 'developer', slack_id: '' },
    });
  });

  it('edits the role and deactivates a user', async () => {
    storeSession(manager);
    let current = makeUser({ id: 2, username: 'sam' });
    const { fetch, calls } = mockFetch({
      'GET /api/v1/users/profiles/2/': () => jsonResponse(200, ok(current)),
      'PATCH /api/v1/users/profiles/2/': (call) => {
        const body = call.body as { is_active?: boolean; profile?: { role?: Role } };
        current = {
          ...current,
          ...(body.is_active !== undefined ? { is_active: body.is_active } : {}),
          profile: { ...current.profile!, ...(body.profile ?? {}) },
        };
        return jsonResponse(200, ok(current, 'user updated successfully'));
      },
    });
    renderApp('/users/2', fetch);
    await userEvent.selectOptions(await screen.findByLabelText('Role'), 'manager');
    await userEvent.click(screen.getByRole('button', { name: 'Save changes' }));
    expect(await screen.findByText('Changes saved.')).toBeInTheDocument();
    expect(calls.find((c) => c.method === 'PATCH')!.body).toMatchObject({ is_active: true, profile: { role: 'manager', slack_id: 'U123' } });
    await userEvent.click(screen.getByRole('button', { name: 'Deactivate user' }));
    expect(await screen.findByText('User deactivated.')).toBeInTheDocument();
    expect(calls.filter((c) => c.method === 'PATCH').at(-1)!.body).toEqual({ is_active: false });
    expect(screen.getByRole('button', { name: 'Reactivate user' })).toBeInTheDocument();
  });

  it('does not let a manager change their own role or deactivate themselves', async () => {
    storeSession(manager);
    const { fetch } = mockFetch({ 'GET /api/v1/users/profiles/9/': () => jsonResponse(200, ok(manager)) });
    renderApp('/users/9', fetch);
    expect(await screen.findByLabelText('Role')).toBeDisabled();
    expect(screen.getByLabelText('Active')).toBeDisabled();
    expect(screen.queryByRole('button', { name: 'Deactivate user' })).not.toBeInTheDocument();
  });

  it('deletes a user after confirmation', async () => {
    storeSession(manager);
    vi.spyOn(window, 'confirm').mockReturnValue(true);
    const { fetch, calls } = mockFetch({
      'GET /api/v1/users/profiles/2/': () => jsonResponse(200, ok(makeUser({ id: 2, username: 'sam' }))),
      'DELETE /api/v1/users/profiles/2/': () => new Response(null, { status: 204 }),
      'GET /api/v1/users/profiles/': () => jsonResponse(200, ok(emptyPage)),
    });
    renderApp('/users/2', fetch);
    await userEvent.click(await screen.findByRole('button', { name: 'Delete user' }));
    expect(await screen.findByText('User sam deleted.')).toBeInTheDocument();
    expect(calls.some((c) => c.method === 'DELETE')).toBe(true);
  });
});
