import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { harvester, job, jobResults, jobSchedule, jobSchema, jobType, location } from '../../test/fixtures';
import { currentLocation, fail, jsonResponse, makeUser, mockFetch, ok, pageOf, renderApp, storeSession } from '../../test/helpers';

const manager = makeUser({ profile: { id: 1, slack_id: null, role: 'manager', user: 1 } });
const developer = makeUser({ profile: { id: 1, slack_id: null, role: 'developer', user: 1 } });
const support = makeUser({ id: 2, username: 'sam', profile: { id: 2, slack_id: null, role: 'support', user: 2 } });

const lookups = {
  'GET /api/v1/harvesters/': () => jsonResponse(200, ok(pageOf([harvester]))),
  'GET /api/v1/locations/': () => jsonResponse(200, ok(pageOf([location]))),
  'GET /api/v1/jobtypes/': () => jsonResponse(200, ok(pageOf([jobType]))),
  'GET /api/v1/jobschemas/': () => jsonResponse(200, ok(pageOf([jobSchema()]))),
  'GET /api/v1/users/profiles/': () => jsonResponse(200, ok(pageOf([manager, support]))),
};

describe('jobs', () => {
  it('lists jobs with the address’s filters: status coloured, sent or not, links to results and history', async () => {
    storeSession();
    const { fetch, calls } = mockFetch({
      ...lookups,
      'GET /api/v1/harvjobs/': () =>
        jsonResponse(
          200,
          ok(
            pageOf([
              job({ jobstatus: 'Failed' }),
              job({ id: 39, jobstatus: 'Success' }),
              job({ id: 38, jobstatus: 'Failed to send', dispatch: { status: 'failed', attempts: 5, error: 'HTTP 503', sent: null } }),
            ]),
          ),
        ),
    });
    renderApp('/jobs?jobstatus=Failed&target__harv_id=11&uuid=a,b', fetch);
    const table = await screen.findByRole('table', { name: 'Jobs' });
    expect(calls.find((c) => c.path === '/api/v1/harvjobs/')!.url).toBe('/api/v1/harvjobs/?jobstatus=Failed&target__harv_id=11&uuid=a%2Cb&limit=10&offset=0');
    expect(within(table).getAllByRole('columnheader').map((c) => c.textContent)).toEqual([
      'ID',
      'Created',
      'Job type',
      'Harvester',
      'Hosts',
      'Status',
      'Sent',
      'Timeout',
      'See',
    ]);
    const [failed, success, unsent] = within(table).getAllByRole('row').slice(1);
    expect(failed).toHaveClass('row-error');
    expect(failed).toHaveTextContent('test v1.0');
    expect(failed).toHaveTextContent('master');
    expect(failed).toHaveTextContent('6000 s');
    expect(within(failed!).getByText('sent')).toHaveClass('badge-ok');
    expect(within(failed!).getByRole('link', { name: 'Results of job 40' })).toHaveAttribute(
      'href',
      '/jobresults?job__target__harv_id=11&job__event__UUID=b7c3a1d2-job',
    );
    expect(within(failed!).getByRole('link', { name: 'Status history of job 40' })).toHaveAttribute('href', '/jobstatus/40');
    await waitFor(() => expect(within(failed!).getByRole('link', { name: '11' })).toHaveAttribute('href', '/harvesters/7'));
    expect(success).not.toHaveClass('row-error');
    expect(within(unsent!).getByText('not sent')).toHaveAttribute('title', 'HTTP 503');
    // The new jobs' UUIDs (a link from the scheduler) are a removable filter.
    await userEvent.setup().click(screen.getByRole('button', { name: 'Remove filter uuid' }));
    await waitFor(() => expect(currentLocation()).toBe('/jobs?jobstatus=Failed&target__harv_id=11'));
  });

  it('filters by status and type from the form', async () => {
    storeSession();
    const user = userEvent.setup();
    const { fetch, calls } = mockFetch({ ...lookups, 'GET /api/v1/harvjobs/': () => jsonResponse(200, ok(pageOf([]))) });
    renderApp('/jobs', fetch);
    await screen.findByText('No job matches.');
    await user.selectOptions(screen.getByRole('combobox', { name: 'Status' }), 'Failed and errors');
    await screen.findByRole('option', { name: 'test' });
    await user.selectOptions(screen.getByRole('combobox', { name: 'Job type' }), 'test');
    await user.click(screen.getByRole('button', { name: 'Apply filters' }));
    await waitFor(() => expect(currentLocation()).toBe('/jobs?jobstatus=Failed+and+errors&jobtype=test'));
    await waitFor(() => expect(calls.at(-1)!.url).toBe('/api/v1/harvjobs/?jobstatus=Failed+and+errors&jobtype=test&limit=10&offset=0'));
  });

  it('shows a job: its sending, results with host results coloured, history, payload and files', async () => {
    storeSession(support);
    const { fetch, calls } = mockFetch({
      ...lookups,
      'GET /api/v1/harvjobs/40/': () => jsonResponse(200, ok(job({ jobstatus: 'Failed', schedule: 5 }))),
      'GET /api/v1/jobresults/': () => jsonResponse(200, ok(pageOf([jobResults({ job: 40 })]))),
      'GET /api/v1/harvjobs/40/history/': () =>
        jsonResponse(200, ok(pageOf([{ jobstatus: 'Failed', history_id: 2, history_date: '2024-11-05T08:10:00Z' }, { jobstatus: 'Pending', history_id: 1, history_date: '2024-11-05T08:00:00Z' }]))),
    });
    renderApp('/jobs/40', fetch);
    expect(await screen.findByRole('heading', { name: 'Job 40 Failed', level: 1 })).toBeInTheDocument();
    const card = screen.getByRole('region', { name: 'Job' });
    expect(card).toHaveTextContent('b7c3a1d2-job');
    expect(within(card).getByRole('link', { name: 'Schedule 5' })).toHaveAttribute('href', '/jobschedules/5');
    expect(within(card).getByRole('link', { name: 'v1.0' })).toHaveAttribute('href', '/jobschemas/3');
    expect(screen.getByRole('region', { name: 'Sending' })).toHaveTextContent('Taken by the job server');
    const results = await screen.findByRole('table', { name: 'Results of this job' });
    expect(calls.some((c) => c.url === '/api/v1/jobresults/?job=40&limit=10&offset=0')).toBe(true);
    expect(within(results).getByText('Error')).toHaveClass('badge-error');
    expect(within(results).getByText('Success')).toHaveClass('badge-ok');
    const history = await screen.findByRole('table', { name: 'Status history' });
    expect(within(history).getAllByRole('row').slice(1).map((r) => within(r).getAllByRole('cell')[0]!.textContent)).toEqual(['Failed', 'Pending']);
    expect(screen.getByRole('region', { name: 'Payload' })).toHaveTextContent('job_type');
    expect(screen.getByRole('region', { name: 'Files' })).toHaveTextContent('hv011_6c1d9e0a.zip');
    expect(screen.getByRole('link', { name: 'Event and files' })).toHaveAttribute('href', '/events/8');
    // Only managers reschedule.
    expect(screen.queryByRole('button', { name: 'Reschedule' })).not.toBeInTheDocument();
  });

  it('lets a manager reschedule a job after a confirmation', async () => {
    storeSession(manager);
    const user = userEvent.setup();
    const { fetch, calls } = mockFetch({
      ...lookups,
      'GET /api/v1/harvjobs/40/': () => jsonResponse(200, ok(job({ jobstatus: 'Failed to send' }))),
      'GET /api/v1/jobresults/': () => jsonResponse(200, ok(pageOf([]))),
      'GET /api/v1/harvjobs/40/history/': () => jsonResponse(200, ok(pageOf([]))),
      'GET /api/v1/harvjobs/40/reschedule/': () => jsonResponse(200, ok(job())),
    });
    renderApp('/jobs/40', fetch);
    await user.click(await screen.findByRole('button', { name: 'Reschedule' }));
    const dialog = screen.getByRole('dialog', { name: 'Reschedule job 40?' });
    expect(dialog).toHaveTextContent('it is Pending until then');
    await user.click(within(dialog).getByRole('button', { name: 'Send it again' }));
    expect(await screen.findByText('Job 40 will be sent again.')).toBeInTheDocument();
    expect(screen.queryByRole('dialog')).not.toBeInTheDocument();
    expect(calls.filter((c) => c.url === '/api/v1/harvjobs/40/')).toHaveLength(2);
  });

  it('pages a job’s status history on its own page', async () => {
    storeSession();
    const { fetch, calls } = mockFetch({
      'GET /api/v1/harvjobs/40/history/': () =>
        jsonResponse(200, ok(pageOf([{ jobstatus: 'Success', history_id: 12, history_date: '2024-11-05T08:10:00Z' }], 25))),
    });
    renderApp('/jobstatus/40?offset=10', fetch);
    const table = await screen.findByRole('table', { name: 'Status history' });
    expect(calls.map((c) => c.url)).toContain('/api/v1/harvjobs/40/history/?limit=10&offset=10');
    expect(within(table).getByText('Success')).toHaveClass('badge-ok');
    expect(screen.getByText('Showing 11–20 of 25')).toBeInTheDocument();
    expect(screen.getByRole('link', { name: '40' })).toHaveAttribute('href', '/jobs/40');
  });

  it('takes a job’s results link on the job-results list and links results to their job', async () => {
    storeSession();
    const { fetch, calls } = mockFetch({ ...lookups, 'GET /api/v1/jobresults/': () => jsonResponse(200, ok(pageOf([jobResults({ job: 40 })]))) });
    renderApp('/jobresults?job__target__harv_id=11&job__event__UUID=b7c3a1d2-job', fetch);
    const table = await screen.findByRole('table', { name: 'Job results' });
    expect(calls.find((c) => c.path === '/api/v1/jobresults/')!.url).toBe(
      '/api/v1/jobresults/?job__target__harv_id=11&job__event__UUID=b7c3a1d2-job&limit=10&offset=0',
    );
    expect(within(table).getByRole('link', { name: 'Job 40' })).toHaveAttribute('href', '/jobs/40');
    expect(within(screen.getByRole('form', { name: 'Job results filters' })).getByRole('textbox', { name: 'Job UUID' })).toHaveValue('b7c3a1d2-job');
  });
});

describe('job types', () => {
  it('lists job types; developers add and rename them', async () => {
    storeSession(developer);
    const user = userEvent.setup();
    const { fetch, calls } = mockFetch({
      'GET /api/v1/jobtypes/': () => jsonResponse(200, ok(pageOf([jobType]))),
      'POST /api/v1/jobtypes/': (call) =>
        (call.body as { name: string }).name === 'test'
          ? jsonResponse(400, fail({ detail: { name: ['job type with this name already exists.'] } }))
          : jsonResponse(201, ok({ ...jobType, id: 2, name: 'sess_clip' })),
      'PUT /api/v1/jobtypes/1/': () => jsonResponse(200, ok({ ...jobType, name: 'tests' })),
    });
    renderApp('/jobtypes', fetch);
    const table = await screen.findByRole('table', { name: 'Job types' });
    expect(within(table).getByRole('link', { name: 'Schemas' })).toHaveAttribute('href', '/jobschemas?jobtype__name=test');
    await user.click(screen.getByRole('button', { name: 'New job type' }));
    const dialog = screen.getByRole('dialog', { name: 'New job type' });
    await user.type(within(dialog).getByRole('textbox', { name: /Name/ }), 'test');
    await user.click(within(dialog).getByRole('button', { name: 'Create job type' }));
    expect(await within(dialog).findByText('job type with this name already exists.')).toBeInTheDocument();
    await user.clear(within(dialog).getByRole('textbox', { name: /Name/ }));
    await user.type(within(dialog).getByRole('textbox', { name: /Name/ }), 'sess_clip');
    await user.click(within(dialog).getByRole('button', { name: 'Create job type' }));
    await waitFor(() => expect(screen.queryByRole('dialog')).not.toBeInTheDocument());
    expect(calls.filter((c) => c.method === 'POST').at(-1)!.body).toEqual({ name: 'sess_clip' });

    await user.click(await screen.findByRole('button', { name: 'Rename job type test' }));
    const rename = screen.getByRole('dialog', { name: 'Rename job type test' });
    await user.type(within(rename).getByRole('textbox', { name: /Name/ }), 's');
    await user.click(within(rename).getByRole('button', { name: 'Save' }));
    await waitFor(() => expect(calls.some((c) => c.method === 'PUT' && (c.body as { name: string }).name === 'tests')).toBe(true));
  });

  it('reads only, for support staff; a type’s page lists its schemas', async () => {
    storeSession(support);
    const { fetch, calls } = mockFetch({
      'GET /api/v1/jobtypes/': () => jsonResponse(200, ok(pageOf([jobType]))),
      'GET /api/v1/jobtypes/1/': () => jsonResponse(200, ok(jobType)),
      'GET /api/v1/jobschemas/': () => jsonResponse(200, ok(pageOf([jobSchema()]))),
    });
    const { unmount } = renderApp('/jobtypes', fetch);
    await screen.findByRole('table', { name: 'Job types' });
    expect(screen.queryByRole('button', { name: 'New job type' })).not.toBeInTheDocument();
    expect(screen.queryByRole('columnheader', { name: 'Edit' })).not.toBeInTheDocument();
    unmount();
    renderApp('/jobtypes/1', fetch);
    expect(await screen.findByRole('heading', { name: 'Job type test', level: 1 })).toBeInTheDocument();
    const schemas = await screen.findByRole('table', { name: 'Schemas of this type' });
    expect(calls.map((c) => c.url)).toContain('/api/v1/jobschemas/?jobtype__name=test&limit=10&offset=0');
    expect(within(schemas).getByRole('link', { name: '1.0' })).toHaveAttribute('href', '/jobschemas/3');
    expect(screen.queryByRole('button', { name: 'Rename' })).not.toBeInTheDocument();
  });
});

describe('job schemas', () => {
  it('filters by type from the address and lets managers add one whose JSON is checked first', async () => {
    storeSession(manager);
    const user = userEvent.setup();
    let posted = 0;
    const { fetch, calls } = mockFetch({
      ...lookups,
      'POST /api/v1/jobschemas/': () =>
        ++posted === 1
          ? jsonResponse(400, fail({ detail: { non_field_errors: ['The fields jobtype, version must make a unique set.'] } }))
          : jsonResponse(201, ok(jobSchema({ id: 9, version: '2.0' }))),
      'GET /api/v1/jobschemas/9/': () => jsonResponse(200, ok(jobSchema({ id: 9, version: '2.0' }))),
      'GET /api/v1/harvjobs/': () => jsonResponse(200, ok(pageOf([]))),
    });
    renderApp('/jobschemas?jobtype__name=test', fetch);
    await screen.findByRole('table', { name: 'Job schemas' });
    expect(calls.find((c) => c.path === '/api/v1/jobschemas/' && c.url.includes('jobtype__name'))!.url).toBe(
      '/api/v1/jobschemas/?jobtype__name=test&limit=10&offset=0',
    );
    await user.click(screen.getByRole('button', { name: 'New job schema' }));
    const dialog = screen.getByRole('dialog', { name: 'New job schema' });
    await waitFor(() => expect(within(dialog).getByRole('combobox', { name: /Job type/ })).toHaveValue('test'));
    await user.type(within(dialog).getByRole('textbox', { name: /Version/ }), '2.0');
    const json = within(dialog).getByRole('textbox', { name: /Schema \(JSON\)/ });
    await user.clear(json);
    await user.type(json, '{{"type": "object",');
    expect(within(dialog).getByText(/^Line 1, column 19:/)).toBeInTheDocument();
    expect(within(dialog).getByRole('button', { name: 'Create schema' })).toBeDisabled();
    await user.type(json, ' "required": [[]}');
    expect(within(dialog).queryByText(/^Line/)).not.toBeInTheDocument();
    await user.click(within(dialog).getByRole('button', { name: 'Format' }));
    expect(json).toHaveValue('{\n  "type": "object",\n  "required": []\n}');
    await user.click(within(dialog).getByRole('button', { name: 'Create schema' }));
    expect(await within(dialog).findByText('The fields jobtype, version must make a unique set.')).toBeInTheDocument();
    await user.click(within(dialog).getByRole('button', { name: 'Create schema' }));
    await waitFor(() => expect(currentLocation()).toBe('/jobschemas/9'));
    expect(calls.filter((c) => c.method === 'POST').at(-1)!.body).toEqual({
      jobtype: 'test',
      version: '2.0',
      comment: '',
      schema: { type: 'object', required: [] },
    });
  });

  it('shows a schema: its fields, the JSON tree and its jobs', async () => {
    storeSession();
    const { fetch, calls } = mockFetch({
      ...lookups,
      'GET /api/v1/jobschemas/3/': () => jsonResponse(200, ok(jobSchema())),
      'GET /api/v1/harvjobs/': () => jsonResponse(200, ok(pageOf([job()]))),
    });
    renderApp('/jobschemas/3', fetch);
    expect(await screen.findByRole('heading', { name: 'test schema 1.0', level: 1 })).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'New job schema' })).not.toBeInTheDocument();
    expect(screen.getByRole('link', { name: 'Schedule a job' })).toHaveAttribute('href', '/schedulejob/3');
    const fields = screen.getByRole('table', { name: 'Payload fields' });
    expect(within(fields).getAllByRole('row')[3]).toHaveTextContent('no (the server defaults it)');
    expect(screen.getByRole('region', { name: 'Schema' })).toHaveTextContent('"Hosts to run on"');
    await screen.findByRole('table', { name: 'Jobs of this schema' });
    expect(calls.map((c) => c.url)).toContain('/api/v1/harvjobs/?schema__id=3&limit=10&offset=0');
  });
});

describe('job schedules', () => {
  it('lists the active schedules; their creator cancels one after a confirmation', async () => {
    storeSession(support);
    const user = userEvent.setup();
    const { fetch, calls } = mockFetch({
      ...lookups,
      'GET /api/v1/jobschedules/': () =>
        jsonResponse(
          200,
          ok(
            pageOf([
              jobSchedule({ creator: 2 }),
              jobSchedule({ id: 6, creator: 1, cron: null, run_at: '2030-01-01T00:00:00Z', runs: 0, last_error: 'No harvester with harv_id 100.' }),
            ]),
          ),
        ),
      'DELETE /api/v1/jobschedules/5/': () => new Response(null, { status: 204 }),
    });
    renderApp('/jobschedules', fetch);
    const table = await screen.findByRole('table', { name: 'Job schedules' });
    expect(calls.find((c) => c.path === '/api/v1/jobschedules/')!.url).toBe('/api/v1/jobschedules/?active=true&limit=10&offset=0');
    const [mine, theirs] = within(table).getAllByRole('row').slice(1);
    expect(mine).toHaveTextContent('0 6 * * * UTC');
    expect(mine).toHaveTextContent('you');
    expect(mine).toHaveTextContent('11, 100');
    expect(theirs).toHaveClass('row-error');
    expect(theirs).toHaveTextContent('once');
    await waitFor(() => expect(theirs).toHaveTextContent('Ada Lovelace'));
    expect(within(theirs!).queryByRole('button', { name: /Cancel/ })).not.toBeInTheDocument();
    await user.click(within(mine!).getByRole('button', { name: 'Cancel schedule 5' }));
    await user.click(within(screen.getByRole('dialog', { name: 'Cancel schedule 5?' })).getByRole('button', { name: 'Cancel the schedule' }));
    await waitFor(() => expect(calls.some((c) => c.method === 'DELETE' && c.path === '/api/v1/jobschedules/5/')).toBe(true));
    await waitFor(() => expect(calls.filter((c) => c.path === '/api/v1/jobschedules/')).toHaveLength(2));

    await user.click(screen.getByRole('button', { name: 'All' }));
    await waitFor(() => expect(currentLocation()).toBe('/jobschedules?active='));
    await waitFor(() => expect(calls.at(-1)!.url).toBe('/api/v1/jobschedules/?limit=10&offset=0'));
  });

  it('shows a schedule with its jobs', async () => {
    storeSession(manager);
    const { fetch, calls } = mockFetch({
      ...lookups,
      'GET /api/v1/jobschedules/5/': () => jsonResponse(200, ok(jobSchedule({ creator: 2, runs: 2, last_run: '2024-11-05T06:00:00Z' }))),
      'GET /api/v1/harvjobs/': () => jsonResponse(200, ok(pageOf([job({ schedule: 5 })]))),
    });
    renderApp('/jobschedules/5', fetch);
    expect(await screen.findByRole('heading', { name: 'Schedule 5 active', level: 1 })).toBeInTheDocument();
    expect(screen.getByRole('region', { name: 'Schedule' })).toHaveTextContent('0 6 * * * UTC');
    expect(screen.getByRole('button', { name: 'Cancel schedule 5' })).toBeInTheDocument();
    await screen.findByRole('table', { name: 'Jobs it started' });
    expect(calls.map((c) => c.url)).toContain('/api/v1/harvjobs/?schedule=5&limit=10&offset=0');
  });
});
