#!/usr/bin/env node
// A small stand-in for the HDS server, for trying the web app and e2e/run.mjs
// without the Rust backend. It serves dist/ (with the index.html fallback),
// /media/ files and the API endpoints the web app uses, with the real API's
// shapes: envelopes, double-enveloped login/logout, 15-minute JWTs, rotating
// refresh tokens, 401 vs 403, limit/offset pagination. The fleet, error
// reports, pareto, events and notifications live in e2e/mock-fleet.mjs, the
// S3 files and failed ingests in e2e/mock-ingest.mjs.
// Data lives in memory.
//
//   node e2e/mock-hds.mjs [--port 18099]      (MOCK_HDS_PORT also works)
//
// Users: aft/aft (superuser), support/support (role support).

import { createHmac, randomBytes } from 'node:crypto';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { createServer } from 'node:http';
import { dirname, extname, join, normalize } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createFleet } from './mock-fleet.mjs';
import { createIngest } from './mock-ingest.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const dist = join(here, '..', 'dist');
const ACCESS_SECONDS = 15 * 60;
const SECRET = randomBytes(32);

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json',
};

const now = () => new Date().toISOString();
const users = [
  {
    id: 1, first_name: 'Aft', last_name: 'Admin', username: 'aft', email: 'aft@example.com', is_active: true,
    is_staff: true, is_superuser: true, last_login: null, profile: { id: 1, slack_id: null, role: 'manager', user: 1 },
  },
  {
    id: 2, first_name: 'Sam', last_name: 'Support', username: 'support', email: '', is_active: true,
    is_staff: false, is_superuser: false, last_login: null, profile: { id: 2, slack_id: 'U0SUPPORT', role: 'support', user: 2 },
  },
];
const passwords = new Map([['aft', 'aft'], ['support', 'support']]);
const fleet = createFleet(users);
const ingest = createIngest(fleet);

const refreshTokens = new Map(); // token -> user id (rotated on use)
const revokedAccess = new Set();

const b64url = (value) => Buffer.from(JSON.stringify(value)).toString('base64url');
function signJwt(userId) {
  const iat = Math.floor(Date.now() / 1000);
  const body = `${b64url({ alg: 'HS256', typ: 'JWT' })}.${b64url({ sub: String(userId), iat, exp: iat + ACCESS_SECONDS, jti: randomBytes(8).toString('hex') })}`;
  return `${body}.${createHmac('sha256', SECRET).update(body).digest('base64url')}`;
}
function verifyJwt(token) {
  const [h, p, s] = String(token).split('.');
  if (!h || !p || !s) return null;
  if (createHmac('sha256', SECRET).update(`${h}.${p}`).digest('base64url') !== s) return null;
  if (revokedAccess.has(token)) return null;
  const claims = JSON.parse(Buffer.from(p, 'base64url').toString('utf8'));
  if (claims.exp * 1000 < Date.now()) return null;
  return users.find((u) => String(u.id) === claims.sub) ?? null;
}
function issue(user) {
  const access = signJwt(user.id);
  const refresh = randomBytes(24).toString('hex');
  refreshTokens.set(refresh, user.id);
  return { access, refresh, token: access };
}

const ok = (data, message = 'retrieved successfully') => ({ status: 'success', message, data });
const double = (data, message) => ok({ status: 'success', message, data }, ' created successfully');
const err = (errors) => ({ status: 'error', errors });

function pageOf(req, url, items) {
  const limit = Math.min(Math.max(Number.parseInt(url.searchParams.get('limit') ?? '10', 10) || 10, 1), 10000);
  const offset = Math.max(Number.parseInt(url.searchParams.get('offset') ?? '0', 10) || 0, 0);
  const link = (o) => {
    const u = new URL(url.pathname + url.search, `http://${req.headers.host}`);
    u.searchParams.set('limit', String(limit));
    if (o > 0) u.searchParams.set('offset', String(o));
    else u.searchParams.delete('offset');
    return u.href;
  };
  return {
    count: items.length,
    next: offset + limit < items.length ? link(offset + limit) : null,
    previous: offset > 0 ? link(Math.max(0, offset - limit)) : null,
    results: items.slice(offset, offset + limit),
  };
}

const openapi = {
  openapi: '3.1.0',
  info: { title: 'HDS API (mock)', version: '0.0.0', description: 'A stand-in used to try the web app.' },
  tags: [{ name: 'users', description: 'Accounts, sessions and profiles.' }, { name: 'harvesters' }],
  paths: {
    '/api/v1/users/login/': {
      post: {
        tags: ['users'], operationId: 'login', summary: 'Log in',
        description: 'Answers a double envelope: data.data = {token, access, refresh, user}.',
        requestBody: { required: true, content: { 'application/json': { schema: { $ref: '#/components/schemas/LoginBody' } } } },
        responses: { 200: { description: 'Logged in' }, 400: { description: 'invalid username or password' } },
      },
    },
    '/api/v1/users/token/refresh/': {
      post: { tags: ['users'], operationId: 'refresh', summary: 'Rotate the refresh token', responses: { 200: { description: 'New tokens' }, 401: { description: 'Refused' } } },
    },
    '/api/v1/users/me/': { get: { tags: ['users'], operationId: 'me', summary: 'The signed-in user', responses: { 200: { description: 'User', content: { 'application/json': { schema: { $ref: '#/components/schemas/User' } } } } } } },
    '/api/v1/harvesters/': {
      get: {
        tags: ['harvesters'], operationId: 'list_harvesters', summary: 'List harvesters',
        parameters: [{ name: 'harv_id', in: 'query', schema: { type: 'integer' } }, { name: 'limit', in: 'query', schema: { type: 'integer', maximum: 10000 } }, { name: 'offset', in: 'query', schema: { type: 'integer' } }],
        responses: { 200: { description: 'A page of harvesters' } },
      },
    },
  },
  components: {
    schemas: {
      LoginBody: { type: 'object', required: ['username', 'password'], properties: { username: { type: 'string' }, password: { type: 'string', writeOnly: true } } },
      User: {
        type: 'object',
        properties: {
          id: { type: 'integer' }, username: { type: 'string' }, email: { type: 'string' }, is_active: { type: 'boolean' },
          profile: { $ref: '#/components/schemas/Profile' },
        },
      },
      Profile: { type: 'object', properties: { id: { type: 'integer' }, slack_id: { type: ['string', 'null'] }, role: { type: 'string', enum: ['support', 'developer', 'manager', 'sqs', 'jenkins', 'beatbox'] } } },
    },
  },
};

function send(res, status, body) {
  const text = body === undefined ? '' : JSON.stringify(body);
  res.writeHead(status, { 'Content-Type': 'application/json', 'Cache-Control': 'no-store' });
  res.end(text);
}

async function readJson(req) {
  let raw = '';
  for await (const chunk of req) raw += chunk;
  try {
    return raw ? JSON.parse(raw) : {};
  } catch {
    return {};
  }
}

const canManage = (u) => u.is_superuser || u.profile?.role === 'manager';
// Deviation D1: support and higher may list and read users.
const canReadUsers = (u) => u.is_superuser || ['support', 'developer', 'manager'].includes(u.profile?.role);

async function api(req, res, url) {
  const path = url.pathname.replace(/^\/api\/v1\//, '');
  const method = req.method ?? 'GET';

  if (path === 'healthcheck/') return send(res, 200, { status: 'online' });
  if (path === 'openapi') return send(res, 200, openapi);

  if (path === 'users/login/' && method === 'POST') {
    const { username, password } = await readJson(req);
    if (!username || !password) return send(res, 400, err({ exception: 'username and password are required' }));
    const user = users.find((u) => u.username === username);
    if (!user || passwords.get(username) !== password || !user.is_active) {
      return send(res, 400, err({ exception: 'invalid username or password' }));
    }
    user.last_login = now();
    return send(res, 200, double({ ...issue(user), user }, 'Login successful'));
  }
  if (path === 'users/token/refresh/' && method === 'POST') {
    const { refresh } = await readJson(req);
    const userId = refreshTokens.get(refresh);
    if (!userId) return send(res, 401, err({ detail: 'Token is invalid or expired' }));
    refreshTokens.delete(refresh);
    return send(res, 200, ok(issue(users.find((u) => u.id === userId)), 'token refreshed successfully'));
  }
  if (path === 'users/logout/' && method === 'POST') {
    const { token, refresh } = await readJson(req);
    if (refresh) refreshTokens.delete(refresh);
    if (token) revokedAccess.add(token);
    return send(res, 200, double({}, 'Logout successful'));
  }

  const auth = req.headers.authorization ?? '';
  const me = auth.startsWith('Bearer ') ? verifyJwt(auth.slice(7)) : null;
  if (!me) return send(res, 401, err({ detail: auth ? 'Invalid or expired token.' : 'Authentication credentials were not provided.' }));

  if (path === 'users/me/' && method === 'GET') return send(res, 200, ok(me, 'user retrieved successfully'));
  if (path === 'users/change/password/' && method === 'POST') {
    const { current_password: current, new_password: next } = await readJson(req);
    if (!current || !next) return send(res, 400, err({ exception: 'current_password and new_password are required' }));
    if (passwords.get(me.username) !== current) return send(res, 400, err({ exception: 'could not authenticate with given credentials' }));
    passwords.set(me.username, next);
    return send(res, 200, double({}, 'Password changed successful'));
  }
  if (path === 'users/profiles/') {
    if (method === 'GET') {
      if (!canReadUsers(me)) return send(res, 403, err({ exception: 'Permission denied for user.' }));
      return send(res, 200, ok(pageOf(req, url, users), 'user retrieved successfully'));
    }
    if (!canManage(me)) return send(res, 403, err({ exception: 'Permission denied for user.' }));
    if (method === 'POST') {
      const body = await readJson(req);
      if (!body.username) return send(res, 400, err({ detail: { username: ['This field is required.'] } }));
      if (users.some((u) => u.username === body.username)) {
        return send(res, 400, err({ detail: { username: ['A user with that username already exists.'] } }));
      }
      const id = Math.max(...users.map((u) => u.id)) + 1;
      const user = {
        id, first_name: body.first_name ?? '', last_name: body.last_name ?? '', username: body.username, email: body.email ?? '',
        is_active: true, is_staff: false, is_superuser: false, last_login: null,
        profile: { id, slack_id: body.profile?.slack_id || null, role: body.profile?.role ?? 'support', user: id },
      };
      users.push(user);
      passwords.set(user.username, body.password ?? '');
      return send(res, 201, ok(user, 'user created successfully'));
    }
  }
  const profile = path.match(/^users\/profiles\/(\d+)\/$/);
  if (profile) {
    const user = users.find((u) => u.id === Number(profile[1]));
    const self = user && user.id === me.id;
    if (!self && !canManage(me)) return send(res, 403, err({ exception: 'Permission denied for user.' }));
    if (!user) return send(res, 404, err({ exception: 'No User matches the given query.' }));
    if (method === 'GET') return send(res, 200, ok(user, 'user retrieved successfully'));
    if (method === 'PATCH') {
      const body = await readJson(req);
      if (self && body.profile?.role !== undefined && body.profile.role !== user.profile.role) {
        return send(res, 403, err({ exception: 'You cannot change your own role.' }));
      }
      for (const key of ['first_name', 'last_name', 'email', 'is_active']) if (key in body) user[key] = body[key];
      if (body.profile) Object.assign(user.profile, body.profile);
      return send(res, 200, ok(user, 'user updated successfully'));
    }
    if (method === 'DELETE') {
      users.splice(users.indexOf(user), 1);
      res.writeHead(204).end();
      return undefined;
    }
  }
  const context = {
    method,
    path,
    params: url.searchParams,
    me,
    readJson: () => readJson(req),
    page: (items) => pageOf(req, url, items),
    origin: `http://${req.headers.host}`,
  };
  const answer = (await fleet.handle(context)) ?? (await ingest.handle(context));
  if (answer) {
    const [status, body] = answer;
    if (status === 204) {
      res.writeHead(204).end();
      return undefined;
    }
    return send(res, status, body);
  }
  return send(res, 404, err({ exception: `Not found: ${method} /api/v1/${path}` }));
}

/** Files behind the events' related_files URLs (local storage serves them under /media/). */
function media(res, url) {
  const body = fleet.mediaFile(decodeURIComponent(url.pathname.slice('/media/'.length)));
  if (body === null) {
    res.writeHead(404, { 'Content-Type': 'text/plain' }).end('no such file\n');
    return;
  }
  res.writeHead(200, { 'Content-Type': 'application/zip', 'Content-Disposition': 'attachment' }).end(body);
}

function staticFile(req, res, url) {
  const safe = normalize(decodeURIComponent(url.pathname)).replace(/^(\.\.[/\\])+/, '');
  let file = join(dist, safe);
  if (!file.startsWith(dist) || !existsSync(file) || statSync(file).isDirectory()) file = join(dist, 'index.html');
  if (!existsSync(file)) {
    res.writeHead(503, { 'Content-Type': 'text/plain' }).end('dist/ is missing: run "npm run build" first.\n');
    return;
  }
  const immutable = file.includes(`${join(dist, 'assets')}`);
  res.writeHead(200, {
    'Content-Type': TYPES[extname(file)] ?? 'application/octet-stream',
    'Cache-Control': immutable ? 'public, max-age=31536000, immutable' : 'no-cache',
  });
  res.end(readFileSync(file));
}

export function startMockHds(port = 18099, host = '127.0.0.1') {
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', `http://${req.headers.host ?? host}`);
    const handle = url.pathname.startsWith('/api/')
      ? api(req, res, url)
      : url.pathname.startsWith('/media/')
        ? Promise.resolve(media(res, url))
        : Promise.resolve(staticFile(req, res, url));
    handle.catch((error) => send(res, 500, err({ exception: 'internal server error', detail: String(error) })));
  });
  return new Promise((resolve) => server.listen(port, host, () => resolve(server)));
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const i = process.argv.indexOf('--port');
  const port = Number(i >= 0 ? process.argv[i + 1] : process.env.MOCK_HDS_PORT || 18099);
  await startMockHds(port);
  console.log(`mock HDS listening on http://127.0.0.1:${port} (users aft/aft, support/support)`);
}
