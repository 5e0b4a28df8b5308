/**
 * The component schemas of the HDS OpenAPI document.
 *
 * `frontend/openapi.json` is the document the backend prints (`hds openapi --json`;
 * `scripts/frontend-check` fails when it no longer matches the backend), and
 * `src/api/schema.d.ts` is generated from it by `npm run gen:types` (the first step of
 * `npm run build`). The API modules build their types on these, so a change to one of
 * the backend's schemas that the app depends on breaks the type check instead of a page.
 */
import type { components } from './schema';

export type Schemas = components['schemas'];

/**
 * An object as the server writes it: the document leaves nullable fields out of
 * `required`, but the representations always carry them (null when empty), nested ones too.
 */
export type AsSent<T> = T extends readonly (infer U)[]
  ? AsSent<U>[]
  : T extends object
    ? { [K in keyof T]-?: AsSent<Exclude<T[K], undefined>> }
    : T;

/** Compile-time check: `true` when every `A` can be used where a `B` is expected. */
export type Assignable<A, B> = [A] extends [B] ? true : false;
/** `true` when `A` has no field that `B` lacks (a body field the API renamed or dropped). */
export type NoExtraKeys<A, B> = [Exclude<keyof A, keyof B>] extends [never] ? true : false;
/** A request body that the API's input schema accepts, field for field. */
export type Fits<A, B> = Assignable<A, B> extends true ? NoExtraKeys<A, B> : false;
/** Fails to compile unless `T` is `true`. */
export type Expect<T extends true> = T;
