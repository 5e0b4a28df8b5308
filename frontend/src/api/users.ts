import type { ApiClient } from './client';
import type { Page } from './pagination';
import type { CreateUserBody, LoginData, RefreshData, UpdateUserBody, User } from './types';

export const usersApi = {
  /** POST users/login/ → double envelope `{token, access, refresh, user}`. */
  login(client: ApiClient, username: string, password: string): Promise<LoginData> {
    return client.postDouble<LoginData>('users/login/', { username, password }, { auth: false });
  },

  /** POST users/token/refresh/ → single envelope; the refresh token rotates. */
  refresh(client: ApiClient, refresh: string): Promise<RefreshData> {
    return client.post<RefreshData>('users/token/refresh/', { refresh }, { auth: false });
  },

  /** POST users/logout/ → double envelope. Revokes both tokens. */
  logout(client: ApiClient, token: string | null, refresh: string | null): Promise<unknown> {
    return client.postDouble<unknown>('users/logout/', { token, refresh }, { auth: false, timeoutMs: 5000 });
  },

  me(client: ApiClient, signal?: AbortSignal): Promise<User> {
    return client.get<User>('users/me/', { signal });
  },

  list(client: ApiClient, limit: number, offset: number, signal?: AbortSignal): Promise<Page<User>> {
    return client.list<User>('users/profiles/', { limit, offset }, { signal });
  },

  get(client: ApiClient, id: number | string, signal?: AbortSignal): Promise<User> {
    return client.get<User>(`users/profiles/${encodeURIComponent(String(id))}/`, { signal });
  },

  create(client: ApiClient, body: CreateUserBody): Promise<User> {
    return client.post<User>('users/profiles/', body);
  },

  update(client: ApiClient, id: number | string, body: UpdateUserBody): Promise<User> {
    return client.patch<User>(`users/profiles/${encodeURIComponent(String(id))}/`, body);
  },

  remove(client: ApiClient, id: number | string): Promise<void> {
    return client.delete(`users/profiles/${encodeURIComponent(String(id))}/`);
  },

  changePassword(client: ApiClient, currentPassword: string, newPassword: string): Promise<unknown> {
    return client.postDouble<unknown>('users/change/password/', {
      current_password: currentPassword,
      new_password: newPassword,
    });
  },
};

/** Managers and superusers manage users. */
export function canManageUsers(user: User | null | undefined): boolean {
  return !!user && (user.is_superuser || user.profile?.role === 'manager');
}

export function displayName(user: Pick<User, 'first_name' | 'last_name' | 'username'>): string {
  const full = `${user.first_name ?? ''} ${user.last_name ?? ''}`.trim();
  return full || user.username;
}

/** Superuser, Staff or Regular. */
export function accountKind(user: Pick<User, 'is_superuser' | 'is_staff'>): string {
  if (user.is_superuser) return 'Superuser';
  if (user.is_staff) return 'Staff';
  return 'Regular';
}
