import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { SESSION_KEY } from '../../auth/tokens';
import { event, harvester, location, pickSession, reportSummary } from '../../test/fixtures';
import { fail, jsonResponse, makeUser, mockFetch, ok, pageOf, renderApp, storeSession } from '../../test/helpers';

const developer = makeUser({ profile: { id: 1, slack_id: null, role: 'developer', user: 1 } });
const lookups = {
  'GET /api/v1/fruits/': () => jsonResponse(200, ok(pageOf([{ id: 1, name: 'strawberry' }, { id: 2, name: 'apple' }]))),
  'GET /api/v1/locations/': () => jsonResponse(200, ok(pageOf([location, { ...location, id: 3, ranch: 'Ranch B' }]))),
  'GET /api/v1/distributors/': () => jsonResponse(200, ok(pageOf([{ id: 1, name: 'Berry Co' }]))),
};

describe('harvesters', () => {
  it('lists harvesters with links to their history and error reports, without edit buttons for support', async () => {
    storeSession();
    const { fetch } = mockFetch({ ...lookups, 'GET /api/v1/harvesters/': () => jsonResponse(200, ok(pageOf([harvester]))) });
    renderApp('/harvesters', fetch);
    const table = await screen.findByRole('table', { name: 'Harvesters' });
    const row = within(table).getAllByRole('row')[1]!;
    expect(within(row).getByRole('link', { name: '11' })).toHaveAttribute('href', '/harvesters/7');
    expect(within(row).getByRole('link', { name: 'History' })).toHaveAttribute('href', '/harvesterhistory?harv_id=11');
    expect(within(row).getByRole('link', { name: 'Error reports' })).toHaveAttribute('href', '/errorreports?harv_ids=11');
    expect(screen.queryByRole('button', { name: 'New harvester' })).not.toBeInTheDocument();
    expect(within(row).queryByRole('button', { name: /Edit/ })).not.toBeInTheDocument();
  });

  it('creates a harvester and shows the API field errors first', async () => {
    storeSession(developer);
    const user = userEvent.setup();
    let attempts = 0;
    const { fetch, calls } = mockFetch({
      ...lookups,
      'GET /api/v1/harvesters/': () => jsonResponse(200, ok(pageOf([harvester]))),
      'POST /api/v1/harvesters/': () =>
        ++attempts === 1
          ? jsonResponse(400, fail({ detail: { harv_id: ['harvester with this harv id already exists.'], non_field_errors: ['There can only be one strawberry emulator'] } }))
          : jsonResponse(201, ok({ ...harvester, id: 20, harv_id: 12, name: 'harv012' }, 'harvester created successfully')),
      'GET /api/v1/harvesters/20/': () => jsonResponse(200, ok({ ...harvester, id: 20, harv_id: 12, name: 'harv012' })),
    });
    renderApp('/harvesters', fetch);
    await user.click(await screen.findByRole('button', { name: 'New harvester' }));
    const dialog = screen.getByRole('dialog', { name: 'New harvester' });
    await user.type(within(dialog).getByLabelText(/Harv ID/), '11');
    await user.type(within(dialog).getByLabelText('Name'), 'harv012');
    await waitFor(() => expect(within(dialog).getAllByRole('option', { name: 'apple' })).toHaveLength(1));
    await user.selectOptions(within(dialog).getByLabelText('Fruit'), 'strawberry');
    await user.selectOptions(within(dialog).getByLabelText('Location'), 'Ranch B');
    await user.type(within(dialog).getByLabelText('Thing name'), 'hv-012');
    await user.click(within(dialog).getByLabelText('Emulator'));
    await user.click(within(dialog).getByRole('button', { name: 'Create harvester' }));

    expect(await within(dialog).findByText('harvester with this harv id already exists.')).toBeInTheDocument();
    expect(within(dialog).getByText('There can only be one strawberry emulator')).toBeInTheDocument();
    expect(within(dialog).getByLabelText(/Harv ID/)).toHaveAttribute('aria-invalid', 'true');
    expect(calls.find((c) => c.method === 'POST')!.body).toEqual({
      name: 'harv012',
      harv_id: 11,
      fruit: 1,
      location: 3,
      is_emulator: true,
      thingName: 'hv-012',
    });

    await user.clear(within(dialog).getByLabelText(/Harv ID/));
    await user.type(within(dialog).getByLabelText(/Harv ID/), '12');
    await user.click(within(dialog).getByLabelText('Emulator'));
    await user.click(within(dialog).getByRole('button', { name: 'Create harvester' }));
    expect(await screen.findByRole('heading', { name: 'Harvester 12 · harv012', level: 1 })).toBeInTheDocument();
  });

  it('edits a harvester with PATCH and shows a 403 without logging out', async () => {
    storeSession(developer);
    const user = userEvent.setup();
    const { fetch, calls } = mockFetch({
      ...lookups,
      'GET /api/v1/harvesters/': () => jsonResponse(200, ok(pageOf([harvester]))),
      'PATCH /api/v1/harvesters/7/': () => jsonResponse(403, fail({ exception: 'Permission denied for user.' })),
    });
    renderApp('/harvesters', fetch);
    await user.click(await screen.findByRole('button', { name: 'Edit harvester 11' }));
    const dialog = screen.getByRole('dialog', { name: 'Edit harvester 11' });
    await waitFor(() => expect(within(dialog).getByLabelText('Location')).toHaveValue('2'));
    await user.clear(within(dialog).getByLabelText('Name'));
    await user.type(within(dialog).getByLabelText('Name'), 'renamed');
    await user.click(within(dialog).getByRole('button', { name: 'Save changes' }));
    expect(await within(dialog).findByRole('alert')).toHaveTextContent('Not allowed');
    const patch = calls.find((c) => c.method === 'PATCH')!;
    expect(patch.url).toBe('/api/v1/harvesters/7/');
    expect(patch.body).toEqual({ name: 'renamed', harv_id: 11, fruit: 1, location: 2, is_emulator: false, thingName: 'hv-011' });
    expect(localStorage.getItem(SESSION_KEY)).not.toBeNull();
  });

  it('shows a harvester with its recent error reports and history', async () => {
    storeSession();
    const { fetch, calls } = mockFetch({
      'GET /api/v1/harvesters/7/': () =>
        jsonResponse(200, ok({ ...harvester, release: { id: 4, version: '2.3.0', tags: ['stable'], release: { master: { version: '2.3.0' } } } })),
      'GET /api/v1/errorreports/': () => jsonResponse(200, ok(pageOf([reportSummary()]))),
      'GET /api/v1/harvesterhistory/': () =>
        jsonResponse(
          200,
          ok(pageOf([{ history_id: 31, id: 7, harv_id: 11, name: 'harv011', history_type: '~', history_date: '2025-01-01T00:00:00Z', history_user: 2 }])),
        ),
      'GET /api/v1/users/profiles/': () => jsonResponse(200, ok(pageOf([makeUser({ id: 2, username: 'bob' })]))),
    });
    renderApp('/harvesters/7', fetch);
    expect(await screen.findByRole('heading', { name: 'Harvester 11 · harv011', level: 1 })).toBeInTheDocument();
    expect(within(screen.getByRole('region', { name: 'Release' })).getByRole('link', { name: '2.3.0' })).toHaveAttribute('href', '/release/4');
    expect(screen.getByRole('link', { name: 'Jobs' })).toHaveAttribute('href', '/jobs?target__harv_id=11');
    expect(screen.getByRole('link', { name: 'Start a job on it' })).toHaveAttribute('href', '/jobscheduler?targets=11');
    const reports = await screen.findByRole('table', { name: 'Recent error reports' });
    expect(within(reports).getByRole('link', { name: '3' })).toHaveAttribute('href', '/errorreports/3');
    const history = await screen.findByRole('table', { name: 'Harvester history' });
    expect(history).toHaveTextContent('updated');
    await waitFor(() => expect(history).toHaveTextContent('bob'));
    const urls = calls.map((c) => c.url);
    expect(urls).toContain('/api/v1/errorreports/?harv_ids=11&limit=10&offset=0');
    expect(urls).toContain('/api/v1/harvesterhistory/?harv_id=11&limit=10&offset=0');
  });

  it('lists the history of one harvester', async () => {
    storeSession();
    const { fetch, calls } = mockFetch({
      'GET /api/v1/harvesterhistory/': () =>
        jsonResponse(
          200,
          ok(pageOf([
            { history_id: 2, id: 7, harv_id: 11, history_type: '-', history_date: '2025-01-02T00:00:00Z', history_user: 1 },
            { history_id: 1, id: 7, harv_id: 11, history_type: '+', history_date: '2025-01-01T00:00:00Z', history_user: null },
          ])),
        ),
      'GET /api/v1/users/profiles/': () => jsonResponse(200, ok(pageOf([makeUser({ id: 1, username: 'ada' })]))),
    });
    renderApp('/harvesterhistory?harv_id=11', fetch);
    const table = await screen.findByRole('table', { name: 'Harvester history' });
    const rows = within(table).getAllByRole('row').slice(1);
    expect(rows[0]).toHaveTextContent('deleted');
    await waitFor(() => expect(rows[0]).toHaveTextContent('ada'));
    expect(rows[1]).toHaveTextContent('created');
    expect(calls.find((c) => c.path === '/api/v1/harvesterhistory/')!.url).toBe('/api/v1/harvesterhistory/?harv_id=11&limit=10&offset=0');
  });
});

describe('locations and distributors', () => {
  it('creates a location with POST locations/', async () => {
    storeSession(developer);
    const user = userEvent.setup();
    const { fetch, calls } = mockFetch({
      ...lookups,
      'POST /api/v1/locations/': () => jsonResponse(201, ok({ ...location, id: 9, ranch: 'Ranch C' })),
    });
    renderApp('/locations', fetch);
    await user.click(await screen.findByRole('button', { name: 'New location' }));
    // Developers create locations; editing them is for superusers.
    expect(screen.queryByRole('button', { name: /^Edit location/ })).not.toBeInTheDocument();
    const dialog = screen.getByRole('dialog', { name: 'New location' });
    await user.type(within(dialog).getByLabelText(/Ranch/), 'Ranch C');
    await waitFor(() => expect(within(dialog).getByRole('option', { name: 'Berry Co' })).toBeInTheDocument());
    await user.selectOptions(within(dialog).getByLabelText(/Distributor/), 'Berry Co');
    await user.type(within(dialog).getByLabelText('Country'), 'US');
    await user.click(within(dialog).getByRole('button', { name: 'Create location' }));
    await waitFor(() => expect(screen.queryByRole('dialog')).not.toBeInTheDocument());
    expect(calls.find((c) => c.method === 'POST')!.body).toEqual({
      ranch: 'Ranch C',
      country: 'US',
      region: '',
      distributor: 1,
      site_channel: 'harvs-dev',
    });
  });

  it('renames a distributor with PATCH distributors/{id}/ (superusers only)', async () => {
    storeSession(makeUser({ is_superuser: true }));
    const user = userEvent.setup();
    const { fetch, calls } = mockFetch({
      ...lookups,
      'PATCH /api/v1/distributors/1/': () => jsonResponse(200, ok({ id: 1, name: 'Berry Inc' })),
    });
    renderApp('/distributors', fetch);
    await user.click(await screen.findByRole('button', { name: 'Edit distributor Berry Co' }));
    const dialog = screen.getByRole('dialog');
    await user.clear(within(dialog).getByLabelText(/Name/));
    await user.type(within(dialog).getByLabelText(/Name/), 'Berry Inc');
    await user.click(within(dialog).getByRole('button', { name: 'Save changes' }));
    await waitFor(() => expect(screen.queryByRole('dialog')).not.toBeInTheDocument());
    expect(calls.find((c) => c.method === 'PATCH')!.body).toEqual({ name: 'Berry Inc' });
  });
});

describe('events and pick sessions', () => {
  it('searches events by UUID and tags and links files and objects', async () => {
    storeSession();
    const user = userEvent.setup();
    const { fetch, calls } = mockFetch({
      'GET /api/v1/events/tags/': () => jsonResponse(200, ok({ tags: ['ErrorReport', 'S3File', 'logs'] }, 'Event tags')),
      'GET /api/v1/events/': () => jsonResponse(200, ok(pageOf([event]))),
    });
    renderApp('/events', fetch);
    const table = await screen.findByRole('table', { name: 'Events' });
    expect(within(table).getByRole('link', { name: 'Error Report 3' })).toHaveAttribute('href', '/errorreports/3/');
    expect(within(table).getByRole('link', { name: 'logs' })).toHaveAttribute(
      'href',
      'https://bucket.example/logs/hv011_6c1d9e0a.zip?X-Amz-Signature=abc',
    );

    await user.type(screen.getByLabelText('UUID'), event.UUID);
    await user.click(screen.getByRole('button', { name: 'Tags: Any tags' }));
    await user.click(await screen.findByRole('checkbox', { name: 'S3File' }));
    await user.click(screen.getByRole('checkbox', { name: 'logs' }));
    await user.keyboard('{Escape}');
    await user.click(screen.getByRole('button', { name: 'Search' }));
    await waitFor(() =>
      expect(calls.at(-1)!.url).toBe(`/api/v1/events/?UUID=${event.UUID}&tags=S3File%2Clogs&limit=10&offset=0`),
    );
  });

  it('shows a pick session with its harvester and related reports', async () => {
    storeSession();
    const { fetch } = mockFetch({
      'GET /api/v1/picksessions/9/': () =>
        jsonResponse(
          200,
          ok(pickSession),
        ),
    });
    renderApp('/picksessions/9', fetch);
    expect(await screen.findByRole('heading', { name: 'Pick session 9', level: 1 })).toBeInTheDocument();
    const summary = await screen.findByRole('region', { name: 'Summary' });
    expect(within(summary).getByRole('link', { name: '11' })).toHaveAttribute('href', '/harvesters/7');
    expect(within(summary).getByText('2022-05-02 13:00:00.000')).toBeInTheDocument();
    expect(screen.getByRole('link', { name: 'Error Report 3' })).toHaveAttribute('href', '/errorreports/3/');
  });
});
