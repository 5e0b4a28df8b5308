// A release rollout and the release's "What got worse" panel in the browser, for jobs.mjs: a
// rollout started from the release page on one harvester with no time to watch each wave (the
// API's 400 shown next to its field first), its first wave with the harvester's install job,
// halted and resumed with their confirmations, then cancelled; the rollout's own page; the
// pareto panel of a release no harvester has run yet (its empty state).
//
// `t` holds run.mjs's page and helpers (see jobs.mjs); `release` is the release jobs.mjs posted
// and `harvester` the real harvester its jobs ran on.

export async function rolloutSteps(t, { release, harvester }) {
  const { page, step, shot, fail, log, apiGet, eventually, chooseInMultiSelect, expectNoAlert, baseUrl } = t;
  const state = {};

  await step('a rollout started from the release page, wave 1 with its install job, halted and resumed', async () => {
    await page.goto(`${baseUrl}/release/${release.id}`, { waitUntil: 'domcontentloaded' });
    const panel = page.getByRole('region', { name: 'Rollouts' });
    await panel.getByText('No rollout of this release yet.').waitFor();
    await panel.getByRole('button', { name: 'Start rollout' }).click();
    const dialog = page.getByRole('dialog', { name: `Roll out ${release.version} (${release.fruit.name})` });
    await dialog.getByRole('radio', { name: new RegExp(`^Every real ${release.fruit.name} harvester \\(\\d+ now; the default\\)`) }).waitFor();
    await dialog.getByRole('radio', { name: 'Harvesters I choose' }).check();
    await chooseInMultiSelect('Harvesters', harvester.harv_id);
    await dialog.getByRole('spinbutton', { name: 'Minutes to watch each wave' }).fill('0');
    // A halt ratio the API refuses: its 400, next to the field.
    const ratio = dialog.getByRole('spinbutton', { name: 'Halt ratio' });
    await ratio.fill('0.5');
    await dialog.getByRole('button', { name: 'Start rollout' }).click();
    const ratioError = dialog.locator('.field.has-error').filter({ hasText: 'Halt ratio' }).locator('.field-error');
    await ratioError.waitFor();
    if (!/between 1 and 100/i.test(await ratioError.innerText())) fail(`the halt ratio field says "${await ratioError.innerText()}"`);
    await ratio.fill('1.5');
    await shot('50-start-rollout', page);
    await dialog.getByRole('button', { name: 'Start rollout' }).click();
    await dialog.waitFor({ state: 'detached' });
    const started = panel.getByText(/^Rollout \d+ started: 1 wave, /);
    await started.waitFor();
    state.id = Number(/^Rollout (\d+)/.exec(await started.innerText())[1]);
    const created = await apiGet(`rollouts/${state.id}/`);
    if (JSON.stringify(created.waves.map((w) => w.harvesters)) !== JSON.stringify([[harvester.harv_id]]) || created.wave_minutes !== 0) {
      fail(`rollout ${state.id} is ${JSON.stringify(created).slice(0, 300)}`);
    }
    log(`    rollout ${state.id} of release ${release.version} on harvester ${harvester.harv_id}`);

    const heading = panel.getByRole('heading', { name: new RegExp(`^Rollout ${state.id} `), level: 3 });
    if (t.workerRuns) {
      // The worker starts wave 1 within a few seconds; the page asks again every 10 s, or now.
      await eventually('wave 1 started by the worker', async () => (await apiGet(`rollouts/${state.id}/`)).current_wave === 1);
      await panel.getByRole('button', { name: 'Refresh' }).click();
      await heading.filter({ hasText: 'wave 1 of 1' }).waitFor();
      const bar = panel.getByRole('progressbar', { name: 'Wave 1 installs' });
      await bar.waitFor();
      const text = await bar.getAttribute('aria-valuetext');
      // Sent to the job server stand-in, which never answers with results: the job stays Pending.
      if (!/\b1 (pending|installed)\b/.test(text ?? '')) fail(`wave 1's bar says "${text}"`);
      const waves = panel.getByRole('table', { name: `Waves of rollout ${state.id}` });
      const jobLink = waves.getByRole('link', { name: String(harvester.harv_id), exact: true });
      if ((await jobLink.getAttribute('href')) !== `/jobs?target__harv_id=${harvester.harv_id}&jobtype=install_release`) {
        fail(`harvester ${harvester.harv_id} of wave 1 links to ${await jobLink.getAttribute('href')}`);
      }
    } else {
      log('    no worker: wave 1 does not start (halt and resume still work)');
    }
    await expectNoAlert(`rollout ${state.id}`);
    await shot('51-rollout-running');

    await panel.getByRole('button', { name: `Halt rollout ${state.id}` }).click();
    const halt = page.getByRole('dialog', { name: `Halt rollout ${state.id}?` });
    await halt.getByRole('button', { name: 'Halt it' }).click();
    await halt.waitFor({ state: 'detached' });
    await heading.locator('.badge-error', { hasText: 'halted' }).waitFor();
    await panel.getByText('halted by hand', { exact: false }).first().waitFor();
    if ((await apiGet(`rollouts/${state.id}/`)).status !== 'halted') fail(`rollout ${state.id} is not halted`);
    await shot('52-rollout-halted');

    await panel.getByRole('button', { name: `Resume rollout ${state.id}` }).click();
    const resume = page.getByRole('dialog', { name: `Resume rollout ${state.id}?` });
    await resume.getByRole('button', { name: 'Resume it' }).click();
    await resume.waitFor({ state: 'detached' });
    await heading.locator('.badge-info', { hasText: 'running' }).waitFor();
    const resumed = await apiGet(`rollouts/${state.id}/`);
    // Halted again by the worker only if its install job failed meanwhile.
    if (resumed.status !== 'running' && !(resumed.status === 'halted' && resumed.halt_reason !== 'halted by hand')) {
      fail(`rollout ${state.id} is ${resumed.status} (${resumed.halt_reason}) after resuming`);
    }
  });

  await step('the rollout cancelled on its own page; what got worse with a release nobody ran yet', async () => {
    await page.goto(`${baseUrl}/rollouts/${state.id}`, { waitUntil: 'domcontentloaded' });
    await page.getByRole('heading', { name: new RegExp(`^Rollout ${state.id} (running|halted)`), level: 1 }).waitFor();
    await page.getByRole('navigation', { name: 'Breadcrumb' }).getByRole('link', { name: `Release ${release.version}` }).waitFor();
    await page.getByRole('button', { name: `Cancel rollout ${state.id}` }).click();
    const cancel = page.getByRole('dialog', { name: `Cancel rollout ${state.id}?` });
    await cancel.getByRole('button', { name: 'Cancel the rollout' }).click();
    await cancel.waitFor({ state: 'detached' });
    await page.getByRole('heading', { name: new RegExp(`^Rollout ${state.id} cancelled`), level: 1 }).waitFor();
    if (await page.getByRole('button', { name: /rollout \d+$/ }).count()) fail('a cancelled rollout still offers halt, resume or cancel');
    await expectNoAlert(`rollout ${state.id}'s page`);
    await shot('53-rollout-page');

    await page.goto(`${baseUrl}/release/${release.id}`, { waitUntil: 'domcontentloaded' });
    const pareto = page.getByRole('region', { name: 'What got worse' });
    // The install job never succeeded: no harvester has the release in its history.
    await pareto.getByText(/^No harvester has run this release yet/).waitFor();
    const answer = await apiGet(`release/${release.id}/pareto/`);
    if (answer.harvesters !== 0 || answer.results.length !== 0) fail(`release/${release.id}/pareto/ answered ${JSON.stringify(answer).slice(0, 300)}`);
    await expectNoAlert('the release page');
    await shot('54-release-pareto');
  });
}
