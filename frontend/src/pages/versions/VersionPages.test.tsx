import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { harvester, location, versionReport } from '../../test/fixtures';
import { currentLocation, jsonResponse, mockFetch, ok, pageOf, renderApp, storeSession } from '../../test/helpers';

const lookups = {
  'GET /api/v1/harvesters/': () => jsonResponse(200, ok(pageOf([harvester]))),
  'GET /api/v1/locations/': () => jsonResponse(200, ok(pageOf([location]))),
};

const conflicting = versionReport({
  id: 22,
  is_dirty: false,
  conflicts: { 'aft-robot02': { version: '1.1', dirty: {}, unexpected: {} } },
});

describe('version reports', () => {
  it('lists version reports with the address filters, dirty and conflicting ones highlighted', async () => {
    storeSession();
    const { fetch, calls } = mockFetch({
      ...lookups,
      'GET /api/v1/harvversion/': () => jsonResponse(200, ok(pageOf([versionReport(), conflicting, versionReport({ id: 23, is_dirty: false })]))),
    });
    renderApp('/harvversion?harv_ids=11&tz=UTC', fetch);
    const table = await screen.findByRole('table', { name: 'Version reports' });
    expect(calls.find((c) => c.path === '/api/v1/harvversion/')!.url).toBe('/api/v1/harvversion/?harv_ids=11&tz=UTC&limit=10&offset=0');
    expect(within(table).getAllByRole('columnheader').map((c) => c.textContent)).toEqual([
      'ID',
      'Report time',
      'Harvester',
      'Location',
      'Version',
      'Dirty',
      'Release',
      'Last confirmed',
      'Tags',
    ]);
    const [dirty, conflict, clean] = within(table).getAllByRole('row').slice(1);
    expect(within(dirty!).getByRole('link', { name: '21' })).toHaveAttribute('href', '/harvversion/21?tz=UTC');
    expect(dirty).toHaveTextContent('2022-05-02 21:27:42.789');
    expect(dirty).toHaveClass('row-warn');
    expect(dirty).toHaveTextContent('dirty');
    expect(dirty).toHaveTextContent('No release');
    expect(within(dirty!).getByText('1.1')).toBeInTheDocument();
    await waitFor(() => expect(within(dirty!).getByRole('link', { name: '11' })).toHaveAttribute('href', '/harvesters/7'));
    expect(conflict).toHaveClass('row-error');
    expect(conflict).toHaveTextContent('1 conflicting host');
    expect(clean).not.toHaveClass('row-warn');
    expect(clean).toHaveTextContent('clean');
    // The applied filter is named while the panel is folded, and the form shows it.
    expect(screen.getByRole('form', { name: 'Version reports filters' })).toBeInTheDocument();
  });

  it('applies a report-time range from the form', async () => {
    storeSession();
    const user = userEvent.setup();
    const { fetch, calls } = mockFetch({ ...lookups, 'GET /api/v1/harvversion/': () => jsonResponse(200, ok(pageOf([]))) });
    renderApp('/harvversion', fetch);
    await screen.findByText('No version report matches.');
    await user.type(screen.getByLabelText('From'), '2025-01-02T03:04');
    await user.selectOptions(screen.getByLabelText('Time zone'), 'UTC');
    await user.click(screen.getByRole('button', { name: 'Apply filters' }));
    await waitFor(() => expect(currentLocation()).toBe('/harvversion?start_time=20250102T030400.000&tz=UTC'));
    await waitFor(() =>
      expect(calls.at(-1)!.url).toBe('/api/v1/harvversion/?start_time=20250102T030400.000&tz=UTC&limit=10&offset=0'),
    );
  });

  it('shows a report per host: errors and conflicts red, dirty hosts yellow', async () => {
    storeSession();
    const { fetch } = mockFetch({
      ...lookups,
      'GET /api/v1/harvversion/22/': () =>
        jsonResponse(200, ok({ ...conflicting, report: versionReport().report, is_dirty: true })),
    });
    renderApp('/harvversion/22', fetch);
    expect(await screen.findByRole('heading', { name: 'Version report 22', level: 1 })).toBeInTheDocument();
    const summary = await screen.findByRole('region', { name: 'Summary' });
    expect(within(summary).getByRole('link', { name: 'All its version reports' })).toHaveAttribute('href', '/harvesters/7/versions');
    expect(summary).toHaveTextContent('1 conflicting host');
    const hosts = screen.getByRole('table', { name: 'Hosts' });
    const rows = within(hosts).getAllByRole('row').slice(1);
    expect(rows.map((r) => within(r).getAllByRole('cell')[0]!.textContent)).toEqual(['master', 'aft-robot01', 'aft-robot02']);
    expect(rows[0]).toHaveClass('row-warn');
    expect(rows[0]).toHaveTextContent('dirty');
    expect(rows[0]).toHaveTextContent('a.py: M');
    expect(rows[1]).toHaveClass('row-error');
    expect(rows[1]).toHaveTextContent('Error running remote cmd: sudo: aft-release: command not found');
    expect(rows[2]).toHaveClass('row-error');
    expect(rows[2]).toHaveTextContent('conflict');
    expect(screen.getByRole('region', { name: 'Raw report' })).toBeInTheDocument();
  });

  it("lists one harvester's versions, newest first", async () => {
    storeSession();
    const { fetch, calls } = mockFetch({
      ...lookups,
      'GET /api/v1/harvesters/7/': () => jsonResponse(200, ok(harvester)),
      'GET /api/v1/harvesters/7/versions/': () => jsonResponse(200, ok(pageOf([versionReport({ id: 24 }), versionReport()], 12))),
    });
    renderApp('/harvesters/7/versions', fetch);
    expect(await screen.findByRole('heading', { name: 'Versions of harvester 11', level: 1 })).toBeInTheDocument();
    const table = await screen.findByRole('table', { name: 'Version reports' });
    expect(within(table).getAllByRole('row')).toHaveLength(3);
    expect(within(table).queryByRole('columnheader', { name: 'Harvester' })).not.toBeInTheDocument();
    expect(screen.getByText('Showing 1–10 of 12')).toBeInTheDocument();
    expect(calls.map((c) => c.url)).toContain('/api/v1/harvesters/7/versions/?limit=10&offset=0');
    expect(screen.getByRole('link', { name: 'Harvester 11' })).toHaveAttribute('href', '/harvesters/7');
  });
});
