import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { autodiagnosticsReport, harvester, location } from '../../test/fixtures';
import { currentLocation, jsonResponse, mockFetch, ok, pageOf, renderApp, storeSession } from '../../test/helpers';

const lookups = {
  'GET /api/v1/harvesters/': () => jsonResponse(200, ok(pageOf([harvester]))),
  'GET /api/v1/locations/': () => jsonResponse(200, ok(pageOf([location]))),
};

describe('autodiagnostics', () => {
  it('lists the self-tests with the filters of the address, failed ones red', async () => {
    storeSession();
    const user = userEvent.setup();
    const { fetch, calls } = mockFetch({
      ...lookups,
      'GET /api/v1/autodiagnostics/': () =>
        jsonResponse(200, ok(pageOf([autodiagnosticsReport(), autodiagnosticsReport({ id: 32, result: false, run_data: null })]))),
    });
    renderApp('/autodiagnostics?harv_id=11&gripper_sn=1298', fetch);
    const table = await screen.findByRole('table', { name: 'Autodiagnostics reports' });
    expect(calls.find((c) => c.path === '/api/v1/autodiagnostics/')!.url).toBe('/api/v1/autodiagnostics/?harv_id=11&gripper_sn=1298&limit=10&offset=0');
    const [passed, failed] = within(table).getAllByRole('row').slice(1);
    expect(passed).toHaveTextContent('passed');
    expect(within(passed!).getByRole('link', { name: '31' })).toHaveAttribute('href', '/autodiagnostics/31');
    expect(within(passed!).getByRole('link', { name: '1298' })).toHaveAttribute('href', '/harvassets?asset__name=gripper&serial_number=1298');
    expect(within(passed!).getByRole('link', { name: '11' })).toHaveAttribute('href', '/harvesters/7');
    expect(passed).toHaveTextContent('-97.9');
    expect(within(passed!).getByRole('link', { name: 'Pick session' })).toHaveAttribute('href', '/picksessions/9');
    expect(failed).toHaveClass('row-error');

    // The form starts from the address; a result and a robot are added.
    expect(screen.getByLabelText('Gripper serial number')).toHaveValue('1298');
    await waitFor(() => expect(screen.getByLabelText('Harvester')).toHaveValue('11'));
    await user.selectOptions(screen.getByLabelText('Result'), 'Failed');
    await user.type(screen.getByLabelText('Robot'), '2');
    await user.click(screen.getByRole('button', { name: 'Apply filters' }));
    await waitFor(() => expect(currentLocation()).toBe('/autodiagnostics?harv_id=11&result=false&robot=2&gripper_sn=1298'));
    await waitFor(() =>
      expect(calls.at(-1)!.url).toBe('/api/v1/autodiagnostics/?harv_id=11&result=false&robot=2&gripper_sn=1298&limit=10&offset=0'),
    );
  });

  it('shows the run and its sensors over time, one tab per channel', async () => {
    storeSession();
    const user = userEvent.setup();
    const { fetch } = mockFetch({ ...lookups, 'GET /api/v1/autodiagnostics/31/': () => jsonResponse(200, ok(autodiagnosticsReport())) });
    renderApp('/autodiagnostics/31?tz=UTC', fetch);
    const run = await screen.findByRole('region', { name: 'Run' });
    expect(within(run).getByText('Min vacuum').nextSibling).toHaveTextContent('-97.9');
    expect(within(run).getByText('Finger closed').nextSibling).toHaveTextContent('1.846');
    expect(screen.getByRole('region', { name: 'Summary' })).toHaveTextContent('2023-02-06 20:47:24.671');
    expect(within(screen.getByRole('region', { name: 'Summary' })).getByRole('link', { name: '1298' })).toHaveAttribute(
      'href',
      '/harvassets/12/history',
    );

    const sensors = screen.getByRole('region', { name: 'Sensors' });
    const chart = within(sensors).getByRole('img', { name: /^Vacuum over time Vacuum from -98 to -29\.35 over 3\.824 s, 4 samples in 2 states\.$/ });
    expect(chart.querySelectorAll('.sensor-band')).toHaveLength(2);
    expect(chart.querySelector('.sensor-line')!.getAttribute('d')).toMatch(/^(M[\d.]+ [\d.]+L[\d.]+ [\d.]+){2}$/);
    expect(chart.querySelectorAll('.sensor-dot')).toHaveLength(4);
    const states = within(sensors).getByRole('table', { name: 'States of the run (vacuum)' });
    expect(within(states).getAllByRole('row')[1]).toHaveTextContent('extend');
    expect(within(states).getAllByRole('row')[2]).toHaveTextContent('-30.01 – -29.35');

    await user.click(within(sensors).getByRole('tab', { name: 'Finger position' }));
    expect(within(sensors).getByRole('img', { name: /^Finger position over time/ })).toBeInTheDocument();
    expect(within(sensors).getByRole('table', { name: 'States of the run (finger position)' })).toHaveTextContent('1.36 – 1.44');
    expect(screen.getByRole('region', { name: 'Event' })).toBeInTheDocument();
    expect(screen.getByRole('region', { name: 'Pick session' })).toBeInTheDocument();
  });

  it('reads the run from the report until the worker extracted it', async () => {
    storeSession();
    const { fetch } = mockFetch({
      ...lookups,
      'GET /api/v1/autodiagnostics/31/': () => jsonResponse(200, ok(autodiagnosticsReport({ run_data: null }))),
    });
    renderApp('/autodiagnostics/31', fetch);
    const run = await screen.findByRole('region', { name: 'Run' });
    expect(run).toHaveTextContent('The run has not been extracted yet');
    expect(within(run).getByText('Min vacuum').nextSibling).toHaveTextContent('-97.9');
    expect(within(screen.getByRole('region', { name: 'Sensors' })).getByRole('img', { name: /^Vacuum over time/ })).toBeInTheDocument();
  });
});
