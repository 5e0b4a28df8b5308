/**
 * What the OpenAPI document (`frontend/openapi.json`) does not describe yet, in one file.
 *
 * The backend will declare every entry below in the document itself. Once it does,
 * `hds openapi --json > frontend/openapi.json` and `npm run build` (which regenerates
 * `schema.d.ts`) make the checks at the end of `contract.ts` fail on each entry that the
 * document now describes, naming it (`"Notification.criteria"`, `"/api/v1/openapi get"`,
 * `"/api/v1/openapi get ?format"`): delete that entry here and the generated type
 * takes over. Nothing else in the app needs to change unless the declared shape differs.
 *
 * Three kinds of entries:
 * - `UNDECLARED_QUERY`: query parameters a route reads that the document does not list;
 * - `UntypedResponses`: routes whose answer the document does not describe;
 * - `SchemaPatches`: fields of a component schema that the document leaves as `{}` (or leaves out).
 */
import type { OpenApiDocument } from './openapi';

// ---------------------------------------------------------------------------------------------
// Query parameters

/** What a notification's criteria may hold (`errorreports/createnotification/`). */
const CRITERIA = ['harv_ids', 'locations', 'fruits', 'codes', 'traceback', 'handled', 'primary', 'is_emulator', 'tz'] as const;

/** Query parameters per route and method that the document does not list. */
export const UNDECLARED_QUERY = {
  '/api/v1/errorreports/createnotification/': { post: CRITERIA },
  '/api/v1/openapi': { get: ['format'] },
} as const;

/** A query value as the client sends it: lists are comma-joined. */
export type QueryValue = string | number | boolean | ReadonlyArray<string | number>;

// ---------------------------------------------------------------------------------------------
// Answers the document leaves undescribed

/**
 * The `data` of each of these routes (for `/api/v1/openapi`, which answers without an
 * envelope, the whole body).
 */
export interface UntypedResponses {
  '/api/v1/openapi': { get: OpenApiDocument };
}

// ---------------------------------------------------------------------------------------------
// Fields of the component schemas

/**
 * The criteria of a notification: error-report query parameters (`harv_ids`, `codes`…), or
 * Django lookups for notifications made by the reference server.
 */
export type NotificationCriteria = Record<string, unknown>;

/**
 * What a rollout's halt rule last saw (`release_rollouts.evaluation`): the harvesters the rollout
 * has updated so far, their error reports since their install and over the same length of time
 * just before it. Null until the first wave has started.
 */
export interface RolloutEvaluation {
  updated_harvesters: number;
  reports_on_release: number;
  reports_before: number;
}

/** Fields per schema: the type the server sends where the document says `{}`. */
export interface SchemaPatches {
  Notification: { criteria: NotificationCriteria };
  ReleaseRollout: { evaluation?: RolloutEvaluation | null };
  /** A wave's install jobs counted by `jobstatus` (`{"Success": 3, "Pending": 1}`; `{}` before it starts). */
  RolloutWave: { jobs: Record<string, number> };
}
