import { screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { asset, assetReport, configBody, configReport, gripReport, harvester, jobResults, location, versionReport } from '../../test/fixtures';
import { jsonResponse, makeUser, mockFetch, ok, pageOf, renderApp, storeSession } from '../../test/helpers';

const lookups = {
  'GET /api/v1/harvesters/': () => jsonResponse(200, ok(pageOf([harvester]))),
  'GET /api/v1/locations/': () => jsonResponse(200, ok(pageOf([location]))),
};

describe('config reports', () => {
  it('lists config reports five at a time (each is about a megabyte)', async () => {
    storeSession();
    const { fetch, calls } = mockFetch({ ...lookups, 'GET /api/v1/aftconfigs/': () => jsonResponse(200, ok(pageOf([configReport()], 7))) });
    renderApp('/aftconfigs?harvester__harv_id=11', fetch);
    const table = await screen.findByRole('table', { name: 'Config reports' });
    expect(calls.find((c) => c.path === '/api/v1/aftconfigs/')!.url).toBe('/api/v1/aftconfigs/?harvester__harv_id=11&limit=5&offset=0');
    const row = within(table).getAllByRole('row')[1]!;
    expect(within(row).getByRole('link', { name: '51' })).toHaveAttribute('href', '/aftconfigs/51');
    expect(within(row).getByText('2', { selector: 'td' })).toHaveAttribute('data-label', 'Robot indexes');
    await waitFor(() => expect(within(row).getByRole('link', { name: '11' })).toHaveAttribute('href', '/harvesters/7'));
    expect(screen.getByText('Showing 1–5 of 7')).toBeInTheDocument();
  });

  it('shows a config report per robot index', async () => {
    storeSession();
    const { fetch } = mockFetch({ ...lookups, 'GET /api/v1/aftconfigs/51/': () => jsonResponse(200, ok(configReport())) });
    renderApp('/aftconfigs/51', fetch);
    const config = await screen.findByRole('region', { name: 'Configuration' });
    expect(within(config).getAllByRole('tab').map((t) => t.textContent)).toEqual([
      'Robot index 0',
      'Robot index 1',
      'Default configuration',
      'Applied overlay diff',
    ]);
    expect(within(config).getByText('general')).toBeInTheDocument();
    expect(screen.getByRole('link', { name: 'Compare with its other config reports' })).toHaveAttribute('href', '/harvesters/7?tab=config');
  });

  it('compares two config reports on a page of its own', async () => {
    storeSession();
    const { fetch } = mockFetch({
      'GET /api/v1/aftconfigs/50/': () => jsonResponse(200, ok(configReport({ id: 50, report: configBody(0.7, { extra: 1 }) }))),
      'GET /api/v1/aftconfigs/51/': () => jsonResponse(200, ok(configReport())),
    });
    renderApp('/aftconfigs/compare?from=50&to=51', fetch);
    const diff = await screen.findByRole('table', { name: 'Configuration differences' });
    const rows = within(diff).getAllByRole('row').slice(1);
    expect(rows.map((r) => within(r).getAllByRole('cell').slice(0, 3).map((c) => c.textContent))).toEqual([
      ['0', 'conf_default.general.min_ripeness', 'changed'],
      ['0', 'conf_default.general.extra', 'removed'],
      ['0', 'overlay_diff.values_changed["root[\'general\'][\'min_ripeness\']"].new_value', 'changed'],
    ]);
    expect(screen.getByText('3')).toBeInTheDocument();
    expect(screen.getByRole('link', { name: 'Config report 50' })).toHaveAttribute('href', '/aftconfigs/50');
  });
});

describe('grip reports', () => {
  it('lists grip reports and shows the attempts of one', async () => {
    storeSession();
    const { fetch, calls } = mockFetch({
      ...lookups,
      'GET /api/v1/gripreports/': () => jsonResponse(200, ok(pageOf([gripReport()]))),
      'GET /api/v1/gripreports/41/': () => jsonResponse(200, ok(gripReport())),
    });
    const { unmount } = renderApp('/gripreports?location__ranch=Ranch%20A', fetch);
    const table = await screen.findByRole('table', { name: 'Grip reports' });
    expect(calls.find((c) => c.path === '/api/v1/gripreports/')!.url).toBe('/api/v1/gripreports/?location__ranch=Ranch+A&limit=10&offset=0');
    const row = within(table).getAllByRole('row')[1]!;
    expect(row).toHaveTextContent('2 (1 picked, 1 failed)');
    expect(within(row).getByRole('link', { name: '00:38:40.870794' })).toHaveAttribute('href', '/picksessions/9');
    unmount();

    renderApp('/gripreports/41?tz=UTC', fetch);
    const attempts = await screen.findByRole('table', { name: 'Grip attempts' });
    const [ok1, failed] = within(attempts).getAllByRole('row').slice(1);
    expect(ok1).toHaveTextContent('2023-04-05 20:50:24.323');
    expect(ok1).toHaveTextContent('ACQUIRE_CHILD: ACQUIRE_IMPROVE_REACH');
    expect(failed).toHaveClass('row-error');
    expect(screen.getByRole('region', { name: 'Summary' })).toHaveTextContent('00:38:40.870794');
  });
});

describe('job results', () => {
  it('lists job results with each host’s result, and the event’s job-status link leads to them', async () => {
    storeSession();
    const { fetch } = mockFetch({
      ...lookups,
      'GET /api/v1/jobresults/': () => jsonResponse(200, ok(pageOf([jobResults()]))),
      'GET /api/v1/jobresults/61/': () => jsonResponse(200, ok(jobResults({ host_results: [] }))),
    });
    const { unmount } = renderApp('/jobresults', fetch);
    const table = await screen.findByRole('table', { name: 'Job results' });
    const row = within(table).getAllByRole('row')[1]!;
    expect(row).toHaveClass('row-error');
    expect(row).toHaveTextContent('aft-robot01 Error master Success');
    unmount();

    renderApp('/jobresults/61', fetch);
    expect(await screen.findByRole('heading', { name: 'Job results 61', level: 1 })).toBeInTheDocument();
    // The event's related object is /jobstatus/<job results id>/ (the original's link): it leads here.
    expect(await screen.findByRole('link', { name: 'Job results 61' })).toHaveAttribute('href', '/jobresults/61');
    const hosts = await screen.findByRole('table', { name: 'Host results' });
    expect(screen.getByText(/Not extracted yet/)).toBeInTheDocument();
    expect(within(hosts).getAllByRole('row')[1]).toHaveTextContent('aft-robot01Error');
    expect(screen.getByRole('group', { name: 'Traceback' })).toHaveTextContent('Traceback: boom');
    expect(screen.getByRole('group', { name: 'Output' })).toHaveTextContent('done');
  });
});

describe('assets', () => {
  it('lists an asset report’s entries with links to the assets', async () => {
    storeSession();
    const { fetch } = mockFetch({ ...lookups, 'GET /api/v1/harvassetreport/71/': () => jsonResponse(200, ok(assetReport())) });
    renderApp('/harvassetreport/71', fetch);
    const entries = await screen.findByRole('table', { name: 'Assets reported' });
    const rows = within(entries).getAllByRole('row').slice(1);
    expect(within(rows[0]!).getByRole('link', { name: 'SA-040' })).toHaveAttribute('href', '/harvassets?asset__name=arm&serial_number=SA-040');
    expect(rows[1]).toHaveTextContent('none: skipped');
    expect(screen.getByRole('link', { name: 'Its assets now' })).toHaveAttribute('href', '/harvesters/7?tab=assets');
  });

  it('lists assets and shows the history of one', async () => {
    storeSession(makeUser({ id: 2, username: 'bob' }));
    const { fetch, calls } = mockFetch({
      ...lookups,
      'GET /api/v1/harvassets/': () => jsonResponse(200, ok(pageOf([asset(), asset({ id: 14, harvester: null, serial_number: '7' })]))),
      'GET /api/v1/harvassets/12/': () => jsonResponse(200, ok(asset())),
      'GET /api/v1/harvassets/12/history/': () =>
        jsonResponse(
          200,
          ok(
            pageOf([
              { history_id: 3, id: 12, history_type: '~', history_date: '2025-01-02T00:00:00Z', harvester: 7, harv_id: 11, index: 2, version: 'B02', serial_number: '1298', history_user: 2 },
              { history_id: 1, id: 12, history_type: '+', history_date: '2025-01-01T00:00:00Z', harvester: null, harv_id: null, index: 1, version: null, serial_number: '1298', history_user: null },
            ]),
          ),
        ),
      'GET /api/v1/users/profiles/': () => jsonResponse(200, ok(pageOf([makeUser({ id: 2, username: 'bob' })]))),
    });
    const { unmount } = renderApp('/harvassets?asset__name=gripper', fetch);
    const table = await screen.findByRole('table', { name: 'Assets' });
    expect(calls.find((c) => c.path === '/api/v1/harvassets/')!.url).toBe('/api/v1/harvassets/?asset__name=gripper&limit=10&offset=0');
    const [on, off] = within(table).getAllByRole('row').slice(1);
    await waitFor(() => expect(within(on!).getByRole('link', { name: '11' })).toHaveAttribute('href', '/harvesters/7'));
    expect(off).toHaveTextContent('on no harvester');
    expect(within(on!).getByRole('link', { name: 'History of gripper 1298' })).toHaveAttribute('href', '/harvassets/12/history');
    unmount();

    renderApp('/harvassets/12/history', fetch);
    expect(await screen.findByRole('heading', { name: 'gripper 1298', level: 1 })).toBeInTheDocument();
    const history = await screen.findByRole('table', { name: 'Asset history' });
    const rows = within(history).getAllByRole('row').slice(1);
    expect(rows[0]).toHaveTextContent('changed');
    expect(within(rows[0]!).getByRole('link', { name: '11' })).toHaveAttribute('href', '/harvesters/7');
    await waitFor(() => expect(rows[0]).toHaveTextContent('bob'));
    expect(rows[1]).toHaveTextContent('created');
    expect(rows[1]).toHaveTextContent('none');
    expect(calls.map((c) => c.url)).toContain('/api/v1/harvassets/12/history/?limit=10&offset=0');
  });
});

describe('home', () => {
  it('offers the new lists as menu cards and shows each harvester’s version, release and dirty flag', async () => {
    storeSession();
    const { fetch } = mockFetch({
      'GET /api/v1/harvesters/': () =>
        jsonResponse(
          200,
          ok(pageOf([{ ...harvester, version: versionReport(), release: { version: '2.3.0', tags: [] } }, { ...harvester, id: 8, harv_id: 12, version: versionReport({ id: 30, is_dirty: false, has_unexpected: true }) }])),
        ),
    });
    renderApp('/', fetch);
    for (const [name, href] of [
      [/^Version reports/, '/harvversion'],
      [/^Autodiagnostics/, '/autodiagnostics'],
      [/^Grip reports/, '/gripreports'],
      [/^Config reports/, '/aftconfigs'],
      [/^Job results/, '/jobresults'],
      [/^Assets/, '/harvassets'],
      [/^Asset reports/, '/harvassetreport'],
    ] as const) {
      expect(screen.getByRole('link', { name: name })).toHaveAttribute('href', href);
    }
    // The navigation bar stays as it was.
    expect(within(screen.getByRole('navigation', { name: 'Main' })).queryByRole('link', { name: /Version reports/ })).not.toBeInTheDocument();

    const table = await screen.findByRole('table', { name: 'Harvesters' });
    const [first, second] = within(table).getAllByRole('row').slice(1);
    const cell = (row: HTMLElement, label: string) => within(row).getAllByRole('cell').find((c) => c.getAttribute('data-label') === label)!;
    expect(within(cell(first!, 'Version')).getByRole('link', { name: '1.1' })).toHaveAttribute('href', '/harvversion/21');
    expect(cell(first!, 'Release')).toHaveTextContent('2.3.0');
    expect(cell(first!, 'Dirty')).toHaveTextContent('dirty');
    expect(cell(second!, 'Release')).toHaveTextContent('—');
    expect(cell(second!, 'Dirty')).toHaveTextContent('unexpected files');
  });
});
