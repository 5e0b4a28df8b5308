#!/usr/bin/env node
// End-to-end check of the HDS web app in a real browser (Debian's chromium
// driven by playwright-core): sign in, home, profile, users, API docs, sign out.
// A screenshot of every page goes to e2e/artifacts/.
//
// Environment:
//   HDS_URL           server that serves the app and the API (default http://127.0.0.1:8085)
//   E2E_USER          username (default aft)
//   E2E_PASSWORD      password (default aft)
//   E2E_CHROMIUM      browser executable (default /usr/bin/chromium)
//   E2E_STEP_TIMEOUT  ms one check may wait (default 15000)
//   E2E_TIMEOUT       ms the whole run may take (default 180000)
//
// Exits 0 when every step passed, 1 on the first failure (with the step, the
// reason and a failure screenshot), 2 when the browser cannot be started.

import { existsSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const here = dirname(fileURLToPath(import.meta.url));
const artifacts = join(here, 'artifacts');
const baseUrl = (process.env.HDS_URL || 'http://127.0.0.1:8085').replace(/\/+$/, '');
const username = process.env.E2E_USER || 'aft';
const password = process.env.E2E_PASSWORD || 'aft';
const executablePath = process.env.E2E_CHROMIUM || '/usr/bin/chromium';
const stepTimeout = Number(process.env.E2E_STEP_TIMEOUT || 15_000);
const totalTimeout = Number(process.env.E2E_TIMEOUT || 180_000);
const SESSION_KEY = 'hds.session';

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
      log(`    fleet overview: ${rows} harvester row(s)`);
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
    await shot('06-signed-out');
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
