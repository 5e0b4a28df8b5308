import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import type { S3File } from '../../api/schemas';
import { formatBytes } from '../../api/s3files';
import { SESSION_KEY } from '../../auth/tokens';
import { isoToLocalInput, localInputToIso } from '../../lib/time';
import type { Call } from '../../test/helpers';
import { currentLocation, fail, jsonResponse, makeUser, mockFetch, ok, pageOf, renderApp, storeSession } from '../../test/helpers';

const event = {
  created: '2025-06-02T17:00:00.000000Z',
  lastModified: '2025-06-02T17:00:00.000000Z',
  secondary_events: [],
  id: 5,
  UUID: '6c1d9e0a-1111-11ee-be56-0242ac120002',
  tags: ['S3File', 'logs'],
  related_objects: [{ url: '/errorreports/3/', object: 'Error Report' }],
  related_files: [{ url: 'https://bucket.example/logs/hv011.zip?X-Amz-Signature=abc', filetype: 'logs' }],
};

const live: S3File = {
  id: 7,
  created: '2025-06-02T17:00:00.000000Z',
  lastModified: '2025-06-02T17:00:00.000000Z',
  creator: 1,
  modifiedBy: null,
  file: 'https://bucket.example/logs/hv011_6c1d9e0a.zip?X-Amz-Signature=abc',
  filetype: 'logs',
  key: 'logs/hv011_6c1d9e0a.zip',
  bucket: 'aft-logs',
  etag: '"d41d8cd98f00b204e9800998ecf8427e"',
  size: 1_572_864,
  deleted: false,
  event,
};

const gone: S3File = { ...live, id: 8, key: 'sessclip/hv011_old.mp4', filetype: 'sessclip', file: null, deleted: true, size: 512 };

const developer = makeUser({ profile: { id: 1, slack_id: null, role: 'developer', user: 1 } });
const support = makeUser();

function server(options: { listStatus?: number; deleteStatus?: number } = {}) {
  let rows = [live, gone];
  const { fetch, calls } = mockFetch({
    'GET /api/v1/s3files/': () =>
      options.listStatus === 403
        ? jsonResponse(403, fail({ exception: 'Permission denied for user.' }))
        : jsonResponse(200, ok(pageOf(rows))),
    'GET /api/v1/s3files/7/': () => jsonResponse(200, ok(live)),
    'GET /api/v1/events/tags/': () => jsonResponse(200, ok({ tags: ['S3File', 'logs', 'sessclip'] })),
    'DELETE /api/v1/s3files/7/': () => {
      if (options.deleteStatus === 403) return jsonResponse(403, fail({ exception: 'You do not have permission to perform this action.' }));
      rows = rows.filter((r) => r.id !== 7);
      return jsonResponse(200, ok('s3file deleted', 's3file deleted successfully'));
    },
  });
  return { fetch, calls };
}

const listCalls = (calls: Call[]) => calls.filter((c) => c.method === 'GET' && c.path === '/api/v1/s3files/');
const queryOf = (call: Call | undefined) => Object.fromEntries(new URL(call!.url, 'http://localhost').searchParams);

describe('S3 files page', () => {
  it('lists the files with key, type, event, size and a download link only when there is one', async () => {
    storeSession(support);
    const { fetch, calls } = server();
    renderApp('/s3files', fetch);
    const table = await screen.findByRole('table', { name: 'S3 files' });
    expect(listCalls(calls).map((c) => c.url)).toEqual(['/api/v1/s3files/?limit=10&offset=0']);
    const [, first, second] = within(table).getAllByRole('row');
    expect(within(first!).getByRole('link', { name: '7' })).toHaveAttribute('href', '/s3files/7');
    expect(first).toHaveTextContent('logs/hv011_6c1d9e0a.zip');
    expect(first).toHaveTextContent(formatBytes(live.size));
    expect(within(first!).getByRole('link', { name: event.UUID })).toHaveAttribute('href', '/events/5');
    const download = within(first!).getByRole('link', { name: /Download/ });
    expect(download).toHaveAttribute('href', live.file);
    expect(download).toHaveAttribute('target', '_blank');
    expect(download.getAttribute('rel')).toContain('noopener');
    // The deleted file has no link.
    expect(within(second!).queryByRole('link', { name: /Download/ })).not.toBeInTheDocument();
    expect(second).toHaveTextContent('deleted');
    // Support may not delete.
    expect(screen.queryByRole('button', { name: /Delete S3 file/ })).not.toBeInTheDocument();
  });

  it('sends the filters in the address as the API query', async () => {
    storeSession(support);
    const { fetch, calls } = server();
    renderApp(
      '/s3files?key=hv011&filetype=log&tags=S3File,logs&uuid=a-1,b-2&deleted=true&created_after=2025-06-01T07:00:00.000Z&created_before=2025-06-03T07:00:00.000Z&limit=25',
      fetch,
    );
    await screen.findByRole('table', { name: 'Deleted S3 files' });
    expect(queryOf(listCalls(calls)[0])).toEqual({
      key: 'hv011',
      filetype: 'log',
      tags: 'S3File,logs',
      uuid: 'a-1,b-2',
      deleted: 'true',
      created_after: '2025-06-01T07:00:00.000Z',
      created_before: '2025-06-03T07:00:00.000Z',
      limit: '25',
      offset: '0',
    });
    // The form shows them.
    const form = screen.getByRole('form', { name: 'Filter S3 files' });
    expect(within(form).getByLabelText('Key contains')).toHaveValue('hv011');
    expect(within(form).getByLabelText('Event UUIDs')).toHaveValue('a-1, b-2');
    expect(within(form).getByLabelText('Show deleted')).toBeChecked();
    expect(within(form).getByLabelText('Created after')).toHaveValue(isoToLocalInput('2025-06-01T07:00:00.000Z'));
    expect(screen.getByRole('group', { name: 'Active filters' })).toHaveTextContent('tags=S3File,logs');
  });

  it('applies the form to the address and the request, and clears a filter from its chip', async () => {
    storeSession(support);
    const user = userEvent.setup();
    const { fetch, calls } = server();
    renderApp('/s3files', fetch);
    await screen.findByRole('table', { name: 'S3 files' });
    const form = screen.getByRole('form', { name: 'Filter S3 files' });
    await user.type(within(form).getByLabelText('Key contains'), 'hv011');
    await user.type(within(form).getByLabelText('File type contains'), 'logs');
    await user.type(within(form).getByLabelText('Event UUIDs'), 'u-1 u-2');
    await user.click(within(form).getByLabelText('Show deleted'));
    await user.type(within(form).getByLabelText('Created after'), '2025-06-01T10:30');
    await user.click(within(form).getByRole('button', { name: 'Apply filters' }));

    const after = localInputToIso('2025-06-01T10:30');
    await screen.findByRole('table', { name: 'Deleted S3 files' });
    const expected = { key: 'hv011', filetype: 'logs', uuid: 'u-1,u-2', deleted: 'true', created_after: after };
    expect(Object.fromEntries(new URLSearchParams(currentLocation().split('?')[1]))).toEqual(expected);
    await waitFor(() => expect(queryOf(listCalls(calls).at(-1))).toEqual({ ...expected, limit: '10', offset: '0' }));

    await user.click(screen.getByRole('button', { name: 'Remove filter deleted' }));
    await screen.findByRole('table', { name: 'S3 files' });
    expect(currentLocation()).not.toContain('deleted');
    await waitFor(() => expect(queryOf(listCalls(calls).at(-1))).not.toHaveProperty('deleted'));
  });

  it('deletes a file after confirmation, for a developer', async () => {
    storeSession(developer);
    const user = userEvent.setup();
    const { fetch, calls } = server();
    renderApp('/s3files', fetch);
    await screen.findByRole('table', { name: 'S3 files' });
    // A deleted file cannot be deleted again.
    expect(screen.getAllByRole('button', { name: /Delete S3 file/ })).toHaveLength(1);
    await user.click(screen.getByRole('button', { name: 'Delete S3 file 7' }));
    const dialog = screen.getByRole('dialog', { name: 'Delete S3 file 7?' });
    expect(dialog).toHaveTextContent('logs/hv011_6c1d9e0a.zip');
    expect(calls.some((c) => c.method === 'DELETE')).toBe(false);

    await user.click(within(dialog).getByRole('button', { name: 'Cancel' }));
    expect(screen.queryByRole('dialog')).not.toBeInTheDocument();
    expect(calls.some((c) => c.method === 'DELETE')).toBe(false);

    await user.click(screen.getByRole('button', { name: 'Delete S3 file 7' }));
    await user.click(within(screen.getByRole('dialog')).getByRole('button', { name: 'Delete file' }));
    expect(await screen.findByText('S3 file 7 deleted.')).toBeInTheDocument();
    expect(calls.filter((c) => c.method === 'DELETE').map((c) => c.url)).toEqual(['/api/v1/s3files/7/']);
    await waitFor(() => expect(screen.queryByRole('link', { name: '7' })).not.toBeInTheDocument());
    expect(listCalls(calls)).toHaveLength(2);
  });

  it('shows a 403 on delete in the dialog and keeps the session', async () => {
    storeSession(developer);
    const user = userEvent.setup();
    const { fetch } = server({ deleteStatus: 403 });
    renderApp('/s3files', fetch);
    await screen.findByRole('table', { name: 'S3 files' });
    await user.click(screen.getByRole('button', { name: 'Delete S3 file 7' }));
    const dialog = screen.getByRole('dialog');
    await user.click(within(dialog).getByRole('button', { name: 'Delete file' }));
    const alert = await within(dialog).findByRole('alert');
    expect(alert).toHaveTextContent('Not allowed');
    expect(alert).toHaveTextContent('You do not have permission to perform this action.');
    expect(localStorage.getItem(SESSION_KEY)).not.toBeNull();
  });

  it('shows a 403 on the list without ending the session', async () => {
    storeSession(makeUser({ profile: { id: 1, slack_id: null, role: 'sqs', user: 1 } }));
    const { fetch } = server({ listStatus: 403 });
    renderApp('/s3files', fetch);
    const alert = await screen.findByRole('alert');
    expect(alert).toHaveTextContent('Not allowed');
    expect(alert).toHaveTextContent('Permission denied for user.');
    expect(currentLocation()).toBe('/s3files');
    expect(localStorage.getItem(SESSION_KEY)).not.toBeNull();
  });

  it('shows one file with its event, download link and delete', async () => {
    storeSession(developer);
    const user = userEvent.setup();
    const { fetch, calls } = server();
    renderApp('/s3files/7', fetch);
    expect(await screen.findByRole('heading', { name: 'S3 file 7', level: 1 })).toBeInTheDocument();
    const summary = await screen.findByRole('region', { name: 'Summary' });
    expect(summary).toHaveTextContent('aft-logs');
    expect(summary).toHaveTextContent('1.5 MB');
    expect(summary).toHaveTextContent('d41d8cd98f00b204e9800998ecf8427e');
    // In the header and in the summary; the event's own files have links of their own.
    const links = screen.getAllByRole('link', { name: `Download ${live.key}` });
    expect(links).toHaveLength(2);
    expect(links.every((a) => a.getAttribute('href') === live.file)).toBe(true);
    const eventCard = screen.getByRole('region', { name: 'Event' });
    expect(within(eventCard).getByRole('link', { name: event.UUID })).toHaveAttribute('href', '/events/5');
    expect(within(eventCard).getByRole('link', { name: 'Error Report 3' })).toHaveAttribute('href', '/errorreports/3/');

    await user.click(screen.getByRole('button', { name: 'Delete' }));
    await user.click(within(screen.getByRole('dialog')).getByRole('button', { name: 'Delete file' }));
    expect(await screen.findByText('S3 file 7 deleted.')).toBeInTheDocument();
    expect(currentLocation()).toBe('/s3files');
    expect(calls.filter((c) => c.method === 'DELETE')).toHaveLength(1);
  });

  it('has no download link for a deleted file', async () => {
    storeSession(developer);
    const { fetch } = mockFetch({ 'GET /api/v1/s3files/8/': () => jsonResponse(200, ok(gone)) });
    renderApp('/s3files/8', fetch);
    const summary = await screen.findByRole('region', { name: 'Summary' });
    expect(screen.queryByRole('link', { name: `Download ${gone.key}` })).not.toBeInTheDocument();
    expect(summary).toHaveTextContent('Downloaddeleted');
    expect(screen.queryByRole('button', { name: 'Delete' })).not.toBeInTheDocument();
  });
});

describe('formatBytes', () => {
  it('uses binary units', () => {
    expect(formatBytes(null)).toBe('—');
    expect(formatBytes(512)).toBe('512 B');
    expect(formatBytes(1536)).toBe('1.5 kB');
    expect(formatBytes(250 * 1024 * 1024)).toBe('250 MB');
  });
});

describe('local date-time inputs', () => {
  it('round-trips a datetime-local value through an RFC 3339 instant', () => {
    const iso = localInputToIso('2025-06-01T10:30');
    expect(iso).toMatch(/^2025-0[56]-\d{2}T\d{2}:\d{2}:00\.000Z$/);
    expect(isoToLocalInput(iso)).toBe('2025-06-01T10:30');
    expect(localInputToIso('not a time')).toBe('');
    expect(isoToLocalInput('garbage')).toBe('');
  });
});
