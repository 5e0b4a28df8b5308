// The release and job pages in the browser, for run.mjs: a job type and a schema of it created
// from their pages, a job started on a harvester from the form generated from that schema (then
// seen in /jobs, its detail, sent to the job server stand-in, finished by job results, its
// status history), a schedule saved and cancelled, a release whose tags are edited and whose
// install is scheduled, then a rollout of that release and its "What got worse" panel
// (rollouts.mjs).
//
// `t` holds run.mjs's page and helpers: page, step, shot, fail, log, apiGet, apiPost, ingest,
// eventually, chooseInMultiSelect, expectNoAlert, rowWithLink, baseUrl, user (the signed-in
// user), workerRuns, jobServerUrl (the stand-in's address, when scripts/e2e started one).

import { rolloutSteps } from './rollouts.mjs';

/** The payload schema the check creates: hosts (defaulted) and a required message. */
const SCHEMA = {
  type: 'object',
  properties: {
    targets: {
      type: 'array',
      description: 'Hosts to run on',
      items: { type: 'string', pattern: '^(master|((robot|stereo)\\d+))$' },
      default: ['master'],
    },
    message: { type: 'string', title: 'Message', minLength: 1 },
  },
  required: ['targets', 'message'],
};

/** An install_release schema close to what CI posts. */
const INSTALL_SCHEMA = {
  type: 'object',
  properties: {
    run_state: { type: 'array', items: { type: 'string' } },
    targets: { type: 'array', items: { type: 'string' } },
    release: { type: 'object' },
  },
  required: ['targets', 'release'],
};

const isManager = (user) => !!user && (user.is_superuser || user.profile?.role === 'manager');

export async function jobSteps(t) {
  const { page, step, shot, fail, log, apiGet, apiPost, eventually, chooseInMultiSelect, expectNoAlert, rowWithLink, baseUrl } = t;
  if (!isManager(t.user)) {
    log('→ job steps skipped: they create job types, schemas and releases, which needs a manager or a superuser');
    return;
  }
  const tag = Date.now().toString(36).slice(-6);
  const typeName = `e2e_${tag}`;
  const state = {};

  await step('job type and job schema created from their pages', async () => {
    await page.goto(`${baseUrl}/jobtypes`, { waitUntil: 'domcontentloaded' });
    await page.getByRole('table', { name: 'Job types' }).waitFor();
    await page.getByRole('button', { name: 'New job type' }).click();
    const typeDialog = page.getByRole('dialog', { name: 'New job type' });
    await typeDialog.getByRole('textbox', { name: /Name/ }).fill(typeName);
    await typeDialog.getByRole('button', { name: 'Create job type' }).click();
    await typeDialog.waitFor({ state: 'detached' });
    await rowWithLink(page.getByRole('table', { name: 'Job types' }), typeName).waitFor();
    await shot('40-job-types');

    await page.goto(`${baseUrl}/jobschemas`, { waitUntil: 'domcontentloaded' });
    await page.getByRole('button', { name: 'New job schema' }).click();
    const dialog = page.getByRole('dialog', { name: 'New job schema' });
    const typeSelect = dialog.getByRole('combobox', { name: /Job type/ });
    await typeSelect.locator(`option[value="${typeName}"]`).waitFor({ state: 'attached' });
    await typeSelect.selectOption(typeName);
    await dialog.getByRole('textbox', { name: /Version/ }).fill('1.0');
    await dialog.getByRole('textbox', { name: /Comment/ }).fill('made by the browser check');
    const json = dialog.getByRole('textbox', { name: /Schema \(JSON\)/ });
    // Not JSON yet: the page says where, and will not send it.
    await json.fill('{"type": "object",}');
    await dialog.getByText(/^Line 1, column \d+:/).waitFor();
    if (!(await dialog.getByRole('button', { name: 'Create schema' }).isDisabled())) fail('"Create schema" is enabled with text that is not JSON');
    await json.fill(JSON.stringify(SCHEMA, null, 2));
    await dialog.getByRole('button', { name: 'Create schema' }).click();
    await page.waitForURL(/\/jobschemas\/\d+$/);
    state.schemaId = Number(page.url().split('/').pop());
    await page.getByRole('heading', { name: `${typeName} schema 1.0`, level: 1 }).waitFor();
    const fields = page.getByRole('table', { name: 'Payload fields' });
    await fields.getByRole('row').filter({ hasText: 'message' }).filter({ hasText: 'required' }).waitFor();
    await expectNoAlert('the new job schema');
    await shot('41-job-schema');
    log(`    job type ${typeName}, schema ${state.schemaId}`);
  });

  await step('a job started on a harvester from the generated form', async () => {
    const harvesters = await apiGet('harvesters/?is_emulator=false&limit=100');
    const target = harvesters.results.find((h) => h.harv_id === 11) ?? harvesters.results[0];
    if (!target) fail('no real harvester to start a job on');
    state.harvester = target;

    await page.goto(`${baseUrl}/jobscheduler`, { waitUntil: 'domcontentloaded' });
    const typeSelect = page.getByRole('combobox', { name: 'Job type' });
    await typeSelect.locator(`option[value="${typeName}"]`).waitFor({ state: 'attached' });
    await typeSelect.selectOption(typeName);
    await page.getByRole('heading', { name: `Schema ${typeName} 1.0` }).waitFor();
    await page.getByRole('table', { name: 'Recent jobs of this schema' }).waitFor();
    await shot('42-job-scheduler');
    await page.getByRole('link', { name: `Schedule ${typeName} 1.0` }).click();
    await page.waitForURL(new RegExp(`/schedulejob/${state.schemaId}$`));

    // The form generated from the schema (its library loads with the page's form only).
    const message = page.getByRole('textbox', { name: /^Message/ });
    await message.waitFor();
    if ((await page.locator('#payload_targets_0').inputValue()) !== 'master') fail('the hosts field has not its default "master"');
    await page.getByRole('button', { name: 'Start the job' }).click();
    await page.getByText('Choose at least one harvester.').waitFor();
    await message.fill(`hello from the browser check ${tag}`);
    await chooseInMultiSelect('Harvesters', target.harv_id);
    await shot('43-schedule-job');
    await page.getByRole('button', { name: 'Start the job' }).click();
    await page.waitForURL(/\/jobs\?uuid=/);
    const uuid = new URL(page.url()).searchParams.get('uuid');
    state.uuid = uuid;
    await page.getByText(/^Started a job of /).waitFor();
    const jobs = page.getByRole('table', { name: 'Jobs' });
    const row = jobs.locator('tbody tr:not(.empty-row)');
    await row.first().waitFor();
    if ((await row.count()) !== 1) fail(`the job list filtered to the new job shows ${await row.count()} rows`);
    if (!(await row.first().innerText()).includes(typeName)) fail(`the new job's row does not name ${typeName}`);
    state.jobId = Number((await row.first().locator('td a').first().innerText()).trim());
    const created = await apiGet(`harvjobs/${state.jobId}/`);
    if (created.payload?.message !== `hello from the browser check ${tag}` || created.payload?.targets?.[0] !== 'master') {
      fail(`the job's payload is ${JSON.stringify(created.payload)}`);
    }
    if (created.event?.UUID !== uuid) fail(`job ${state.jobId} has UUID ${created.event?.UUID}, the list was filtered to ${uuid}`);
    await shot('44-jobs');
    log(`    job ${state.jobId} (${uuid}) on harvester ${target.harv_id}`);
  });

  await step('the job’s detail: sent to the job server, finished by its results, status history', async () => {
    const detail = `${baseUrl}/jobs/${state.jobId}`;
    await page.goto(detail, { waitUntil: 'domcontentloaded' });
    await page.getByRole('heading', { name: new RegExp(`^Job ${state.jobId} `), level: 1 }).waitFor();
    await page.getByRole('table', { name: 'Status history' }).getByText('Pending').first().waitFor();
    if (t.workerRuns && t.jobServerUrl) {
      await eventually('the job sent to the job server', async () => (await apiGet(`harvjobs/${state.jobId}/`)).dispatch?.status === 'sent');
      const received = await (await page.request.get(`${t.jobServerUrl}/jobs`)).json();
      const sent = received.jobs.find((j) => JSON.parse(j.job_payload ?? '{}').id === state.uuid);
      if (!sent) fail(`the job server stand-in did not get job ${state.uuid} (${received.count} jobs there)`);
      await page.reload({ waitUntil: 'domcontentloaded' });
      await page.getByRole('region', { name: 'Sending' }).getByText('sent', { exact: true }).waitFor();
      log(`    sent to ${sent.hv_name} by ${sent.operator}`);

      // The harvester answers: every host succeeded.
      const now = Math.floor(Date.now() / 1000);
      const serial = String(state.harvester.harv_id).padStart(3, '0');
      const response = await t.ingest('jobresults/', {
        type: 'jobresults',
        timestamp: now,
        serial_number: serial,
        uuid: state.uuid,
        data: { master: { ts: now - 2, exit_code: 0, stdout: 'hello', stderr: '', status: 'success' } },
      });
      if (response.status() !== 201) fail(`POST jobresults/ answered ${response.status()}`);
      await eventually('the job’s status from its results', async () => (await apiGet(`harvjobs/${state.jobId}/`)).jobstatus === 'Success');
      await page.reload({ waitUntil: 'domcontentloaded' });
      await page.getByRole('heading', { name: `Job ${state.jobId} Success`, level: 1 }).waitFor();
      const results = page.getByRole('table', { name: 'Results of this job' });
      await results.locator('.badge-ok', { hasText: 'Success' }).first().waitFor();
    } else {
      log('    no worker or no job server stand-in: the job stays Pending (not sent, no results)');
    }
    await expectNoAlert(`job ${state.jobId}`);
    await shot('45-job-detail');

    await page.getByRole('link', { name: 'Full status history' }).click();
    await page.waitForURL(new RegExp(`/jobstatus/${state.jobId}$`));
    const history = page.getByRole('table', { name: 'Status history' });
    // Wait for the history itself (its oldest entry is always Pending), not for any row: the
    // table shows a placeholder row while the page loads.
    await history.locator('tbody tr td:first-child', { hasText: 'Pending' }).first().waitFor();
    const statuses = (await history.locator('tbody tr td:first-child').allInnerTexts()).map((s) => s.trim());
    const expected = t.workerRuns && t.jobServerUrl ? ['Success', 'Pending'] : ['Pending'];
    if (JSON.stringify(statuses) !== JSON.stringify(expected)) fail(`the status history is ${JSON.stringify(statuses)}, expected ${JSON.stringify(expected)}`);
    await shot('46-job-status');

    // The job's results link on the list leads to the job-results list filtered to it.
    await page.goto(`${baseUrl}/jobs?uuid=${state.uuid}`, { waitUntil: 'domcontentloaded' });
    await page.getByRole('link', { name: `Results of job ${state.jobId}` }).click();
    await page.waitForURL(/\/jobresults\?job__target__harv_id=\d+&job__event__UUID=/);
    const resultRows = page.getByRole('table', { name: 'Job results' }).locator('tbody tr:not(.empty-row)');
    if (t.workerRuns && t.jobServerUrl) {
      await resultRows.first().getByRole('link', { name: `Job ${state.jobId}` }).waitFor();
    } else {
      await page.getByRole('table', { name: 'Job results' }).waitFor();
    }
  });

  await step('a job schedule saved from the form, then cancelled', async () => {
    await page.goto(`${baseUrl}/schedulejob/${state.schemaId}?targets=${state.harvester.harv_id}`, { waitUntil: 'domcontentloaded' });
    await page.getByRole('textbox', { name: /^Message/ }).fill('every morning');
    await page.getByRole('radio', { name: 'Repeatedly (cron)' }).check();
    const cron = page.getByRole('textbox', { name: /Cron expression/ });
    await cron.fill('every morning');
    await page.getByRole('button', { name: 'Save the schedule' }).click();
    // The API's answer, next to the field.
    const cronError = page.locator('.field.has-error').filter({ has: cron }).locator('.field-error');
    await cronError.waitFor();
    if (!/cron/i.test(await cronError.innerText())) fail(`the cron field says "${await cronError.innerText()}"`);
    await cron.fill('0 6 * * *');
    await page.getByRole('button', { name: 'Save the schedule' }).click();
    await page.waitForURL(/\/jobschedules\/\d+$/);
    const id = page.url().split('/').pop();
    await page.getByRole('heading', { name: `Schedule ${id} active`, level: 1 }).waitFor();
    await shot('47-job-schedule');
    await page.getByRole('button', { name: `Cancel schedule ${id}` }).click();
    await page.getByRole('dialog', { name: `Cancel schedule ${id}?` }).getByRole('button', { name: 'Cancel the schedule' }).click();
    await page.getByRole('heading', { name: `Schedule ${id} cancelled`, level: 1 }).waitFor();
    await page.goto(`${baseUrl}/jobschedules?active=`, { waitUntil: 'domcontentloaded' });
    await rowWithLink(page.getByRole('table', { name: 'Job schedules' }), id).getByText('cancelled').waitFor();
  });

  await step('a release: tags edited, install scheduled on a harvester', async () => {
    // CI posts releases; the check does as CI would (a superuser may).
    const version = `e2e.${tag}`;
    const posted = await apiPost('release/', {
      version,
      project: state.harvester.fruit?.name ?? 'strawberry',
      tags: ['e2e'],
      master: { version, packages: { aft: version } },
    });
    if (posted.status() !== 201) {
      log(`    skipped: POST release/ answered ${posted.status()} (only superusers and CI post releases)`);
      return;
    }
    const release = (await posted.json()).data;
    state.release = release;
    const types = await apiGet('jobtypes/?limit=10000');
    if (!types.results.some((jt) => jt.name === 'install_release')) {
      const made = await apiPost('jobtypes/', { name: 'install_release' });
      if (made.status() !== 201) fail(`POST jobtypes/ install_release answered ${made.status()}`);
    }
    const schemas = await apiGet('jobschemas/?jobtype__name=install_release&limit=10000');
    if (!schemas.count) {
      const made = await apiPost('jobschemas/', { jobtype: 'install_release', version: '1.0', comment: 'e2e', schema: INSTALL_SCHEMA });
      if (made.status() !== 201) fail(`POST jobschemas/ install_release answered ${made.status()}`);
    }

    await page.goto(`${baseUrl}/release?fruit=${encodeURIComponent(release.fruit.name)}`, { waitUntil: 'domcontentloaded' });
    await rowWithLink(page.getByRole('table', { name: 'Releases' }), version).getByRole('link', { name: version, exact: true }).click();
    await page.getByRole('heading', { name: new RegExp(`^Release ${version.replace('.', '\\.')}`), level: 1 }).waitFor();
    await page.getByRole('region', { name: 'Manifest' }).getByText(`"${version}"`).first().waitFor();
    await page.getByRole('table', { name: 'Harvesters on this release' }).waitFor();

    const tags = page.getByRole('form', { name: `Tags of release ${version}` });
    await tags.getByRole('button', { name: /^Tags:/ }).click();
    await tags.getByRole('searchbox', { name: 'Search tags' }).fill('checked-by-e2e');
    await page.keyboard.press('Enter');
    await page.keyboard.press('Escape');
    await tags.getByRole('button', { name: 'Save tags' }).click();
    await tags.getByText('Tags saved.').waitFor();
    if (!(await tags.getByRole('button', { name: 'Save tags' }).isDisabled())) fail('"Save tags" is still enabled after saving');
    const saved = await apiGet(`release/${release.id}/`);
    if (JSON.stringify(saved.tags.sort()) !== JSON.stringify(['checked-by-e2e', 'e2e'])) fail(`the release's tags are ${JSON.stringify(saved.tags)}`);
    await shot('48-release');

    await page.getByRole('button', { name: 'Schedule install' }).click();
    const dialog = page.getByRole('dialog', { name: `Install ${version} (${release.fruit.name})` });
    await dialog.getByText(/install_release/).first().waitFor();
    await chooseInMultiSelect('Harvesters', state.harvester.harv_id);
    await dialog.getByRole('button', { name: 'Install' }).click();
    await page.waitForURL(/\/jobs\?uuid=/);
    const row = page.getByRole('table', { name: 'Jobs' }).locator('tbody tr:not(.empty-row)');
    await row.first().waitFor();
    if (!(await row.first().innerText()).includes('install_release')) fail('the install job is not listed as install_release');
    const jobId = (await row.first().locator('td a').first().innerText()).trim();
    const install = await apiGet(`harvjobs/${jobId}/`);
    if (install.payload?.release?.version !== version || install.payload?.run_state?.[0] !== 'updating') {
      fail(`the install job's payload is ${JSON.stringify(install.payload).slice(0, 300)}`);
    }
    await shot('49-release-install');
  });

  if (state.release) await rolloutSteps(t, { release: state.release, harvester: state.harvester });
  else log('→ rollout steps skipped: no release was posted');
}
