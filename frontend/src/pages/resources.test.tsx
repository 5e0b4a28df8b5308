import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { fail, jsonResponse, mockFetch, ok, renderApp, storeSession } from '../test/helpers';
import { RESOURCES } from './resources/definitions';

const page = (results: unknown[], count = results.length) => ({ count, next: null, previous: null, results });

describe('generic resource pages', () => {
  it('keeps generic list pages for fruits and exception codes, generic details for the rest', () => {
    expect(RESOURCES.filter((r) => r.list).map((r) => r.key)).toEqual(['fruits', 'exceptioncodes']);
    expect(RESOURCES.map((r) => r.key)).toEqual(
      expect.arrayContaining(['fruits', 'distributors', 'locations', 'exceptioncodes', 'harvesterhistory']),
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
    const { fetch, calls } = mockFetch({ 'GET /api/v1/exceptioncodes/': () => jsonResponse(200, ok(page([]))) });
    renderApp('/exceptioncodes?team=picker', fetch);
    expect(await screen.findByText('No exception codes.')).toBeInTheDocument();
    expect(calls[0]!.url).toBe('/api/v1/exceptioncodes/?team=picker&limit=10&offset=0');
    await userEvent.click(screen.getByRole('button', { name: 'Remove filter team' }));
    await waitFor(() => expect(calls.at(-1)!.url).toBe('/api/v1/exceptioncodes/?limit=10&offset=0'));
  });

  it('links an exception code to its error reports and pareto', async () => {
    storeSession();
    const { fetch } = mockFetch({
      'GET /api/v1/exceptioncodes/3/': () => jsonResponse(200, ok({ id: 4, code: 3, name: 'DriveFault', team: 'drive', cycle: false })),
    });
    renderApp('/exceptioncodes/3', fetch);
    expect(await screen.findByRole('heading', { name: 'Exception code 3 — DriveFault', level: 1 })).toBeInTheDocument();
    expect(screen.getByRole('link', { name: 'Error reports with this code' })).toHaveAttribute('href', '/errorreports?codes=3');
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
