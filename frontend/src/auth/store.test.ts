import { afterEach, describe, expect, it, vi } from 'vitest';
import { ApiClient } from '../api/client';
import { fail, fakeJwt, jsonResponse, makeUser, mockFetch, ok, okDouble, storeSession } from '../test/helpers';
import { AuthStore } from './store';
import { jwtExpiresAt, SESSION_KEY } from './tokens';

function setup(routes: Parameters<typeof mockFetch>[0]) {
  const { fetch, calls } = mockFetch(routes);
  const client = new ApiClient({ fetch });
  const store = new AuthStore({ client, retryDelayMs: 1000 });
  client.setAuth(store);
  return { store, client, calls };
}

afterEach(() => {
  vi.useRealTimers();
});

describe('tokens', () => {
  it('reads the expiry of a JWT', () => {
    const now = Date.UTC(2025, 0, 1);
    expect(jwtExpiresAt(fakeJwt(900, now))).toBe(now + 900_000);
    expect(jwtExpiresAt('not-a-jwt')).toBeNull();
    expect(jwtExpiresAt(null)).toBeNull();
  });
});

describe('AuthStore', () => {
  it('logs in and persists access, refresh and user', async () => {
    const user = makeUser();
    const access = fakeJwt(900);
    const { store, calls } = setup({
      'POST /api/v1/users/login/': () => jsonResponse(200, okDouble({ token: access, access, refresh: 'r1', user }, 'Login successful')),
    });
    await expect(store.login('ada', 'pw')).resolves.toEqual(user);
    expect(calls[0]!.body).toEqual({ username: 'ada', password: 'pw' });
    expect(store.getState()).toMatchObject({ access, refresh: 'r1', user });
    expect(JSON.parse(localStorage.getItem(SESSION_KEY)!)).toEqual({ access, refresh: 'r1', user });
    expect(store.isAuthenticated).toBe(true);
  });

  it('surfaces bad credentials without storing anything', async () => {
    const { store } = setup({
      'POST /api/v1/users/login/': () => jsonResponse(400, fail({ exception: 'invalid username or password' })),
    });
    await expect(store.login('ada', 'bad')).rejects.toMatchObject({ status: 400, errors: { exception: 'invalid username or password' } });
    expect(store.isAuthenticated).toBe(false);
    expect(localStorage.getItem(SESSION_KEY)).toBeNull();
  });

  it('restores a session from localStorage', () => {
    const user = makeUser({ username: 'grace' });
    storeSession(user);
    const { store } = setup({});
    expect(store.getState().user?.username).toBe('grace');
  });

  it('ignores a corrupt stored session', () => {
    localStorage.setItem(SESSION_KEY, '{"access": 5}');
    const { store } = setup({});
    expect(store.isAuthenticated).toBe(false);
  });

  it('logs out: clears storage first, then revokes both tokens', async () => {
    storeSession(makeUser(), 'acc', 'ref');
    const { store, calls } = setup({ 'POST /api/v1/users/logout/': () => jsonResponse(200, okDouble({})) });
    const listener = vi.fn();
    store.subscribe(listener);
    await store.logout();
    expect(store.isAuthenticated).toBe(false);
    expect(store.getState().endedReason).toBeNull();
    expect(localStorage.getItem(SESSION_KEY)).toBeNull();
    expect(calls[0]!.body).toEqual({ token: 'acc', refresh: 'ref' });
    expect(listener).toHaveBeenCalled();
  });

  it('still logs out locally when the server cannot be reached', async () => {
    storeSession();
    const client = new ApiClient({ fetch: vi.fn(async () => { throw new TypeError('offline'); }) as unknown as typeof globalThis.fetch });
    const store = new AuthStore({ client });
    await store.logout();
    expect(store.isAuthenticated).toBe(false);
  });

  it('refreshes with the refresh token and stores the rotated one', async () => {
    storeSession(makeUser(), fakeJwt(900), 'ref-1');
    const fresh = fakeJwt(900);
    const { store, calls } = setup({
      'POST /api/v1/users/token/refresh/': () => jsonResponse(200, ok({ access: fresh, token: fresh, refresh: 'ref-2' })),
    });
    await expect(store.refresh()).resolves.toBe(fresh);
    expect(calls[0]!.body).toEqual({ refresh: 'ref-1' });
    expect(calls[0]!.headers.authorization).toBeUndefined();
    expect(store.getState()).toMatchObject({ access: fresh, refresh: 'ref-2' });
    expect(JSON.parse(localStorage.getItem(SESSION_KEY)!).refresh).toBe('ref-2');
  });

  it('shares one refresh between concurrent callers', async () => {
    storeSession(makeUser(), fakeJwt(900), 'ref-1');
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const fresh = fakeJwt(900);
    const { store, calls } = setup({
      'POST /api/v1/users/token/refresh/': async () => {
        await gate;
        return jsonResponse(200, ok({ access: fresh, refresh: 'ref-2' }));
      },
    });
    const a = store.refresh();
    const b = store.refresh();
    release();
    await expect(Promise.all([a, b])).resolves.toEqual([fresh, fresh]);
    expect(calls.filter((c) => c.path.endsWith('/token/refresh/'))).toHaveLength(1);
  });

  it('ends the session when the refresh token is refused', async () => {
    storeSession(makeUser(), fakeJwt(900), 'reused');
    const { store } = setup({
      'POST /api/v1/users/token/refresh/': () => jsonResponse(401, fail({ detail: 'Token is invalid or expired' })),
    });
    await expect(store.refresh()).resolves.toBeNull();
    expect(store.isAuthenticated).toBe(false);
    expect(store.getState().endedReason).toBe('expired');
    expect(localStorage.getItem(SESSION_KEY)).toBeNull();
  });

  it('keeps the session when the refresh hits a network failure', async () => {
    storeSession(makeUser(), fakeJwt(900), 'ref-1');
    const client = new ApiClient({ fetch: vi.fn(async () => { throw new TypeError('offline'); }) as unknown as typeof fetch });
    const store = new AuthStore({ client });
    await expect(store.refresh()).rejects.toMatchObject({ status: 0 });
    expect(store.isAuthenticated).toBe(true);
  });

  it('uses a token another tab already refreshed instead of spending the refresh token', async () => {
    const old = fakeJwt(900);
    storeSession(makeUser(), old, 'ref-1');
    const { store, calls } = setup({});
    const newer = fakeJwt(900, Date.now() + 1000);
    storeSession(makeUser(), newer, 'ref-2'); // written by another tab
    await expect(store.refreshAccessToken(old)).resolves.toBe(newer);
    expect(calls).toHaveLength(0);
    expect(store.getState().refresh).toBe('ref-2');
  });

  it('follows a logout in another tab', () => {
    storeSession();
    const { store } = setup({});
    store.start();
    localStorage.removeItem(SESSION_KEY);
    window.dispatchEvent(new StorageEvent('storage', { key: SESSION_KEY, newValue: null }));
    expect(store.isAuthenticated).toBe(false);
    store.stop();
  });

  it('refreshes silently one minute before the access token expires', async () => {
    vi.useFakeTimers();
    storeSession(makeUser(), fakeJwt(15 * 60), 'ref-1');
    const fresh = fakeJwt(30 * 60);
    const { store, calls } = setup({
      'POST /api/v1/users/token/refresh/': () => jsonResponse(200, ok({ access: fresh, refresh: 'ref-2' })),
    });
    store.start();
    await vi.advanceTimersByTimeAsync(13 * 60 * 1000);
    expect(calls).toHaveLength(0);
    await vi.advanceTimersByTimeAsync(60 * 1000 + 10);
    expect(calls).toHaveLength(1);
    expect(store.getState()).toMatchObject({ access: fresh, refresh: 'ref-2' });
    store.stop();
  });

  it('refreshes at once when the stored access token has already expired', async () => {
    vi.useFakeTimers();
    storeSession(makeUser(), fakeJwt(-10), 'ref-1');
    const fresh = fakeJwt(900);
    const { store, calls } = setup({
      'POST /api/v1/users/token/refresh/': () => jsonResponse(200, ok({ access: fresh, refresh: 'ref-2' })),
    });
    store.start();
    await vi.advanceTimersByTimeAsync(1);
    expect(calls).toHaveLength(1);
    expect(store.getState().access).toBe(fresh);
    store.stop();
  });

  it('retries a scheduled refresh that could not reach the server', async () => {
    vi.useFakeTimers();
    storeSession(makeUser(), fakeJwt(-10), 'ref-1');
    const fresh = fakeJwt(900);
    let online = false;
    const { store, calls } = setup({
      'POST /api/v1/users/token/refresh/': () => {
        if (!online) throw new TypeError('offline');
        return jsonResponse(200, ok({ access: fresh, refresh: 'ref-2' }));
      },
    });
    store.start();
    await vi.advanceTimersByTimeAsync(1);
    expect(calls).toHaveLength(1);
    expect(store.isAuthenticated).toBe(true);
    online = true;
    await vi.advanceTimersByTimeAsync(1000);
    expect(calls).toHaveLength(2);
    expect(store.getState().access).toBe(fresh);
    store.stop();
  });

  it('drives the client: a 401 triggers a refresh and a retry', async () => {
    storeSession(makeUser(), fakeJwt(900), 'ref-1');
    const fresh = fakeJwt(900, Date.now() + 5000);
    const { store, client, calls } = setup({
      'POST /api/v1/users/token/refresh/': () => jsonResponse(200, ok({ access: fresh, refresh: 'ref-2' })),
      'GET /api/v1/users/me/': (call) =>
        call.headers.authorization === `Bearer ${fresh}`
          ? jsonResponse(200, ok(makeUser({ first_name: 'New' })))
          : jsonResponse(401, fail({ detail: 'revoked' })),
    });
    await expect(client.get('/api/v1/users/me/')).resolves.toMatchObject({ first_name: 'New' });
    expect(calls.map((c) => c.path)).toEqual(['/api/v1/users/me/', '/api/v1/users/token/refresh/', '/api/v1/users/me/']);
    expect(store.isAuthenticated).toBe(true);
  });

  it('drives the client: a 401 after a refused refresh logs out', async () => {
    storeSession(makeUser(), fakeJwt(900), 'ref-1');
    const { store, client } = setup({
      'POST /api/v1/users/token/refresh/': () => jsonResponse(401, fail({ detail: 'blacklisted' })),
      'GET /api/v1/users/me/': () => jsonResponse(401, fail({ detail: 'revoked' })),
    });
    await expect(client.get('/api/v1/users/me/')).rejects.toMatchObject({ status: 401 });
    expect(store.isAuthenticated).toBe(false);
    expect(store.getState().endedReason).toBe('expired');
  });

  it('setUser updates the stored user', () => {
    storeSession(makeUser());
    const { store } = setup({});
    store.setUser(makeUser({ first_name: 'Grace' }));
    expect(JSON.parse(localStorage.getItem(SESSION_KEY)!).user.first_name).toBe('Grace');
  });
});
