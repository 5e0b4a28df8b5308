import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { fail, jsonResponse, mockFetch, ok, renderApp, storeSession } from '../test/helpers';
import { RESOURCES } from './resources/definitions';

const page = (results: unknown[], count = results.length) => ({ count, next: null, previous: null, results });

describe('generic resource pages', () => {
  it('has a list route for every resource in the menu', () => {
    expect(RESOURCES.map((r) => r.key)).toEqual(
      expect.arrayContaining(['fruits', 'distributors', 'locations', 'harvesters', 'exceptioncodes']),
    );
  });

  it('lists locations with nested distributor links and pages through them', async () => {
    storeSession();
    const { fetch, calls } = mockFetch({
      'GET /api/v1/locations/': (call) =>
        jsonResponse(
          200,
          ok({
            count: 30,
            next: call.url.includes('offset=10') ? null : 'http://x/api/v1/locations/?limit=10&offset=10',
            previous: null,
            results: [{ id: 4, ranch: 'Ranch A', country: 'US', region: 'CA', site_channel: '#a', distributor: { id: 2, name: 'Dist' } }],
          }),
        ),
    });
    renderApp('/locations', fetch);
    const table = await screen.findByRole('table', { name: 'Locations' });
    expect(within(table).getByRole('link', { name: 'Dist' })).toHaveAttribute('href', '/distributors/2');
    expect(within(table).getByRole('link', { name: 'Ranch A' })).toHaveAttribute('href', '/locations/4');
    await userEvent.click(screen.getByRole('button', { name: 'Next' }));
    await waitFor(() => expect(calls.at(-1)!.url).toBe('/api/v1/locations/?limit=10&offset=10'));
  });

  it('passes URL filters to the API and can drop them', async () => {
    storeSession();
    const { fetch, calls } = mockFetch({ 'GET /api/v1/errorreports/': () => jsonResponse(200, ok(page([]))) });
    renderApp('/errorreports?harv_ids=11', fetch);
    expect(await screen.findByText('No error reports.')).toBeInTheDocument();
    expect(calls[0]!.url).toBe('/api/v1/errorreports/?harv_ids=11&limit=10&offset=0');
    await userEvent.click(screen.getByRole('button', { name: 'Remove filter harv_ids' }));
    await waitFor(() => expect(calls.at(-1)!.url).toBe('/api/v1/errorreports/?limit=10&offset=0'));
  });

  it('shows exception codes from the error report list', async () => {
    storeSession();
    const report = {
      id: 3,
      reportTime: '2025-01-01T00:00:00Z',
      harvester: { id: 7, harv_id: 11 },
      location: { id: 2, ranch: 'Ranch A' },
      exceptions: [
        { code: { code: 0, name: 'AFTBaseException' }, service: 'harvester', robot: 0, handled: false, primary: true },
        { code: { code: 1000, name: 'Other' }, service: 'picker', robot: 2, handled: true, primary: false },
      ],
      gitbranch: 'main',
      githash: 'abc123',
    };
    const { fetch } = mockFetch({ 'GET /api/v1/errorreports/': () => jsonResponse(200, ok(page([report]))) });
    renderApp('/errorreports', fetch);
    const table = await screen.findByRole('table', { name: 'Error reports' });
    const cells = within(within(table).getAllByRole('row')[1]!).getAllByRole('cell');
    expect(cells[2]).toHaveTextContent('11');
    expect(cells[4]).toHaveTextContent('0*, 1000');
    expect(cells[5]).toHaveTextContent('harvester.0*, picker.2');
  });

  it('shows a detail page with summary, extras and JSON', async () => {
    storeSession();
    const report = {
      id: 3,
      reportTime: '2025-01-01T00:00:00Z',
      harvester: { id: 7, harv_id: 11 },
      exceptions: [{ code: { code: 0, name: 'AFTBaseException' }, service: 'harvester', robot: 0, handled: false, primary: true }],
      report: { data: { sysmon_report: {} } },
      event: {
        id: 5,
        UUID: 'u-1',
        related_objects: [{ url: '/errorreports/3/', object: 'errorreport 3' }],
        related_files: [{ url: 'https://bucket.example/a/log.zip?sig=1', filetype: 'log' }],
      },
    };
    const { fetch } = mockFetch({ 'GET /api/v1/errorreports/3/': () => jsonResponse(200, ok(report)) });
    renderApp('/errorreports/3', fetch);
    expect(await screen.findByRole('link', { name: '11' })).toHaveAttribute('href', '/harvesters/7');
    expect(screen.getByRole('heading', { name: 'Error report 3', level: 1 })).toBeInTheDocument();
    expect(screen.getByRole('table', { name: 'Exceptions' })).toHaveTextContent('AFTBaseException');
    expect(screen.getByRole('link', { name: 'errorreport 3' })).toHaveAttribute('href', '/errorreports/3/');
    const file = screen.getByRole('link', { name: /log file/ });
    expect(file).toHaveAttribute('target', '_blank');
    expect(file).toHaveAttribute('rel', 'noopener noreferrer');
    expect(screen.getByRole('heading', { name: 'Report' })).toBeInTheDocument();
  });

  it('shows the API 404 for a missing object', async () => {
    storeSession();
    const { fetch } = mockFetch({
      'GET /api/v1/fruits/99/': () => jsonResponse(404, fail({ exception: 'No Fruit matches the given query.' })),
    });
    renderApp('/fruits/99', fetch);
    const alert = await screen.findByRole('alert');
    expect(alert).toHaveTextContent('Not found');
    expect(alert).toHaveTextContent('No Fruit matches the given query.');
  });
});
