/** The `errors` object of an HDS error body: `{"status":"error","errors":{…}}`. */
export type ApiErrors = Record<string, unknown>;

/**
 * Every failed API call rejects with an ApiError.
 *
 * `status` is the HTTP status, or 0 when no response arrived (network failure,
 * aborted request). `errors` is the `errors` object of the HDS error envelope,
 * or a synthesized `{detail: …}` when the server answered something else.
 */
export class ApiError extends Error {
  readonly status: number;
  readonly errors: ApiErrors;
  readonly url: string;

  constructor(status: number, errors: ApiErrors, url: string, message?: string) {
    super(message ?? summarizeErrors(status, errors));
    this.name = 'ApiError';
    this.status = status;
    this.errors = errors;
    this.url = url;
  }

  /** Not (or badly) authenticated: the session is over. */
  get isUnauthorized(): boolean {
    return this.status === 401;
  }

  /** Authenticated but not allowed: show a message, keep the session. */
  get isForbidden(): boolean {
    return this.status === 403;
  }

  get isNotFound(): boolean {
    return this.status === 404;
  }

  get isNetworkError(): boolean {
    return this.status === 0;
  }
}

export function isApiError(value: unknown): value is ApiError {
  return value instanceof ApiError;
}

function firstText(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (Array.isArray(value)) {
    for (const item of value) {
      const text = firstText(item);
      if (text) return text;
    }
    return undefined;
  }
  if (value && typeof value === 'object') {
    for (const [key, item] of Object.entries(value)) {
      const text = firstText(item);
      if (text) return key === 'non_field_errors' || key === 'detail' ? text : `${key}: ${text}`;
    }
  }
  return undefined;
}

/** A one-line human summary of an HDS `errors` object. */
export function summarizeErrors(status: number, errors: ApiErrors): string {
  const text = firstText(errors.detail) ?? firstText(errors.exception) ?? firstText(errors);
  if (text) return text;
  if (status === 0) return 'The server could not be reached.';
  return `Request failed with status ${status}.`;
}

/**
 * Field errors of a validation failure, flattened to dotted names:
 * `{"detail":{"username":["taken"],"profile":{"role":["bad"]}}}` →
 * `{"username":["taken"],"profile.role":["bad"]}`.
 * Messages that belong to no field are collected under `""`.
 */
export function fieldErrors(error: unknown): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  if (!isApiError(error) || error.status !== 400) return out;
  const add = (field: string, message: string) => {
    (out[field] ??= []).push(message);
  };
  const walk = (prefix: string, value: unknown) => {
    if (typeof value === 'string') {
      add(prefix, value);
    } else if (Array.isArray(value)) {
      for (const item of value) walk(prefix, item);
    } else if (value && typeof value === 'object') {
      for (const [key, item] of Object.entries(value)) {
        const name = key === 'non_field_errors' ? prefix : prefix ? `${prefix}.${key}` : key;
        walk(name, item);
      }
    }
  };
  const detail = error.errors.detail;
  if (detail !== undefined) walk('', detail);
  for (const [key, value] of Object.entries(error.errors)) {
    if (key !== 'detail') walk(key === 'exception' ? '' : key, value);
  }
  return out;
}
