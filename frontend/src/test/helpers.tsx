import { render } from '@testing-library/react';
import type { ReactElement } from 'react';
import { MemoryRouter, useLocation } from 'react-router';
import { vi } from 'vitest';
import { AppRoutes } from '../App';
import type { User } from '../api/schemas';
import { SESSION_KEY } from '../auth/tokens';
import { createServices, ServicesProvider, type Services } from '../services';

export function jsonResponse(status: number, body: unknown): Response {
  return new Response(body === undefined ? null : JSON.stringify(body), {
    status,
    headers: { 'Content-Type': 'application/json' },
  });
}

export const ok = (data: unknown, message = ' retrieved successfully') => ({ status: 'success', message, data });
export const okDouble = (data: unknown, message = 'successful') => ok({ status: 'success', message, data }, ' created successfully');
export const fail = (errors: Record<string, unknown>) => ({ status: 'error', errors });

function b64url(value: unknown): string {
  return btoa(JSON.stringify(value)).replace(/=+$/, '').replace(/\+/g, '-').replace(/\//g, '_');
}

/** An unsigned JWT-shaped token expiring `inSeconds` from `now`. */
export function fakeJwt(inSeconds: number, now = Date.now(), extra: Record<string, unknown> = {}): string {
  const exp = Math.floor(now / 1000) + inSeconds;
  return `${b64url({ alg: 'HS256', typ: 'JWT' })}.${b64url({ sub: '1', exp, ...extra })}.sig`;
}

export function makeUser(overrides: Partial<User> = {}): User {
  return {
    id: 1,
    first_name: 'Ada',
    last_name: 'Lovelace',
    username: 'ada',
    email: 'ada@example.com',
    is_active: true,
    is_staff: false,
    is_superuser: false,
    last_login: '2025-01-02T03:04:05Z',
    date_joined: '2024-11-05T08:00:00Z',
    profile: { id: 1, slack_id: 'U123', role: 'support', user: 1 },
    ...overrides,
  };
}

export interface Call {
  method: string;
  path: string;
  url: string;
  headers: Record<string, string>;
  body: unknown;
}

type Handler = (call: Call) => Response | Promise<Response>;

/** The navbar bell's request, made on every page with the app shell. */
export const BELL_URL = '/api/v1/notifications/?category=is_recipient&limit=1';

/**
 * A fetch stand-in: routes `"METHOD /path?query"` (query optional, matched as a
 * prefix of the request's path+query) to handlers; unrouted requests get the
 * API's 404 shape. Records every call in `calls`, except the navbar bell's
 * count request, which goes to `bellCalls` (answered with a count of 0 unless
 * a route handles it), so tests of a page see only that page's requests.
 */
export function mockFetch(routes: Record<string, Handler>) {
  const calls: Call[] = [];
  const bellCalls: Call[] = [];
  const fn = vi.fn(async (input: RequestInfo | URL, init: RequestInit = {}) => {
    const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
    const parsed = new URL(url, 'http://localhost');
    const method = (init.method ?? 'GET').toUpperCase();
    const headers: Record<string, string> = {};
    new Headers(init.headers).forEach((value, key) => {
      headers[key.toLowerCase()] = value;
    });
    const body = typeof init.body === 'string' ? (JSON.parse(init.body) as unknown) : undefined;
    const call: Call = { method, path: parsed.pathname, url: parsed.pathname + parsed.search, headers, body };
    const isBell = method === 'GET' && call.url === BELL_URL;
    (isBell ? bellCalls : calls).push(call);
    const candidates = Object.keys(routes)
      .filter((key) => {
        const [m, p] = key.split(' ') as [string, string];
        return m === method && (p.includes('?') ? call.url.startsWith(p) : call.path === p);
      })
      .sort((a, b) => b.length - a.length);
    const key = candidates[0];
    if (!key && isBell) return jsonResponse(200, ok({ count: 0, next: null, previous: null, results: [] }));
    if (!key) return jsonResponse(404, fail({ exception: `No route for ${method} ${call.path}` }));
    return routes[key]!(call);
  });
  return { fetch: fn as unknown as typeof fetch, calls, bellCalls };
}

/** Puts a session in localStorage as a previous login would have. */
export function storeSession(user: User = makeUser(), access = fakeJwt(900), refresh: string | null = 'refresh-1') {
  localStorage.setItem(SESSION_KEY, JSON.stringify({ access, refresh, user }));
}

/** Shows the router's current address, so tests can read what is in the "address bar". */
function LocationProbe() {
  const location = useLocation();
  return (
    <output data-testid="location" hidden>
      {location.pathname + location.search}
    </output>
  );
}

/** The address the app is at (path + query), as rendered by renderApp's probe. */
export function currentLocation(): string {
  return document.querySelector('[data-testid="location"]')?.textContent ?? '';
}

export function renderApp(
  path: string,
  fetchImpl: typeof fetch,
  services: Services = createServices({ fetch: fetchImpl }),
): { services: Services } & ReturnType<typeof render> {
  const result = render(
    <ServicesProvider services={services}>
      <MemoryRouter initialEntries={[path]}>
        <AppRoutes />
        <LocationProbe />
      </MemoryRouter>
    </ServicesProvider>,
  );
  return { services, ...result };
}

/** `{count, next, previous, results}` for a list answer. */
export const pageOf = <T,>(results: T[], count = results.length) => ({ count, next: null, previous: null, results });

export function renderWithServices(ui: ReactElement, fetchImpl: typeof fetch, path = '/') {
  const services = createServices({ fetch: fetchImpl });
  const result = render(
    <ServicesProvider services={services}>
      <MemoryRouter initialEntries={[path]}>{ui}</MemoryRouter>
    </ServicesProvider>,
  );
  return { services, ...result };
}
