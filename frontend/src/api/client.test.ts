import { describe, expect, it, vi } from 'vitest';
import { fail, jsonResponse, mockFetch, ok, okDouble } from '../test/helpers';
import { ApiClient, type AuthHooks } from './client';
import { ApiError } from './errors';

function hooks(overrides: Partial<AuthHooks> = {}): AuthHooks {
  let token: string | null = 'access-1';
  return {
    getAccessToken: vi.fn((): string | null => token),
    refreshAccessToken: vi.fn(async (): Promise<string | null> => {
      token = 'access-2';
      return token;
    }),
    onUnauthorized: vi.fn(),
    ...overrides,
  };
}

describe('ApiClient envelopes', () => {
  it('unwraps a single envelope and sends JSON with a Bearer token', async () => {
    const { fetch, calls } = mockFetch({ 'GET /api/v1/fruits/1/': () => jsonResponse(200, ok({ id: 1, name: 'strawberry' })) });
    const client = new ApiClient({ fetch, auth: hooks() });
    await expect(client.get('fruits/1/')).resolves.toEqual({ id: 1, name: 'strawberry' });
    expect(calls[0]!.headers.authorization).toBe('Bearer access-1');
    expect(calls[0]!.headers.accept).toBe('application/json');
  });

  it('unwraps a double envelope (login)', async () => {
    const { fetch, calls } = mockFetch({
      'POST /api/v1/users/login/': () => jsonResponse(200, okDouble({ token: 't', access: 't', refresh: 'r', user: { id: 1 } })),
    });
    const client = new ApiClient({ fetch, auth: hooks() });
    const data = await client.postDouble('users/login/', { username: 'a', password: 'b' }, { auth: false });
    expect(data).toEqual({ token: 't', access: 't', refresh: 'r', user: { id: 1 } });
    expect(calls[0]!.headers.authorization).toBeUndefined();
    expect(calls[0]!.headers['content-type']).toBe('application/json');
    expect(calls[0]!.body).toEqual({ username: 'a', password: 'b' });
  });

  it('returns raw JSON without unwrapping (openapi, healthcheck)', async () => {
    const { fetch } = mockFetch({ 'GET /api/v1/healthcheck/': () => jsonResponse(200, { status: 'online' }) });
    const client = new ApiClient({ fetch });
    await expect(client.raw('healthcheck/')).resolves.toEqual({ status: 'online' });
  });

  it('treats a 204 as success with no body', async () => {
    const { fetch } = mockFetch({ 'DELETE /api/v1/fruits/2/': () => new Response(null, { status: 204 }) });
    const client = new ApiClient({ fetch, auth: hooks() });
    await expect(client.delete('fruits/2/')).resolves.toBeUndefined();
  });

  it('rejects a success answer that is not JSON', async () => {
    const fetch = vi.fn(async () => new Response('<html>index</html>', { status: 200 })) as unknown as typeof globalThis.fetch;
    const client = new ApiClient({ fetch });
    await expect(client.get('fruits/')).rejects.toMatchObject({ status: 200, errors: { detail: expect.stringMatching(/JSON/) } });
  });
});

describe('ApiClient errors', () => {
  it('maps an error envelope to ApiError with status and errors', async () => {
    const { fetch } = mockFetch({
      'POST /api/v1/fruits/': () => jsonResponse(400, fail({ detail: { name: ['This field may not be blank.'] } })),
    });
    const client = new ApiClient({ fetch, auth: hooks() });
    const error = await client.post('fruits/', { name: '' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({ status: 400, errors: { detail: { name: ['This field may not be blank.'] } } });
    expect((error as ApiError).message).toBe('name: This field may not be blank.');
  });

  it('keeps the session on 403 and reports it as forbidden', async () => {
    const auth = hooks();
    const { fetch } = mockFetch({
      'GET /api/v1/users/profiles/': () => jsonResponse(403, fail({ exception: 'Permission denied for user.' })),
    });
    const client = new ApiClient({ fetch, auth });
    const error = (await client.get('users/profiles/').catch((e: unknown) => e)) as ApiError;
    expect(error.isForbidden).toBe(true);
    expect(error.message).toBe('Permission denied for user.');
    expect(auth.refreshAccessToken).not.toHaveBeenCalled();
    expect(auth.onUnauthorized).not.toHaveBeenCalled();
  });

  it('maps 404 to a not-found ApiError', async () => {
    const { fetch } = mockFetch({});
    const client = new ApiClient({ fetch, auth: hooks() });
    const error = (await client.get('harvesters/').catch((e: unknown) => e)) as ApiError;
    expect(error.isNotFound).toBe(true);
    expect(error.errors.exception).toMatch(/No route/);
  });

  it('turns a non-JSON error page into a readable detail', async () => {
    const fetch = vi.fn(async () => new Response('<html><body><h1>502 Bad Gateway</h1></body></html>', { status: 502 }));
    const client = new ApiClient({ fetch: fetch as unknown as typeof globalThis.fetch });
    await expect(client.get('fruits/')).rejects.toMatchObject({ status: 502, errors: { detail: '502 Bad Gateway' } });
  });

  it('reports a network failure as status 0', async () => {
    const fetch = vi.fn(async () => {
      throw new TypeError('Failed to fetch');
    });
    const client = new ApiClient({ fetch: fetch as unknown as typeof globalThis.fetch });
    const error = (await client.get('fruits/').catch((e: unknown) => e)) as ApiError;
    expect(error.isNetworkError).toBe(true);
  });

  it('passes a caller abort through as an AbortError', async () => {
    const fetch = vi.fn(
      (_url: string, init: RequestInit) =>
        new Promise<Response>((_resolve, reject) => {
          init.signal!.addEventListener('abort', () => reject(new DOMException('aborted', 'AbortError')));
        }),
    );
    const client = new ApiClient({ fetch: fetch as unknown as typeof globalThis.fetch });
    const controller = new AbortController();
    const pending = client.get('fruits/', { signal: controller.signal });
    controller.abort();
    await expect(pending).rejects.toMatchObject({ name: 'AbortError' });
  });

  it('gives up after the timeout with status 0', async () => {
    const fetch = vi.fn(
      (_url: string, init: RequestInit) =>
        new Promise<Response>((_resolve, reject) => {
          init.signal!.addEventListener('abort', () => reject(new DOMException('aborted', 'AbortError')));
        }),
    );
    const client = new ApiClient({ fetch: fetch as unknown as typeof globalThis.fetch, timeoutMs: 20 });
    await expect(client.get('fruits/')).rejects.toMatchObject({ status: 0, errors: { detail: expect.stringMatching(/No answer/) } });
  });
});

describe('ApiClient 401 handling', () => {
  it('refreshes once and retries the request with the new token', async () => {
    const auth = hooks();
    const { fetch, calls } = mockFetch({
      'GET /api/v1/users/me/': (call) =>
        call.headers.authorization === 'Bearer access-2'
          ? jsonResponse(200, ok({ id: 1 }))
          : jsonResponse(401, fail({ detail: 'Token expired.' })),
    });
    const client = new ApiClient({ fetch, auth });
    await expect(client.get('users/me/')).resolves.toEqual({ id: 1 });
    expect(auth.refreshAccessToken).toHaveBeenCalledTimes(1);
    expect(auth.refreshAccessToken).toHaveBeenCalledWith('access-1');
    expect(calls.map((c) => c.headers.authorization)).toEqual(['Bearer access-1', 'Bearer access-2']);
    expect(auth.onUnauthorized).not.toHaveBeenCalled();
  });

  it('retries only once, then ends the session', async () => {
    const auth = hooks();
    const { fetch, calls } = mockFetch({
      'GET /api/v1/users/me/': () => jsonResponse(401, fail({ detail: 'Invalid token.' })),
    });
    const client = new ApiClient({ fetch, auth });
    const error = (await client.get('users/me/').catch((e: unknown) => e)) as ApiError;
    expect(error.isUnauthorized).toBe(true);
    expect(calls).toHaveLength(2);
    expect(auth.refreshAccessToken).toHaveBeenCalledTimes(1);
    expect(auth.onUnauthorized).toHaveBeenCalledTimes(1);
  });

  it('ends the session without retrying when the refresh is refused', async () => {
    const auth = hooks({ refreshAccessToken: vi.fn(async () => null) });
    const { fetch, calls } = mockFetch({
      'GET /api/v1/users/me/': () => jsonResponse(401, fail({ detail: 'Invalid token.' })),
    });
    const client = new ApiClient({ fetch, auth });
    await expect(client.get('users/me/')).rejects.toMatchObject({ status: 401 });
    expect(calls).toHaveLength(1);
    expect(auth.onUnauthorized).toHaveBeenCalledTimes(1);
  });

  it('keeps the session when the refresh cannot reach the server', async () => {
    const offline = new ApiError(0, { detail: 'offline' }, '/api/v1/users/token/refresh/');
    const auth = hooks({
      refreshAccessToken: vi.fn(async () => {
        throw offline;
      }),
    });
    const { fetch } = mockFetch({ 'GET /api/v1/users/me/': () => jsonResponse(401, fail({ detail: 'expired' })) });
    const client = new ApiClient({ fetch, auth });
    await expect(client.get('users/me/')).rejects.toBe(offline);
    expect(auth.onUnauthorized).not.toHaveBeenCalled();
  });

  it('never refreshes for requests sent without auth', async () => {
    const auth = hooks();
    const { fetch } = mockFetch({
      'POST /api/v1/users/token/refresh/': () => jsonResponse(401, fail({ detail: 'Token is invalid or expired' })),
    });
    const client = new ApiClient({ fetch, auth });
    await expect(client.post('users/token/refresh/', { refresh: 'x' }, { auth: false })).rejects.toMatchObject({ status: 401 });
    expect(auth.refreshAccessToken).not.toHaveBeenCalled();
    expect(auth.onUnauthorized).not.toHaveBeenCalled();
  });
});

describe('ApiClient lists and URLs', () => {
  it('builds list URLs with limit, offset and comma-joined filters', async () => {
    const page = { count: 0, next: null, previous: null, results: [] };
    const { fetch, calls } = mockFetch({ 'GET /api/v1/errorreports/': () => jsonResponse(200, ok(page)) });
    const client = new ApiClient({ fetch, auth: hooks() });
    await client.list('errorreports/', { limit: 25, offset: 50, query: { harv_ids: [11, 100], traceback: '' } });
    expect(calls[0]!.url).toBe('/api/v1/errorreports/?harv_ids=11%2C100&limit=25&offset=50');
  });

  it('rejects a list answer without results', async () => {
    const { fetch } = mockFetch({ 'GET /api/v1/fruits/': () => jsonResponse(200, ok({ id: 1 })) });
    const client = new ApiClient({ fetch, auth: hooks() });
    await expect(client.list('fruits/', { limit: 10 })).rejects.toBeInstanceOf(ApiError);
  });

  it('resolves paths against its base URL', () => {
    const client = new ApiClient({ baseUrl: '/hds/api/v1' });
    expect(client.url('fruits/')).toBe('/hds/api/v1/fruits/');
    expect(client.url('/metrics')).toBe('/metrics');
    expect(client.url('https://example.test/x')).toBe('https://example.test/x');
  });
});
