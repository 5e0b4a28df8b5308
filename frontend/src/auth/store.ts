import type { AuthHooks, ApiClient } from '../api/client';
import { ApiError, isApiError } from '../api/errors';
import type { User } from '../api/schemas';
import { usersApi } from '../api/users';
import { TokenStorage, SESSION_KEY, jwtExpiresAt, type StoredSession } from './tokens';

export interface AuthState {
  user: User | null;
  access: string | null;
  refresh: string | null;
  /** Why the last session ended, shown on the login page. */
  endedReason: 'expired' | null;
}

export interface AuthStoreOptions {
  client: ApiClient;
  storage?: Storage;
  /** Refresh this long before the access token expires. */
  refreshLeewayMs?: number;
  /** Wait this long before trying again after a refresh that could not reach the server. */
  retryDelayMs?: number;
  now?: () => number;
}

const LOCK_NAME = 'hds-token-refresh';

type LockManagerLike = {
  request<T>(name: string, callback: () => Promise<T>): Promise<T>;
};

function lockManager(): LockManagerLike | undefined {
  const nav = globalThis.navigator as (Navigator & { locks?: LockManagerLike }) | undefined;
  return nav?.locks && typeof nav.locks.request === 'function' ? nav.locks : undefined;
}

/**
 * The login session: tokens and the signed-in user, persisted in localStorage.
 *
 * The access token is a short-lived JWT. The store refreshes it shortly before
 * it expires (and when the client reports a 401), storing the rotated refresh
 * token every time. Tabs share the session through localStorage and a Web Lock,
 * so two tabs never spend the same refresh token.
 */
export class AuthStore implements AuthHooks {
  private state: AuthState;
  private readonly listeners = new Set<() => void>();
  private readonly tokens: TokenStorage;
  private readonly client: ApiClient;
  private readonly leeway: number;
  private readonly retryDelay: number;
  private readonly now: () => number;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private inflight: Promise<string | null> | null = null;
  private started = false;
  private readonly onStorage = (event: StorageEvent) => {
    if (event.key === SESSION_KEY || event.key === null) this.adoptStored();
  };
  private readonly onVisible = () => {
    if (globalThis.document?.visibilityState === 'visible' && this.expiresSoon()) void this.refreshQuietly();
  };

  constructor(options: AuthStoreOptions) {
    this.client = options.client;
    this.tokens = new TokenStorage(options.storage ?? globalThis.localStorage);
    this.leeway = options.refreshLeewayMs ?? 60_000;
    this.retryDelay = options.retryDelayMs ?? 30_000;
    this.now = options.now ?? (() => Date.now());
    this.state = this.stateFrom(this.tokens.read(), null);
  }

  // ---- subscription (useSyncExternalStore) ----

  getState = (): AuthState => this.state;

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  get isAuthenticated(): boolean {
    return this.state.user !== null && this.state.access !== null;
  }

  /** Starts refresh scheduling and cross-tab syncing; returns a stop function. */
  start(): () => void {
    if (!this.started) {
      this.started = true;
      globalThis.addEventListener?.('storage', this.onStorage);
      globalThis.document?.addEventListener('visibilitychange', this.onVisible);
      this.schedule();
    }
    return () => this.stop();
  }

  stop(): void {
    this.started = false;
    this.clearTimer();
    globalThis.removeEventListener?.('storage', this.onStorage);
    globalThis.document?.removeEventListener('visibilitychange', this.onVisible);
  }

  // ---- actions ----

  async login(username: string, password: string): Promise<User> {
    const data = await usersApi.login(this.client, username, password);
    const access = data.access ?? data.token;
    if (!access || !data.user) {
      throw new ApiError(200, { detail: 'The login answer carried no access token.' }, this.client.url('users/login/'));
    }
    this.save({ access, refresh: data.refresh ?? null, user: data.user });
    return data.user;
  }

  /** Ends the session at once, then asks the server to revoke the tokens. */
  async logout(): Promise<void> {
    const { access, refresh } = this.state;
    this.end(null);
    if (!access && !refresh) return;
    try {
      await usersApi.logout(this.client, access, refresh);
    } catch {
      // Revocation is best effort: the tokens are gone from this browser anyway.
    }
  }

  /** Replaces the stored user (after a profile edit or GET users/me/). */
  setUser(user: User): void {
    const session = this.current();
    if (!session) return;
    this.save({ ...session, user });
  }

  /**
   * Gets a new access token with the refresh token. Resolves to null when the
   * session cannot be renewed (it is ended then); rejects with an ApiError when
   * the server could not be asked (the session is kept).
   */
  refresh(): Promise<string | null> {
    if (!this.inflight) {
      const attempt = this.withLock(() => this.doRefresh());
      this.inflight = attempt.finally(() => {
        this.inflight = null;
      });
    }
    return this.inflight;
  }

  // ---- AuthHooks for the API client ----

  getAccessToken(): string | null {
    return this.state.access;
  }

  async refreshAccessToken(failedToken: string): Promise<string | null> {
    // Another request (or tab) may already have renewed the token.
    this.adoptStored();
    const current = this.state.access;
    if (current && current !== failedToken && !this.expiresSoon()) return current;
    return this.refresh();
  }

  onUnauthorized(): void {
    if (this.state.access || this.state.user) this.end('expired');
  }

  // ---- internals ----

  private async doRefresh(): Promise<string | null> {
    const before = this.state.access;
    this.adoptStored();
    const session = this.current();
    if (!session) return null;
    // Another tab refreshed while we waited for the lock.
    if (session.access !== before && !this.expiresSoon()) return session.access;
    if (!session.refresh) {
      this.end('expired');
      return null;
    }
    try {
      const data = await usersApi.refresh(this.client, session.refresh);
      const access = data.access ?? data.token;
      if (!access) throw new ApiError(200, { detail: 'The refresh answer carried no access token.' }, '');
      this.save({ access, refresh: data.refresh ?? session.refresh, user: session.user });
      return access;
    } catch (error) {
      if (isApiError(error) && (error.status === 0 || error.status >= 500)) {
        // Not the session's fault: keep it and try again later.
        this.scheduleIn(this.retryDelay);
        throw error;
      }
      this.end('expired');
      return null;
    }
  }

  private async refreshQuietly(): Promise<void> {
    try {
      await this.refresh();
    } catch {
      // Retried by the timer; requests still get a 401-driven refresh.
    }
  }

  private withLock<T>(fn: () => Promise<T>): Promise<T> {
    const locks = lockManager();
    return locks ? locks.request(LOCK_NAME, fn) : fn();
  }

  private current(): StoredSession | null {
    const { access, refresh, user } = this.state;
    return access && user ? { access, refresh, user } : null;
  }

  private expiresSoon(): boolean {
    const exp = jwtExpiresAt(this.state.access);
    return exp !== null && exp - this.now() <= this.leeway;
  }

  private stateFrom(session: StoredSession | null, endedReason: AuthState['endedReason']): AuthState {
    return {
      user: session?.user ?? null,
      access: session?.access ?? null,
      refresh: session?.refresh ?? null,
      endedReason,
    };
  }

  private save(session: StoredSession): void {
    this.tokens.write(session);
    this.setState(this.stateFrom(session, null));
    this.schedule();
  }

  private end(reason: AuthState['endedReason']): void {
    this.tokens.clear();
    this.clearTimer();
    this.setState(this.stateFrom(null, reason));
  }

  /** Takes over what another tab wrote (or cleared). */
  private adoptStored(): void {
    const stored = this.tokens.read();
    const unchanged = stored
      ? stored.access === this.state.access &&
        stored.refresh === this.state.refresh &&
        JSON.stringify(stored.user) === JSON.stringify(this.state.user)
      : this.state.access === null;
    if (unchanged) return;
    this.setState(this.stateFrom(stored, stored ? null : this.state.endedReason));
    this.schedule();
  }

  private setState(next: AuthState): void {
    this.state = next;
    for (const listener of this.listeners) listener();
  }

  private clearTimer(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
  }

  private schedule(): void {
    this.clearTimer();
    if (!this.started || !this.state.access || !this.state.refresh) return;
    const exp = jwtExpiresAt(this.state.access);
    if (exp === null) return; // Opaque token: rely on the 401 retry.
    this.scheduleIn(Math.max(0, exp - this.leeway - this.now()));
  }

  private scheduleIn(delay: number): void {
    this.clearTimer();
    if (!this.started) return;
    // setTimeout overflows above 2^31-1 ms.
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.refreshQuietly();
    }, Math.min(delay, 2_147_483_647));
  }
}
