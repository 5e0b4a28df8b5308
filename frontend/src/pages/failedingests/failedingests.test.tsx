import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import type { FailedIngest } from '../../api/schemas';
import { SESSION_KEY } from '../../auth/tokens';
import { localInputToIso } from '../../lib/time';
import type { Call } from '../../test/helpers';
import { currentLocation, fail, jsonResponse, makeUser, mockFetch, ok, pageOf, renderApp, storeSession } from '../../test/helpers';
import { failedIngestQuery } from './FailedIngestPages';

function failure(overrides: Partial<FailedIngest> = {}): FailedIngest {
  return {
    id: 1,
    queue: 's3files',
    message_id: 'a1b2c3d4-0000-4c2b-9a3d-0242ac120001',
    bucket: 'aft-logs',
    key: 'logs/hv011_missing.zip',
    http_status: 404,
    reason: 'object_missing',
    detail: 'NoSuchKey: the object is gone',
    body_excerpt: '{"Records":[{"s3":{"object":{"key":"logs/hv011_missing.zip"}}}]}',
    message: { MessageId: 'm-1', Body: '{"Records":[{"s3":{"object":{"key":"logs/hv011_missing.zip"}}}]}' },
    receive_count: 3,
    first_seen: '2025-06-02T16:00:00.000000Z',
    last_seen: '2025-06-02T17:00:00.000000Z',
    resolved_at: null,
    resolved_by: null,
    redriven_at: null,
    redrive_count: 0,
    ...overrides,
  };
}

const rows = [
  failure(),
  failure({ id: 3, queue: 'sessclip', reason: 'too_large', detail: 'body is 300 kB', bucket: null, key: null, http_status: null, message: null }),
  failure({ id: 5, queue: 'errorreports', reason: 'invalid_json', detail: 'expected value', bucket: null, key: null, http_status: null }),
];

const manager = makeUser({ profile: { id: 1, slack_id: null, role: 'manager', user: 1 } });
const support = makeUser();

function server(options: { listStatus?: number; actionStatus?: number } = {}) {
  const refused = () => jsonResponse(403, fail({ exception: 'Permission denied for user.' }));
  const { fetch, calls } = mockFetch({
    'GET /api/v1/failedingests/': () => (options.listStatus === 403 ? refused() : jsonResponse(200, ok(pageOf(rows)))),
    'GET /api/v1/failedingests/1/': () => jsonResponse(200, ok(rows[0])),
    'POST /api/v1/failedingests/redrive/': () =>
      options.actionStatus === 403
        ? refused()
        : jsonResponse(200, ok({ redriven: [1], failed: { '3': 'This failure has no stored message to send again.' } }, 'Messages sent to their queues again')),
    'POST /api/v1/failedingests/5/redrive/': () =>
      options.actionStatus === 403
        ? refused()
        : jsonResponse(200, ok({ ...rows[2], resolved_at: '2025-06-03T00:00:00Z', redrive_count: 1 }, 'Message sent to its queue again')),
    'POST /api/v1/failedingests/5/resolve/': () => jsonResponse(200, ok({ ...rows[2], resolved_at: '2025-06-03T00:00:00Z', resolved_by: 1 }, 'Marked as resolved')),
    'POST /api/v1/failedingests/1/resolve/': () => jsonResponse(200, ok({ ...rows[0], resolved_at: '2025-06-03T00:00:00Z', resolved_by: 1 }, 'Marked as resolved')),
  });
  return { fetch, calls };
}

const listCalls = (calls: Call[]) => calls.filter((c) => c.method === 'GET' && c.path === '/api/v1/failedingests/');
const queryOf = (call: Call | undefined) => Object.fromEntries(new URL(call!.url, 'http://localhost').searchParams);
const posts = (calls: Call[]) => calls.filter((c) => c.method === 'POST').map((c) => [c.url, c.body]);

describe('failed ingests page', () => {
  it('shows the unresolved failures by default', async () => {
    storeSession(support);
    const { fetch, calls } = server();
    renderApp('/failedingests', fetch);
    const table = await screen.findByRole('table', { name: 'Unresolved failed ingests' });
    expect(listCalls(calls).map((c) => c.url)).toEqual(['/api/v1/failedingests/?resolved=false&limit=10&offset=0']);
    const first = within(table).getAllByRole('row')[1]!;
    expect(within(first).getByRole('link', { name: '1' })).toHaveAttribute('href', '/failedingests/1');
    expect(first).toHaveTextContent('s3files');
    expect(first).toHaveTextContent('object_missing');
    expect(first).toHaveTextContent('aft-logs/logs/hv011_missing.zip');
    expect(first).toHaveTextContent('404');
    expect(first).toHaveTextContent('unresolved');
    expect(screen.getByRole('combobox', { name: 'Status' })).toHaveValue('false');
  });

  it('sends the filters in the address as the API query', async () => {
    storeSession(support);
    const { fetch, calls } = server();
    renderApp(
      '/failedingests?queue=s3files,sessclip&reason=too_large,object_missing&resolved=true&since=2025-06-01T00:00:00.000Z&until=2025-06-02T00:00:00.000Z&offset=10',
      fetch,
    );
    await screen.findByRole('table', { name: 'Resolved failed ingests' });
    expect(queryOf(listCalls(calls)[0])).toEqual({
      queue: 's3files,sessclip',
      reason: 'too_large,object_missing',
      resolved: 'true',
      since: '2025-06-01T00:00:00.000Z',
      until: '2025-06-02T00:00:00.000Z',
      limit: '10',
      offset: '10',
    });
    expect(screen.getByRole('list', { name: 'Chosen queues' })).toHaveTextContent('s3files×sessclip×');
  });

  it('an empty resolved= lists resolved and unresolved failures', async () => {
    storeSession(support);
    const { fetch, calls } = server();
    renderApp('/failedingests?resolved=', fetch);
    await screen.findByRole('table', { name: 'All failed ingests' });
    expect(queryOf(listCalls(calls)[0])).toEqual({ limit: '10', offset: '0' });
    expect(screen.getByRole('combobox', { name: 'Status' })).toHaveValue('');
  });

  it('applies the form: status, queues and time range', async () => {
    storeSession(support);
    const user = userEvent.setup();
    const { fetch, calls } = server();
    renderApp('/failedingests', fetch);
    await screen.findByRole('table', { name: 'Unresolved failed ingests' });
    const form = screen.getByRole('form', { name: 'Filter failed ingests' });
    await user.selectOptions(within(form).getByRole('combobox', { name: 'Status' }), 'All');
    await user.click(within(form).getByRole('button', { name: /^Queues:/ }));
    await user.click(within(form).getByRole('checkbox', { name: 'sessclip' }));
    await user.click(within(form).getByRole('checkbox', { name: 's3files' }));
    await user.click(within(form).getByRole('button', { name: 'Done' }));
    await user.type(within(form).getByLabelText('Last seen since'), '2025-06-01T08:00');
    await user.click(within(form).getByRole('button', { name: 'Apply filters' }));

    await screen.findByRole('table', { name: 'All failed ingests' });
    const since = localInputToIso('2025-06-01T08:00');
    expect(Object.fromEntries(new URLSearchParams(currentLocation().split('?')[1]))).toEqual({
      queue: 'sessclip,s3files',
      resolved: '',
      since,
    });
    await waitFor(() => expect(queryOf(listCalls(calls).at(-1))).toEqual({ queue: 'sessclip,s3files', since, limit: '10', offset: '0' }));

    await user.click(screen.getByRole('button', { name: 'Clear filters' }));
    await screen.findByRole('table', { name: 'Unresolved failed ingests' });
    expect(currentLocation()).toBe('/failedingests');
  });

  it('is read-only for support', async () => {
    storeSession(support);
    const { fetch } = server();
    renderApp('/failedingests', fetch);
    await screen.findByRole('table', { name: 'Unresolved failed ingests' });
    expect(screen.queryByRole('checkbox', { name: /Select failure/ })).not.toBeInTheDocument();
    expect(screen.queryByRole('button', { name: /Redrive/ })).not.toBeInTheDocument();
    expect(screen.queryByRole('button', { name: /Resolve/ })).not.toBeInTheDocument();
  });

  it('redrives the selected failures and reports which could not be sent', async () => {
    storeSession(manager);
    const user = userEvent.setup();
    const { fetch, calls } = server();
    renderApp('/failedingests', fetch);
    await screen.findByRole('table', { name: 'Unresolved failed ingests' });
    const bulk = screen.getByRole('button', { name: 'Redrive selected (0)' });
    expect(bulk).toBeDisabled();
    await user.click(screen.getByRole('checkbox', { name: 'Select failure 3' }));
    await user.click(screen.getByRole('checkbox', { name: 'Select failure 1' }));
    await user.click(screen.getByRole('button', { name: 'Redrive selected (2)' }));

    expect(await screen.findByText('Sent to their queue again: 1.')).toBeInTheDocument();
    expect(posts(calls)).toEqual([['/api/v1/failedingests/redrive/', { ids: [1, 3] }]]);
    const problems = screen.getByText('Not sent again:').closest('[role="alert"]')!;
    expect(problems).toHaveTextContent('Failure 3: This failure has no stored message to send again.');
    expect(within(problems as HTMLElement).getByRole('link', { name: 'Failure 3' })).toHaveAttribute('href', '/failedingests/3');
    // The list is read again and the selection is cleared.
    await waitFor(() => expect(listCalls(calls)).toHaveLength(2));
    expect(screen.getByRole('button', { name: 'Redrive selected (0)' })).toBeDisabled();
  });

  it('selects every row of the page at once', async () => {
    storeSession(manager);
    const user = userEvent.setup();
    const { fetch } = server();
    renderApp('/failedingests', fetch);
    await screen.findByRole('table', { name: 'Unresolved failed ingests' });
    await user.click(screen.getByRole('checkbox', { name: 'Select all on this page' }));
    expect(screen.getByRole('button', { name: 'Redrive selected (3)' })).toBeEnabled();
    await user.click(screen.getByRole('checkbox', { name: 'Select all on this page' }));
    expect(screen.getByRole('button', { name: 'Redrive selected (0)' })).toBeDisabled();
  });

  it('redrives and resolves one failure from its row', async () => {
    storeSession(manager);
    const user = userEvent.setup();
    const { fetch, calls } = server();
    renderApp('/failedingests', fetch);
    await screen.findByRole('table', { name: 'Unresolved failed ingests' });
    await user.click(screen.getByRole('button', { name: 'Redrive failure 5' }));
    expect(await screen.findByText('Failure 5: message sent to its queue again.')).toBeInTheDocument();
    await user.click(screen.getByRole('button', { name: 'Resolve failure 5' }));
    expect(await screen.findByText('Failure 5 marked as resolved.')).toBeInTheDocument();
    expect(posts(calls)).toEqual([
      ['/api/v1/failedingests/5/redrive/', undefined],
      ['/api/v1/failedingests/5/resolve/', undefined],
    ]);
    await waitFor(() => expect(listCalls(calls)).toHaveLength(3));
  });

  it('shows a refused redrive where it happened and keeps the session', async () => {
    storeSession(manager);
    const user = userEvent.setup();
    const { fetch } = server({ actionStatus: 403 });
    renderApp('/failedingests', fetch);
    await screen.findByRole('table', { name: 'Unresolved failed ingests' });
    await user.click(screen.getByRole('button', { name: 'Redrive failure 5' }));
    const alert = await screen.findByRole('alert');
    expect(alert).toHaveTextContent('Not allowed');
    expect(alert).toHaveTextContent('Permission denied for user.');
    expect(localStorage.getItem(SESSION_KEY)).not.toBeNull();
    expect(screen.getByRole('table', { name: 'Unresolved failed ingests' })).toBeInTheDocument();
  });

  it('shows a 403 on the list without ending the session', async () => {
    storeSession(makeUser({ profile: { id: 1, slack_id: null, role: 'jenkins', user: 1 } }));
    const { fetch } = server({ listStatus: 403 });
    renderApp('/failedingests', fetch);
    const alert = await screen.findByRole('alert');
    expect(alert).toHaveTextContent('Not allowed');
    expect(alert).toHaveTextContent('Permission denied for user.');
    expect(currentLocation()).toBe('/failedingests');
    expect(localStorage.getItem(SESSION_KEY)).not.toBeNull();
  });

  it('shows one failure with its body excerpt and message, and resolves it', async () => {
    storeSession(manager);
    const user = userEvent.setup();
    const { fetch, calls } = server();
    renderApp('/failedingests/1', fetch);
    expect(await screen.findByRole('heading', { name: 'Failed ingest 1', level: 1 })).toBeInTheDocument();
    const summary = await screen.findByRole('region', { name: 'Summary' });
    expect(summary).toHaveTextContent('NoSuchKey: the object is gone');
    expect(summary).toHaveTextContent('a1b2c3d4-0000-4c2b-9a3d-0242ac120001');
    const excerpt = screen.getByRole('group', { name: 'The start of the message body, as received' });
    expect(excerpt).toHaveTextContent('logs/hv011_missing.zip');
    const message = screen.getByRole('region', { name: 'Message' });
    expect(message).toHaveTextContent('MessageId');
    expect(message).toHaveTextContent('Body, parsed');

    await user.click(screen.getByRole('button', { name: 'Resolve' }));
    expect(await screen.findByText('Failure 1 marked as resolved.')).toBeInTheDocument();
    expect(posts(calls)).toEqual([['/api/v1/failedingests/1/resolve/', undefined]]);
    await waitFor(() => expect(calls.filter((c) => c.url === '/api/v1/failedingests/1/')).toHaveLength(2));
  });
});

describe('failedIngestQuery', () => {
  it('defaults to the unresolved failures and keeps other parameters', () => {
    expect(failedIngestQuery(new URLSearchParams(''))).toEqual({ resolved: 'false' });
    expect(failedIngestQuery(new URLSearchParams('resolved=&queue=s3files&limit=5'))).toEqual({ queue: 's3files' });
    expect(failedIngestQuery(new URLSearchParams('resolved=true&offset=20'))).toEqual({ resolved: 'true' });
  });
});
