import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { SESSION_KEY } from '../../auth/tokens';
import type { Call } from '../../test/helpers';
import { currentLocation, fail, jsonResponse, mockFetch, ok, pageOf, renderApp, storeSession } from '../../test/helpers';
import { criteriaToQuery, describeCriteria } from './criteria';

const mine = {
  id: 12,
  trigger_on: 'ErrorReport',
  criteria: { harv_ids: [11, 100], codes: [3], is_emulator: false, traceback: 'Timeout' },
  recipients: ['ada', 'bob'],
  creator: 1,
  created: '2025-01-02T03:04:05Z',
};
const theirs = {
  id: 13,
  trigger_on: 'ErrorReport',
  criteria: { harvester__harv_id__in: ['12'], exceptions__handled: false },
  recipients: ['ada'],
  creator: 2,
  created: '2025-01-03T03:04:05Z',
};

function server(options: { deleteStatus?: number } = {}) {
  let created = [mine];
  const { fetch, calls, bellCalls } = mockFetch({
    'GET /api/v1/notifications/?category=created': () => jsonResponse(200, ok(pageOf(created))),
    'GET /api/v1/notifications/?category=is_recipient': () => jsonResponse(200, ok(pageOf([mine, theirs]))),
    'DELETE /api/v1/notifications/12/': () => {
      if (options.deleteStatus === 403) return jsonResponse(403, fail({ exception: 'Permission denied for user.' }));
      created = [];
      return new Response(null, { status: 204 });
    },
  });
  return { fetch, calls, bellCalls };
}

const listCalls = (calls: Call[]) => calls.filter((c) => c.method === 'GET').map((c) => c.url);

describe('notifications page', () => {
  it('lists the notifications I created with readable criteria', async () => {
    storeSession();
    const { fetch, calls } = server();
    renderApp('/notifications', fetch);
    const table = await screen.findByRole('table', { name: 'Created by me' });
    expect(listCalls(calls)).toEqual(['/api/v1/notifications/?category=created&limit=10&offset=0']);
    const cells = within(within(table).getAllByRole('row')[1]!).getAllByRole('cell');
    expect(cells[1]).toHaveTextContent('Harvesters: 11, 100');
    expect(cells[1]).toHaveTextContent('Exception codes: 3');
    expect(cells[1]).toHaveTextContent('Traceback contains: “Timeout”');
    expect(cells[1]).toHaveTextContent('Emulator: real harvesters only');
    expect(cells[2]).toHaveTextContent('ada, bob');
    expect(within(cells[5]!).getByRole('link', { name: 'Matching reports' })).toHaveAttribute(
      'href',
      '/errorreports?harv_ids=11%2C100&codes=3&traceback=Timeout&is_emulator=0',
    );
    expect(screen.getByRole('tab', { name: 'Created by me' })).toHaveAttribute('aria-selected', 'true');
  });

  it('switches to the notifications where I am a recipient', async () => {
    storeSession();
    const user = userEvent.setup();
    const { fetch, calls } = server();
    renderApp('/notifications', fetch);
    await screen.findByRole('table', { name: 'Created by me' });
    screen.getByRole('tab', { name: 'Created by me' }).focus();
    await user.keyboard('{ArrowRight}');
    const table = await screen.findByRole('table', { name: 'Where I am a recipient' });
    expect(currentLocation()).toBe('/notifications?category=is_recipient');
    expect(listCalls(calls).at(-1)).toBe('/api/v1/notifications/?category=is_recipient&limit=10&offset=0');
    const rows = within(table).getAllByRole('row').slice(1);
    // Reference-server criteria are shown the same way.
    expect(rows[1]).toHaveTextContent('Harvesters: 12');
    expect(rows[1]).toHaveTextContent('Handled: has an unhandled exception');
    // Only my own notification can be deleted from here (I am not a superuser).
    expect(within(rows[0]!).getByRole('button', { name: 'Delete notification 12' })).toBeInTheDocument();
    expect(within(rows[1]!).queryByRole('button', { name: /Delete/ })).not.toBeInTheDocument();
  });

  it('deletes a notification after confirmation and updates the bell', async () => {
    storeSession();
    const user = userEvent.setup();
    const { fetch, calls, bellCalls } = server();
    renderApp('/notifications', fetch);
    await screen.findByRole('table', { name: 'Created by me' });
    await user.click(screen.getByRole('button', { name: 'Delete notification 12' }));
    const dialog = screen.getByRole('dialog', { name: 'Delete notification 12?' });
    expect(dialog).toHaveTextContent('Harvesters11, 100');
    expect(calls.some((c) => c.method === 'DELETE')).toBe(false);
    await user.click(within(dialog).getByRole('button', { name: 'Delete notification' }));

    expect(await screen.findByText('Notification 12 deleted.')).toBeInTheDocument();
    expect(calls.filter((c) => c.method === 'DELETE').map((c) => c.url)).toEqual(['/api/v1/notifications/12/']);
    expect(await screen.findByText('You have not created any notification.')).toBeInTheDocument();
    expect(screen.queryByRole('dialog')).not.toBeInTheDocument();
    await waitFor(() => expect(bellCalls.length).toBeGreaterThanOrEqual(2));
  });

  it('cancels a delete without asking the API', async () => {
    storeSession();
    const user = userEvent.setup();
    const { fetch, calls } = server();
    renderApp('/notifications', fetch);
    await screen.findByRole('table', { name: 'Created by me' });
    await user.click(screen.getByRole('button', { name: 'Delete notification 12' }));
    await user.click(within(screen.getByRole('dialog')).getByRole('button', { name: 'Cancel' }));
    expect(screen.queryByRole('dialog')).not.toBeInTheDocument();
    expect(calls.some((c) => c.method === 'DELETE')).toBe(false);
  });

  it('shows a 403 on delete in the dialog and keeps the session', async () => {
    storeSession();
    const user = userEvent.setup();
    const { fetch } = server({ deleteStatus: 403 });
    renderApp('/notifications', fetch);
    await screen.findByRole('table', { name: 'Created by me' });
    await user.click(screen.getByRole('button', { name: 'Delete notification 12' }));
    const dialog = screen.getByRole('dialog');
    await user.click(within(dialog).getByRole('button', { name: 'Delete notification' }));
    const alert = await within(dialog).findByRole('alert');
    expect(alert).toHaveTextContent('Not allowed');
    expect(alert).toHaveTextContent('Permission denied for user.');
    expect(localStorage.getItem(SESSION_KEY)).not.toBeNull();
    expect(screen.getByRole('table', { name: 'Created by me' })).toHaveTextContent('ada, bob');
  });

  it('shows the bell count for notifications naming me', async () => {
    storeSession();
    const { fetch } = mockFetch({
      'GET /api/v1/notifications/?category=is_recipient&limit=1': () => jsonResponse(200, ok({ ...pageOf([mine]), count: 3 })),
      'GET /api/v1/harvesters/': () => jsonResponse(200, ok(pageOf([]))),
    });
    renderApp('/', fetch);
    const bell = await screen.findByRole('link', { name: 'Notifications: 3 name you as a recipient' });
    expect(bell).toHaveAttribute('href', '/notifications?category=is_recipient');
    expect(bell).toHaveTextContent('3');
  });

  it('shows one notification with a delete button', async () => {
    storeSession();
    const { fetch } = mockFetch({ 'GET /api/v1/notifications/12/': () => jsonResponse(200, ok(mine)) });
    renderApp('/notifications/12', fetch);
    expect(await screen.findByRole('heading', { name: 'Sent for new ErrorReports with' })).toBeInTheDocument();
    expect(screen.getByText('11, 100')).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Delete' })).toBeInTheDocument();
  });
});

describe('criteria helpers', () => {
  it('reads lists given as arrays or comma strings and booleans given as text', () => {
    expect(describeCriteria({ locations: 'Ranch A,Ranch B', handled: 'true', primary: '0' })).toEqual([
      { label: 'Locations', text: 'Ranch A, Ranch B' },
      { label: 'Handled', text: 'has a handled exception' },
      { label: 'Primary', text: 'secondary exception' },
    ]);
    expect(describeCriteria({ something_else: { a: 1 } })).toEqual([{ label: 'something_else', text: '{"a":1}' }]);
    expect(criteriaToQuery({ exceptions__primary: true }).toString()).toBe('primary=true');
    expect(criteriaToQuery({}).toString()).toBe('is_emulator=');
  });
});
