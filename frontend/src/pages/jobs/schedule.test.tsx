import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { fruit, harvester, job, jobSchema, jobType, location } from '../../test/fixtures';
import { currentLocation, fail, jsonResponse, makeUser, mockFetch, ok, pageOf, renderApp, storeSession } from '../../test/helpers';

const manager = makeUser({ profile: { id: 1, slack_id: null, role: 'manager', user: 1 } });
const apple = { ...fruit, id: 2, name: 'apple' };
const fleet = [
  harvester,
  { ...harvester, id: 8, harv_id: 100, name: 'harv100', fruit: apple },
  { ...harvester, id: 9, harv_id: 12, name: 'harv012' },
];

const lookups = {
  'GET /api/v1/harvesters/': () => jsonResponse(200, ok(pageOf(fleet))),
  'GET /api/v1/locations/': () => jsonResponse(200, ok(pageOf([location]))),
  'GET /api/v1/jobtypes/': () => jsonResponse(200, ok(pageOf([jobType, { ...jobType, id: 2, name: 'install_release' }]))),
  'GET /api/v1/jobschemas/': () => jsonResponse(200, ok(pageOf([jobSchema()]))),
};

describe('job scheduler', () => {
  it('picks a type, then the latest schema version, with its fields and recent jobs, kept in the address', async () => {
    storeSession();
    const user = userEvent.setup();
    const { fetch, calls } = mockFetch({
      ...lookups,
      'GET /api/v1/jobschemas/?jobtype__name=test': () =>
        jsonResponse(200, ok(pageOf([jobSchema(), jobSchema({ id: 4, version: '1.10', comment: 'more hosts' }), jobSchema({ id: 5, version: '1.9' })]))),
      'GET /api/v1/harvjobs/': () => jsonResponse(200, ok(pageOf([job({ schema: 4, jobstatus: 'Failed' })]))),
    });
    renderApp('/jobscheduler', fetch);
    await screen.findByRole('option', { name: 'test' });
    await user.selectOptions(screen.getByRole('combobox', { name: 'Job type' }), 'test');
    await waitFor(() => expect(currentLocation()).toBe('/jobscheduler?jobtype=test'));
    const version = screen.getByRole('combobox', { name: 'Schema version' });
    await waitFor(() => expect(version).toHaveValue('4'));
    expect(within(version).getAllByRole('option').map((o) => o.textContent)).toEqual(['1.10 (latest) · more hosts', '1.9 · first version', '1.0 · first version']);
    expect(screen.getByRole('link', { name: 'Schedule test 1.10' })).toHaveAttribute('href', '/schedulejob/4');
    const fields = screen.getByRole('table', { name: 'Payload fields' });
    expect(within(fields).getAllByRole('row')[1]).toHaveTextContent('idstringset by the server');
    expect(within(fields).getAllByRole('row')[4]).toHaveTextContent('targetsarray of stringrequired');
    const recent = await screen.findByRole('table', { name: 'Recent jobs of this schema' });
    expect(calls.some((c) => c.url === '/api/v1/harvjobs/?schema__id=4&limit=10&offset=0')).toBe(true);
    expect(within(recent).getAllByRole('row')[1]).toHaveClass('row-error');

    await user.selectOptions(version, '3');
    await waitFor(() => expect(currentLocation()).toBe('/jobscheduler?jobtype=test&schema=3'));
    expect(screen.getByRole('link', { name: 'Schedule test 1.0' })).toHaveAttribute('href', '/schedulejob/3');
  });

  it('takes the harvesters chosen elsewhere on to the form', async () => {
    storeSession();
    const user = userEvent.setup();
    const { fetch } = mockFetch({
      ...lookups,
      'GET /api/v1/jobschemas/?jobtype__name=test': () => jsonResponse(200, ok(pageOf([jobSchema()]))),
      'GET /api/v1/harvjobs/': () => jsonResponse(200, ok(pageOf([]))),
    });
    renderApp('/jobscheduler?targets=11', fetch);
    await screen.findByRole('option', { name: 'test' });
    await user.selectOptions(screen.getByRole('combobox', { name: 'Job type' }), 'test');
    await waitFor(() => expect(currentLocation()).toBe('/jobscheduler?jobtype=test&targets=11'));
    expect(await screen.findByRole('link', { name: 'Schedule test 1.0' })).toHaveAttribute('href', '/schedulejob/3?targets=11');
  });

  it('tells support staff which types only managers start', async () => {
    storeSession();
    const { fetch } = mockFetch({
      ...lookups,
      'GET /api/v1/jobschemas/?jobtype__name=install_release': () =>
        jsonResponse(200, ok(pageOf([jobSchema({ id: 9, jobtype: 'install_release' })]))),
      'GET /api/v1/harvjobs/': () => jsonResponse(200, ok(pageOf([]))),
    });
    const { unmount } = renderApp('/jobscheduler?jobtype=install_release', fetch);
    expect(await screen.findByText(/Only managers may start install_release jobs/)).toBeInTheDocument();
    expect(screen.queryByRole('link', { name: /^Schedule install_release/ })).not.toBeInTheDocument();
    unmount();

    // Nor does the schedule page let them send one.
    const schedule = mockFetch({ ...lookups, 'GET /api/v1/jobschemas/9/': () => jsonResponse(200, ok(jobSchema({ id: 9, jobtype: 'install_release' }))) });
    renderApp('/schedulejob/9', schedule.fetch);
    expect(await screen.findByRole('alert')).toHaveTextContent('Only managers may start install_release jobs');
    expect(screen.getByRole('button', { name: 'Start the job' })).toBeDisabled();
  });
});

function scheduleServer(extra: Record<string, Parameters<typeof mockFetch>[0][string]> = {}) {
  return mockFetch({
    ...lookups,
    'GET /api/v1/jobschemas/3/': () => jsonResponse(200, ok(jobSchema())),
    'GET /api/v1/harvjobs/': () => jsonResponse(200, ok(pageOf([job()]))),
    ...extra,
  });
}

describe('schedule a job', () => {
  it('starts one job from the generated form on one harvester, then lists it', async () => {
    storeSession();
    const user = userEvent.setup();
    const { fetch, calls } = scheduleServer({
      'POST /api/v1/harvjobs/': () => jsonResponse(201, ok(job({ id: 41 }), 'Job created')),
    });
    renderApp('/schedulejob/3', fetch);
    expect(await screen.findByRole('heading', { name: /Schedule test/, level: 1 })).toBeInTheDocument();
    // The generated form: the schema's fields, without those the server writes.
    const count = await screen.findByRole('spinbutton', { name: /How many/ });
    expect(count).toHaveValue(1);
    expect(screen.queryByLabelText(/^job_type/)).not.toBeInTheDocument();
    expect(screen.getByDisplayValue('master')).toBeInTheDocument();
    await user.clear(count);
    await user.type(count, '3');

    await user.click(screen.getByRole('button', { name: /^Harvesters:/ }));
    await user.click(screen.getByRole('checkbox', { name: /^11 · harv011/ }));
    await user.keyboard('{Escape}');
    await user.click(screen.getByRole('button', { name: 'Start the job' }));

    await waitFor(() => expect(currentLocation()).toBe('/jobs?uuid=b7c3a1d2-job'));
    const post = calls.find((c) => c.method === 'POST')!;
    expect(post.path).toBe('/api/v1/harvjobs/');
    expect(post.body).toEqual({ jobtype: 'test', schema_version: '1.0', payload: { targets: ['master'], count: 3 }, target: 11 });
    expect(await screen.findByText('Started a job of test 1.0.')).toHaveAttribute('role', 'status');
  });

  it('starts one job per harvester of a group in one request', async () => {
    storeSession(manager);
    const user = userEvent.setup();
    const { fetch, calls } = scheduleServer({
      'POST /api/v1/harvjobs/bulk/': () =>
        jsonResponse(200, ok({ count: 2, jobs: [{ id: 41, target: 11, UUID: 'u-11' }, { id: 42, target: 12, UUID: 'u-12' }] })),
    });
    renderApp('/schedulejob/3?targets=100', fetch);
    await screen.findByRole('spinbutton', { name: /How many/ });
    await user.click(await screen.findByRole('button', { name: 'Remove 100 · harv100 (Ranch A, apple)' }));
    const groups = screen.getByRole('combobox', { name: 'Harvesters to add' });
    await waitFor(() => expect(within(groups).getByRole('option', { name: 'All strawberry harvesters (2)' })).toBeInTheDocument());
    await user.selectOptions(groups, 'All strawberry harvesters (2)');
    await user.click(screen.getByRole('button', { name: 'Add' }));
    expect(screen.getByText('2 harvesters chosen')).toBeInTheDocument();
    await user.click(screen.getByRole('button', { name: 'Start 2 jobs' }));
    await waitFor(() => expect(currentLocation()).toBe('/jobs?uuid=u-11,u-12'));
    expect(calls.find((c) => c.method === 'POST')!.body).toEqual({
      jobtype: 'test',
      schema_version: '1.0',
      payload: { targets: ['master'], count: 1 },
      targets: [11, 12],
    });
  });

  it('checks the form first, then shows the API’s 400 next to the fields', async () => {
    storeSession();
    const user = userEvent.setup();
    const { fetch, calls } = scheduleServer({
      'POST /api/v1/harvjobs/': () =>
        jsonResponse(400, fail({ detail: { 'validation error': { path: ['count'], error: 'Must be integer' } } })),
      'POST /api/v1/harvjobs/bulk/': () => jsonResponse(400, fail({ detail: { targets: ['No harvester with harv_id 12.'] } })),
    });
    renderApp('/schedulejob/3', fetch);
    await screen.findByRole('spinbutton', { name: /How many/ });
    // Nothing chosen, and a host the schema's pattern refuses: nothing is sent.
    const host = screen.getByDisplayValue('master');
    await user.clear(host);
    await user.type(host, 'router');
    await user.click(screen.getByRole('button', { name: 'Start the job' }));
    expect(await screen.findByText('Choose at least one harvester.')).toBeInTheDocument();
    expect(await screen.findByText(/must match pattern/)).toBeInTheDocument();
    expect(calls.filter((c) => c.method === 'POST')).toHaveLength(0);

    await user.clear(host);
    await user.type(host, 'robot1');
    await user.click(screen.getByRole('button', { name: /^Harvesters:/ }));
    await user.click(screen.getByRole('checkbox', { name: /^11 · harv011/ }));
    await user.keyboard('{Escape}');
    await user.click(screen.getByRole('button', { name: 'Start the job' }));
    // The server's word on the payload, on its field.
    expect(await screen.findByText('Must be integer.')).toBeInTheDocument();
    expect(screen.getByRole('spinbutton', { name: /How many/ })).toHaveAccessibleDescription(/Must be integer\./);
    expect(calls.find((c) => c.method === 'POST')!.body).toMatchObject({ payload: { targets: ['robot1'], count: 1 }, target: 11 });

    await user.click(screen.getByRole('button', { name: /^Harvesters:/ }));
    await user.click(screen.getByRole('checkbox', { name: /^12 · harv012/ }));
    await user.keyboard('{Escape}');
    await user.click(screen.getByRole('button', { name: 'Start 2 jobs' }));
    expect(await screen.findByText('No harvester with harv_id 12.')).toBeInTheDocument();
    expect(currentLocation()).toBe('/schedulejob/3');
  });

  it('schedules it on a cron expression, with the API’s cron error on the field, then opens the schedule', async () => {
    storeSession();
    const user = userEvent.setup();
    let attempts = 0;
    const { fetch, calls } = scheduleServer({
      'POST /api/v1/jobschedules/': () =>
        ++attempts === 1
          ? jsonResponse(400, fail({ detail: { cron: ['Not a cron expression: invalid'] } }))
          : jsonResponse(201, ok({ id: 5 }, 'Schedule created')),
      'GET /api/v1/jobschedules/5/': () => jsonResponse(404, fail({ exception: 'gone' })),
    });
    renderApp('/schedulejob/3?targets=11', fetch);
    await screen.findByRole('spinbutton', { name: /How many/ });
    await user.click(screen.getByRole('radio', { name: 'Repeatedly (cron)' }));
    await user.click(screen.getByRole('button', { name: 'Save the schedule' }));
    expect(await screen.findByText('A cron expression of five fields, in UTC.')).toBeInTheDocument();
    await user.type(screen.getByRole('textbox', { name: /Cron expression/ }), 'every day');
    await user.click(screen.getByRole('button', { name: 'Save the schedule' }));
    expect(await screen.findByText('Not a cron expression: invalid')).toBeInTheDocument();
    const cron = screen.getByRole('textbox', { name: /Cron expression/ });
    expect(cron).toHaveAttribute('aria-invalid', 'true');
    await user.clear(cron);
    await user.type(cron, '0 6 * * *');
    await user.click(screen.getByRole('button', { name: 'Save the schedule' }));
    await waitFor(() => expect(currentLocation()).toBe('/jobschedules/5'));
    expect(calls.filter((c) => c.method === 'POST').at(-1)!.body).toEqual({
      jobtype: 'test',
      schema_version: '1.0',
      payload: { targets: ['master'], count: 1 },
      targets: [11],
      cron: '0 6 * * *',
    });
  });

  it('schedules it once at a time on the browser’s clock', async () => {
    storeSession();
    const user = userEvent.setup();
    const { fetch, calls } = scheduleServer({
      'POST /api/v1/jobschedules/': () => jsonResponse(201, ok({ id: 6 })),
    });
    renderApp('/schedulejob/3?targets=11', fetch);
    await screen.findByRole('spinbutton', { name: /How many/ });
    await user.click(screen.getByRole('radio', { name: 'Once, later' }));
    await user.type(screen.getByLabelText(/Run at/), '2030-01-02T03:04');
    await user.click(screen.getByRole('button', { name: 'Save the schedule' }));
    await waitFor(() => expect(currentLocation()).toBe('/jobschedules/6'));
    expect(calls.find((c) => c.method === 'POST')!.body).toMatchObject({ run_at: new Date(2030, 0, 2, 3, 4).toISOString(), targets: [11] });
  });
});
