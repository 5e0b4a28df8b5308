/** `{"status":"success","message":"…","data":…}` */
export interface SuccessEnvelope<T = unknown> {
  status: 'success';
  message?: string;
  data: T;
}

/** `{"status":"error","errors":{…}}` */
export interface ErrorEnvelope {
  status: 'error';
  errors: Record<string, unknown>;
}

export function isSuccessEnvelope(body: unknown): body is SuccessEnvelope {
  return (
    typeof body === 'object' &&
    body !== null &&
    (body as { status?: unknown }).status === 'success' &&
    'data' in body
  );
}

export function isErrorEnvelope(body: unknown): body is ErrorEnvelope {
  return (
    typeof body === 'object' &&
    body !== null &&
    (body as { status?: unknown }).status === 'error' &&
    typeof (body as { errors?: unknown }).errors === 'object' &&
    (body as { errors?: unknown }).errors !== null
  );
}

/** Thrown when a body that should be an envelope is not one. */
export class EnvelopeError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'EnvelopeError';
  }
}

/** The `data` of a single success envelope. */
export function unwrap<T>(body: unknown): T {
  if (!isSuccessEnvelope(body)) {
    throw new EnvelopeError('The server answered without the expected {status, data} envelope.');
  }
  return body.data as T;
}

/**
 * The `data.data` of a double envelope (login, logout, change-password, csrf
 * answer `{"status":"success","data":{"status":"success","data":…}}`).
 * A single envelope is accepted too, so a server that stops double wrapping
 * keeps working.
 */
export function unwrapDouble<T>(body: unknown): T {
  const outer = unwrap<unknown>(body);
  return (isSuccessEnvelope(outer) ? outer.data : outer) as T;
}
