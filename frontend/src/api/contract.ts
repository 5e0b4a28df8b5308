/**
 * The API contract as the app sees it: the generated types of the OpenAPI document
 * (`schema.d.ts`, from `frontend/openapi.json` by `npm run gen:types`), completed by what
 * `untyped.ts` says the document does not describe yet. The typed client (`client.ts`) takes
 * every path, parameter, body and answer from here, so a path, a query parameter or a field
 * that the document does not have fails `tsc`.
 */
import type { components, paths } from './schema';
import type { QueryValue, SchemaPatches, UNDECLARED_QUERY, UntypedResponses } from './untyped';

type Doc = components['schemas'];
type Empty = Record<never, never>;

/** The HTTP methods the app uses. */
export type Method = 'get' | 'put' | 'post' | 'patch' | 'delete';

type Equal<A, B> = (<G>() => G extends A ? 1 : 2) extends <G>() => G extends B ? 1 : 2 ? true : false;

// ---------------------------------------------------------------------------------------------
// Schemas

type Patched = keyof SchemaPatches;

/** The name of the patched schema that `T` is (never when it is none of them). */
type PatchedName<T> = { [N in Patched]: Equal<T, Doc[N]> extends true ? N : never }[Patched];

/** `T` with every schema of `SchemaPatches` in it, at any depth, replaced by its patched form. */
export type Patch<T> = T extends unknown ? PatchOne<T> : never;
type PatchOne<T> = [PatchedName<T>] extends [never]
  ? T extends readonly (infer U)[]
    ? Patch<U>[]
    : T extends object
      ? PatchFields<T>
      : T
  : Schemas[PatchedName<T>];
type PatchFields<T> = { [K in keyof T]: Patch<T[K]> };

/** The component schemas of the document, with the fields `SchemaPatches` adds or narrows. */
export type Schemas = {
  [N in keyof Doc]: N extends Patched ? PatchFields<Omit<Doc[N], keyof SchemaPatches[N]> & SchemaPatches[N]> : PatchFields<Doc[N]>;
};

// ---------------------------------------------------------------------------------------------
// Paths

type DocPath = keyof paths;
type Operation<P extends DocPath, M extends Method> = NonNullable<paths[P][M]>;

/** The document's paths that answer `M`. */
export type PathsFor<M extends Method> = { [P in DocPath]: [Operation<P, M>] extends [never] ? never : P }[DocPath];

type DeclaredQuery<P extends DocPath, M extends Method> =
  Operation<P, M> extends { parameters: { query?: infer Q } } ? ([NonNullable<Q>] extends [never] ? Empty : NonNullable<Q>) : Empty;

type Undeclared = typeof UNDECLARED_QUERY;
type UndeclaredNames<P, M> = P extends keyof Undeclared ? (M extends keyof Undeclared[P] ? (Undeclared[P][M] & readonly string[])[number] : never) : never;

/**
 * A query value read from the address bar (`pickParams`), sent as it is. The list pages keep their
 * filters in the address exactly as the API reads them, and the server checks each value (a bad
 * one is a 400 naming the parameter, shown where the rows would be), so such a value may stand
 * for a number or a flag of the document. Only `pickParams` makes one: a value written in the
 * code has the document's type.
 */
export type AddressValue = string & { readonly [addressValue]: true };
declare const addressValue: unique symbol;

/**
 * The query parameters of a route: the document's (each of its declared type, or as the address
 * bar gave it) and those `untyped.ts` adds.
 */
export type QueryOf<P extends DocPath, M extends Method> = { [K in keyof DeclaredQuery<P, M>]: DeclaredQuery<P, M>[K] | AddressValue } & {
  [K in UndeclaredNames<P, M>]?: QueryValue;
};

/** The path parameters of a route (`{id: string}`), never when it has none. */
export type PathParamsOf<P extends DocPath, M extends Method> = Operation<P, M> extends { parameters: { path: infer X } } ? X : never;

/** The JSON request body of a route, never when it takes none. */
export type BodyOf<P extends DocPath, M extends Method> =
  Operation<P, M> extends { requestBody?: infer B } ? (B extends { content: { 'application/json': infer J } } ? J : never) : never;

type SuccessBody<O> = O extends { responses: infer R }
  ? { [C in keyof R]: C extends 200 | 201 | 202 ? (R[C] extends { content: { 'application/json': infer J } } ? J : never) : never }[keyof R]
  : never;

type UntypedAnswer<P, M> = P extends keyof UntypedResponses ? (M extends keyof UntypedResponses[P] ? UntypedResponses[P][M] : never) : never;

/** The JSON body of a route's success answer (for most routes the `{status, message, data}` envelope). */
export type ResponseOf<P extends DocPath, M extends Method> = [UntypedAnswer<P, M>] extends [never]
  ? Patch<SuccessBody<Operation<P, M>>>
  : [SuccessBody<Operation<P, M>>] extends [never]
    ? UntypedAnswer<P, M>
    : Omit<SuccessBody<Operation<P, M>>, 'data'> & { data: UntypedAnswer<P, M> };

/** The `data` of a route's success envelope. */
export type DataOf<P extends DocPath, M extends Method> = ResponseOf<P, M> extends { data: infer D } ? D : never;

/** The inner `data` of an answer wrapped twice (login, logout, change password). */
export type DoubleDataOf<P extends DocPath, M extends Method> =
  DataOf<P, M> extends { status: 'success'; data: infer D } ? D : DataOf<P, M>;

/** Paths without path parameters whose GET answers a page: `{count, next, previous, results}`. */
export type ListPath = {
  [P in PathsFor<'get'>]: [PathParamsOf<P, 'get'>] extends [never]
    ? DataOf<P, 'get'> extends { count: number; results: readonly unknown[] }
      ? P
      : never
    : never;
}[PathsFor<'get'>];

/** One row of a list. */
export type ItemOf<P extends ListPath> = DataOf<P, 'get'> extends { results: readonly (infer T)[] } ? T : never;

/** The `data` of a list endpoint (limit/offset pagination). */
export interface Page<T> {
  count: number;
  /** Absolute URLs of the neighbouring pages, null at either end. */
  next?: string | null;
  previous?: string | null;
  results: T[];
}

/** A page of a list as the API answers it. */
export type PageOf<P extends ListPath> = Page<ItemOf<P>>;

/** The filters of a list: its query parameters other than `limit` and `offset`. */
export type ListQuery<P extends ListPath> = Omit<QueryOf<P, 'get'>, 'limit' | 'offset'>;

// ---------------------------------------------------------------------------------------------
// Calls

/** Per-call options of the client. */
export interface CallOptions {
  signal?: AbortSignal;
  /** false: send no Authorization header and never refresh (login, refresh, logout). */
  auth?: boolean;
  /** Milliseconds before the request is given up; 0 disables. */
  timeoutMs?: number;
}

type PathPart<P extends DocPath, M extends Method> = [PathParamsOf<P, M>] extends [never]
  ? { path?: undefined }
  : { path: PathParamsOf<P, M> };
type BodyPart<P extends DocPath, M extends Method> = [BodyOf<P, M>] extends [never]
  ? { body?: undefined }
  : Operation<P, M> extends { requestBody: object }
    ? { body: BodyOf<P, M> }
    : { body?: BodyOf<P, M> };

/** What a call to `M path` takes: its path parameters, query, body and the client's options. */
export type Init<P extends DocPath, M extends Method> = CallOptions & PathPart<P, M> & BodyPart<P, M> & { query?: QueryOf<P, M> };

/** The init argument, optional when nothing in it is required. */
export type InitArgs<I> = Empty extends I ? [init?: I] : [init: I];

/** One page of a list: the filters, and the page's size and position. */
export interface ListPage<P extends ListPath> extends CallOptions {
  limit: number;
  offset?: number;
  query?: ListQuery<P>;
}

// ---------------------------------------------------------------------------------------------
// What untyped.ts may still say. Each of these is `never` while every entry of untyped.ts
// describes something the document leaves out; an entry the document now describes makes the
// type check fail here, naming the entry to delete from untyped.ts.

type IsUntyped<T> = unknown extends T ? true : T extends readonly (infer U)[] ? (unknown extends U ? true : false) : false;

type SchemaFieldsDeclaredNow = {
  [N in Patched]: {
    [F in keyof SchemaPatches[N]]-?: F extends keyof Doc[N] ? (IsUntyped<Doc[N][F]> extends true ? never : `${N}.${F & string}`) : never;
  }[keyof SchemaPatches[N]];
}[Patched];

type IsUntypedAnswer<B> = [B] extends [never] ? true : B extends { data: infer D } ? IsUntyped<D> : false;
type AnswersDeclaredNow = {
  [P in keyof UntypedResponses]: {
    [M in keyof UntypedResponses[P]]: P extends DocPath
      ? M extends Method
        ? IsUntypedAnswer<SuccessBody<Operation<P, M>>> extends true
          ? never
          : `${P} ${M}`
        : never
      : `${P & string} (no longer in the document)`;
  }[keyof UntypedResponses[P]];
}[keyof UntypedResponses];

type QueryDeclaredNow = {
  [P in keyof Undeclared]: {
    [M in keyof Undeclared[P]]: P extends DocPath
      ? M extends Method
        ? `${P} ${M} ?${Extract<UndeclaredNames<P, M>, keyof DeclaredQuery<P, M>> & string}`
        : never
      : `${P & string} (no longer in the document)`;
  }[keyof Undeclared[P]];
}[keyof Undeclared];

type NothingIn<T extends never> = T;

/** Compile-time check that untyped.ts holds only what the document does not describe. */
export type UntypedIsStillUntyped = [
  NothingIn<SchemaFieldsDeclaredNow>,
  NothingIn<AnswersDeclaredNow>,
  NothingIn<QueryDeclaredNow>,
];
