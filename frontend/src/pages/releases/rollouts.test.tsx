import { act, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Rollout } from '../../api/schemas';
import { fruit, harvester, location, release, releasePareto, rollout } from '../../test/fixtures';
import { fail, jsonResponse, makeUser, mockFetch, ok, pageOf, renderApp, storeSession } from '../../test/helpers';

const manager = makeUser({ profile: { id: 1, slack_id: null, role: 'manager', user: 1 } });
const emulator = { ...harvester, id: 10, harv_id: 11, is_emulator: true };
const fleet = [harvester, { ...harvester, id: 9, harv_id: 12, name: 'harv012' }, emulator, { ...harvester, id: 12, harv_id: 40, fruit: { ...fruit, id: 2, name: 'apple' } }];

const ROLLOUTS = '/api/v1/release/2/rollouts/';
const PARETO = '/api/v1/release/2/pareto/';

/** The release page's requests, with the rollouts and the pareto as given. */
function releaseRoutes(rollouts: () => Rollout[], pareto = releasePareto()) {
  return {
    'GET /api/v1/harvesters/': () => jsonResponse(200, ok(pageOf(fleet))),
    'GET /api/v1/locations/': () => jsonResponse(200, ok(pageOf([location]))),
    'GET /api/v1/fruits/': () => jsonResponse(200, ok(pageOf([fruit]))),
    'GET /api/v1/release/tags/': () => jsonResponse(200, ok({ tags: ['stable'] })),
    'GET /api/v1/release/2/': () => jsonResponse(200, ok(release())),
    'GET /api/v1/release/2/harvesters/': () => jsonResponse(200, ok(pageOf([harvester, { ...harvester, id: 9, harv_id: 12 }]))),
    [`GET ${ROLLOUTS}`]: () => jsonResponse(200, ok(pageOf(rollouts()))),
    [`GET ${PARETO}`]: () => jsonResponse(200, ok(pareto, 'Release pareto retrieved successfully')),
  };
}

const halted = rollout({
  id: 9,
  status: 'halted',
  halt_reason: '1 install job(s) of wave 1 did not succeed',
  waves: [
    { wave: 1, harvesters: [11, 12, 13, 14], jobs: { Success: 2, Pending: 1, Failed: 1 } },
    { wave: 2, harvesters: [15], jobs: {} },
  ],
  created: '2024-11-06T08:00:00Z',
});

afterEach(() => {
  vi.useRealTimers();
});

describe('release rollouts panel', () => {
  it('lists the rollouts newest first: status, why it halted, the halt rule in words, each wave’s installs; support staff only read', async () => {
    storeSession();
    const { fetch, calls } = mockFetch(releaseRoutes(() => [halted, rollout({ status: 'done', current_wave: 2 })]));
    renderApp('/release/2', fetch);
    const panel = await screen.findByRole('region', { name: 'Rollouts' });
    const list = await within(panel).findByRole('list', { name: 'Rollouts of release 20220922.163848' });
    expect(calls.map((c) => c.url)).toContain(`${ROLLOUTS}?limit=50`);
    const [first, second] = within(list).getAllByRole('listitem').filter((li) => li.parentElement === list);
    expect(within(first!).getByRole('heading', { level: 3 })).toHaveTextContent('Rollout 9 halted wave 1 of 2');
    expect(within(first!).getByRole('link', { name: 'Rollout 9' })).toHaveAttribute('href', '/rollouts/9');
    expect(within(first!).getByText('halted')).toHaveClass('badge-error');
    expect(within(first!).getByText('Halted:').parentElement).toHaveTextContent('Halted: 1 install job(s) of wave 1 did not succeed.');
    expect(first).toHaveTextContent('The 1 harvester updated so far sent 2 error reports since their install, against 3 over the same length of time just before it.');
    expect(first).toHaveTextContent('Too few reports to judge: the rule needs at least 5.');
    const bar = within(first!).getByRole('progressbar', { name: 'Wave 1 installs' });
    expect(bar).toHaveAttribute('aria-valuenow', '2');
    expect(bar).toHaveAttribute('aria-valuemax', '4');
    expect(first).toHaveTextContent('2 installed · 1 pending · 1 failed');
    expect(within(first!).getByRole('progressbar', { name: 'Wave 2 installs' })).toHaveAttribute('aria-valuenow', '0');
    expect(first).toHaveTextContent('1 without a job yet');
    const waves = within(first!).getByRole('table', { name: 'Waves of rollout 9' });
    expect(within(waves).getByRole('link', { name: '13' })).toHaveAttribute('href', '/jobs?target__harv_id=13&jobtype=install_release');
    expect(within(waves).getByText('install failed')).toHaveClass('badge-error');
    expect(within(waves).getByText('not started')).toBeInTheDocument();

    expect(within(second!).getByText('done')).toHaveClass('badge-ok');
    // Support staff read; only managers act.
    expect(within(panel).queryByRole('button', { name: /Start rollout|Halt|Resume|Cancel/ })).not.toBeInTheDocument();
  });

  it('says so when a release has no rollout, and shows the API’s refusal', async () => {
    storeSession();
    const { fetch } = mockFetch(releaseRoutes(() => []));
    const view = renderApp('/release/2', fetch);
    const panel = await screen.findByRole('region', { name: 'Rollouts' });
    expect(await within(panel).findByText(/No rollout of this release yet/)).toBeInTheDocument();

    view.unmount();
    const { fetch: refusing } = mockFetch({
      ...releaseRoutes(() => []),
      [`GET ${ROLLOUTS}`]: () => jsonResponse(403, fail({ exception: 'Permission denied for user.' })),
    });
    renderApp('/release/2', refusing);
    const alert = await within(await screen.findByRole('region', { name: 'Rollouts' })).findByRole('alert');
    expect(alert).toHaveTextContent('Not allowed');
  });

  it('lets a manager halt, resume and cancel, each after a confirmation', async () => {
    storeSession(manager);
    const user = userEvent.setup();
    let current = rollout();
    const { fetch, calls } = mockFetch({
      ...releaseRoutes(() => [current]),
      'POST /api/v1/rollouts/8/halt/': () => {
        current = rollout({ status: 'halted', halt_reason: 'halted by hand' });
        return jsonResponse(200, ok(current, 'Rollout 8 halted'));
      },
      'POST /api/v1/rollouts/8/resume/': () => {
        current = rollout();
        return jsonResponse(200, ok(current, 'Rollout 8 resumed'));
      },
      'POST /api/v1/rollouts/8/cancel/': () => jsonResponse(400, fail({ exception: 'Only a rollout that is running or halted can be cancelled.' })),
    });
    renderApp('/release/2', fetch);
    const panel = await screen.findByRole('region', { name: 'Rollouts' });
    await user.click(await within(panel).findByRole('button', { name: 'Halt rollout 8' }));
    expect(within(panel).queryByRole('button', { name: 'Resume rollout 8' })).not.toBeInTheDocument();
    let dialog = screen.getByRole('dialog', { name: 'Halt rollout 8?' });
    expect(dialog).toHaveTextContent('No further wave starts until someone resumes it.');
    await user.click(within(dialog).getByRole('button', { name: 'Halt it' }));
    expect(await within(panel).findByText('Rollout 8 is halted now.')).toBeInTheDocument();
    expect(calls.filter((c) => c.method === 'POST').map((c) => c.path)).toEqual(['/api/v1/rollouts/8/halt/']);
    expect(await within(panel).findByText('Halted:')).toBeInTheDocument();
    expect(panel).toHaveTextContent('Halted: halted by hand.');

    await user.click(within(panel).getByRole('button', { name: 'Resume rollout 8' }));
    dialog = screen.getByRole('dialog', { name: 'Resume rollout 8?' });
    expect(dialog).toHaveTextContent('watched for 60 minutes');
    await user.click(within(dialog).getByRole('button', { name: 'Resume it' }));
    expect(await within(panel).findByText('Rollout 8 is running now.')).toBeInTheDocument();
    await waitFor(() => expect(within(panel).queryByText('Halted:')).not.toBeInTheDocument());

    // Someone else ended it meanwhile: the server's refusal, in the dialog, and the list again.
    await user.click(within(panel).getByRole('button', { name: 'Cancel rollout 8' }));
    dialog = screen.getByRole('dialog', { name: 'Cancel rollout 8?' });
    const rollouts = calls.filter((c) => c.path === ROLLOUTS).length;
    await user.click(within(dialog).getByRole('button', { name: 'Cancel the rollout' }));
    expect(await within(dialog).findByRole('alert')).toHaveTextContent('Only a rollout that is running or halted can be cancelled.');
    await waitFor(() => expect(calls.filter((c) => c.path === ROLLOUTS).length).toBe(rollouts + 1));
    await user.click(within(dialog).getByRole('button', { name: 'Cancel' }));
    expect(screen.queryByRole('dialog')).not.toBeInTheDocument();
  });

  it('asks for a running rollout again every 10 s, and stops once it is no longer running or the page is left', async () => {
    vi.useFakeTimers({ shouldAdvanceTime: true });
    storeSession();
    let current = rollout({ current_wave: 0, evaluation: null, waves: [{ wave: 1, harvesters: [11], jobs: {} }] });
    const { fetch, calls } = mockFetch(releaseRoutes(() => [current]));
    const view = renderApp('/release/2', fetch);
    const panel = await screen.findByRole('region', { name: 'Rollouts' });
    expect(await within(panel).findByText('The worker starts the first wave within a few seconds.')).toBeInTheDocument();
    expect(panel).toHaveTextContent('No harvester of this rollout has finished installing the release yet: nothing to compare.');
    const asked = () => calls.filter((c) => c.path === ROLLOUTS).length;
    expect(asked()).toBe(1);

    current = rollout({ current_wave: 1, evaluation: null, waves: [{ wave: 1, harvesters: [11], jobs: { Pending: 1 } }] });
    await act(() => vi.advanceTimersByTimeAsync(10_000));
    await waitFor(() => expect(asked()).toBe(2));
    expect(await within(panel).findByText('1 pending')).toBeInTheDocument();
    expect(within(panel).getByRole('heading', { level: 3 })).toHaveTextContent('wave 1 of 1');

    current = rollout({ status: 'done', current_wave: 1, waves: [{ wave: 1, harvesters: [11], jobs: { Success: 1 } }] });
    await act(() => vi.advanceTimersByTimeAsync(10_000));
    await waitFor(() => expect(asked()).toBe(3));
    expect(await within(panel).findByText('done')).toBeInTheDocument();
    await act(() => vi.advanceTimersByTimeAsync(30_000));
    expect(asked()).toBe(3);

    // Running again (say, resumed elsewhere and refreshed by hand), then the page is left.
    current = rollout();
    await act(async () => within(panel).getByRole('button', { name: 'Refresh' }).click());
    await waitFor(() => expect(asked()).toBe(4));
    await within(panel).findByText('running');
    view.unmount();
    await act(() => vi.advanceTimersByTimeAsync(30_000));
    expect(asked()).toBe(4);
  });
});

describe('start rollout form', () => {
  it('starts one with the defaults on every real harvester of the release’s fruit', async () => {
    storeSession(manager);
    const user = userEvent.setup();
    let created: Rollout[] = [];
    const { fetch, calls } = mockFetch({
      ...releaseRoutes(() => created),
      [`POST ${ROLLOUTS}`]: () => {
        created = [rollout({ id: 12, current_wave: 0, evaluation: null })];
        return jsonResponse(201, ok(created[0], 'Rollout created successfully'));
      },
    });
    renderApp('/release/2', fetch);
    await user.click(await screen.findByRole('button', { name: 'Start rollout' }));
    const dialog = screen.getByRole('dialog', { name: 'Roll out 20220922.163848 (strawberry)' });
    // Harvesters 11 and 12: the emulator and the apple harvester are not counted.
    expect(await within(dialog).findByRole('radio', { name: /Every real strawberry harvester \(2 now; the default\)/ })).toBeChecked();
    expect(within(dialog).getByRole('textbox', { name: 'Wave 1' })).toHaveValue('1');
    expect(within(dialog).getByRole('textbox', { name: 'Wave 2' })).toHaveValue('10%');
    expect(within(dialog).getByRole('textbox', { name: 'Wave 3' })).toHaveValue('100%');
    // 10 % of 2 is the first one again: that wave adds nobody.
    expect(within(dialog).getAllByText(/^(1 harvester|adds nobody)$/).map((e) => e.textContent)).toEqual(['1 harvester', 'adds nobody', '1 harvester']);
    expect(within(dialog).getByRole('spinbutton', { name: 'Halt ratio' })).toHaveValue(1.5);
    expect(within(dialog).getByRole('spinbutton', { name: 'Minimum reports' })).toHaveValue(5);
    expect(within(dialog).getByRole('spinbutton', { name: 'Minutes to watch each wave' })).toHaveValue(60);
    await user.click(within(dialog).getByRole('button', { name: 'Start rollout' }));
    await waitFor(() => expect(screen.queryByRole('dialog')).not.toBeInTheDocument());
    expect(calls.find((c) => c.method === 'POST')!.body).toEqual({ waves: [1, '10%', '100%'], halt_ratio: 1.5, min_reports: 5, wave_minutes: 60 });
    const panel = screen.getByRole('region', { name: 'Rollouts' });
    expect(await within(panel).findByText('Rollout 12 started: 2 waves, the first within a few seconds.')).toBeInTheDocument();
    expect(await within(panel).findByRole('link', { name: 'Rollout 12' })).toBeInTheDocument();
  });

  it('checks the waves, sends chosen harvesters and shows the API’s 400 next to the fields', async () => {
    storeSession(manager);
    const user = userEvent.setup();
    const { fetch, calls } = mockFetch({
      ...releaseRoutes(() => []),
      [`POST ${ROLLOUTS}`]: () => jsonResponse(400, fail({ detail: { halt_ratio: ['Between 1 and 100.'] } })),
    });
    renderApp('/release/2', fetch);
    await user.click(await screen.findByRole('button', { name: 'Start rollout' }));
    const dialog = screen.getByRole('dialog', { name: 'Roll out 20220922.163848 (strawberry)' });

    await user.click(within(dialog).getByRole('radio', { name: 'Harvesters I choose' }));
    await user.click(within(dialog).getByRole('button', { name: 'Start rollout' }));
    expect(await within(dialog).findByText('Choose at least one harvester.')).toBeInTheDocument();
    await waitFor(() => expect(within(dialog).getByRole('option', { name: 'All strawberry harvesters (2)' })).toBeInTheDocument());
    await user.selectOptions(within(dialog).getByRole('combobox', { name: 'Harvesters to add' }), 'All strawberry harvesters (2)');
    await user.click(within(dialog).getByRole('button', { name: 'Add' }));

    const wave2 = within(dialog).getByRole('textbox', { name: 'Wave 2' });
    await user.clear(wave2);
    await user.type(wave2, 'ten');
    await user.click(within(dialog).getByRole('button', { name: 'Remove wave 3' }));
    await user.click(within(dialog).getByRole('button', { name: 'Start rollout' }));
    expect(await within(dialog).findByText('Wave 2 (“ten”): a number of harvesters or a share like 10%.')).toBeInTheDocument();
    expect(wave2).toHaveAttribute('aria-invalid', 'true');
    expect(calls.filter((c) => c.method === 'POST')).toHaveLength(0);

    await user.clear(wave2);
    await user.type(wave2, '50%');
    await user.click(within(dialog).getByRole('button', { name: 'Add a wave' }));
    const ratio = within(dialog).getByRole('spinbutton', { name: 'Halt ratio' });
    await user.clear(ratio);
    await user.type(ratio, '0.5');
    const minutes = within(dialog).getByRole('spinbutton', { name: 'Minutes to watch each wave' });
    await user.clear(minutes);
    await user.type(minutes, '0');
    await user.click(within(dialog).getByRole('button', { name: 'Start rollout' }));
    expect(await within(dialog).findByText('Between 1 and 100.')).toHaveClass('field-error');
    expect(ratio).toHaveAttribute('aria-invalid', 'true');
    expect(calls.find((c) => c.method === 'POST')!.body).toEqual({
      targets: [11, 12],
      waves: [1, '50%', '100%'],
      halt_ratio: 0.5,
      min_reports: 5,
      wave_minutes: 0,
    });
  });
});

describe('rollout page', () => {
  it('shows one rollout with its release linked', async () => {
    storeSession();
    const { fetch } = mockFetch({
      'GET /api/v1/rollouts/9/': () => jsonResponse(200, ok(halted)),
      'GET /api/v1/release/2/': () => jsonResponse(200, ok(release())),
    });
    renderApp('/rollouts/9', fetch);
    expect(await screen.findByRole('heading', { name: 'Rollout 9 halted wave 1 of 2', level: 1 })).toBeInTheDocument();
    const crumbs = screen.getByRole('navigation', { name: 'Breadcrumb' });
    expect(await within(crumbs).findByRole('link', { name: 'Release 20220922.163848' })).toHaveAttribute('href', '/release/2');
    expect(screen.getByText('Halted:').parentElement).toHaveTextContent('1 install job(s) of wave 1 did not succeed');
    expect(screen.getByRole('link', { name: 'Release 20220922.163848 (strawberry)' })).toHaveAttribute('href', '/release/2');
  });
});

describe('what got worse', () => {
  it('counts the harvesters and hours, then each code worst first, linked to its error reports', async () => {
    storeSession();
    const { fetch, calls } = mockFetch(releaseRoutes(() => []));
    renderApp('/release/2', fetch);
    const panel = await screen.findByRole('region', { name: 'What got worse' });
    expect(await within(panel).findByText(/2 harvesters have run this release, 48\.3 harvester-hours in all\./)).toBeInTheDocument();
    const table = within(panel).getByRole('table', { name: 'Exceptions per code on release 20220922.163848 and before it' });
    const rows = within(table).getAllByRole('row').slice(1);
    expect(rows.map((r) => r.textContent)).toEqual(['1DriveFault92+74.5×', '3VacuumLow4401.0×', '0AFTBaseException16−50.2×']);
    expect(within(rows[0]!).getByText('+7')).toHaveClass('change-worse');
    expect(rows[0]).toHaveClass('row-error');
    expect(within(rows[2]!).getByText('−5')).toHaveClass('change-better');
    expect(await within(rows[0]!).findByRole('link', { name: '1' })).toHaveAttribute('href', '/errorreports?codes=1&harv_ids=11,12');
    expect(calls.map((c) => c.url)).toContain('/api/v1/release/2/harvesters/?limit=10000');
    expect(within(panel).getByText('Each code links to the error reports with it from the 2 harvesters on this release now, at any time.')).toBeInTheDocument();
    // The chart draws what got worse only.
    const chart = within(panel).getByRole('img', { name: /Exceptions added with release 20220922\.163848, per code/ });
    expect(chart.querySelectorAll('.chart-bar')).toHaveLength(1);
    expect(chart.querySelector('.chart-bar')).toHaveAttribute('data-label', '1 DriveFault');
  });

  it('says when there is nothing to compare', async () => {
    storeSession();
    const { fetch, calls } = mockFetch(releaseRoutes(() => [], releasePareto({ harvesters: 0, hours: 0, results: [] })));
    const view = renderApp('/release/2', fetch);
    const panel = await screen.findByRole('region', { name: 'What got worse' });
    expect(await within(panel).findByText(/No harvester has run this release yet/)).toBeInTheDocument();
    expect(within(panel).queryByRole('table')).not.toBeInTheDocument();
    // Nothing to link: the harvesters on the release are not asked for.
    expect(calls.map((c) => c.url)).not.toContain('/api/v1/release/2/harvesters/?limit=10000');

    const { fetch: quiet } = mockFetch(releaseRoutes(() => [], releasePareto({ harvesters: 1, hours: 1, results: [] })));
    view.unmount();
    renderApp('/release/2', quiet);
    const second = await screen.findByRole('region', { name: 'What got worse' });
    expect(await within(second).findByText('No exception on this release, nor in the same time before it.')).toBeInTheDocument();
    expect(second).toHaveTextContent('1 harvester has run this release, 1 harvester-hour in all.');
  });
});
