import createClient, { createFinalURL, defaultPathSerializer, type Client } from 'openapi-fetch';
import type {
  CallOptions,
  DataOf,
  DoubleDataOf,
  Init,
  InitArgs,
  ListPage,
  ListPath,
  Method,
  PageOf,
  PathsFor,
  ResponseOf,
} from './contract';
import { isErrorEnvelope, isSuccessEnvelope, unwrap, unwrapDouble } from './envelope';
import { ApiError, type ApiErrors } from './errors';
import { clampLimit, clampOffset, queryString } from './pagination';

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

export interface ClientOptions {
  /** Root of the API, default `/api/v1/`. */
  baseUrl?: string;
  fetch?: typeof fetch;
  auth?: AuthHooks;
  timeoutMs?: number;
}

export const DEFAULT_API_ROOT: string = import.meta.env.VITE_HDS_API_ROOT ?? '/api/v1/';
const DEFAULT_TIMEOUT_MS = 30_000;

/** Where the paths of the OpenAPI document start; the client sends them under its own root. */
const DOCUMENT_ROOT = '/api/v1/';
/**
 * openapi-fetch builds a `Request`, which needs an absolute URL; it is built on this origin
 * and the transport sends it to the client's root instead (so `VITE_HDS_API_ROOT` applies).
 */
const BUILD_ORIGIN = 'http://hds.invalid';

/** How an answer is read: the `data` of the envelope, the inner `data` of a double one, as is, or not at all. */
type Unwrap = 'envelope' | 'double' | 'raw' | 'none';

/** The options of a call, whatever its route (the public methods type them per route). */
interface AnyInit extends CallOptions {
  path?: unknown;
  query?: unknown;
  body?: unknown;
}

/** An object's fields, or undefined for anything else (the parameters of a call). */
function fields(value: unknown): Record<string, unknown> | undefined {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? { ...value } : undefined;
}

/** The untyped view of the document's paths that openapi-fetch is created with. */
type AnyPaths = Record<
  string,
  Record<
    Method,
    {
      parameters: { query?: Record<string, unknown>; path?: Record<string, unknown> };
      requestBody?: { content: { 'application/json': unknown } };
      responses: { 200: { content: { 'application/json': unknown } } };
    }
  >
>;

/** A request that can be sent and cached: `useApi`, `prefetch` and `ListView` take these. */
export interface ApiRequest<T> {
  /** The URL relative to the API root (`errorreports/?harv_ids=11&limit=10&offset=0`): the request's identity. */
  readonly key: string;
  send(client: ApiClient, signal?: AbortSignal): Promise<T>;
}

/** `path` with its parameters and query, relative to the API root. */
export function requestKey(path: string, init: Pick<AnyInit, 'path' | 'query'> = {}): string {
  const url = createFinalURL(path, {
    baseUrl: '',
    params: { path: fields(init.path), query: fields(init.query) },
    querySerializer: queryString,
    pathSerializer: defaultPathSerializer,
  });
  return url.startsWith(DOCUMENT_ROOT) ? url.slice(DOCUMENT_ROOT.length) : url;
}

function listInit(page: ListPage<ListPath>): AnyInit {
  return {
    signal: page.signal,
    auth: page.auth,
    timeoutMs: page.timeoutMs,
    query: { ...fields(page.query), limit: clampLimit(page.limit), offset: clampOffset(page.offset ?? 0) },
  };
}

function isAbortError(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { name?: unknown }).name === 'AbortError';
}

/**
 * The HDS API client: every path, parameter, body and answer typed from the OpenAPI document
 * (`contract.ts`), requests built by openapi-fetch, and a transport that adds
 * `Authorization: Bearer <access>`, refreshes the session once on a 401, gives up after a
 * timeout, unwraps the `{status, message, data}` envelope and turns every failure into an
 * `ApiError` (`{status: "error", errors: {…}}` bodies keep their `errors`).
 */
export class ApiClient {
  readonly baseUrl: string;
  private readonly fetchImpl: typeof fetch | undefined;
  private auth: AuthHooks | undefined;
  private readonly timeoutMs: number;
  private readonly builder: Client<AnyPaths>;

  constructor(options: ClientOptions = {}) {
    const base = options.baseUrl ?? DEFAULT_API_ROOT;
    this.baseUrl = base.endsWith('/') ? base : `${base}/`;
    this.fetchImpl = options.fetch;
    this.auth = options.auth;
    this.timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    this.builder = createClient<AnyPaths>({ baseUrl: BUILD_ORIGIN, querySerializer: queryString });
  }

  setAuth(auth: AuthHooks | undefined): void {
    this.auth = auth;
  }

  /** Absolute-from-origin URL for a path relative to the API root. */
  url(path: string): string {
    if (/^https?:\/\//i.test(path) || path.startsWith('/')) return path;
    return this.baseUrl + path;
  }

  /** The URL a call would be sent to (for "copy API query" links). */
  href<P extends PathsFor<'get'>>(path: P, ...init: InitArgs<Init<P, 'get'>>): string;
  href(path: string, init?: AnyInit): string {
    return this.url(requestKey(path, init));
  }

  /** GET and unwrap the envelope. */
  get<P extends PathsFor<'get'>>(path: P, ...init: InitArgs<Init<P, 'get'>>): Promise<DataOf<P, 'get'>>;
  get(path: string, init?: AnyInit): Promise<unknown> {
    return this.call('get', path, init, 'envelope');
  }

  /** GET an answer that has no envelope (the OpenAPI document). */
  raw<P extends PathsFor<'get'>>(path: P, ...init: InitArgs<Init<P, 'get'>>): Promise<ResponseOf<P, 'get'>>;
  raw(path: string, init?: AnyInit): Promise<unknown> {
    return this.call('get', path, init, 'raw');
  }

  /** GET one page of a list: `limit` and `offset` are clamped and sent after the filters. */
  list<P extends ListPath>(path: P, page: ListPage<P>): Promise<PageOf<P>>;
  list(path: string, page: ListPage<ListPath>): Promise<unknown> {
    return this.page(path, page);
  }

  post<P extends PathsFor<'post'>>(path: P, ...init: InitArgs<Init<P, 'post'>>): Promise<DataOf<P, 'post'>>;
  post(path: string, init?: AnyInit): Promise<unknown> {
    return this.call('post', path, init, 'envelope');
  }

  /** POST to an endpoint that answers a double envelope (login, logout, change password). */
  postDouble<P extends PathsFor<'post'>>(path: P, ...init: InitArgs<Init<P, 'post'>>): Promise<DoubleDataOf<P, 'post'>>;
  postDouble(path: string, init?: AnyInit): Promise<unknown> {
    return this.call('post', path, init, 'double');
  }

  patch<P extends PathsFor<'patch'>>(path: P, ...init: InitArgs<Init<P, 'patch'>>): Promise<DataOf<P, 'patch'>>;
  patch(path: string, init?: AnyInit): Promise<unknown> {
    return this.call('patch', path, init, 'envelope');
  }

  put<P extends PathsFor<'put'>>(path: P, ...init: InitArgs<Init<P, 'put'>>): Promise<DataOf<P, 'put'>>;
  put(path: string, init?: AnyInit): Promise<unknown> {
    return this.call('put', path, init, 'envelope');
  }

  /** DELETE; whatever the answer carries (204 without a body, or an envelope) is dropped. */
  delete<P extends PathsFor<'delete'>>(path: P, ...init: InitArgs<Init<P, 'delete'>>): Promise<void>;
  async delete(path: string, init?: AnyInit): Promise<void> {
    await this.call('delete', path, init, 'none');
  }

  /** A GET to send later (`useApi`, `prefetch`), identified by its URL. */
  static get<P extends PathsFor<'get'>>(path: P, ...init: InitArgs<Init<P, 'get'>>): ApiRequest<DataOf<P, 'get'>>;
  static get(path: string, init: AnyInit = {}): ApiRequest<unknown> {
    return {
      key: requestKey(path, init),
      send: (client, signal) => client.call('get', path, { ...init, signal: signal ?? init.signal }, 'envelope'),
    };
  }

  /** A page of a list to send later (`ListView`, `useApi`, `prefetch`), identified by its URL. */
  static list<P extends ListPath>(path: P, page: ListPage<P>): ApiRequest<PageOf<P>>;
  static list(path: string, page: ListPage<ListPath>): ApiRequest<unknown> {
    return {
      key: requestKey(path, listInit(page)),
      send: (client, signal) => client.page(path, { ...page, signal: signal ?? page.signal }),
    };
  }

  private async page(path: string, page: ListPage<ListPath>): Promise<unknown> {
    const data = await this.call('get', path, listInit(page), 'envelope');
    if (!data || typeof data !== 'object' || !Array.isArray((data as { results?: unknown }).results)) {
      throw new ApiError(200, { detail: 'The server answered a list request without a results array.' }, this.url(requestKey(path)));
    }
    return data;
  }

  private async call(method: Method, path: string, init: AnyInit = {}, unwrapAs: Unwrap): Promise<unknown> {
    const options: CallOptions = { signal: init.signal, auth: init.auth, timeoutMs: init.timeoutMs };
    const { data, response } = await this.builder.request(method, path, {
      params: { path: fields(init.path), query: fields(init.query) },
      body: init.body,
      parseAs: 'text',
      fetch: (request: Request) => this.transport(request, options),
    });
    if (unwrapAs === 'none') return undefined;
    const body = this.parse(this.url(requestKey(path, init)), response, data);
    if (unwrapAs === 'raw') return body;
    return unwrapAs === 'double' ? unwrapDouble(body) : unwrap(body);
  }

  private parse(url: string, response: Pick<Response, 'status'>, text: string | undefined): unknown {
    if (!text) return null;
    try {
      return JSON.parse(text) as unknown;
    } catch {
      throw new ApiError(response.status, { detail: 'The server answered with something other than JSON.' }, url);
    }
  }

  /**
   * POST a multipart form with XMLHttpRequest, whose upload events `fetch` does not give:
   * `onProgress(sent, total)` follows the body as it leaves. Authenticated like every call
   * (one refresh on a 401, then the form is sent again); no timeout, a large file takes its
   * time (the server has deadlines of its own). Rejects with an ApiError, or an AbortError
   * when `signal` aborts.
   */
  upload<P extends PathsFor<'post'>>(path: P, form: FormData, options?: UploadOptions): Promise<DataOf<P, 'post'>>;
  async upload(path: string, form: FormData, options: UploadOptions = {}): Promise<unknown> {
    const url = this.url(requestKey(path));
    const auth = this.auth;
    const token = auth ? auth.getAccessToken() : null;
    let answer = await sendForm(url, form, token, options);
    if (answer.status === 401 && auth) {
      if (token) {
        const fresh = await auth.refreshAccessToken(token);
        if (fresh) answer = await sendForm(url, form, fresh, options);
      }
      if (answer.status === 401) {
        const error = errorFromText(url, answer.status, answer.statusText, answer.text);
        auth.onUnauthorized(error);
        throw error;
      }
    }
    if (answer.status < 200 || answer.status >= 300) throw errorFromText(url, answer.status, answer.statusText, answer.text);
    return unwrap(this.parse(url, answer, answer.text));
  }

  /** Sends what openapi-fetch built, to this client's root, with the session's token. */
  private async transport(request: Request, options: CallOptions): Promise<Response> {
    const built = new URL(request.url);
    const relative = built.pathname.startsWith(DOCUMENT_ROOT) ? built.pathname.slice(DOCUMENT_ROOT.length) : built.pathname;
    const url = this.url(relative + built.search);
    const headers: Record<string, string> = { Accept: 'application/json' };
    request.headers.forEach((value, name) => {
      headers[name] = value;
    });
    const outgoing: Outgoing = {
      url,
      method: request.method,
      headers,
      body: request.body === null ? undefined : await request.text(),
      signal: options.signal,
      timeoutMs: options.timeoutMs ?? this.timeoutMs,
    };

    const useAuth = options.auth !== false && this.auth !== undefined;
    const token = useAuth ? this.auth!.getAccessToken() : null;
    let response = await this.send(outgoing, token);

    if (response.status === 401 && useAuth) {
      if (token) {
        // Throws (keeping the session) when the refresh could not be attempted.
        const fresh = await this.auth!.refreshAccessToken(token);
        if (fresh) response = await this.send(outgoing, fresh);
      }
      if (response.status === 401) {
        const error = await this.toError(url, response);
        this.auth!.onUnauthorized(error);
        throw error;
      }
    }

    if (!response.ok) throw await this.toError(url, response);
    return response;
  }

  private async send(request: Outgoing, token: string | null): Promise<Response> {
    const headers = { ...request.headers };
    if (token) headers.Authorization = `Bearer ${token}`;

    const controller = new AbortController();
    const { timeoutMs, signal: outer } = request;
    let timedOut = false;
    const timer =
      timeoutMs > 0
        ? setTimeout(() => {
            timedOut = true;
            controller.abort();
          }, timeoutMs)
        : undefined;
    const forwardAbort = () => controller.abort();
    if (outer) {
      if (outer.aborted) controller.abort();
      else outer.addEventListener('abort', forwardAbort, { once: true });
    }

    const doFetch = this.fetchImpl ?? globalThis.fetch;
    try {
      return await doFetch(request.url, {
        method: request.method,
        headers,
        body: request.body,
        signal: controller.signal,
        credentials: 'same-origin',
      });
    } catch (error) {
      if (timedOut) {
        throw new ApiError(0, { detail: `No answer from the server within ${Math.round(timeoutMs / 1000)} s.` }, request.url);
      }
      if (outer?.aborted || isAbortError(error)) throw error;
      throw new ApiError(0, { detail: 'The server could not be reached. Check your connection and try again.' }, request.url);
    } finally {
      if (timer !== undefined) clearTimeout(timer);
      outer?.removeEventListener('abort', forwardAbort);
    }
  }

  private async toError(url: string, response: Response): Promise<ApiError> {
    let text = '';
    try {
      text = await response.text();
    } catch {
      // Body unreadable: fall through with an empty text.
    }
    return errorFromText(url, response.status, response.statusText, text);
  }
}

/** An error answer as an ApiError: the envelope's `errors`, another JSON object, or the text's gist. */
function errorFromText(url: string, status: number, statusText: string, text: string): ApiError {
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
    errors = { detail: snippet || statusText || `HTTP ${status}` };
  }
  return new ApiError(status, errors, url);
}

export interface UploadOptions {
  /** Called as the body goes out: bytes sent, and of how many. */
  onProgress?: (sent: number, total: number) => void;
  signal?: AbortSignal;
}

interface FormAnswer {
  status: number;
  statusText: string;
  text: string;
}

/** One XMLHttpRequest POST of `form`; resolves with whatever the server answered. */
function sendForm(url: string, form: FormData, token: string | null, options: UploadOptions): Promise<FormAnswer> {
  return new Promise((resolve, reject) => {
    const { signal, onProgress } = options;
    if (signal?.aborted) {
      reject(new DOMException('The upload was cancelled.', 'AbortError'));
      return;
    }
    const xhr = new XMLHttpRequest();
    xhr.open('POST', url);
    xhr.setRequestHeader('Accept', 'application/json');
    if (token) xhr.setRequestHeader('Authorization', `Bearer ${token}`);
    xhr.withCredentials = false;
    if (onProgress) {
      xhr.upload.addEventListener('progress', (event) => {
        if (event.lengthComputable) onProgress(event.loaded, event.total);
      });
    }
    const onAbort = () => xhr.abort();
    const done = () => signal?.removeEventListener('abort', onAbort);
    xhr.addEventListener('load', () => {
      done();
      resolve({ status: xhr.status, statusText: xhr.statusText, text: xhr.responseText });
    });
    xhr.addEventListener('error', () => {
      done();
      reject(new ApiError(0, { detail: 'The server could not be reached, or closed the connection during the upload.' }, url));
    });
    xhr.addEventListener('abort', () => {
      done();
      reject(new DOMException('The upload was cancelled.', 'AbortError'));
    });
    signal?.addEventListener('abort', onAbort, { once: true });
    xhr.send(form);
  });
}

/** A request as the transport sends it (and sends again after a refresh). */
interface Outgoing {
  url: string;
  method: string;
  headers: Record<string, string>;
  body: string | undefined;
  signal: AbortSignal | undefined;
  timeoutMs: number;
}

/** A GET to send later, typed from the document: `apiGet('/api/v1/harvesters/{id}/', {path: {id}})`. */
export const apiGet = ApiClient.get;
/** A list page to send later, typed from the document: `apiList('/api/v1/fruits/', {limit: 10})`. */
export const apiList = ApiClient.list;
