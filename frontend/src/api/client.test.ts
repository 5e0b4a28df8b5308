import { describe, expect, it, vi } from 'vitest';
import { fail, jsonResponse, mockFetch, ok, okDouble } from '../test/helpers';
import { apiGet, apiList, ApiClient, requestKey, type AuthHooks } from './client';
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
    await expect(client.get('/api/v1/fruits/{id}/', { path: { id: '1' } })).resolves.toEqual({ id: 1, name: 'strawberry' });
    expect(calls[0]!.headers.authorization).toBe('Bearer access-1');
    expect(calls[0]!.headers.accept).toBe('application/json');
  });

  it('unwraps a double envelope (login)', async () => {
    const { fetch, calls } = mockFetch({
      'POST /api/v1/users/login/': () => jsonResponse(200, okDouble({ token: 't', access: 't', refresh: 'r', user: { id: 1 } })),
    });
    const client = new ApiClient({ fetch, auth: hooks() });
    const data = await client.postDouble('/api/v1/users/login/', { body: { username: 'a', password: 'b' }, auth: false });
    expect(data).toEqual({ token: 't', access: 't', refresh: 'r', user: { id: 1 } });
    expect(calls[0]!.headers.authorization).toBeUndefined();
    expect(calls[0]!.headers['content-type']).toBe('application/json');
    expect(calls[0]!.body).toEqual({ username: 'a', password: 'b' });
  });

  it('returns raw JSON without unwrapping (openapi, healthcheck)', async () => {
    const { fetch } = mockFetch({ 'GET /api/v1/healthcheck/': () => jsonResponse(200, { status: 'online' }) });
    const client = new ApiClient({ fetch });
    await expect(client.raw('/api/v1/healthcheck/')).resolves.toEqual({ status: 'online' });
  });

  it('treats a 204 as success with no body', async () => {
    const { fetch } = mockFetch({ 'DELETE /api/v1/fruits/2/': () => new Response(null, { status: 204 }) });
    const client = new ApiClient({ fetch, auth: hooks() });
    await expect(client.delete('/api/v1/fruits/{id}/', { path: { id: '2' } })).resolves.toBeUndefined();
  });

  it('rejects a success answer that is not JSON', async () => {
    const fetch = vi.fn(async () => new Response('<html>index</html>', { status: 200 })) as unknown as typeof globalThis.fetch;
    const client = new ApiClient({ fetch });
    await expect(client.get('/api/v1/fruits/')).rejects.toMatchObject({ status: 200, errors: { detail: expect.stringMatching(/JSON/) } });
  });
});

describe('ApiClient errors', () => {
  it('maps an error envelope to ApiError with status and errors', async () => {
    const { fetch } = mockFetch({
      'POST /api/v1/fruits/': () => jsonResponse(400, fail({ detail: { name: ['This field may not be blank.'] } })),
    });
    const client = new ApiClient({ fetch, auth: hooks() });
    const error = await client.post('/api/v1/fruits/', { body: { name: '' } }).catch((e: unknown) => e);
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
    const error = (await client.get('/api/v1/users/profiles/').catch((e: unknown) => e)) as ApiError;
    expect(error.isForbidden).toBe(true);
    expect(error.message).toBe('Permission denied for user.');
    expect(auth.refreshAccessToken).not.toHaveBeenCalled();
    expect(auth.onUnauthorized).not.toHaveBeenCalled();
  });

  it('maps 404 to a not-found ApiError', async () => {
    const { fetch } = mockFetch({});
    const client = new ApiClient({ fetch, auth: hooks() });
    const error = (await client.get('/api/v1/harvesters/').catch((e: unknown) => e)) as ApiError;
    expect(error.isNotFound).toBe(true);
    expect(error.errors.exception).toMatch(/No route/);
  });

  it('turns a non-JSON error page into a readable detail', async () => {
    const fetch = vi.fn(async () => new Response('<html><body><h1>502 Bad Gateway</h1></body></html>', { status: 502 }));
    const client = new ApiClient({ fetch: fetch as unknown as typeof globalThis.fetch });
    await expect(client.get('/api/v1/fruits/')).rejects.toMatchObject({ status: 502, errors: { detail: '502 Bad Gateway' } });
  });

  it('reports a network failure as status 0', async () => {
    const fetch = vi.fn(async () => {
      throw new TypeError('Failed to fetch');
    });
    const client = new ApiClient({ fetch: fetch as unknown as typeof globalThis.fetch });
    const error = (await client.get('/api/v1/fruits/').catch((e: unknown) => e)) as ApiError;
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
    const pending = client.get('/api/v1/fruits/', { signal: controller.signal });
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
    await expect(client.get('/api/v1/fruits/')).rejects.toMatchObject({ status: 0, errors: { detail: expect.stringMatching(/No answer/) } });
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
    await expect(client.get('/api/v1/users/me/')).resolves.toEqual({ id: 1 });
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
    const error = (await client.get('/api/v1/users/me/').catch((e: unknown) => e)) as ApiError;
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
    await expect(client.get('/api/v1/users/me/')).rejects.toMatchObject({ status: 401 });
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
    await expect(client.get('/api/v1/users/me/')).rejects.toBe(offline);
    expect(auth.onUnauthorized).not.toHaveBeenCalled();
  });

  it('never refreshes for requests sent without auth', async () => {
    const auth = hooks();
    const { fetch } = mockFetch({
      'POST /api/v1/users/token/refresh/': () => jsonResponse(401, fail({ detail: 'Token is invalid or expired' })),
    });
    const client = new ApiClient({ fetch, auth });
    await expect(client.post('/api/v1/users/token/refresh/', { body: { refresh: 'x' }, auth: false })).rejects.toMatchObject({ status: 401 });
    expect(auth.refreshAccessToken).not.toHaveBeenCalled();
    expect(auth.onUnauthorized).not.toHaveBeenCalled();
  });
});

describe('ApiClient lists and URLs', () => {
  it('builds list URLs with the filters (empty ones left out), limit and offset', async () => {
    const page = { count: 0, next: null, previous: null, results: [] };
    const { fetch, calls } = mockFetch({ 'GET /api/v1/errorreports/': () => jsonResponse(200, ok(page)) });
    const client = new ApiClient({ fetch, auth: hooks() });
    await client.list('/api/v1/errorreports/', { limit: 25, offset: 50, query: { harv_ids: '11,100', traceback: '', is_emulator: '0' } });
    expect(calls[0]!.url).toBe('/api/v1/errorreports/?harv_ids=11%2C100&is_emulator=0&limit=25&offset=50');
  });

  it('comma-joins list values', () => {
    expect(requestKey('/api/v1/errorreports/createnotification/', { query: { harv_ids: [11, 100], codes: [] } })).toBe(
      'errorreports/createnotification/?harv_ids=11%2C100',
    );
  });

  it('rejects a list answer without results', async () => {
    const { fetch } = mockFetch({ 'GET /api/v1/fruits/': () => jsonResponse(200, ok({ id: 1 })) });
    const client = new ApiClient({ fetch, auth: hooks() });
    await expect(client.list('/api/v1/fruits/', { limit: 10 })).rejects.toBeInstanceOf(ApiError);
  });

  it('resolves paths against its base URL', () => {
    const client = new ApiClient({ baseUrl: '/hds/api/v1' });
    expect(client.url('fruits/')).toBe('/hds/api/v1/fruits/');
    expect(client.url('/metrics')).toBe('/metrics');
    expect(client.url('https://example.test/x')).toBe('https://example.test/x');
  });
});

describe('ApiClient on the OpenAPI document', () => {
  it('fills path parameters (encoded) and sends the query in the order given, then limit and offset', async () => {
    const { fetch, calls } = mockFetch({
      'GET /api/v1/errorreports/a%2Fb/': () => jsonResponse(200, ok({ id: 1 })),
      'GET /api/v1/s3files/': () => jsonResponse(200, ok({ count: 0, next: null, previous: null, results: [] })),
    });
    const client = new ApiClient({ fetch, auth: hooks() });
    await client.get('/api/v1/errorreports/{id}/', { path: { id: 'a/b' } });
    await client.list('/api/v1/s3files/', { limit: 99999, offset: -3, query: { tags: 'a,b', key: 'hv 011', deleted: 'true' } });
    expect(calls.map((c) => c.url)).toEqual([
      '/api/v1/errorreports/a%2Fb/',
      '/api/v1/s3files/?tags=a%2Cb&key=hv+011&deleted=true&limit=10000&offset=0',
    ]);
  });

  it('sends the document\'s paths under its own root', async () => {
    const { fetch, calls } = mockFetch({ 'GET /hds/api/v1/fruits/': () => jsonResponse(200, ok([])) });
    const client = new ApiClient({ fetch, baseUrl: '/hds/api/v1/' });
    await client.get('/api/v1/fruits/');
    expect(calls[0]!.url).toBe('/hds/api/v1/fruits/');
    expect(client.href('/api/v1/fruits/', { query: { name: 'kiwi', limit: 5 } })).toBe('/hds/api/v1/fruits/?name=kiwi&limit=5');
  });

  it('sends query and body together (create a notification from filters)', async () => {
    const { fetch, calls } = mockFetch({
      'POST /api/v1/errorreports/createnotification/': () => jsonResponse(200, ok({ id: 4, criteria: {}, recipients: [], trigger_on: 'ErrorReport' })),
    });
    const client = new ApiClient({ fetch, auth: hooks() });
    await client.post('/api/v1/errorreports/createnotification/', { query: { harv_ids: '11', primary: 'true' }, body: { recipients: [1] } });
    expect(calls[0]).toMatchObject({
      method: 'POST',
      url: '/api/v1/errorreports/createnotification/?harv_ids=11&primary=true',
      body: { recipients: [1] },
    });
    expect(calls[0]!.headers['content-type']).toBe('application/json');
  });

  it('describes requests by their URL for the prefetch cache and useApi', async () => {
    const get = apiGet('/api/v1/harvesters/{id}/', { path: { id: '7' } });
    const list = apiList('/api/v1/errorreports/', { limit: 25, query: { harv_ids: '11', tz: 'UTC' } });
    expect(get.key).toBe('harvesters/7/');
    expect(list.key).toBe('errorreports/?harv_ids=11&tz=UTC&limit=25&offset=0');
    expect(requestKey('/api/v1/events/', { query: { UUID: '', tags: [] } })).toBe('events/');

    const { fetch, calls } = mockFetch({
      'GET /api/v1/harvesters/7/': () => jsonResponse(200, ok({ id: 7 })),
      'GET /api/v1/errorreports/': () => jsonResponse(200, ok({ count: 0, next: null, previous: null, results: [] })),
    });
    const client = new ApiClient({ fetch, auth: hooks() });
    await expect(get.send(client)).resolves.toEqual({ id: 7 });
    await expect(list.send(client)).resolves.toMatchObject({ count: 0 });
    expect(calls.map((c) => c.url)).toEqual(['/api/v1/harvesters/7/', `/api/v1/${list.key}`]);
  });

  it('drops the body of a DELETE answer', async () => {
    const { fetch } = mockFetch({ 'DELETE /api/v1/s3files/4/': () => jsonResponse(200, ok('s3file deleted')) });
    const client = new ApiClient({ fetch, auth: hooks() });
    await expect(client.delete('/api/v1/s3files/{id}/', { path: { id: '4' } })).resolves.toBeUndefined();
  });

  it('fails the type check on what the document does not have', () => {
    const client = new ApiClient({ fetch: vi.fn() as unknown as typeof fetch });
    const typeChecks = () => {
      // @ts-expect-error a path the document does not have
      void client.get('/api/v1/nothing/');
      // @ts-expect-error a query parameter the route does not read
      void client.list('/api/v1/harvesters/', { limit: 10, query: { nope: '1' } });
      // @ts-expect-error a query value of another type than the parameter's
      void client.list('/api/v1/harvesters/', { limit: 10, query: { harv_id: '11' } });
      // @ts-expect-error a flag the parameter's enum does not have
      void client.list('/api/v1/s3files/', { limit: 10, query: { deleted: 'yes' } });
      // @ts-expect-error the path parameter is missing
      void client.get('/api/v1/harvesters/{id}/');
      // @ts-expect-error a body field the input schema does not have
      void client.post('/api/v1/fruits/', { body: { nom: 'kiwi' } });
      return client.get('/api/v1/harvesters/{id}/', { path: { id: '1' } }).then((h) => {
        // @ts-expect-error a field the schema does not have
        return h.colour;
      });
    };
    expect(typeof typeChecks).toBe('function');
  });
});
