import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { fruit, harvester, jobSchema, location, release, versionReport } from '../../test/fixtures';
import { currentLocation, fail, jsonResponse, makeUser, mockFetch, ok, pageOf, renderApp, storeSession } from '../../test/helpers';

const manager = makeUser({ profile: { id: 1, slack_id: null, role: 'manager', user: 1 } });
const developer = makeUser({ profile: { id: 1, slack_id: null, role: 'developer', user: 1 } });
const fleet = [harvester, { ...harvester, id: 9, harv_id: 12, name: 'harv012' }];

const lookups = {
  'GET /api/v1/harvesters/': () => jsonResponse(200, ok(pageOf(fleet))),
  'GET /api/v1/locations/': () => jsonResponse(200, ok(pageOf([location]))),
  'GET /api/v1/fruits/': () => jsonResponse(200, ok(pageOf([fruit]))),
  'GET /api/v1/release/tags/': () => jsonResponse(200, ok({ tags: ['stable', 'beta'] })),
  // The detail page's rollouts and pareto panels (rollouts.test.tsx tests them).
  'GET /api/v1/release/2/rollouts/': () => jsonResponse(200, ok(pageOf([]))),
  'GET /api/v1/release/2/pareto/': () => jsonResponse(200, ok({ release: 2, harvesters: 0, hours: 0, results: [] })),
};

const installSchemas = [
  jobSchema({ id: 20, jobtype: 'install_release', version: '1.2' }),
  jobSchema({ id: 21, jobtype: 'install_release', version: '1.10' }),
];

describe('releases', () => {
  it('lists releases with the fruit and tags filters of the address; support staff only read', async () => {
    storeSession();
    const { fetch, calls } = mockFetch({
      ...lookups,
      'GET /api/v1/release/': () => jsonResponse(200, ok(pageOf([release()]))),
    });
    renderApp('/release?fruit=strawberry&tags=stable,beta', fetch);
    const table = await screen.findByRole('table', { name: 'Releases' });
    expect(calls.find((c) => c.path === '/api/v1/release/')!.url).toBe('/api/v1/release/?fruit=strawberry&tags=stable%2Cbeta&limit=10&offset=0');
    const row = within(table).getAllByRole('row')[1]!;
    expect(within(row).getByRole('link', { name: '20220922.163848' })).toHaveAttribute('href', '/release/2');
    expect(row).toHaveTextContent('strawberry');
    expect(row).toHaveTextContent('stable');
    expect(within(table).queryByRole('columnheader', { name: 'Actions' })).not.toBeInTheDocument();
  });

  it('edits a release’s tags (update_tags) from the list', async () => {
    storeSession(developer);
    const user = userEvent.setup();
    const { fetch, calls } = mockFetch({
      ...lookups,
      'GET /api/v1/release/': () => jsonResponse(200, ok(pageOf([release()]))),
      'POST /api/v1/release/2/update_tags/': (call) => jsonResponse(200, ok(release({ tags: (call.body as { tags: string[] }).tags }))),
    });
    renderApp('/release', fetch);
    await user.click(await screen.findByRole('button', { name: 'Edit the tags of release 20220922.163848' }));
    // Developers tag releases; only managers install them.
    expect(screen.queryByRole('button', { name: /Schedule install/ })).not.toBeInTheDocument();
    const dialog = screen.getByRole('dialog', { name: 'Tags of release 20220922.163848' });
    expect(within(dialog).getByRole('button', { name: 'Save tags' })).toBeDisabled();
    await user.click(within(dialog).getByRole('button', { name: 'Remove stable' }));
    await user.click(within(dialog).getByRole('button', { name: /^Tags:/ }));
    await user.keyboard('field-test{Enter}');
    await user.keyboard('{Escape}');
    await user.click(within(dialog).getByRole('button', { name: 'Save tags' }));
    expect(await within(dialog).findByText('Tags saved.')).toBeInTheDocument();
    expect(calls.find((c) => c.method === 'POST')!.body).toEqual({ tags: ['field-test'] });
    await waitFor(() => expect(calls.filter((c) => c.path === '/api/v1/release/')).toHaveLength(2));
  });

  it('lets a manager install a release on harvesters with the latest install_release schema', async () => {
    storeSession(manager);
    const user = userEvent.setup();
    const { fetch, calls } = mockFetch({
      ...lookups,
      'GET /api/v1/release/': () => jsonResponse(200, ok(pageOf([release()]))),
      'GET /api/v1/jobschemas/': () => jsonResponse(200, ok(pageOf(installSchemas))),
      'POST /api/v1/harvjobs/bulk/': (call) =>
        (call.body as { targets: number[] }).targets.includes(12)
          ? jsonResponse(200, ok({ count: 2, jobs: [{ id: 50, target: 11, UUID: 'i-11' }, { id: 51, target: 12, UUID: 'i-12' }] }))
          : jsonResponse(400, fail({})),
    });
    renderApp('/release', fetch);
    await user.click(await screen.findByRole('button', { name: 'Schedule install of release 20220922.163848' }));
    const dialog = screen.getByRole('dialog', { name: 'Install 20220922.163848 (strawberry)' });
    expect(await within(dialog).findByText(/schema 1\.10/)).toBeInTheDocument();
    expect(calls.find((c) => c.path === '/api/v1/jobschemas/')!.url).toBe('/api/v1/jobschemas/?jobtype__name=install_release&limit=10000&offset=0');
    await user.click(within(dialog).getByRole('button', { name: 'Install' }));
    expect(await within(dialog).findByText('Choose at least one harvester.')).toBeInTheDocument();
    await waitFor(() => expect(within(dialog).getByRole('option', { name: 'All strawberry harvesters (2)' })).toBeInTheDocument());
    await user.selectOptions(within(dialog).getByRole('combobox', { name: 'Harvesters to add' }), 'All strawberry harvesters (2)');
    await user.click(within(dialog).getByRole('button', { name: 'Add' }));
    await user.click(within(dialog).getByRole('button', { name: 'Install on 2 harvesters' }));
    await waitFor(() => expect(currentLocation()).toBe('/jobs?uuid=i-11,i-12'));
    expect(calls.find((c) => c.method === 'POST')!.body).toEqual({
      jobtype: 'install_release',
      schema_version: '1.10',
      targets: [11, 12],
      payload: { run_state: ['updating'], targets: ['master'], release: release().release },
    });
  });

  it('says so when there is no install_release schema', async () => {
    storeSession(manager);
    const user = userEvent.setup();
    const { fetch } = mockFetch({
      ...lookups,
      'GET /api/v1/release/2/': () => jsonResponse(200, ok(release())),
      'GET /api/v1/release/2/harvesters/': () => jsonResponse(200, ok(pageOf([]))),
      'GET /api/v1/jobschemas/': () => jsonResponse(200, ok(pageOf([]))),
    });
    renderApp('/release/2', fetch);
    await user.click(await screen.findByRole('button', { name: 'Schedule install' }));
    expect(await screen.findByText(/There is no install_release job schema yet/)).toBeInTheDocument();
  });

  it('shows a release: manifest tree, tags editor, the harvesters on it', async () => {
    storeSession(developer);
    const user = userEvent.setup();
    const { fetch, calls } = mockFetch({
      ...lookups,
      'GET /api/v1/release/2/': () => jsonResponse(200, ok(release())),
      'GET /api/v1/release/2/harvesters/': () =>
        jsonResponse(200, ok(pageOf([{ ...harvester, release: release(), version: versionReport() }], 11))),
      // Answered sorted: still what was chosen, so nothing is left to save.
      'POST /api/v1/release/2/update_tags/': () => jsonResponse(200, ok(release({ tags: ['beta', 'stable'] }))),
    });
    renderApp('/release/2', fetch);
    expect(await screen.findByRole('heading', { name: 'Release 20220922.163848 strawberry', level: 1 })).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Schedule install' })).not.toBeInTheDocument();
    expect(screen.getByRole('region', { name: 'Manifest' })).toHaveTextContent('"strawberry"');
    const harvesters = await screen.findByRole('table', { name: 'Harvesters on this release' });
    expect(calls.map((c) => c.url)).toContain('/api/v1/release/2/harvesters/?limit=10&offset=0');
    expect(within(harvesters).getByRole('link', { name: '11' })).toHaveAttribute('href', '/harvesters/7');
    expect(within(harvesters).getByRole('link', { name: 'Installs' })).toHaveAttribute('href', '/jobs?target__harv_id=11&jobtype=install_release');
    expect(screen.getByText('Showing 1–10 of 11')).toBeInTheDocument();

    const tags = screen.getByRole('form', { name: 'Tags of release 20220922.163848' });
    await user.click(within(tags).getByRole('button', { name: /^Tags:/ }));
    await user.click(within(tags).getByRole('checkbox', { name: 'beta' }));
    await user.keyboard('{Escape}');
    expect(within(tags).getByText('Not saved yet.')).toBeInTheDocument();
    await user.click(within(tags).getByRole('button', { name: 'Save tags' }));
    expect(await within(tags).findByText('Tags saved.')).toBeInTheDocument();
    expect(within(tags).getByRole('button', { name: 'Save tags' })).toBeDisabled();
    expect(within(tags).queryByRole('button', { name: 'Undo changes' })).not.toBeInTheDocument();
    expect(calls.find((c) => c.method === 'POST')!.body).toEqual({ tags: ['stable', 'beta'] });
  });
});
