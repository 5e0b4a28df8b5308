#!/usr/bin/env node
// What the original web app does, in a real browser from an origin of its own (its
// deployment serves it from another host/port than the API):
//   1. on every page load, before anyone signs in, it asks for `users/profiles/undefined/`:
//      that must be "no such route" (404), not a 401 (which it answers with a reload loop);
//   2. it signs in cross-origin (a preflighted JSON POST) and keeps login's `token`;
//   3. it sends `Authorization: Token <token>` (preflighted) and never refreshes: the token
//      must still work when the session is older than the 15-minute access token;
//   4. it signs out with the token, which then stops working.
//
// Environment: HDS_URL (the API), E2E_USER / E2E_PASSWORD, DATABASE_URL (to age the
// session: psql), E2E_CHROMIUM. Exits 0 when every check passed, 1 otherwise.

import { execFileSync } from 'node:child_process';
import { createServer } from 'node:http';
import { chromium } from 'playwright-core';

const api = (process.env.HDS_URL || 'http://127.0.0.1:8085').replace(/\/+$/, '');
const username = process.env.E2E_USER || 'aft';
const password = process.env.E2E_PASSWORD || 'aft';
const executablePath = process.env.E2E_CHROMIUM || '/usr/bin/chromium';
const databaseUrl = process.env.DATABASE_URL;

const watchdog = setTimeout(() => {
  console.error('OLD CLIENT FAILED: took longer than 60 s');
  process.exit(1);
}, 60_000);

// The old web app's origin: a page on another port of this machine.
const server = createServer((_, res) => {
  res.writeHead(200, { 'content-type': 'text/html' });
  res.end('<!doctype html><title>old web app</title><p>old web app</p>');
});
await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
const origin = `http://127.0.0.1:${server.address().port}`;

let failures = 0;
const check = (ok, what, detail) => {
  console.log(`${ok ? '✓' : '✗'} ${what}${ok ? '' : `: ${detail}`}`);
  if (!ok) failures += 1;
};

const browser = await chromium.launch({
  executablePath,
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run'],
});
try {
  const context = await browser.newContext(); // empty storage: a fresh browser
  const page = await context.newPage();
  await page.goto(origin);
  // Runs `fetch` inside the old app's page, so the browser applies CORS.
  const call = (path, init) =>
    page.evaluate(
      async ({ url, init }) => {
        try {
          const r = await fetch(url, init);
          const text = await r.text();
          let body = null;
          try {
            body = JSON.parse(text);
          } catch {
            body = text;
          }
          return { status: r.status, body };
        } catch (e) {
          return { status: 0, body: String(e) };
        }
      },
      { url: `${api}${path}`, init },
    );

  const first = await call('/api/v1/users/profiles/undefined/', {});
  check(
    first.status === 404 && first.body?.status === 'error',
    'a fresh browser asking for users/profiles/undefined/ gets a 404, not a 401',
    JSON.stringify(first),
  );

  const login = await call('/api/v1/users/login/', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password }),
  });
  const token = login.body?.data?.data?.token;
  check(
    login.status === 200 && typeof token === 'string' && !token.includes('.'),
    'cross-origin login (preflighted) answers a session API token in `token`',
    JSON.stringify(login).slice(0, 300),
  );

  const auth = { headers: { authorization: `Token ${token}` } };
  const me = await call('/api/v1/users/me/', auth);
  check(
    me.status === 200 && me.body?.data?.username === username,
    'cross-origin `Authorization: Token …` (preflighted) works',
    JSON.stringify(me).slice(0, 300),
  );

  if (databaseUrl) {
    // The session and its token as if signed in 20 minutes ago and used since.
    execFileSync('psql', [
      databaseUrl,
      '-qc',
      "UPDATE api_tokens SET created = now() - interval '20 minutes', " +
        "last_used_at = now() - interval '20 minutes' WHERE name = 'login session' AND revoked_at IS NULL",
    ]);
    const later = await call('/api/v1/users/me/', auth);
    check(
      later.status === 200,
      'the token still works when the session is older than the 15-minute access token',
      JSON.stringify(later).slice(0, 300),
    );
  }

  const logout = await call('/api/v1/users/logout/', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ token }),
  });
  check(logout.status === 200, 'sign out with the token', JSON.stringify(logout));
  const after = await call('/api/v1/users/me/', auth);
  check(after.status === 401, 'the token stops working at sign-out', JSON.stringify(after));
} finally {
  await browser.close();
  server.close();
  clearTimeout(watchdog);
}

if (failures > 0) {
  console.error(`OLD CLIENT FAILED: ${failures} check(s)`);
  process.exit(1);
}
console.log('OLD CLIENT PASSED');
