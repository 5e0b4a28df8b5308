import type { ApiClient } from './client';
import type { Init } from './contract';
import type { User } from './schemas';

type CreateUserBody = Init<'/api/v1/users/profiles/', 'post'>['body'];
type UpdateUserBody = Init<'/api/v1/users/profiles/{id}/', 'patch'>['body'];

const one = (id: number | string) => ({ path: { id: String(id) } });

export const usersApi = {
  /** POST users/login/ → double envelope `{token, access, refresh, user}`. */
  login(client: ApiClient, username: string, password: string) {
    return client.postDouble('/api/v1/users/login/', { body: { username, password }, auth: false });
  },

  /** POST users/token/refresh/ → single envelope; the refresh token rotates. */
  refresh(client: ApiClient, refresh: string) {
    return client.post('/api/v1/users/token/refresh/', { body: { refresh }, auth: false });
  },

  /** POST users/logout/ → double envelope. Revokes both tokens. */
  logout(client: ApiClient, token: string | null, refresh: string | null) {
    return client.postDouble('/api/v1/users/logout/', { body: { token, refresh }, auth: false, timeoutMs: 5000 });
  },

  create(client: ApiClient, body: CreateUserBody) {
    return client.post('/api/v1/users/profiles/', { body });
  },

  update(client: ApiClient, id: number | string, body: UpdateUserBody) {
    return client.patch('/api/v1/users/profiles/{id}/', { ...one(id), body });
  },

  remove(client: ApiClient, id: number | string) {
    return client.delete('/api/v1/users/profiles/{id}/', one(id));
  },

  changePassword(client: ApiClient, currentPassword: string, newPassword: string) {
    return client.postDouble('/api/v1/users/change/password/', {
      body: { current_password: currentPassword, new_password: newPassword },
    });
  },
};

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
