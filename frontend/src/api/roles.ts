/** The roles of a profile, and what each may do in the app (the server checks again). */
import type { Role, User } from './schemas';

export type { Role } from './schemas';

/** The roles a profile may have (the document's `Role`), in the order the forms list them. */
export const ROLES = ['support', 'developer', 'manager', 'sqs', 'jenkins', 'beatbox'] as const satisfies readonly Role[];

/** superuser ⊂ manager ⊂ developer ⊂ support. */
const RANK: Partial<Record<Role, number>> = { support: 1, developer: 2, manager: 3 };

/** Developers, managers and superusers may create and edit fleet objects. */
export function canDevelop(user: User | null | undefined): boolean {
  if (!user) return false;
  if (user.is_superuser) return true;
  return (user.profile ? (RANK[user.profile.role] ?? 0) : 0) >= RANK.developer!;
}

/** Managers and superusers manage users. */
export function canManageUsers(user: User | null | undefined): boolean {
  return !!user && (user.is_superuser || user.profile?.role === 'manager');
}

/** Managers and superusers redrive and resolve failed ingests. */
export function canRedrive(user: User | null | undefined): boolean {
  return canManageUsers(user);
}
