import type { Expect, Fits, Schemas } from './schemas';

export const ROLES = ['support', 'developer', 'manager', 'sqs', 'jenkins', 'beatbox'] as const;
export type Role = (typeof ROLES)[number];

/** `Profile` of the API (`role`: one of ROLES). */
export type Profile = Schemas['Profile'];

/** `User` of the API (`users/me/`, `users/profiles/`, the session's user). */
export type User = Schemas['User'];

type Session = Schemas['Session'];

/**
 * `body.data.data` of `POST users/login/` (the API's `Session`). `token` and `access` are
 * the same JWT. Optional here because the app checks that they are present.
 */
export type LoginData = Partial<Pick<Session, 'token' | 'access' | 'refresh'>> & Pick<Session, 'user'>;

/** `data` of `POST users/token/refresh/` (the API's `Session`). */
export type RefreshData = Partial<Pick<Session, 'token' | 'access' | 'refresh'>>;

export interface CreateUserBody {
  username: string;
  password: string;
  email: string;
  first_name: string;
  last_name: string;
  profile: { role: string; slack_id: string };
}

export interface UpdateUserBody {
  first_name?: string;
  last_name?: string;
  email?: string;
  is_active?: boolean;
  profile?: { role?: string; slack_id?: string | null };
}

/** The bodies the app sends are what the API's `UserCreate`/`UserUpdate` accept. */
export type UserBodiesMatchTheApi = [
  Expect<Fits<CreateUserBody, Schemas['UserCreate']>>,
  Expect<Fits<UpdateUserBody, Schemas['UserUpdate']>>,
];

/** Any API object: the generic pages only assume an `id`. */
export type ApiObject = Record<string, unknown> & { id?: number | string };

/** One row of `exceptions/pareto/`. */
export type ParetoRow = Record<string, unknown> & { count: number };

export interface HealthCheck {
  status: string;
  [key: string]: unknown;
}
