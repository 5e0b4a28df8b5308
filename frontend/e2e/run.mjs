#!/usr/bin/env node
// End-to-end check of the HDS web app in a real browser (Debian's chromium
// driven by playwright-core): sign in, home, profile, users, API docs, the S3
// files and failed-ingest lists (empty lists are fine), the migration pages (a run queued by a
// manager); then,
// with data found through the API: the error-report list on a 1366×768 first
// screen, error reports filtered by harvester and
// code, a report's detail with its exceptions and event files, a file link,
// the pareto chart, a notification created from the filters and deleted, the
// sysmon panel of two reports it ingests (one per sysmon format), the report-kind pages, the
// release and job pages and a release's rollout (e2e/jobs.mjs, e2e/rollouts.mjs); finally sign out. A screenshot of every page goes to e2e/artifacts/.
//
// Environment:
//   HDS_URL           server that serves the app and the API (default http://127.0.0.1:8085)
//   E2E_USER          username (default aft)
//   E2E_PASSWORD      password (default aft)
//   E2E_CHROMIUM      browser executable (default /usr/bin/chromium)
//   E2E_STEP_TIMEOUT  ms one check may wait (default 15000)
//   E2E_TIMEOUT       ms the whole run may take (default 240000)
//   E2E_DATA          0 skips the steps that need error reports (default: run
//                     them, and fail if the server has no error report)
//   E2E_SQS_TOKEN     API token of the sqs user: the report kinds are ingested with it (without
//                     it, with the browser session when it may ingest; otherwise skipped)
//   E2E_WORKER        1 when `hds worker` runs beside the server: then the report-kinds step
//                     also waits for what it extracts (autodiagnostics runs, host results, assets)
//   E2E_JOBSERVER_URL the job server stand-in the worker sends jobs to (`hds jobserver`): with a
//                     worker, the job steps check that their job was sent there and finish it
//
// Exits 0 when every step passed, 1 on the first failure (with the step, the
// reason and a failure screenshot), 2 when the browser cannot be started.

import { existsSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { jobSteps } from './jobs.mjs';
import { logSessionSteps } from './logsessions.mjs';
import { migrationSteps } from './migrations.mjs';
import { reportKinds } from './report-kinds.mjs';
import { SYSMON_CASES } from './sysmon-reports.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const artifacts = join(here, 'artifacts');
const baseUrl = (process.env.HDS_URL || 'http://127.0.0.1:8085').replace(/\/+$/, '');
const username = process.env.E2E_USER || 'aft';
const password = process.env.E2E_PASSWORD || 'aft';
const executablePath = process.env.E2E_CHROMIUM || '/usr/bin/chromium';
const stepTimeout = Number(process.env.E2E_STEP_TIMEOUT || 15_000);
const totalTimeout = Number(process.env.E2E_TIMEOUT || 240_000);
const SESSION_KEY = 'hds.session';
const withData = process.env.E2E_DATA !== '0';
const sqsToken = process.env.E2E_SQS_TOKEN || '';
const workerRuns = process.env.E2E_WORKER === '1';
const jobServerUrl = (process.env.E2E_JOBSERVER_URL || '').replace(/\/+$/, '');

const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

class StepError extends Error {}

const log = (line) => console.log(line);
const fail = (message) => {
  throw new StepError(message);
};

// Hard stop: nothing below may hang the run.
const watchdog = setTimeout(() => {
  console.error(`E2E FAILED: the run took longer than ${totalTimeout} ms (E2E_TIMEOUT).`);
  process.exit(1);
}, totalTimeout);
watchdog.unref();

mkdirSync(artifacts, { recursive: true });
// Screenshots of an earlier run would be mistaken for this one's.
for (const name of readdirSync(artifacts)) {
  if (name.endsWith('.png')) rmSync(join(artifacts, name));
}

let browser;
let page;
let currentStep = 'start';
const pageErrors = [];
const serverErrors = [];
let passed = 0;

async function shot(name, target = page) {
  const file = join(artifacts, `${name}.png`);
  // Full-page shots from the top, so the sticky header is where it belongs.
  await target.evaluate(() => window.scrollTo(0, 0)).catch(() => {});
  await target.screenshot({ path: file, fullPage: true, timeout: stepTimeout });
  log(`    screenshot ${relative(process.cwd(), file)}`);
}

async function step(name, fn) {
  currentStep = name;
  const started = Date.now();
  log(`→ ${name}`);
  await fn();
  passed += 1;
  log(`✓ ${name} (${Date.now() - started} ms)`);
}

/** Waits until one of several locators is visible; returns its key. */
async function firstVisible(candidates, timeout = stepTimeout) {
  const entries = Object.entries(candidates);
  return Promise.any(
    entries.map(([key, locator]) => locator.first().waitFor({ state: 'visible', timeout }).then(() => key)),
  ).catch(() => null);
}

async function session() {
  return page.evaluate((key) => {
    const raw = localStorage.getItem(key);
    return raw ? JSON.parse(raw) : null;
  }, SESSION_KEY);
}

function jwtExp(token) {
  try {
    const payload = JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString('utf8'));
    return typeof payload.exp === 'number' ? payload.exp : null;
  } catch {
    return null;
  }
}

async function expectNoAlert(where) {
  const alert = page.getByRole('alert');
  if (await alert.count()) {
    const text = (await alert.first().innerText()).replace(/\s+/g, ' ').slice(0, 400);
    fail(`${where} shows an error: ${text}`);
  }
}

/** GET an API path with the browser session's token; returns `data` of the envelope. */
async function apiGet(path) {
  const stored = await session();
  const response = await page.request.get(`${baseUrl}/api/v1/${path}`, {
    headers: { Authorization: `Bearer ${stored?.access}`, Accept: 'application/json' },
    timeout: stepTimeout,
  });
  const body = await response.json().catch(() => null);
  if (!response.ok()) fail(`GET /api/v1/${path} answered ${response.status()} ${JSON.stringify(body)?.slice(0, 300)}`);
  return body?.data;
}

/** POST a JSON body to an API path with the browser session's token; returns the response. */
async function apiPost(path, body) {
  const stored = await session();
  return page.request.post(`${baseUrl}/api/v1/${path}`, {
    headers: { Authorization: `Bearer ${stored?.access}`, Accept: 'application/json' },
    data: body,
    timeout: stepTimeout,
  });
}

/** POST a report as a harvester's forwarder does: with the sqs user's token (else the session's). */
async function ingest(path, body) {
  const auth = sqsToken ? `Token ${sqsToken}` : `Bearer ${(await session())?.access}`;
  return page.request.post(`${baseUrl}/api/v1/${path}`, {
    headers: { Authorization: auth, Accept: 'application/json' },
    data: body,
    timeout: stepTimeout,
  });
}

/** Asks `check` every half second until it returns something truthy (or `timeout` ms pass). */
async function eventually(what, check, timeout = 30_000) {
  const until = Date.now() + timeout;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > until) fail(`${what}: not there after ${timeout} ms (is the worker running?)`);
    await page.waitForTimeout(500);
  }
}

/** The row of a table that has a link named `name`. */
function rowWithLink(table, name) {
  return table.locator('tbody tr').filter({ has: page.getByRole('link', { name: String(name), exact: true }) });
}

const escapeRe = (text) => String(text).replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Picks values in one of the app's multi-selects (button "Label: …", search box, checkboxes). */
async function chooseInMultiSelect(label, value) {
  await page.getByRole('button', { name: new RegExp(`^${escapeRe(label)}:`) }).click();
  const search = page.getByRole('searchbox', { name: `Search ${label.toLowerCase()}` });
  await search.fill(String(value));
  const option = page.getByRole('checkbox', { name: new RegExp(`^${escapeRe(value)}( ·| \\(|$)`) }).first();
  try {
    await option.waitFor({ state: 'visible' });
  } catch {
    fail(`the ${label} list offers no ${value} (is it in the API's list for the drop-down?)`);
  }
  if (!(await option.isChecked())) await option.check();
  await page.getByRole('button', { name: 'Done' }).click();
}

/** Opens a filter panel that is folded (the error-report list starts folded until opened once). */
async function showFilters(target = page) {
  const show = target.getByRole('button', { name: 'Show filters' });
  if (await show.count()) await show.first().click();
  await target.getByRole('button', { name: 'Apply filters' }).waitFor();
}

/** Waits for the error-report table (or its empty row) after a request. */
async function reportRows() {
  const table = page.getByRole('table', { name: 'Error reports' });
  await table.waitFor();
  await page.waitForFunction(() => !document.querySelector('table[aria-busy="true"]'), null, { timeout: stepTimeout });
  return table.locator('tbody tr:not(.empty-row)');
}

function userCanDevelop(user) {
  return !!user && (user.is_superuser || ['developer', 'manager'].includes(user.profile?.role));
}

async function main() {
  log(`HDS end-to-end check against ${baseUrl} as "${username}"`);

  if (!existsSync(executablePath)) {
    console.error(
      `E2E FAILED: no browser at ${executablePath}. Install Debian's chromium (apt-get install -y chromium) or set E2E_CHROMIUM.`,
    );
    process.exit(2);
  }

  currentStep = 'launch chromium';
  try {
    browser = await chromium.launch({ executablePath, args: CHROMIUM_ARGS, timeout: 30_000 });
  } catch (error) {
    console.error(`E2E FAILED: chromium did not start: ${String(error.message).split('\n')[0]}`);
    process.exit(2);
  }
  log(`  chromium ${browser.version()}`);

  const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'en-US' });
  context.setDefaultTimeout(stepTimeout);
  context.setDefaultNavigationTimeout(stepTimeout);
  page = await context.newPage();
  page.on('pageerror', (error) => pageErrors.push(`${currentStep}: ${error.message}`));
  page.on('response', (response) => {
    if (response.status() >= 500 && response.url().startsWith(baseUrl)) {
      serverErrors.push(`${currentStep}: ${response.status()} ${response.request().method()} ${response.url()}`);
    }
  });

  await step('open the login page', async () => {
    try {
      await page.goto(`${baseUrl}/login`, { waitUntil: 'domcontentloaded' });
    } catch (error) {
      fail(`cannot load ${baseUrl}/login: ${String(error.message).split('\n')[0]}. Is the HDS server running there?`);
    }
    const form = page.getByRole('form', { name: 'Sign in' });
    try {
      await form.waitFor({ state: 'visible' });
    } catch {
      fail(`${baseUrl}/login did not show the sign-in form. Does the server serve frontend/dist with an index.html fallback?`);
    }
    await shot('01-login');
  });

  await step('API healthcheck', async () => {
    const response = await page.request.get(`${baseUrl}/api/v1/healthcheck/`, { timeout: stepTimeout });
    const body = await response.json().catch(() => null);
    if (!response.ok() || body?.status !== 'online') {
      fail(`GET /api/v1/healthcheck/ answered ${response.status()} ${JSON.stringify(body)?.slice(0, 200)}`);
    }
  });

  await step('sign in', async () => {
    await page.getByLabel('Username').fill(username);
    await page.getByLabel('Password').fill(password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    const outcome = await firstVisible({
      home: page.getByRole('heading', { name: 'Welcome to HDS' }),
      error: page.locator('.login-card [role="alert"]'),
    });
    if (outcome === 'error') {
      const text = await page.locator('.login-card [role="alert"]').first().innerText();
      fail(`sign-in refused: ${text}`);
    }
    if (outcome !== 'home') fail('the home page did not appear after signing in');
    const stored = await session();
    if (!stored?.access || !stored?.refresh) fail('no access/refresh token in localStorage after signing in');
    if (stored.user?.username !== username) fail(`stored user is ${stored.user?.username}, expected ${username}`);
    const exp = jwtExp(stored.access);
    if (exp === null) fail('the access token is not a JWT with an exp claim');
    log(`    access token valid for ${Math.round(exp - Date.now() / 1000)} s`);
  });

  await step('home page', async () => {
    await page.getByRole('search').getByLabel('Harvester ID (harv_id)').waitFor();
    const cards = await page.locator('.menu-cards a').count();
    if (cards < 5) fail(`expected the menu cards, found ${cards}`);
    const fleet = page.locator('section[aria-labelledby="fleet-title"]');
    const outcome = await firstVisible({
      table: fleet.getByRole('table', { name: 'Harvesters' }),
      error: fleet.getByRole('alert'),
    });
    if (outcome === null) fail('the fleet overview neither loaded nor failed');
    if (outcome === 'table') {
      const rows = await fleet.locator('tbody tr:not(.empty-row)').count();
      const headers = (await fleet.locator('thead th').allInnerTexts()).map((t) => t.trim());
      for (const header of ['Last report', 'Last error']) {
        if (!headers.includes(header)) fail(`the fleet overview has no "${header}" column (columns: ${headers.join(', ')})`);
      }
      const reported = await fleet.locator('tbody a[href^="/errorreports/"]').count();
      log(`    fleet overview: ${rows} harvester row(s), ${reported} with a last error report`);
    } else {
      const text = (await fleet.getByRole('alert').innerText()).replace(/\s+/g, ' ').slice(0, 200);
      log(`    fleet overview shows the API's error (harvesters/ not available?): ${text}`);
    }
    await shot('02-home');

    const phone = await browser.newContext({
      viewport: { width: 390, height: 844 },
      isMobile: true,
      hasTouch: true,
      storageState: await context.storageState(),
    });
    try {
      const mobile = await phone.newPage();
      await mobile.goto(`${baseUrl}/`, { waitUntil: 'domcontentloaded', timeout: stepTimeout });
      await mobile.getByRole('heading', { name: 'Welcome to HDS' }).waitFor({ timeout: stepTimeout });
      await mobile.getByRole('button', { name: 'Menu' }).click({ timeout: stepTimeout });
      await mobile.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Home' }).waitFor({ timeout: stepTimeout });
      await shot('02-home-phone', mobile);
    } finally {
      await phone.close();
    }
  });

  await step('profile page', async () => {
    await page.getByRole('link', { name: /Profile of/ }).click();
    await page.waitForURL(/\/users\/profile\/me$/);
    await page.getByRole('heading', { name: 'My profile' }).waitFor();
    const details = page.locator('section[aria-labelledby="details-title"]');
    await details.getByText(username, { exact: true }).first().waitFor();
    await page.getByText('Refreshing…').waitFor({ state: 'detached' });
    await expectNoAlert('the profile page');
    await page.getByRole('form', { name: 'Edit details' }).waitFor();
    await page.getByRole('form', { name: 'Change password' }).waitFor();
    await shot('03-profile');
  });

  await step('users page', async () => {
    const user = (await session())?.user;
    const isManager = !!user && (user.is_superuser || user.profile?.role === 'manager');
    // A full page load: checks the server's index.html fallback and session restore.
    await page.goto(`${baseUrl}/users`, { waitUntil: 'domcontentloaded' });
    if (isManager) {
      await page.getByRole('heading', { name: 'Users', level: 1 }).waitFor();
      const outcome = await firstVisible({ table: page.getByRole('table', { name: 'Users' }), error: page.getByRole('alert') });
      if (outcome !== 'table') await expectNoAlert('the users page');
      if (outcome === null) fail('the users list did not load');
      const rows = await page.locator('tbody tr:not(.empty-row)').count();
      if (rows < 1) fail('the users list is empty, but it should at least list the signed-in user');
      const summary = await page.getByRole('navigation', { name: 'Users pages' }).locator('.pagination-summary').innerText();
      log(`    ${summary}`);
    } else {
      await page.getByRole('heading', { name: 'You are not allowed to see this page' }).waitFor();
      log(`    ${username} is not a manager: the forbidden page is shown`);
    }
    await shot('04-users');
  });

  await step('API docs page', async () => {
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'API docs' }).click();
    await page.waitForURL(/\/docs$/);
    const outcome = await firstVisible({
      docs: page.getByText(/^\d+ of \d+ endpoints?, /),
      error: page.getByRole('alert'),
    });
    if (outcome !== 'docs') {
      await expectNoAlert('the docs page');
      fail('the API description did not load');
    }
    const counts = await page.getByText(/^\d+ of \d+ endpoints?, /).innerText();
    log(`    ${counts}`);
    if (/^0 of 0 /.test(counts)) fail('the API description lists no endpoints');
    await shot('05-docs');
    await page.getByLabel('Search endpoints and schemas').fill('login');
    const login = page.locator('details.operation summary', { hasText: 'users/login' }).first();
    await login.waitFor();
    await login.click();
    await page.locator('details.operation[open] .operation-body').first().waitFor();
    await shot('05-docs-search');
  });

  await step('S3 files and failed ingests pages', async () => {
    const user = (await session())?.user;
    const role = user?.profile?.role;
    const mayReadFiles = !!user && (user.is_superuser || ['support', 'developer', 'manager', 'jenkins', 'beatbox'].includes(role));
    const mayReadFailures = !!user && (user.is_superuser || ['support', 'developer', 'manager'].includes(role));
    const isManager = !!user && (user.is_superuser || role === 'manager');

    /** The list's table (rows may be none) or the API's 403 for a role that may not read it. */
    async function listOrRefusal(tableName, allowed, what) {
      const outcome = await firstVisible({ table: page.getByRole('table', { name: tableName }), error: page.getByRole('alert') });
      if (outcome === 'error') {
        const text = (await page.getByRole('alert').first().innerText()).replace(/\s+/g, ' ').slice(0, 300);
        if (!allowed && /Not allowed/.test(text)) {
          log(`    ${username} (role ${role}) may not read ${what}; the 403 is shown`);
          if (!(await session())) fail(`the 403 on ${what} ended the session`);
          return null;
        }
        fail(`the ${what} list failed: ${text}`);
      }
      if (outcome !== 'table') fail(`the ${what} list neither loaded nor failed`);
      await page.waitForFunction(() => !document.querySelector('table[aria-busy="true"]'), null, { timeout: stepTimeout });
      return page.getByRole('table', { name: tableName }).locator('tbody tr:not(.empty-row)');
    }

    await page.goto(`${baseUrl}/s3files`, { waitUntil: 'domcontentloaded' });
    await page.getByRole('heading', { name: 'S3 files', level: 1 }).waitFor();
    await page.getByRole('form', { name: 'Filter S3 files' }).waitFor();
    const files = await listOrRefusal('S3 files', mayReadFiles, 'S3 files');
    if (files) {
      const count = await files.count();
      const links = await files.locator('a.download-link').evaluateAll((as) => as.map((a) => a.getAttribute('href')));
      if (links.some((href) => !/^(https?:)?\/\//.test(href ?? ''))) fail(`a download link is not a URL: ${JSON.stringify(links)}`);
      log(`    ${count} S3 file(s) on the first page, ${links.length} with a download link`);
      await shot('06-s3files');
      if (count > 0) {
        const id = (await files.first().locator('td').first().innerText()).trim();
        await files.first().getByRole('link', { name: id, exact: true }).click();
        await page.getByRole('heading', { name: `S3 file ${id}`, level: 1 }).waitFor();
        await page.getByRole('region', { name: 'Summary' }).waitFor();
        await expectNoAlert(`S3 file ${id}`);
        await shot('06-s3file-detail');
      }
    } else {
      await shot('06-s3files');
    }

    await page.goto(`${baseUrl}/failedingests`, { waitUntil: 'domcontentloaded' });
    await page.getByRole('heading', { name: 'Failed ingests', level: 1 }).waitFor();
    const failures = await listOrRefusal('Unresolved failed ingests', mayReadFailures, 'failed ingests');
    if (failures) {
      const count = await failures.count();
      const bulk = await page.getByRole('button', { name: /^Redrive selected/ }).count();
      if (isManager && !bulk) fail('a manager sees no "Redrive selected" button');
      if (!isManager && bulk) fail(`${username} is not a manager but sees "Redrive selected"`);
      log(`    ${count} unresolved failure(s) on the first page${isManager ? ' (redrive and resolve offered)' : ' (read-only)'}`);
      await shot('06-failedingests');
      if (count > 0) {
        const id = (await failures.first().locator('td a').first().innerText()).trim();
        await failures.first().getByRole('link', { name: id, exact: true }).click();
        await page.getByRole('heading', { name: `Failed ingest ${id}`, level: 1 }).waitFor();
        await page.getByRole('region', { name: 'Message' }).waitFor();
        await expectNoAlert(`failed ingest ${id}`);
        await shot('06-failedingest-detail');
      }
    } else {
      await shot('06-failedingests');
    }
  });

  // The Admin menu's migration pages; a manager queues a run (e2e/migrations.mjs).
  await migrationSteps({
    page,
    step,
    shot,
    fail,
    log,
    apiGet,
    eventually,
    expectNoAlert,
    baseUrl,
    user: (await session())?.user,
    workerRuns,
  });

  // A session-clip zip uploaded, extracted by the worker and read in the log viewer (e2e/logsessions.mjs).
  await logSessionSteps({
    page,
    step,
    shot,
    fail,
    log,
    apiGet,
    eventually,
    expectNoAlert,
    baseUrl,
    user: (await session())?.user,
    workerRuns,
  });

  if (withData) {
    const found = {};

    await step('find test data through the API', async () => {
      const reports = await apiGet('errorreports/?limit=100');
      if (!reports || typeof reports.count !== 'number') fail('GET errorreports/ did not answer a list page');
      if (reports.count === 0) {
        fail(
          'the server has no error reports. The error-report, pareto and notification steps need some: ' +
            'load the dev fixtures (harvesters 11/100, exception codes 0..3, error reports with exceptions) ' +
            'or set E2E_DATA=0 to skip these steps.',
        );
      }
      const withExceptions = reports.results.filter(
        (r) => r.harvester && r.harvester.harv_id !== null && Array.isArray(r.exceptions) && r.exceptions.some((e) => e.code),
      );
      if (!withExceptions.length) {
        fail(`none of the ${reports.results.length} newest error reports has a harvester and an exception with a code`);
      }
      // Prefer a report whose event carries files, to check a download link.
      const events = await apiGet('events/?limit=500').catch(() => null);
      const withFiles = new Map();
      for (const event of events?.results ?? []) {
        const file = (event.related_files ?? []).find((f) => typeof f.url === 'string' && f.url);
        if (!file) continue;
        for (const o of event.related_objects ?? []) {
          const m = /^\/?errorreports\/(\d+)\/?$/.exec(String(o.url).replace(/^https?:\/\/[^/]+/, ''));
          if (m) withFiles.set(Number(m[1]), file);
        }
      }
      const report = withExceptions.find((r) => withFiles.has(r.id)) ?? withExceptions[0];
      const exception = report.exceptions.find((e) => e.primary && e.code) ?? report.exceptions.find((e) => e.code);
      Object.assign(found, {
        reportId: report.id,
        harvId: report.harvester.harv_id,
        emulator: !!report.harvester.is_emulator,
        code: exception.code.code,
        file: withFiles.get(report.id) ?? null,
      });
      log(
        `    ${reports.count} error report(s); using report ${found.reportId}: harvester ${found.harvId}` +
          `${found.emulator ? ' (emulator)' : ''}, code ${found.code}, ${found.file ? `file ${found.file.url}` : 'no event files'}`,
      );
    });

    await step('error reports filtered by harvester and code', async () => {
      await page.goto(`${baseUrl}/errorreports`, { waitUntil: 'domcontentloaded' });
      await page.getByRole('heading', { name: 'Error reports', level: 1 }).waitFor();
      await page.waitForURL(/[?&]is_emulator=0/);
      await reportRows();
      await expectNoAlert('the error report list');

      // A first visit on a 1366×768 laptop: the first results are on the first screen.
      const laptop = await browser.newContext({
        viewport: { width: 1366, height: 768 },
        locale: 'en-US',
        storageState: await page.context().storageState(),
      });
      try {
        const first = await laptop.newPage();
        await first.goto(`${baseUrl}/errorreports`, { waitUntil: 'domcontentloaded', timeout: stepTimeout });
        const row = first.getByRole('table', { name: 'Error reports' }).locator('tbody tr:not(.empty-row)').first();
        await row.waitFor({ timeout: stepTimeout });
        const box = await row.boundingBox();
        if (!box || box.y + box.height > 768) fail(`at 1366×768 the first error report is below the first screen (bottom at ${box && Math.round(box.y + box.height)} px)`);
        log(`    at 1366×768 the first row ends ${Math.round(box.y + box.height)} px down`);
        await shot('07-errorreports-laptop', first);
      } finally {
        await laptop.close();
      }

      await showFilters();
      await chooseInMultiSelect('Harvesters', found.harvId);
      await chooseInMultiSelect('Exception codes', found.code);
      await page.getByRole('combobox', { name: 'Emulator' }).selectOption(found.emulator ? 'yes' : 'no');
      await page.getByRole('button', { name: 'Apply filters' }).click();
      await page.waitForURL((u) => u.searchParams.get('harv_ids') === String(found.harvId) && u.searchParams.get('codes') === String(found.code));
      const rows = await reportRows();
      await expectNoAlert('the filtered error report list');
      const count = await rows.count();
      if (count === 0) fail(`no error report listed for harv_ids=${found.harvId}&codes=${found.code}, but the API has report ${found.reportId}`);
      for (let i = 0; i < count; i += 1) {
        const cells = rows.nth(i).locator('td');
        const harv = (await cells.nth(2).innerText()).trim();
        const codes = (await cells.nth(4).innerText()).replace(/\*/g, '').split(',').map((c) => c.trim());
        if (harv !== String(found.harvId)) fail(`row ${i + 1} is from harvester ${harv}, not ${found.harvId}`);
        if (!codes.includes(String(found.code))) fail(`row ${i + 1} has codes ${codes.join(', ')}, not ${found.code}`);
      }
      const summary = await page.getByRole('navigation', { name: 'Error reports pages' }).locator('.pagination-summary').innerText();
      log(`    ${summary} for ${new URL(page.url()).search}`);
      await shot('07-errorreports-filtered');

      // The same shared address on a phone: the filters and the table as cards.
      const phone = await browser.newContext({
        viewport: { width: 390, height: 844 },
        isMobile: true,
        hasTouch: true,
        storageState: await page.context().storageState(),
      });
      try {
        const mobile = await phone.newPage();
        await mobile.goto(page.url(), { waitUntil: 'domcontentloaded', timeout: stepTimeout });
        await mobile.getByRole('table', { name: 'Error reports' }).locator('tbody tr:not(.empty-row)').first().waitFor({ timeout: stepTimeout });
        await shot('07-errorreports-phone', mobile);
      } finally {
        await phone.close();
      }
    });

    await step('error report detail with exceptions and event files', async () => {
      const link = page.getByRole('table', { name: 'Error reports' }).getByRole('link', { name: String(found.reportId), exact: true });
      if (await link.count()) await link.first().click();
      else await page.goto(`${baseUrl}/errorreports/${found.reportId}`, { waitUntil: 'domcontentloaded' });
      await page.waitForURL(new RegExp(`/errorreports/${found.reportId}(\\?|$)`));
      await page.getByRole('heading', { name: `Error report ${found.reportId}`, level: 1 }).waitFor();
      const exceptions = page.getByRole('region', { name: /^Exceptions/ });
      await exceptions.waitFor();
      await expectNoAlert('the error report detail');
      const articles = await exceptions.getByRole('article').count();
      if (articles < 1) fail('the detail page lists no exception');
      await exceptions.getByRole('heading', { name: new RegExp(`^Code ${found.code} · `) }).first().waitFor();
      const event = page.getByRole('region', { name: 'Event', exact: true });
      await event.waitFor();
      const files = event.locator('a.download-link');
      const fileCount = await files.count();
      if (found.file && fileCount === 0) fail(`the event's file ${found.file.url} is not listed on the page`);
      log(`    ${articles} exception(s), ${fileCount} downloadable file(s)`);
      await shot('08-errorreport-detail');
    });

    await step('related file download link', async () => {
      if (!found.file) {
        log('    skipped: no event of the newest error reports has a related file on this server');
        return;
      }
      const link = page.getByRole('region', { name: 'Event', exact: true }).locator('a.download-link').first();
      const href = await link.getAttribute('href');
      // Links are presigned per request (the signature carries the signing time): compare the object, not the query.
      const withoutQuery = (u) => String(u).split('?')[0];
      if (withoutQuery(href) !== withoutQuery(found.file.url)) fail(`the download link points to ${href}, the API says ${found.file.url}`);
      if (!/^https?:\/\//.test(href)) fail(`the download link ${href} is not an absolute URL`);
      if ((await link.getAttribute('target')) !== '_blank') fail('the download link does not open in a new tab');
      if ((await link.getAttribute('rel'))?.includes('noopener') !== true) fail('the download link lacks rel=noopener');
      const response = await page.request.get(href, { timeout: stepTimeout, maxRedirects: 5 }).catch((error) => error);
      if (response instanceof Error) {
        log(`    the file URL could not be fetched from here: ${String(response.message).split('\n')[0]}`);
      } else {
        log(`    GET ${href} → ${response.status()} (${(await response.body()).length} bytes)`);
        if (href.startsWith(baseUrl) && !response.ok()) fail(`the server answered ${response.status()} for its own file ${href}`);
      }
      await link.scrollIntoViewIfNeeded();
      await shot('09-file-link');
    });

    await step('pareto chart', async () => {
      const filters = `harv_ids=${found.harvId}&codes=${found.code}&is_emulator=${found.emulator ? 1 : 0}`;
      await page.goto(`${baseUrl}/errorreports?${filters}`, { waitUntil: 'domcontentloaded' });
      await reportRows();
      await page.getByRole('link', { name: 'Pareto', exact: true }).click();
      await page.waitForURL(/\/errorreports\/view\/pareto\?/);
      await page.getByRole('heading', { name: 'Error pareto', level: 1 }).waitFor();
      // The box follows the URL, which updates a moment after the click: click, then wait for the URL.
      const byCode = page.getByRole('checkbox', { name: 'Exception code', exact: true });
      if (!(await byCode.isChecked())) await byCode.click();
      await page.waitForURL(/configs=[^&]*code__code/);
      const panel = page.getByRole('region', { name: /^By exception code/ });
      const outcome = await firstVisible({
        chart: panel.locator('svg[role="img"]'),
        empty: panel.getByText(/No data points/),
        error: panel.getByRole('alert'),
      });
      if (outcome === 'error') fail(`the pareto request failed: ${(await panel.getByRole('alert').innerText()).replace(/\s+/g, ' ').slice(0, 300)}`);
      if (outcome !== 'chart') fail(`no pareto chart for ${filters} (${outcome ?? 'nothing shown'})`);
      const bars = await panel.locator('.chart-bar').evaluateAll((gs) => gs.map((g) => [g.getAttribute('data-label'), Number(g.getAttribute('data-value'))]));
      if (!bars.some(([label]) => label === String(found.code))) fail(`the chart has no bar for code ${found.code}: ${JSON.stringify(bars)}`);
      const panels = await page.locator('.pareto-panel').count();
      log(`    ${panels} chart(s); by code: ${bars.map(([l, v]) => `${l}=${v}`).join(', ')}`);
      await shot('10-pareto');
    });

    await step('notification from filters, then deleted', async () => {
      const me = (await session())?.user;
      await page.goto(`${baseUrl}/errorreports?harv_ids=${found.harvId}&codes=${found.code}`, { waitUntil: 'domcontentloaded' });
      await reportRows();
      await page.getByRole('button', { name: 'Create notification from these filters' }).click();
      const dialog = page.getByRole('dialog', { name: 'Create a notification' });
      await dialog.waitFor();
      await dialog.getByRole('button', { name: /^Recipients: (?!Nobody)/ }).waitFor();
      await dialog.getByRole('button', { name: 'Create notification' }).click();
      const outcome = await firstVisible({
        created: page.getByRole('dialog', { name: 'Notification created' }),
        refused: dialog.getByRole('alert'),
      });
      if (outcome === 'refused') {
        const text = (await dialog.getByRole('alert').innerText()).replace(/\s+/g, ' ');
        if (!userCanDevelop(me) && /Not allowed/.test(text)) {
          log(`    ${username} may not create notifications (role ${me?.profile?.role}); the 403 is shown: ${text.slice(0, 120)}`);
          if (!(await session())) fail('the 403 ended the session');
          await shot('11-notification-refused');
          await page.keyboard.press('Escape');
          return;
        }
        fail(`creating the notification failed: ${text.slice(0, 300)}`);
      }
      if (outcome !== 'created') fail('neither a result nor an error after creating the notification');
      const created = page.getByRole('dialog', { name: 'Notification created' });
      const text = await created.innerText();
      const id = Number(/Notification (\d+) created/.exec(text)?.[1]);
      if (!id) fail(`cannot read the new notification's id from: ${text.slice(0, 200)}`);
      const stored = await apiGet(`notifications/${id}/`);
      const harvIds = stored?.criteria?.harv_ids ?? stored?.criteria?.harvester__harv_id__in;
      if (!JSON.stringify(harvIds ?? '').includes(String(found.harvId))) {
        fail(`notification ${id} has criteria ${JSON.stringify(stored?.criteria)}, without harvester ${found.harvId}`);
      }
      if (!stored.recipients?.includes(username)) fail(`notification ${id} has recipients ${JSON.stringify(stored.recipients)}, not ${username}`);
      log(`    notification ${id}: ${JSON.stringify(stored.criteria)} → ${stored.recipients.join(', ')}`);
      await shot('11-notification-created');

      await created.getByRole('button', { name: 'Done' }).click();
      await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: /^Notifications/ }).click();
      await page.waitForURL(/\/notifications\?category=is_recipient/);
      await page.getByRole('tab', { name: 'Created by me' }).click();
      await page.getByRole('table', { name: 'Created by me' }).waitFor();
      const row = page.getByRole('row').filter({ has: page.getByRole('link', { name: String(id), exact: true }) });
      await row.waitFor();
      await row.getByRole('button', { name: `Delete notification ${id}` }).click();
      const confirm = page.getByRole('dialog', { name: `Delete notification ${id}?` });
      await confirm.waitFor();
      await confirm.getByRole('button', { name: 'Delete notification' }).click();
      await page.getByText(`Notification ${id} deleted.`).waitFor();
      await row.waitFor({ state: 'detached' });
      const gone = await page.request.get(`${baseUrl}/api/v1/notifications/${id}/`, {
        headers: { Authorization: `Bearer ${(await session())?.access}` },
        timeout: stepTimeout,
      });
      if (gone.status() !== 404) fail(`notification ${id} still answers ${gone.status()} after deleting it`);
      await shot('12-notification-deleted');
    });

    await step('sysmon panel of both report formats', async () => {
      for (const c of SYSMON_CASES) {
        // Ingested like a harvester's upload (superuser or sqs); the same upload again answers the same report.
        const response = await apiPost('errorreports/', c.build(String(found.harvId).padStart(3, '0')));
        const body = await response.json().catch(() => null);
        if (response.status() === 403) {
          log(`    skipped: ${username} may not ingest error reports (${body?.message ?? 403})`);
          return;
        }
        if (!response.ok() || !body?.data?.id) fail(`POST errorreports/ (${c.format}) answered ${response.status()} ${JSON.stringify(body)?.slice(0, 300)}`);
        const id = body.data.id;

        await page.goto(`${baseUrl}/errorreports/${id}?tz=UTC`, { waitUntil: 'domcontentloaded' });
        const sysmon = page.getByRole('region', { name: 'Sysmon' });
        await sysmon.waitFor();
        await expectNoAlert(`error report ${id}`);
        const tablist = sysmon.getByRole('tablist', { name: 'Sysmon: master and robots' });
        const tabs = tablist.getByRole('tab');
        await tabs.first().waitFor();
        const labels = await tabs.evaluateAll((els) =>
          els.map((el) => [el.firstChild?.textContent ?? '', el.classList.contains('tab-error')]),
        );
        const plain = labels.map(([label]) => label.trim());
        if (JSON.stringify(plain) !== JSON.stringify(c.tabs)) fail(`${c.format}: tabs ${JSON.stringify(plain)}, expected ${JSON.stringify(c.tabs)}`);
        const inError = labels.filter(([label, red]) => red && label.trim() !== 'Master').map(([label]) => label.trim());
        if (JSON.stringify(inError) !== JSON.stringify([c.robotInError])) fail(`${c.format}: robots marked in error ${JSON.stringify(inError)}, expected ${c.robotInError}`);

        const robotTab = tablist.getByRole('tab', { name: `${c.robotInError} (in error)` });
        const [r, g, b] = (await robotTab.evaluate((el) => getComputedStyle(el).color)).match(/\d+/g).map(Number);
        if (!(r > 120 && r > g * 1.4 && r > b * 1.4)) fail(`${c.format}: the ${c.robotInError} tab is not red (rgb ${r}, ${g}, ${b})`);
        await robotTab.click();
        if ((await robotTab.getAttribute('aria-selected')) !== 'true') fail(`${c.format}: clicking ${c.robotInError} did not select it`);

        const computers = sysmon.getByRole('tablist', { name: `${c.robotInError} computers` });
        const computerTabs = await computers.getByRole('tab').evaluateAll((els) => els.map((el) => el.firstChild?.textContent?.trim()));
        if (JSON.stringify(computerTabs) !== JSON.stringify(c.computers)) fail(`${c.format}: ${c.robotInError} has computers ${JSON.stringify(computerTabs)}`);
        await computers.getByRole('tab', { name: `${c.computer} (in error)` }).click();
        const name = `${c.robotInError} ${c.computer}`;

        const chart = sysmon.getByRole('img', { name: new RegExp(`^Chrony offsets of ${escapeRe(name)} `) });
        await chart.waitFor();
        const bars = await chart.locator('.chrony-bar').evaluateAll((gs) =>
          gs.map((g) => [g.getAttribute('data-label'), g.getAttribute('data-level'), !!g.querySelector('rect')]),
        );
        const levels = bars.map(([, level]) => level);
        if (bars.length !== 2 || !bars.every(([, , rect]) => rect)) fail(`${c.format}: the Chrony chart has bars ${JSON.stringify(bars)}`);
        if (JSON.stringify(levels) !== JSON.stringify(c.levels)) fail(`${c.format}: Chrony levels ${JSON.stringify(levels)}, expected ${JSON.stringify(c.levels)}`);
        await sysmon.getByRole('table', { name: `Time of ${name}` }).getByRole('rowheader', { name: 'Reference time' }).waitFor();

        const services = sysmon.getByRole('table', { name: `Services of ${name}` });
        const errored = services.locator('tbody tr.row-error');
        const erroredNames = await errored.locator('td code').allInnerTexts();
        if (JSON.stringify(erroredNames) !== JSON.stringify([c.erroredService])) fail(`${c.format}: errored service rows ${JSON.stringify(erroredNames)}, expected ${c.erroredService}`);
        const background = await errored.first().locator('td').first().evaluate((td) => getComputedStyle(td).backgroundColor);
        if (/rgba\(0, 0, 0, 0\)|transparent/.test(background)) fail(`${c.format}: the errored service row is not highlighted`);
        log(`    report ${id} (${c.format}): tabs ${plain.join(', ')}; ${name} in error; Chrony ${levels.join('/')}; ${c.erroredService} highlighted`);
        await shot(`12-sysmon-${c.shot}`);
        if (c.shot === 'legacy') {
          // The same panel on a phone: tabs scroll, the tables fit.
          const phone = await browser.newContext({
            viewport: { width: 390, height: 844 },
            isMobile: true,
            hasTouch: true,
            storageState: await page.context().storageState(),
          });
          try {
            const mobile = await phone.newPage();
            await mobile.goto(`${baseUrl}/errorreports/${id}?tz=UTC`, { waitUntil: 'domcontentloaded', timeout: stepTimeout });
            await mobile.getByRole('tab', { name: `${c.robotInError} (in error)` }).click({ timeout: stepTimeout });
            await mobile.getByRole('table', { name: `Services of ${name}` }).waitFor({ timeout: stepTimeout });
            await shot(`12-sysmon-${c.shot}-phone`, mobile);
          } finally {
            await phone.close();
          }
        }
      }
    });

    const kinds = { ingested: false };

    await step('report kinds: one of each ingested as the sqs user', async () => {
      const harvesters = await apiGet('harvesters/?is_emulator=false&limit=100');
      const target = harvesters.results.find((h) => h.harv_id === 11) ?? harvesters.results[0];
      if (!target) fail('no real harvester to send reports from');
      const tag = Date.now().toString(36);
      const now = Math.floor(Date.now() / 1000) - 60;
      const reports = reportKinds(String(target.harv_id).padStart(3, '0'), tag, now);
      Object.assign(kinds, { harvester: target, tag, ids: {} });
      for (const [name, r] of Object.entries(reports)) {
        const response = await ingest(r.path, r.body);
        const body = await response.json().catch(() => null);
        if (response.status() === 403 && !sqsToken) {
          log(`    skipped: ${username} may not ingest reports and no E2E_SQS_TOKEN was given`);
          return;
        }
        if (response.status() !== 201 || !body?.data?.id) fail(`POST ${r.path} (${name}) answered ${response.status()} ${JSON.stringify(body)?.slice(0, 300)}`);
        if (!r.expect(body.data)) fail(`POST ${r.path} (${name}) stored ${JSON.stringify(body.data).slice(0, 400)}`);
        kinds.ids[name] = body.data.id;
      }
      kinds.ingested = true;
      log(`    harvester ${target.harv_id} (id ${target.id}), tag ${tag}: ${Object.entries(kinds.ids).map(([k, v]) => `${k} ${v}`).join(', ')}`);
      const latest = await apiGet(`harvesters/${target.id}/`);
      if (latest.version?.id !== kinds.ids.version) fail(`harvesters/${target.id}/ names version report ${latest.version?.id}, not ${kinds.ids.version}`);
      const config = await apiGet(`harvesters/${target.id}/config/`);
      if (config.id !== kinds.ids.config) fail(`harvesters/${target.id}/config/ is report ${config.id}, not the newest ${kinds.ids.config}`);
      if (workerRuns) {
        const started = Date.now();
        await eventually('the autodiagnostics run', async () => (await apiGet(`autodiagnostics/${kinds.ids.autodiagnostics}/`)).run_data);
        await eventually('the host results', async () => (await apiGet(`jobresults/${kinds.ids.jobresults}/`)).host_results.length === 2);
        await eventually('the assets placed', async () =>
          (await apiGet(`harvesters/${target.id}/assets/`)).some((a) => a.serial_number === `SA-E2E-${tag}`),
        );
        log(`    the worker extracted the run, the host results and the assets in ${Date.now() - started} ms`);
      } else {
        log('    no worker (E2E_WORKER unset): only what the API stores at once is checked');
      }
    });

    await step('version reports: list, detail, per harvester, fleet overview', async () => {
      if (!kinds.ingested) return log('    skipped (nothing ingested)');
      const { harvester: h, ids, tag } = kinds;
      await page.goto(`${baseUrl}/harvversion?harv_ids=${h.harv_id}&tz=UTC`, { waitUntil: 'domcontentloaded' });
      const table = page.getByRole('table', { name: 'Version reports' });
      const row = rowWithLink(table, ids.version);
      await row.waitFor();
      await expectNoAlert('the version report list');
      if (!/row-warn/.test((await row.getAttribute('class')) ?? '')) fail('the dirty version report is not highlighted in the list');
      for (const text of [`e2e.${tag}`, 'dirty', 'unexpected files', 'No release']) {
        if (!(await row.innerText()).includes(text)) fail(`the version report row does not say "${text}": ${await row.innerText()}`);
      }
      await shot('20-version-reports');
      await row.getByRole('link', { name: String(ids.version), exact: true }).click();
      const hosts = page.getByRole('table', { name: 'Hosts' });
      await hosts.waitFor();
      const classes = await hosts.locator('tbody tr').evaluateAll((trs) => trs.map((tr) => [tr.cells[0].innerText.trim(), tr.className]));
      const want = [['master', 'row-warn'], ['aft-robot01', 'row-error'], ['aft-robot02', 'row-warn']];
      if (JSON.stringify(classes) !== JSON.stringify(want)) fail(`hosts ${JSON.stringify(classes)}, expected ${JSON.stringify(want)}`);
      await shot('21-version-report');

      await page.goto(`${baseUrl}/harvesters/${h.id}/versions`, { waitUntil: 'domcontentloaded' });
      await rowWithLink(page.getByRole('table', { name: 'Version reports' }), ids.version).waitFor();

      await page.goto(`${baseUrl}/`, { waitUntil: 'domcontentloaded' });
      const fleet = page.locator('section[aria-labelledby="fleet-title"]').getByRole('table', { name: 'Harvesters' });
      const version = fleet.locator(`a[href="/harvversion/${ids.version}"]`);
      await version.waitFor();
      if ((await version.innerText()).trim() !== `e2e.${tag}`) fail(`the fleet overview shows version "${await version.innerText()}"`);
      const fleetRow = fleet.locator('tbody tr').filter({ has: page.locator(`a[href="/harvversion/${ids.version}"]`) });
      if (!(await fleetRow.locator('td[data-label="Dirty"]').innerText()).includes('dirty')) fail('the fleet overview does not flag the harvester dirty');
    });

    await step('harvester tabs: version, config (search, differences), assets', async () => {
      if (!kinds.ingested) return log('    skipped (nothing ingested)');
      const { harvester: h, ids, tag } = kinds;
      await page.goto(`${baseUrl}/harvesters/${h.id}?tab=version&tz=UTC`, { waitUntil: 'domcontentloaded' });
      const hosts = page.getByRole('table', { name: 'Hosts of the latest version report' });
      await hosts.waitFor();
      if ((await hosts.locator('tbody tr').count()) !== 3) fail('the Version tab does not list the three hosts');

      await page.getByRole('tab', { name: 'Config' }).click();
      const latest = page.getByRole('region', { name: 'Latest configuration' });
      await latest.getByRole('link', { name: `Config report ${ids.config}` }).waitFor();
      await latest.getByLabel('Search default configuration of robot index 0').fill('min_ripeness');
      await latest.getByText(/^1 match\.$/).waitFor();
      await latest.locator('mark', { hasText: 'min_ripeness' }).first().waitFor();
      const compare = page.getByRole('region', { name: 'Compare two config reports' });
      const diff = compare.getByRole('table', { name: 'Configuration differences' });
      await diff.waitFor();
      const changed = diff.locator('tbody tr').filter({ hasText: 'conf_default.general.min_ripeness' });
      if ((await changed.count()) !== 1) fail('the configuration differences do not show min_ripeness changed');
      await shot('22-harvester-config');

      await page.getByRole('tab', { name: 'Assets' }).click();
      const assets = page.getByRole('table', { name: 'Assets on this harvester' });
      await assets.waitFor();
      if (workerRuns) {
        const arm = page.getByRole('link', { name: `History of arm SA-E2E-${tag}` });
        await arm.waitFor();
        await shot('23-harvester-assets');
        await arm.click();
        await page.getByRole('heading', { name: `arm SA-E2E-${tag}`, level: 1 }).waitFor();
        const history = page.getByRole('table', { name: 'Asset history' });
        await history.locator('tbody tr:not(.empty-row)').first().waitFor();
        if (!(await history.innerText()).includes('created')) fail('the asset history has no "created" state');
        await shot('24-asset-history');
      } else {
        await shot('23-harvester-assets');
      }
    });

    await step('autodiagnostics: list and the sensor charts of a run', async () => {
      if (!kinds.ingested) return log('    skipped (nothing ingested)');
      const { harvester: h, ids } = kinds;
      await page.goto(`${baseUrl}/autodiagnostics?harv_id=${h.harv_id}&result=false`, { waitUntil: 'domcontentloaded' });
      const row = rowWithLink(page.getByRole('table', { name: 'Autodiagnostics reports' }), ids.autodiagnostics);
      await row.waitFor();
      if (!/row-error/.test((await row.getAttribute('class')) ?? '')) fail('the failed self-test is not red in the list');
      await shot('25-autodiagnostics');
      await page.goto(`${baseUrl}/autodiagnostics/${ids.autodiagnostics}?tz=UTC`, { waitUntil: 'domcontentloaded' });
      const sensors = page.getByRole('region', { name: 'Sensors' });
      const chart = sensors.getByRole('img', { name: /^Vacuum over time / });
      await chart.waitFor();
      const drawn = await chart.evaluate((svg) => ({
        bands: svg.querySelectorAll('.sensor-band').length,
        line: svg.querySelector('.sensor-line')?.getAttribute('d') ?? '',
        dots: svg.querySelectorAll('.sensor-dot').length,
      }));
      if (drawn.bands !== 3 || drawn.dots !== 9 || !/^(M[\d.]+ [\d.]+(L[\d.]+ [\d.]+){2}){3}$/.test(drawn.line)) {
        fail(`the vacuum chart draws ${JSON.stringify(drawn)}`);
      }
      await sensors.getByRole('tab', { name: 'Touch force' }).click();
      await sensors.getByRole('img', { name: /^Touch force over time / }).waitFor();
      const run = page.getByRole('region', { name: 'Run', exact: true });
      const pending = (await run.innerText()).includes('not been extracted yet');
      if (workerRuns && pending) fail('the run is extracted, yet the page reads it from the report');
      await shot('26-autodiagnostics-run');
    });

    await step('grip reports, config reports, job results, asset reports and assets', async () => {
      if (!kinds.ingested) return log('    skipped (nothing ingested)');
      const { harvester: h, ids, tag } = kinds;
      await page.goto(`${baseUrl}/gripreports?harvester__harv_id=${h.harv_id}`, { waitUntil: 'domcontentloaded' });
      await rowWithLink(page.getByRole('table', { name: 'Grip reports' }), ids.grip).getByRole('link', { name: String(ids.grip), exact: true }).click();
      const attempts = page.getByRole('table', { name: 'Grip attempts' });
      await attempts.waitFor();
      const failed = await attempts.locator('tbody tr.row-error').count();
      if ((await attempts.locator('tbody tr').count()) !== 2 || failed !== 1) fail('the grip attempts are not one picked, one failed');
      await shot('27-grip-report');

      await page.goto(`${baseUrl}/aftconfigs?harvester__harv_id=${h.harv_id}`, { waitUntil: 'domcontentloaded' });
      const configs = page.getByRole('table', { name: 'Config reports' });
      await rowWithLink(configs, ids.config).waitFor();
      await rowWithLink(configs, ids.configOld).waitFor();
      await page.goto(`${baseUrl}/aftconfigs/${ids.config}`, { waitUntil: 'domcontentloaded' });
      await page.getByRole('region', { name: 'Configuration' }).getByRole('tab', { name: 'Robot index 0' }).waitFor();
      await page.goto(`${baseUrl}/aftconfigs/compare?from=${ids.configOld}&to=${ids.config}`, { waitUntil: 'domcontentloaded' });
      await page.getByRole('table', { name: 'Configuration differences' }).locator('tbody tr').first().waitFor();
      await shot('28-config-compare');

      await page.goto(`${baseUrl}/jobresults?harv_ids=${h.harv_id}`, { waitUntil: 'domcontentloaded' });
      await rowWithLink(page.getByRole('table', { name: 'Job results' }), ids.jobresults).waitFor();
      await page.goto(`${baseUrl}/jobresults/${ids.jobresults}`, { waitUntil: 'domcontentloaded' });
      // The event's related object is /jobstatus/<job results id>/ (the original's link); the
      // app leads it to the job results, as /jobstatus/<job id> is a job's status history.
      const related = page.getByRole('region', { name: 'Event' }).getByRole('link', { name: `Job results ${ids.jobresults}` });
      if ((await related.getAttribute('href')) !== `/jobresults/${ids.jobresults}`) fail('the event’s job-results link does not lead to them');
      const hostResults = page.getByRole('table', { name: 'Host results' });
      await hostResults.waitFor();
      const results = await hostResults.locator('tbody tr').evaluateAll((trs) => trs.map((tr) => [tr.cells[0].innerText.trim(), tr.cells[1].innerText.trim()]));
      if (JSON.stringify(results) !== JSON.stringify([['aft-robot01', 'Failed'], ['master', 'Success']])) fail(`host results ${JSON.stringify(results)}`);
      await shot('29-job-results');

      await page.goto(`${baseUrl}/harvassetreport/${ids.assets}`, { waitUntil: 'domcontentloaded' });
      const entries = page.getByRole('table', { name: 'Assets reported' });
      await entries.getByRole('link', { name: `SA-E2E-${tag}` }).waitFor();
      if (!(await entries.innerText()).includes('none: skipped')) fail('the asset entry without a tag is not marked skipped');
      await page.goto(`${baseUrl}/harvassets?serial_number=SA-E2E-${tag}`, { waitUntil: 'domcontentloaded' });
      const assets = page.getByRole('table', { name: 'Assets' });
      await assets.waitFor();
      await page.waitForFunction(() => !document.querySelector('table[aria-busy="true"]'), null, { timeout: stepTimeout });
      if (workerRuns) await assets.getByRole('link', { name: `History of arm SA-E2E-${tag}` }).waitFor();
      await expectNoAlert('the assets list');
      await shot('30-assets');
    });
  } else {
    log('→ data steps skipped (E2E_DATA=0)');
  }

  // Job types, schemas, a job from the generated form, a schedule, a release and its rollout
  // (e2e/jobs.mjs, e2e/rollouts.mjs).
  await jobSteps({
    page,
    step,
    shot,
    fail,
    log,
    apiGet,
    apiPost,
    ingest,
    eventually,
    chooseInMultiSelect,
    expectNoAlert,
    rowWithLink,
    baseUrl,
    user: (await session())?.user,
    workerRuns,
    jobServerUrl,
  });

  await step('sign out', async () => {
    const before = await session();
    await page.getByRole('button', { name: 'Log out' }).click();
    await page.getByRole('form', { name: 'Sign in' }).waitFor();
    if (await session()) fail('the session is still in localStorage after signing out');
    await page.goto(`${baseUrl}/harvesters`, { waitUntil: 'domcontentloaded' });
    await page.getByRole('form', { name: 'Sign in' }).waitFor();
    // The server must have revoked the refresh token (give the revoke request a moment).
    let status = 0;
    for (let i = 0; i < 10; i += 1) {
      const response = await page.request.post(`${baseUrl}/api/v1/users/token/refresh/`, {
        data: { refresh: before.refresh },
        timeout: stepTimeout,
      });
      status = response.status();
      if (status === 401) break;
      await page.waitForTimeout(300);
    }
    if (status !== 401) fail(`the refresh token still works after signing out (refresh answered ${status}, expected 401)`);
    await shot('13-signed-out');
  });

  if (pageErrors.length) fail(`uncaught errors in the page:\n  ${pageErrors.join('\n  ')}`);
  if (serverErrors.length) fail(`the server answered 5xx:\n  ${serverErrors.join('\n  ')}`);
}

let code = 0;
try {
  await main();
  log(`E2E PASSED: ${passed} steps against ${baseUrl}`);
} catch (error) {
  code = 1;
  const reason = error instanceof StepError ? error.message : String(error?.message ?? error).split('\n')[0];
  console.error(`E2E FAILED at step "${currentStep}": ${reason}`);
  if (page) {
    await shot(`failure-${currentStep.replace(/\W+/g, '-')}`).catch(() => {});
  }
} finally {
  if (browser) {
    await Promise.race([browser.close(), new Promise((resolve) => setTimeout(resolve, 5000))]);
  }
}
process.exit(code);
