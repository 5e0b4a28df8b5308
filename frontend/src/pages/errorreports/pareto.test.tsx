import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import type { Call } from '../../test/helpers';
import { currentLocation, fail, jsonResponse, mockFetch, ok, pageOf, renderApp, storeSession } from '../../test/helpers';
import { parseConfigs } from './pareto';

const lookups = {
  'GET /api/v1/harvesters/': () => jsonResponse(200, ok(pageOf([]))),
  'GET /api/v1/locations/': () => jsonResponse(200, ok(pageOf([]))),
  'GET /api/v1/fruits/': () => jsonResponse(200, ok(pageOf([]))),
  'GET /api/v1/exceptioncodes/': () => jsonResponse(200, ok(pageOf([]))),
};

/** Answers like the API: rows keyed by aggregate_name, largest count first. */
function pareto(call: Call) {
  const params = new URL(call.url, 'http://x').searchParams;
  const name = params.get('aggregate_name') ?? 'value';
  const data: Record<string, Array<[unknown, number]>> = {
    code__code: [['0', 9], ['3', 4], ['1', 1]],
    service: [['picker', 2], ['harvester', 7]],
    handled: [[false, 5], [true, 3]],
  };
  const rows = (data[params.get('aggregate_query') ?? ''] ?? []).map(([value, count]) => ({ [name]: value, count }));
  return jsonResponse(200, ok(rows, `Pareto generated: ${name}`));
}

const paretoCalls = (calls: Call[]) => calls.filter((c) => c.path === '/api/v1/exceptions/pareto/').map((c) => c.url);

describe('pareto page', () => {
  it('asks once per grouping with the filters and draws a chart and a table for each', async () => {
    storeSession();
    const { fetch, calls } = mockFetch({ ...lookups, 'GET /api/v1/exceptions/pareto/': pareto });
    renderApp('/errorreports/view/pareto?harv_ids=11&codes=0%2C3&is_emulator=0&configs=code__code%2Cservice', fetch);

    const codePanel = await screen.findByRole('region', { name: /By exception code/ });
    const servicePanel = await screen.findByRole('region', { name: /By service/ });
    await waitFor(() => expect(within(servicePanel).getByRole('img')).toBeInTheDocument());
    expect(paretoCalls(calls)).toEqual([
      '/api/v1/exceptions/pareto/?aggregate_query=code__code&aggregate_name=code&harv_ids=11&codes=0%2C3&is_emulator=0',
      '/api/v1/exceptions/pareto/?aggregate_query=service&aggregate_name=service&harv_ids=11&codes=0%2C3&is_emulator=0',
    ]);

    expect(within(codePanel).getByRole('img', { name: /Exceptions by exception code/ })).toBeInTheDocument();
    expect(within(codePanel).getByRole('heading')).toHaveTextContent('14 exceptions');
    const bars = [...servicePanel.querySelectorAll('.chart-bar')].map((g) => g.getAttribute('data-label'));
    expect(bars).toEqual(['harvester', 'picker']);
    const rows = within(within(servicePanel).getByRole('table')).getAllByRole('row').slice(1);
    expect(rows.map((r) => within(r).getAllByRole('cell').map((c) => c.textContent))).toEqual([
      ['harvester', '7', '77.8 %', '77.8 %'],
      ['picker', '2', '22.2 %', '100.0 %'],
    ]);
  });

  it('adds and removes groupings through the address', async () => {
    storeSession();
    const user = userEvent.setup();
    const { fetch, calls } = mockFetch({ ...lookups, 'GET /api/v1/exceptions/pareto/': pareto });
    renderApp('/errorreports/view/pareto?is_emulator=0&configs=service', fetch);
    await screen.findByRole('region', { name: /By service/ });
    await user.click(screen.getByRole('checkbox', { name: 'Handled' }));
    const handled = await screen.findByRole('region', { name: /By handled/ });
    await waitFor(() => expect(within(handled).getAllByRole('row')).toHaveLength(3));
    expect(within(handled).getByRole('table')).toHaveTextContent('unhandled5');
    expect(currentLocation()).toBe('/errorreports/view/pareto?is_emulator=0&configs=service%2Chandled');
    expect(paretoCalls(calls)).toHaveLength(2);

    await user.click(screen.getByRole('button', { name: 'Remove the service chart' }));
    await waitFor(() => expect(screen.queryByRole('region', { name: /By service/ })).not.toBeInTheDocument());
    expect(currentLocation()).toBe('/errorreports/view/pareto?is_emulator=0&configs=handled');
  });

  it('keeps the groupings when filters are applied and sends one request per grouping again', async () => {
    storeSession();
    const user = userEvent.setup();
    const { fetch, calls } = mockFetch({ ...lookups, 'GET /api/v1/exceptions/pareto/': pareto });
    renderApp('/errorreports/view/pareto?is_emulator=0&configs=code__code%2Cservice', fetch);
    await screen.findByRole('region', { name: /By service/ });
    await waitFor(() => expect(paretoCalls(calls)).toHaveLength(2));
    await user.selectOptions(screen.getByRole('combobox', { name: 'Handled' }), 'no');
    await user.click(screen.getByRole('button', { name: 'Apply filters' }));
    await waitFor(() => expect(paretoCalls(calls)).toHaveLength(4));
    expect(paretoCalls(calls).slice(2)).toEqual([
      '/api/v1/exceptions/pareto/?aggregate_query=code__code&aggregate_name=code&handled=0&is_emulator=0',
      '/api/v1/exceptions/pareto/?aggregate_query=service&aggregate_name=service&handled=0&is_emulator=0',
    ]);
    expect(currentLocation()).toBe('/errorreports/view/pareto?handled=0&is_emulator=0&configs=code__code%2Cservice');
  });

  it('says when there are no data points, and shows a failed grouping on its own', async () => {
    storeSession();
    const { fetch } = mockFetch({
      ...lookups,
      'GET /api/v1/exceptions/pareto/?aggregate_query=robot': () => jsonResponse(400, fail({ detail: ['bad grouping'] })),
      'GET /api/v1/exceptions/pareto/': pareto,
    });
    renderApp('/errorreports/view/pareto?is_emulator=0&configs=code__team%2Crobot', fetch);
    const team = await screen.findByRole('region', { name: /By team/ });
    expect(await within(team).findByText(/No data points/)).toHaveAttribute('role', 'status');
    const robot = screen.getByRole('region', { name: /By robot/ });
    expect(await within(robot).findByRole('alert')).toHaveTextContent('bad grouping');
  });

  it('uses default groupings and the first-visit filter on a bare address', async () => {
    storeSession();
    const { fetch, calls } = mockFetch({ ...lookups, 'GET /api/v1/exceptions/pareto/': pareto });
    renderApp('/errorreports/view/pareto', fetch);
    await screen.findByRole('region', { name: /By exception name/ });
    await waitFor(() => expect(paretoCalls(calls)).toHaveLength(2));
    expect(paretoCalls(calls)[0]).toBe('/api/v1/exceptions/pareto/?aggregate_query=code__name&aggregate_name=exception&is_emulator=0');
    expect(parseConfigs('service,bogus,service')).toEqual(['service']);
    expect(parseConfigs('')).toEqual([]);
  });
});
