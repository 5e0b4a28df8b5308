import type { User } from '../api/schemas';

/** What survives a page reload, kept under one localStorage key. */
export interface StoredSession {
  access: string;
  refresh: string | null;
  user: User;
}

export const SESSION_KEY = 'hds.session';

function base64UrlDecode(input: string): string {
  const padded = input.replace(/-/g, '+').replace(/_/g, '/').padEnd(Math.ceil(input.length / 4) * 4, '=');
  const binary = atob(padded);
  const bytes = Uint8Array.from(binary, (c) => c.charCodeAt(0));
  return new TextDecoder().decode(bytes);
}

/** The claims of a JWT, without verifying it (the server does that). */
export function jwtClaims(token: string | null | undefined): Record<string, unknown> | null {
  if (!token) return null;
  const parts = token.split('.');
  if (parts.length !== 3 || !parts[1]) return null;
  try {
    const claims: unknown = JSON.parse(base64UrlDecode(parts[1]));
    return claims && typeof claims === 'object' ? (claims as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

/** Expiry of a JWT in milliseconds since the epoch, or null if it has none. */
export function jwtExpiresAt(token: string | null | undefined): number | null {
  const exp = jwtClaims(token)?.exp;
  return typeof exp === 'number' && Number.isFinite(exp) ? exp * 1000 : null;
}

function isSession(value: unknown): value is StoredSession {
  if (!value || typeof value !== 'object') return false;
  const v = value as Partial<StoredSession>;
  return (
    typeof v.access === 'string' &&
    v.access.length > 0 &&
    (v.refresh === null || typeof v.refresh === 'string') &&
    !!v.user &&
    typeof v.user === 'object' &&
    typeof v.user.username === 'string'
  );
}

export function parseSession(raw: string | null): StoredSession | null {
  if (!raw) return null;
  try {
    const value: unknown = JSON.parse(raw);
    return isSession(value) ? value : null;
  } catch {
    return null;
  }
}

/** localStorage access that never throws (private mode, quota, disabled storage). */
export class TokenStorage {
  constructor(private readonly storage: Storage | undefined = globalThis.localStorage) {}

  read(): StoredSession | null {
    try {
      return parseSession(this.storage?.getItem(SESSION_KEY) ?? null);
    } catch {
      return null;
    }
  }

  write(session: StoredSession): void {
    try {
      this.storage?.setItem(SESSION_KEY, JSON.stringify(session));
    } catch {
      // Storage full or unavailable: the session still lives in memory.
    }
  }

  clear(): void {
    try {
      this.storage?.removeItem(SESSION_KEY);
    } catch {
      // Nothing to clear.
    }
  }
}
