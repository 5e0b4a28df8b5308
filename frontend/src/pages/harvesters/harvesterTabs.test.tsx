import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { asset, configBody, configReport, harvester, location, versionReport } from '../../test/fixtures';
import { currentLocation, fail, jsonResponse, mockFetch, ok, pageOf, renderApp, storeSession } from '../../test/helpers';

const base = {
  'GET /api/v1/harvesters/7/': () => jsonResponse(200, ok({ ...harvester, version: versionReport() })),
  'GET /api/v1/harvesters/': () => jsonResponse(200, ok(pageOf([harvester]))),
  'GET /api/v1/locations/': () => jsonResponse(200, ok(pageOf([location]))),
  'GET /api/v1/errorreports/': () => jsonResponse(200, ok(pageOf([]))),
  'GET /api/v1/harvesterhistory/': () => jsonResponse(200, ok(pageOf([]))),
  'GET /api/v1/users/profiles/': () => jsonResponse(200, ok(pageOf([]))),
};

const older = configReport({ id: 50, reportTime: '2023-01-01T00:00:00Z', report: configBody(0.7) });
const newer = configReport();

describe('harvester tabs', () => {
  it('sums up the installed version and shows it per host in the Version tab', async () => {
    storeSession();
    const user = userEvent.setup();
    const { fetch } = mockFetch(base);
    renderApp('/harvesters/7', fetch);
    const release = await screen.findByRole('region', { name: 'Release' });
    expect(release).toHaveTextContent('1.1');
    expect(release).toHaveTextContent('dirty');
    expect(release).toHaveTextContent('No release');
    expect(screen.getByRole('tab', { name: 'Overview' })).toHaveAttribute('aria-selected', 'true');
    expect(await screen.findByRole('table', { name: 'Recent error reports' })).toBeInTheDocument();

    await user.click(screen.getByRole('tab', { name: 'Version' }));
    expect(currentLocation()).toBe('/harvesters/7?tab=version');
    const panel = screen.getByRole('tabpanel', { name: 'Version' });
    expect(within(panel).getByRole('link', { name: 'Version report 21' })).toHaveAttribute('href', '/harvversion/21');
    expect(within(panel).getByRole('link', { name: 'All its version reports →' })).toHaveAttribute('href', '/harvesters/7/versions');
    const rows = within(within(panel).getByRole('table', { name: 'Hosts of the latest version report' })).getAllByRole('row').slice(1);
    expect(rows[0]).toHaveClass('row-warn');
    expect(rows[1]).toHaveClass('row-error');
  });

  it('says when there is no version report', async () => {
    storeSession();
    const { fetch } = mockFetch({ ...base, 'GET /api/v1/harvesters/7/': () => jsonResponse(200, ok(harvester)) });
    renderApp('/harvesters/7?tab=version', fetch);
    expect(await screen.findByText('No version report from this harvester yet.')).toBeInTheDocument();
  });

  it('shows the latest config, searchable, and the changes between two config reports', async () => {
    storeSession();
    const user = userEvent.setup();
    const { fetch, calls } = mockFetch({
      ...base,
      'GET /api/v1/harvesters/7/config/': () => jsonResponse(200, ok(newer, 'Harvester 11 config')),
      'GET /api/v1/aftconfigs/': () => jsonResponse(200, ok(pageOf([newer, older]))),
    });
    renderApp('/harvesters/7?tab=config', fetch);
    const latest = await screen.findByRole('region', { name: 'Latest configuration' });
    await within(latest).findByRole('link', { name: 'Config report 51' });
    expect(within(latest).getByRole('tab', { name: 'Robot index 0' })).toHaveAttribute('aria-selected', 'true');
    await user.type(within(latest).getByLabelText('Search default configuration of robot index 0'), 'ripeness');
    await waitFor(() => expect(within(latest).getByText('1 match.')).toBeInTheDocument());
    expect(within(latest).getByText('ripeness', { selector: 'mark' })).toBeInTheDocument();
    expect(within(latest).queryByText(/site_name/)).not.toBeInTheDocument();

    await user.click(within(latest).getByRole('tab', { name: 'Applied overlay diff' }));
    const overlay = within(latest).getByRole('table', { name: 'Applied overlay diff of robot index 0' });
    expect(within(overlay).getAllByRole('row')[1]).toHaveTextContent('general.min_ripeness');
    await user.click(within(latest).getByRole('tab', { name: 'Robot index 1' }));
    expect(within(latest).getByRole('tabpanel', { name: 'Robot index 1' })).toBeInTheDocument();

    const compare = screen.getByRole('region', { name: 'Compare two config reports' });
    expect(calls.map((c) => c.url)).toContain('/api/v1/aftconfigs/?harvester__harv_id=11&limit=5&offset=0');
    // The newest two at first: from 50 to 51.
    expect(within(compare).getByRole('radio', { name: 'Compare from config report 50' })).toBeChecked();
    expect(within(compare).getByRole('radio', { name: 'Compare to config report 51' })).toBeChecked();
    const diff = within(compare).getByRole('table', { name: 'Configuration differences' });
    const first = within(diff).getAllByRole('row')[1]!;
    expect(first).toHaveTextContent('conf_default.general.min_ripeness');
    expect(first).toHaveTextContent('0.7');
    expect(first).toHaveTextContent('0.15');
    expect(within(compare).getByRole('link', { name: '(own page)' })).toHaveAttribute('href', '/aftconfigs/compare?from=50&to=51');

    // The same report on both sides: nothing to compare.
    await user.click(within(compare).getByRole('radio', { name: 'Compare from config report 51' }));
    expect(within(compare).getByText('Choose two different reports.')).toBeInTheDocument();
  });

  it('says when the harvester has no config report (the API answers 400)', async () => {
    storeSession();
    const { fetch } = mockFetch({
      ...base,
      'GET /api/v1/harvesters/7/config/': () => jsonResponse(400, fail({ exception: 'ConfigReport matching query does not exist.' })),
    });
    renderApp('/harvesters/7?tab=config', fetch);
    expect(await screen.findByText('No config report from this harvester yet.')).toBeInTheDocument();
    expect(screen.queryByRole('region', { name: 'Compare two config reports' })).not.toBeInTheDocument();
  });

  it('lists the assets on the harvester with a link to each one’s history', async () => {
    storeSession();
    const { fetch } = mockFetch({
      ...base,
      'GET /api/v1/harvesters/7/assets/': () =>
        jsonResponse(200, ok([asset(), asset({ id: 13, asset: { ...asset().asset, id: 1, name: 'arm' }, serial_number: 'SA-019', index: 2, version: null })])),
    });
    renderApp('/harvesters/7?tab=assets', fetch);
    const table = await screen.findByRole('table', { name: 'Assets on this harvester' });
    const rows = within(table).getAllByRole('row').slice(1);
    expect(rows.map((r) => within(r).getAllByRole('cell')[0]!.textContent)).toEqual(['arm', 'gripper']);
    expect(within(rows[1]!).getByRole('link', { name: 'History of gripper 1298' })).toHaveAttribute('href', '/harvassets/12/history');
  });
});
