import { render } from '@testing-library/react';
import type { ReactElement } from 'react';
import { MemoryRouter } from 'react-router';
import { vi } from 'vitest';
import { AppRoutes } from '../App';
import type { User } from '../api/types';
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

/**
 * A fetch stand-in: routes `"METHOD /path?query"` (query optional, matched as a
 * prefix of the request's path+query) to handlers; unrouted requests get the
 * API's 404 shape. Records every call.
 */
export function mockFetch(routes: Record<string, Handler>) {
  const calls: Call[] = [];
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
    calls.push(call);
    const candidates = Object.keys(routes)
      .filter((key) => {
        const [m, p] = key.split(' ') as [string, string];
        return m === method && (p.includes('?') ? call.url.startsWith(p) : call.path === p);
      })
      .sort((a, b) => b.length - a.length);
    const key = candidates[0];
    if (!key) return jsonResponse(404, fail({ exception: `No route for ${method} ${call.path}` }));
    return routes[key]!(call);
  });
  return { fetch: fn as unknown as typeof fetch, calls };
}

/** Puts a session in localStorage as a previous login would have. */
export function storeSession(user: User = makeUser(), access = fakeJwt(900), refresh: string | null = 'refresh-1') {
  localStorage.setItem(SESSION_KEY, JSON.stringify({ access, refresh, user }));
}

export function renderApp(path: string, fetchImpl: typeof fetch): { services: Services } & ReturnType<typeof render> {
  const services = createServices({ fetch: fetchImpl });
  const result = render(
    <ServicesProvider services={services}>
      <MemoryRouter initialEntries={[path]}>
        <AppRoutes />
      </MemoryRouter>
    </ServicesProvider>,
  );
  return { services, ...result };
}

export function renderWithServices(ui: ReactElement, fetchImpl: typeof fetch, path = '/') {
  const services = createServices({ fetch: fetchImpl });
  const result = render(
    <ServicesProvider services={services}>
      <MemoryRouter initialEntries={[path]}>{ui}</MemoryRouter>
    </ServicesProvider>,
  );
  return { services, ...result };
}
