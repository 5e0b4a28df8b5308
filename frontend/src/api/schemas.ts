/**
 * Names for the component schemas of the HDS OpenAPI document, as the app reads them
 * (`contract.ts`: the generated types with the additions of `untyped.ts`).
 *
 * `frontend/openapi.json` is the document the backend prints (`hds openapi --json`;
 * `scripts/frontend-check` fails when it no longer matches the backend), and
 * `src/api/schema.d.ts` is generated from it by `npm run gen:types` (the first step of
 * `npm run build`). A change to one of the backend's schemas that the app depends on breaks
 * the type check instead of a page.
 */
import type { Schemas } from './contract';

export type { Schemas } from './contract';
export type { NotificationCriteria, RolloutEvaluation } from './untyped';

export type User = Schemas['User'];
export type Profile = Schemas['Profile'];
/** A profile's role. */
export type Role = Schemas['Role'];
/** The login/refresh answer: `token` and `access` are the same JWT. */
export type Session = Schemas['Session'];

export type Fruit = Schemas['Fruit'];
export type Distributor = Schemas['Distributor'];
export type Location = Schemas['Location'];
export type Harvester = Schemas['Harvester'];
export type HarvesterHistory = Schemas['HarvesterHistory'];
export type HdsEvent = Schemas['Event'];
export type PickSession = Schemas['PickSession'];
export type RelatedObject = Schemas['RelatedObject'];
/** `related_files[]` of an event: `url` is a download link (pre-signed S3), or null. */
export type RelatedFile = Schemas['RelatedFile'];
/** `events/tags/`, `picksessions/tags/`: every tag name in use. */
export type TagList = Schemas['TagNames'];
export type ExceptionCode = Schemas['ExceptionCode'];
export type CodeManifest = Schemas['CodeManifest'];
/** An exception extracted from an error report (`AftException` of the reference app). */
export type AftException = Schemas['Exception'];
/** One row of `GET errorreports/`. */
export type ErrorReportListItem = Schemas['ErrorReportListItem'];
/** `GET errorreports/{id}/`. */
export type ErrorReport = Schemas['ErrorReport'];
export type Notification = Schemas['Notification'];
/** One row of `exceptions/pareto/`: `{<aggregate_name>: value, count}`. */
export type ParetoRow = Schemas['ParetoBar'];
export type S3File = Schemas['S3File'];
export type FailedIngest = Schemas['FailedIngest'];
/** `failedingests/redrive/`: the ids sent again, and why the others were not. */
export type RedriveResult = Schemas['RedriveOutcome'];
/** `migrations/`: a run of the schema migrations (`pending` until the worker has run it). */
export type MigrationLog = Schemas['MigrationLog'];
/** `migrations/migrate/`: the id of the log the queued run is recorded on. */
export type MigrationQueued = Schemas['MigrationQueued'];
/** `migrations/applied/`: a schema migration the build knows; `run_on` null while pending. */
export type SchemaMigration = Schemas['SchemaMigration'];
/** `{"status":"error","errors":{…}}` */
export type ErrorBody = Schemas['Error'];

/** `harvversion/`: per host its version, dirty and unexpected files; `conflicts` with the release. */
export type VersionReport = Schemas['VersionReport'];
/** `autodiagnostics/`: a gripper self-test; `run_data` once the worker extracted the run. */
export type AutodiagnosticsReport = Schemas['AutodiagnosticsReport'];
export type AutodiagnosticsRun = Schemas['AutodiagnosticsRun'];
export type GripReport = Schemas['GripReport'];
/** `aftconfigs/`: per robot index its `conf_default` and `overlay_diff` (about a megabyte). */
export type ConfigReport = Schemas['ConfigReport'];
export type JobResults = Schemas['JobResults'];
export type HostResult = Schemas['HostResult'];
/** `harvassetreport/`: the assets a harvester says it carries. */
export type AssetReport = Schemas['AssetReport'];
/** `harvassets/`: an asset, on a harvester at an index or on none. */
export type Asset = Schemas['Asset'];
/** One state of an asset (`harvassets/{id}/history/`). */
export type AssetState = Schemas['AssetState'];

/** `release/`: a code release as CI posted it; `release` is its manifest. */
export type Release = Schemas['Release'];
/** `release/{id}/rollouts/`, `rollouts/{id}/`: a release installed in waves, with its halt rule's state. */
export type Rollout = Schemas['ReleaseRollout'];
/** One wave of a rollout: its harvesters (harv_ids) and their install jobs by status. */
export type RolloutWave = Schemas['RolloutWave'];
/** `release/{id}/pareto/`: exceptions per code on the release against the same time before it. */
export type ReleasePareto = Schemas['ReleasePareto'];
export type CodeChange = Schemas['CodeChange'];
/** `jobtypes/`: a kind of job (`test`, `install_release`…). */
export type JobType = Schemas['JobType'];
/** `jobschemas/`: a version of a job type's payload schema (a JSON Schema). */
export type JobSchema = Schemas['JobSchema'];
/** `harvjobs/`: a job on one harvester, with its dispatch to the job server. */
export type Job = Schemas['Job'];
export type JobDispatch = Schemas['Dispatch'];
/** One state of a job (`harvjobs/{id}/history/`). */
export type JobHistoryEntry = Schemas['JobHistoryEntry'];
/** `harvjobs/bulk/`: the jobs it created. */
export type CreatedJobs = Schemas['CreatedJobs'];
/** `jobschedules/`: jobs to create once (`run_at`) or at every time of a cron expression. */
export type JobSchedule = Schemas['JobSchedule'];

/** `logsessions/`: an uploaded session-clip zip and what extraction made of it (`status`, `progress`). */
export type LogSession = Schemas['LogSession'];
/** `logfiles/`: one `.log` or `.dump` member of a session, its lines read through the entries route. */
export type LogFile = Schemas['LogFile'];
/** `logvideos/`: a session's video (MP4 link and metadata lines). */
export type LogVideo = Schemas['LogVideo'];
/** One entry of a session's merged timeline (`logsessions/{id}/entries/`). */
export type LogEntry = Schemas['LogEntry'];
/** A window of the merged timeline. */
export type LogWindow = Schemas['LogWindow'];
