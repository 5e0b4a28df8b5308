import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { prefetchRoute } from '../../App';
import { createServices } from '../../services';
import { reportDetail, reportSummary } from '../../test/fixtures';
import type { Call } from '../../test/helpers';
import { jsonResponse, mockFetch, ok, pageOf, renderApp, storeSession } from '../../test/helpers';

const lookups = {
  'GET /api/v1/harvesters/': () => jsonResponse(200, ok(pageOf([]))),
  'GET /api/v1/locations/': () => jsonResponse(200, ok(pageOf([]))),
  'GET /api/v1/fruits/': () => jsonResponse(200, ok(pageOf([]))),
  'GET /api/v1/exceptioncodes/': () => jsonResponse(200, ok(pageOf([]))),
};

const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

/** A full page load: the route's chunk and data asked for first, then the app rendered at that address. */
async function loadPage(address: string, routes: Parameters<typeof mockFetch>[0]) {
  storeSession();
  const mock = mockFetch({ ...lookups, ...routes });
  const services = createServices({ fetch: mock.fetch });
  const url = new URL(address, 'http://localhost');
  const chunk = prefetchRoute(services.client, url.pathname, url.search);
  const early = mock.calls.map((c) => c.url);
  await chunk;
  await settle();
  renderApp(address, mock.fetch, services);
  return { ...mock, early };
}

const gets = (calls: Call[], path: string) => calls.filter((c) => c.method === 'GET' && c.path === path).map((c) => c.url);

describe('a page load of an error-report page', () => {
  it('asks for the report page before the list renders and shows its rows in the first render', async () => {
    const { calls, early } = await loadPage('/errorreports?harv_ids=11&tz=UTC&limit=25&offset=50', {
      'GET /api/v1/errorreports/': () => jsonResponse(200, ok(pageOf([reportSummary()], 80))),
    });
    const request = '/api/v1/errorreports/?harv_ids=11&tz=UTC&limit=25&offset=50';
    expect(early).toEqual([request]);
    // No waiting: the chunk and the answer were there before the first render.
    const table = screen.getByRole('table', { name: 'Error reports' });
    expect(within(table).getAllByRole('row')).toHaveLength(2);
    expect(within(table).getByRole('link', { name: '3' })).toHaveAttribute('href', '/errorreports/3?tz=UTC');
    expect(table).not.toHaveAttribute('aria-busy');
    await settle();
    expect(gets(calls, '/api/v1/errorreports/')).toEqual([request]);
  });

  it('applies the first-visit default to a bare address', async () => {
    const { calls } = await loadPage('/errorreports', {
      'GET /api/v1/errorreports/': () => jsonResponse(200, ok(pageOf([reportSummary()]))),
    });
    expect(await screen.findByRole('link', { name: '3' })).toBeInTheDocument();
    await settle();
    expect(gets(calls, '/api/v1/errorreports/')).toEqual(['/api/v1/errorreports/?is_emulator=0&limit=10&offset=0']);
  });

  it('asks for a report before its page renders', async () => {
    const { calls, early } = await loadPage('/errorreports/3?tz=UTC', {
      'GET /api/v1/errorreports/3/': () => jsonResponse(200, ok(reportDetail())),
    });
    expect(early).toEqual(['/api/v1/errorreports/3/']);
    expect(screen.getByRole('heading', { name: /^Exceptions/ })).toBeInTheDocument();
    expect(screen.getByText('2022-05-02 21:27:42.789 UTC · harvester 11 · Ranch A')).toBeInTheDocument();
    await settle();
    expect(gets(calls, '/api/v1/errorreports/3/')).toHaveLength(1);
  });

  it('asks for every chart of the pareto page before it renders', async () => {
    const { calls, early } = await loadPage('/errorreports/view/pareto?codes=3&configs=code__code,handled', {
      'GET /api/v1/exceptions/pareto/': () => jsonResponse(200, ok([{ count: 2, code: '3', handled: true }])),
    });
    const expected = [
      '/api/v1/exceptions/pareto/?aggregate_query=code__code&aggregate_name=code&codes=3',
      '/api/v1/exceptions/pareto/?aggregate_query=handled&aggregate_name=handled&codes=3',
    ];
    expect(early).toEqual(expected);
    expect(screen.getByRole('table', { name: 'Exceptions by exception code' })).toBeInTheDocument();
    expect(screen.getByRole('table', { name: 'Exceptions by handled' })).toBeInTheDocument();
    await settle();
    expect(gets(calls, '/api/v1/exceptions/pareto/')).toEqual(expected);
  });

  it('asks again when the answer came back as an error and the reader retries', async () => {
    let answers = 0;
    const { calls } = await loadPage('/errorreports/3', {
      'GET /api/v1/errorreports/3/': () =>
        ++answers === 1 ? jsonResponse(503, { detail: 'busy' }) : jsonResponse(200, ok(reportDetail())),
    });
    await userEvent.click(screen.getByRole('button', { name: 'Try again' }));
    expect(await screen.findByRole('heading', { name: /^Exceptions/ })).toBeInTheDocument();
    expect(gets(calls, '/api/v1/errorreports/3/')).toHaveLength(2);
  });

  it('sends nothing early for other pages', () => {
    const { fetch, calls } = mockFetch({});
    const services = createServices({ fetch });
    expect(prefetchRoute(services.client, '/harvesters', '')).toBeUndefined();
    expect(calls).toEqual([]);
  });
});
