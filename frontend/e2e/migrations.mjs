// The migration pages in the browser, for run.mjs: /migrations reached through the navigation
// bar's Admin menu, the schema migrations of the build all applied (the check's server migrated
// its database), and for a manager a run queued from the page ("Queue migrations", confirmed),
// its detail page, and with a worker its outcome: success, nothing to apply.
//
// `t` holds run.mjs's page and helpers: page, step, shot, fail, log, apiGet, eventually,
// expectNoAlert, baseUrl, user (the signed-in user), workerRuns.

const isManager = (user) => !!user && (user.is_superuser || user.profile?.role === 'manager');
const mayRead = (user) =>
  !!user && (user.is_superuser || ['support', 'developer', 'manager', 'jenkins', 'beatbox'].includes(user.profile?.role));

export async function migrationSteps(t) {
  const { page, step, shot, fail, log, apiGet, eventually, expectNoAlert, baseUrl, user, workerRuns } = t;
  if (!mayRead(user)) {
    log('→ migration steps skipped: the signed-in user may not read migration logs');
    return;
  }

  await step('migrations: Admin menu, runs and schema migrations', async () => {
    await page.goto(`${baseUrl}/`, { waitUntil: 'domcontentloaded' });
    const nav = page.getByRole('navigation', { name: 'Main' });
    // On a narrow window the navigation is behind the menu button.
    const toggle = page.getByRole('button', { name: 'Menu' });
    if (await toggle.isVisible()) await toggle.click();
    await nav.getByRole('button', { name: /^Admin/ }).click();
    await nav.getByRole('list', { name: 'Admin' }).getByRole('link', { name: 'Migrations' }).click();
    await page.getByRole('heading', { name: 'Migrations', level: 1 }).waitFor();
    await page.getByRole('table', { name: 'Migration runs' }).waitFor();
    const schema = page.getByRole('table', { name: 'Schema migrations' });
    await schema.waitFor();
    const applied = await apiGet('migrations/applied/');
    if (!Array.isArray(applied) || applied.length === 0) fail('migrations/applied/ lists no migration');
    const pending = applied.filter((m) => !m.run_on);
    if (pending.length) fail(`the check's database has pending migrations: ${pending.map((m) => m.name).join(', ')}`);
    const rows = await schema.locator('tbody tr').count();
    if (rows !== applied.length) fail(`the page lists ${rows} schema migrations, the API ${applied.length}`);
    await page.getByText(`All ${applied.length} migrations of this build are applied.`).waitFor();
    const queue = page.getByRole('button', { name: 'Queue migrations' });
    if (isManager(user) !== (await queue.count()) > 0) {
      fail(`"Queue migrations" is ${isManager(user) ? 'missing for a manager' : 'offered to a user who is no manager'}`);
    }
    await expectNoAlert('the migrations page');
    await shot('07-migrations');
  });

  if (!isManager(user)) {
    log('→ queueing a migration run skipped: it needs a manager or a superuser');
    return;
  }

  await step('migrations: queue a run and follow it', async () => {
    await page.getByRole('button', { name: 'Queue migrations' }).click();
    const dialog = page.getByRole('dialog', { name: 'Run the schema migrations?' });
    await dialog.getByRole('button', { name: 'Queue migrations' }).click();
    const notice = page.getByRole('status').filter({ hasText: 'Migration queued' });
    await notice.waitFor();
    const link = notice.getByRole('link', { name: /^run \d+$/ });
    const id = (await link.innerText()).replace('run ', '').trim();
    await link.click();
    await page.getByRole('heading', { name: `Migration run ${id}`, level: 1 }).waitFor();
    await page.getByRole('region', { name: 'Summary' }).waitFor();
    if (workerRuns) {
      const log_ = await eventually(`migration run ${id} recorded by the worker`, async () => {
        const data = await apiGet(`migrations/${id}/`);
        return data?.result !== 'pending' ? data : null;
      });
      if (log_.result !== 'success') fail(`migration run ${id} ended ${log_.result}: ${log_.output}`);
      if (!/No migrations to apply\./.test(log_.output ?? '')) fail(`migration run ${id} applied something: ${log_.output}`);
      // The page follows the run by itself until it is recorded.
      const output = page.getByRole('group', { name: 'Output of the run' });
      await output.waitFor({ timeout: 15_000 });
      if (!(await output.innerText()).includes('Last successful migration githash:')) fail('the run output lacks the previous githash');
      log(`    run ${id}: ${log_.result}, githash ${log_.githash}`);
    } else {
      log(`    run ${id} queued (no worker: its outcome is not awaited)`);
    }
    await expectNoAlert(`migration run ${id}`);
    await shot('07-migration-run');
  });
}
