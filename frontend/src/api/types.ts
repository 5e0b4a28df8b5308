export const ROLES = ['support', 'developer', 'manager', 'sqs', 'jenkins', 'beatbox'] as const;
export type Role = (typeof ROLES)[number];

export interface Profile {
  id: number;
  slack_id: string | null;
  role: Role | string;
  user: number;
}

export interface User {
  id: number;
  first_name: string;
  last_name: string;
  username: string;
  email: string;
  is_active: boolean;
  is_staff: boolean;
  is_superuser: boolean;
  last_login: string | null;
  profile: Profile | null;
}

/** `body.data.data` of `POST users/login/`. `token` and `access` are the same JWT. */
export interface LoginData {
  token?: string;
  access?: string;
  refresh?: string;
  user: User;
}

/** `data` of `POST users/token/refresh/`. */
export interface RefreshData {
  access?: string;
  token?: string;
  refresh?: string;
}

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

/** Any API object: the generic pages only assume an `id`. */
export type ApiObject = Record<string, unknown> & { id?: number | string };

/** One row of `exceptions/pareto/`. */
export type ParetoRow = Record<string, unknown> & { count: number };

export interface HealthCheck {
  status: string;
  [key: string]: unknown;
}
