import { isErrorEnvelope, isSuccessEnvelope, unwrap, unwrapDouble } from './envelope';
import { ApiError, type ApiErrors } from './errors';
import { pagePath, type Page, type Query } from './pagination';

/** What the client needs from the session to authenticate requests. */
export interface AuthHooks {
  /** The current access token (JWT), or null when logged out. */
  getAccessToken(): string | null;
  /**
   * Called once after a request authenticated with `failedToken` got a 401.
   * Resolves to a usable access token, or null when the session cannot be
   * renewed. Rejects (with an ApiError of status 0) when the refresh could
   * not be attempted, e.g. the network is down: the session is kept then.
   */
  refreshAccessToken(failedToken: string): Promise<string | null>;
  /** The session is over: a 401 that a refresh could not fix. */
  onUnauthorized(error: ApiError): void;
}

export interface RequestOptions {
  method?: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** Sent as JSON. */
  body?: unknown;
  signal?: AbortSignal;
  /** false: send no Authorization header and never refresh (login, refresh). */
  auth?: boolean;
  headers?: Record<string, string>;
  /** Milliseconds before the request is given up; 0 disables. */
  timeoutMs?: number;
}

export interface ClientOptions {
  /** Root of the API, default `/api/v1/`. */
  baseUrl?: string;
  fetch?: typeof fetch;
  auth?: AuthHooks;
  timeoutMs?: number;
}

export const DEFAULT_API_ROOT: string = import.meta.env.VITE_HDS_API_ROOT ?? '/api/v1/';
const DEFAULT_TIMEOUT_MS = 30_000;

function isAbortError(error: unknown): boolean {
  return (
    typeof error === 'object' &&
    error !== null &&
    (error as { name?: unknown }).name === 'AbortError'
  );
}

/**
 * A typed fetch client for the HDS API: JSON in and out, envelope unwrapping,
 * `Authorization: Bearer <access>`, one refresh-and-retry on 401.
 */
export class ApiClient {
  readonly baseUrl: string;
  private readonly fetchImpl: typeof fetch | undefined;
  private auth: AuthHooks | undefined;
  private readonly timeoutMs: number;

  constructor(options: ClientOptions = {}) {
    const base = options.baseUrl ?? DEFAULT_API_ROOT;
    this.baseUrl = base.endsWith('/') ? base : `${base}/`;
    this.fetchImpl = options.fetch;
    this.auth = options.auth;
    this.timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  }

  setAuth(auth: AuthHooks | undefined): void {
    this.auth = auth;
  }

  /** Absolute-from-origin URL for a path relative to the API root. */
  url(path: string): string {
    if (/^https?:\/\//i.test(path) || path.startsWith('/')) return path;
    return this.baseUrl + path;
  }

  /** Parsed JSON body of a successful response (null for an empty body). */
  async raw<T = unknown>(path: string, options: RequestOptions = {}): Promise<T> {
    const url = this.url(path);
    const useAuth = options.auth !== false && this.auth !== undefined;
    const token = useAuth ? this.auth!.getAccessToken() : null;
    let response = await this.send(url, options, token);

    if (response.status === 401 && useAuth) {
      if (token) {
        // Throws (keeping the session) when the refresh could not be attempted.
        const fresh = await this.auth!.refreshAccessToken(token);
        if (fresh) response = await this.send(url, options, fresh);
      }
      if (response.status === 401) {
        const error = await this.toError(url, response);
        this.auth!.onUnauthorized(error);
        throw error;
      }
    }

    if (!response.ok) throw await this.toError(url, response);
    return (await this.readBody(url, response)) as T;
  }

  /** GET and unwrap a single envelope. */
  async get<T>(path: string, options: Omit<RequestOptions, 'method' | 'body'> = {}): Promise<T> {
    return unwrap<T>(await this.raw(path, { ...options, method: 'GET' }));
  }

  /** GET a list page: `data = {count, next, previous, results}`. */
  async list<T>(
    path: string,
    page: { limit: number; offset?: number; query?: Query },
    options: Omit<RequestOptions, 'method' | 'body'> = {},
  ): Promise<Page<T>> {
    const data = await this.get<Page<T>>(pagePath(path, page.limit, page.offset ?? 0, page.query), options);
    if (!data || !Array.isArray(data.results)) {
      throw new ApiError(200, { detail: 'The server answered a list request without a results array.' }, this.url(path));
    }
    return data;
  }

  async post<T>(path: string, body?: unknown, options: Omit<RequestOptions, 'method' | 'body'> = {}): Promise<T> {
    return unwrap<T>(await this.raw(path, { ...options, method: 'POST', body }));
  }

  /** POST to an endpoint that answers a double envelope (login, logout, change password). */
  async postDouble<T>(path: string, body?: unknown, options: Omit<RequestOptions, 'method' | 'body'> = {}): Promise<T> {
    return unwrapDouble<T>(await this.raw(path, { ...options, method: 'POST', body }));
  }

  async patch<T>(path: string, body: unknown, options: Omit<RequestOptions, 'method' | 'body'> = {}): Promise<T> {
    return unwrap<T>(await this.raw(path, { ...options, method: 'PATCH', body }));
  }

  async put<T>(path: string, body: unknown, options: Omit<RequestOptions, 'method' | 'body'> = {}): Promise<T> {
    return unwrap<T>(await this.raw(path, { ...options, method: 'PUT', body }));
  }

  /** DELETE; the API answers 204 with no body. */
  async delete(path: string, options: Omit<RequestOptions, 'method' | 'body'> = {}): Promise<void> {
    await this.raw(path, { ...options, method: 'DELETE' });
  }

  private async send(url: string, options: RequestOptions, token: string | null): Promise<Response> {
    const headers: Record<string, string> = { Accept: 'application/json', ...options.headers };
    if (options.body !== undefined) headers['Content-Type'] = 'application/json';
    if (token) headers.Authorization = `Bearer ${token}`;

    const controller = new AbortController();
    const timeoutMs = options.timeoutMs ?? this.timeoutMs;
    let timedOut = false;
    const timer =
      timeoutMs > 0
        ? setTimeout(() => {
            timedOut = true;
            controller.abort();
          }, timeoutMs)
        : undefined;
    const outer = options.signal;
    const forwardAbort = () => controller.abort();
    if (outer) {
      if (outer.aborted) controller.abort();
      else outer.addEventListener('abort', forwardAbort, { once: true });
    }

    const doFetch = this.fetchImpl ?? globalThis.fetch;
    try {
      return await doFetch(url, {
        method: options.method ?? 'GET',
        headers,
        body: options.body === undefined ? undefined : JSON.stringify(options.body),
        signal: controller.signal,
        credentials: 'same-origin',
      });
    } catch (error) {
      if (timedOut) {
        throw new ApiError(0, { detail: `No answer from the server within ${Math.round(timeoutMs / 1000)} s.` }, url);
      }
      if (outer?.aborted || isAbortError(error)) throw error;
      throw new ApiError(0, { detail: 'The server could not be reached. Check your connection and try again.' }, url);
    } finally {
      if (timer !== undefined) clearTimeout(timer);
      outer?.removeEventListener('abort', forwardAbort);
    }
  }

  private async readBody(url: string, response: Response): Promise<unknown> {
    const text = await response.text();
    if (!text) return null;
    try {
      return JSON.parse(text) as unknown;
    } catch {
      throw new ApiError(
        response.status,
        { detail: 'The server answered with something other than JSON.' },
        url,
      );
    }
  }

  private async toError(url: string, response: Response): Promise<ApiError> {
    let text = '';
    try {
      text = await response.text();
    } catch {
      // Body unreadable: fall through with an empty text.
    }
    let body: unknown = undefined;
    if (text) {
      try {
        body = JSON.parse(text);
      } catch {
        body = undefined;
      }
    }
    let errors: ApiErrors;
    if (isErrorEnvelope(body)) {
      errors = body.errors;
    } else if (body && typeof body === 'object' && !Array.isArray(body) && !isSuccessEnvelope(body)) {
      errors = body as ApiErrors;
    } else {
      const snippet = text.replace(/<[^>]*>/g, ' ').replace(/\s+/g, ' ').trim().slice(0, 300);
      errors = { detail: snippet || response.statusText || `HTTP ${response.status}` };
    }
    return new ApiError(response.status, errors, url);
  }
}
