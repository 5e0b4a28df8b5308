import { act, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { isPending, resultBadge, runDuration, shortHash } from '../../api/migrations';
import type { MigrationLog, SchemaMigration } from '../../api/schemas';
import type { Call } from '../../test/helpers';
import { fail, jsonResponse, makeUser, mockFetch, ok, pageOf, renderApp, storeSession } from '../../test/helpers';
import { PENDING_POLL_MS } from './MigrationPages';

const HASH = '0123456789abcdef0123456789abcdef01234567';

function log(overrides: Partial<MigrationLog> = {}): MigrationLog {
  return {
    id: 2,
    created: '2026-12-05T20:00:00.000000Z',
    lastModified: '2026-12-05T20:00:03.000000Z',
    creator: 7,
    modifiedBy: null,
    result: 'success',
    startTime: '2026-12-05T20:00:01.000000Z',
    endTime: '2026-12-05T20:00:03.500000Z',
    output:
      'Last successful migration githash: INITIAL\nApplied:\n  2026-12-05-000017_migration_logs\n1 migration(s) applied.\n',
    githash: HASH,
    applied: ['2026-12-05-000017_migration_logs'],
    ...overrides,
  };
}

const failed = log({
  id: 1,
  result: 'failed',
  applied: [],
  output: 'Last successful migration githash: INITIAL\nMigration failed: relation "x" already exists\n',
});
const pending = log({ id: 3, result: 'pending', startTime: null, endTime: null, output: null, applied: [], githash: 'UNKNOWN' });

const schema: SchemaMigration[] = [
  { version: '20261125000001', name: '2026-11-25-000001_foundation', run_on: '2026-11-25T10:00:00.000000Z' },
  { version: '20261205000017', name: '2026-12-05-000017_migration_logs', run_on: null },
];

const manager = makeUser({ profile: { id: 1, slack_id: null, role: 'manager', user: 1 } });
const support = makeUser();

function server(options: { rows?: MigrationLog[]; detail?: () => MigrationLog; migrate?: number } = {}) {
  const rows = options.rows ?? [log(), failed];
  return mockFetch({
    'GET /api/v1/migrations/': (call) => {
      const result = new URL(call.url, 'http://localhost').searchParams.get('result');
      return jsonResponse(200, ok(pageOf(result ? rows.filter((r) => r.result === result) : rows), 'hdsmigrations retrieved successfully'));
    },
    'GET /api/v1/migrations/applied/': () => jsonResponse(200, ok(schema, 'Schema migrations')),
    'GET /api/v1/migrations/migrate/': () =>
      options.migrate === 403
        ? jsonResponse(403, fail({ exception: 'Permission denied for user.' }))
        : jsonResponse(202, ok({ id: 3 }, 'Migration queued.')),
    'GET /api/v1/migrations/2/': () => jsonResponse(200, ok(options.detail ? options.detail() : log())),
  });
}

const listCalls = (calls: Call[]) => calls.filter((c) => c.path === '/api/v1/migrations/');

afterEach(() => {
  vi.useRealTimers();
});

describe('migration helpers', () => {
  it('colours results, measures runs and shortens commit ids', () => {
    expect(resultBadge('success')).toBe('badge badge-ok');
    expect(resultBadge('failed')).toBe('badge badge-error');
    expect(resultBadge('pending')).toBe('badge badge-info');
    expect(isPending({ result: 'pending' })).toBe(true);
    expect(isPending({ result: 'failed' })).toBe(false);
    expect(runDuration('2026-01-01T00:00:00Z', '2026-01-01T00:00:02.5Z')).toBe('2.5 s');
    expect(runDuration('2026-01-01T00:00:00Z', '2026-01-01T00:00:42Z')).toBe('42 s');
    expect(runDuration('2026-01-01T00:00:00Z', '2026-01-01T00:03:04Z')).toBe('3 min 4 s');
    expect(runDuration('2026-01-01T00:00:00Z', null)).toBeNull();
    expect(runDuration('2026-01-01T00:00:05Z', '2026-01-01T00:00:00Z')).toBeNull();
    expect(shortHash(HASH)).toBe('0123456789');
    expect(shortHash('UNKNOWN')).toBe('UNKNOWN');
  });
});

describe('migrations pages', () => {
  it('lists the runs with their results and the schema migrations, read-only for support', async () => {
    storeSession(support);
    const { fetch, calls } = server();
    renderApp('/migrations', fetch);
    const table = await screen.findByRole('table', { name: 'Migration runs' });
    const [, first, second] = within(table).getAllByRole('row');
    expect(within(first!).getByRole('link', { name: '2' })).toHaveAttribute('href', '/migrations/2');
    expect(within(first!).getByText('success')).toHaveClass('badge-ok');
    expect(first).toHaveTextContent('2.5 s');
    expect(within(first!).getByText('0123456789')).toHaveAttribute('title', HASH);
    expect(within(second!).getByText('failed')).toHaveClass('badge-error');
    expect(second).toHaveClass('row-error');
    expect(listCalls(calls).map((c) => c.url)).toEqual(['/api/v1/migrations/?limit=10&offset=0']);
    expect(screen.queryByRole('button', { name: 'Queue migrations' })).not.toBeInTheDocument();

    const applied = await screen.findByRole('table', { name: 'Schema migrations' });
    expect(within(applied).getAllByRole('row')[2]).toHaveTextContent('2026-12-05-000017_migration_logs');
    expect(within(applied).getAllByRole('row')[2]).toHaveTextContent('pending');
    expect(screen.getByText('1 of 2 not applied yet.')).toBeInTheDocument();
  });

  it('filters by result through the address', async () => {
    storeSession(support);
    const user = userEvent.setup();
    const { fetch, calls } = server();
    renderApp('/migrations', fetch);
    await screen.findByRole('table', { name: 'Migration runs' });
    await user.selectOptions(screen.getByRole('combobox', { name: 'Result' }), 'failed');
    await waitFor(() => expect(listCalls(calls).at(-1)?.url).toBe('/api/v1/migrations/?result=failed&limit=10&offset=0'));
    const table = await screen.findByRole('table', { name: 'Migration runs' });
    await waitFor(() => expect(within(table).getAllByRole('row')).toHaveLength(2));
    expect(within(table).getByRole('link', { name: '1' })).toBeInTheDocument();
  });

  it('lets a manager queue a run after confirming, and links to its log', async () => {
    storeSession(manager);
    const user = userEvent.setup();
    const { fetch, calls } = server();
    renderApp('/migrations', fetch);
    await screen.findByRole('table', { name: 'Migration runs' });
    await user.click(screen.getByRole('button', { name: 'Queue migrations' }));
    const dialog = screen.getByRole('dialog', { name: 'Run the schema migrations?' });
    expect(calls.filter((c) => c.path === '/api/v1/migrations/migrate/')).toHaveLength(0);
    await user.click(within(dialog).getByRole('button', { name: 'Queue migrations' }));
    const notice = await screen.findByRole('status');
    expect(notice).toHaveTextContent('Migration queued: run 3.');
    expect(within(notice).getByRole('link', { name: 'run 3' })).toHaveAttribute('href', '/migrations/3');
    expect(calls.filter((c) => c.path === '/api/v1/migrations/migrate/').map((c) => c.method)).toEqual(['GET']);
    await waitFor(() => expect(listCalls(calls)).toHaveLength(2));
  });

  it('shows a refusal in the dialog', async () => {
    storeSession(manager);
    const user = userEvent.setup();
    const { fetch } = server({ migrate: 403 });
    renderApp('/migrations', fetch);
    await screen.findByRole('table', { name: 'Migration runs' });
    await user.click(screen.getByRole('button', { name: 'Queue migrations' }));
    const dialog = screen.getByRole('dialog');
    await user.click(within(dialog).getByRole('button', { name: 'Queue migrations' }));
    const alert = await within(dialog).findByRole('alert');
    expect(alert).toHaveTextContent('Not allowed');
    expect(alert).toHaveTextContent('Permission denied for user.');
  });

  it('follows a pending run until the worker has recorded it', async () => {
    vi.useFakeTimers({ shouldAdvanceTime: true });
    storeSession(support);
    let answers = 0;
    const { fetch, calls } = server({
      rows: [pending],
      detail: () => (++answers < 2 ? { ...pending, id: 2 } : log()),
    });
    renderApp('/migrations/2', fetch);
    expect(await screen.findByRole('heading', { name: 'Migration run 2', level: 1 })).toBeInTheDocument();
    expect(await screen.findByText('No output yet.')).toBeInTheDocument();
    await act(async () => {
      await vi.advanceTimersByTimeAsync(PENDING_POLL_MS + 10);
    });
    const output = await screen.findByRole('group', { name: 'Output of the run' });
    expect(output).toHaveTextContent('Last successful migration githash: INITIAL');
    expect(screen.getByRole('list', { name: 'Migrations applied' })).toHaveTextContent('2026-12-05-000017_migration_logs');
    const reads = () => calls.filter((c) => c.path === '/api/v1/migrations/2/').length;
    expect(reads()).toBe(2);
    await act(async () => {
      await vi.advanceTimersByTimeAsync(PENDING_POLL_MS * 3);
    });
    expect(reads()).toBe(2);
  });

  it('shows a failed run with its error', async () => {
    storeSession(support);
    const { fetch } = server({ detail: () => ({ ...failed, id: 2 }) });
    renderApp('/migrations/2', fetch);
    const summary = await screen.findByRole('region', { name: 'Summary' });
    expect(within(summary).getAllByText('failed')[0]).toHaveClass('badge-error');
    expect(summary).toHaveTextContent('nothing');
    expect(summary).toHaveTextContent(HASH);
    expect(screen.getByRole('group', { name: 'Output of the run' })).toHaveTextContent('relation "x" already exists');
  });

  it('is in the Admin menu of the navigation bar', async () => {
    storeSession(support);
    const user = userEvent.setup();
    const { fetch } = server();
    renderApp('/', fetch);
    const nav = await screen.findByRole('navigation', { name: 'Main' });
    const toggle = within(nav).getByRole('button', { name: /Admin/ });
    expect(toggle).toHaveAttribute('aria-expanded', 'false');
    await user.click(toggle);
    const menu = within(nav).getByRole('list', { name: 'Admin' });
    await user.click(within(menu).getByRole('link', { name: 'Migrations' }));
    expect(await screen.findByRole('heading', { name: 'Migrations', level: 1 })).toBeInTheDocument();
    expect(within(nav).queryByRole('list', { name: 'Admin' })).not.toBeInTheDocument();
    expect(within(nav).getByRole('button', { name: /Admin/ })).toHaveClass('active');
  });
});
