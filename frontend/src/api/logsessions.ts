/**
 * `logsessions/`, `logfiles/`, `logvideos/`: session-clip zips a person uploads, extracted by the
 * worker into log files (read as one timeline through `logsessions/{id}/entries/`) and videos
 * (docs/api-design.md#log-sessions). Everyone who reads the API reads them; support and above
 * upload (`POST logsessions/`, multipart, field `zip_upload`).
 */
import type { ListQuery } from './contract';
import type { LogSession, User } from './schemas';

export const LOGSESSIONS_PATH = '/api/v1/logsessions/';
export const LOGFILES_PATH = '/api/v1/logfiles/';
export const LOGVIDEOS_PATH = '/api/v1/logvideos/';
export const ENTRIES_PATH = '/api/v1/logsessions/{id}/entries/';

/** Query parameters of `GET logsessions/`. */
export type LogSessionQuery = ListQuery<typeof LOGSESSIONS_PATH>;

/** The filters the list page edits: harvester, state, created between. */
export const LOGSESSION_FILTERS = ['harv__harv_id', 'status', 'created_after', 'created_before'] as const satisfies ReadonlyArray<
  keyof LogSessionQuery
>;

/** The values of a session's `status`, in the order the filter lists them. */
export const SESSION_STATES = ['pending', 'extracting', 'done', 'failed'] as const;

/** The field of the upload form (the original web app's name). */
export const UPLOAD_FIELD = 'zip_upload';

/** Roles that may upload (the route's rule: support and above; jenkins and beatbox only read). */
const UPLOADERS = new Set(['support', 'developer', 'manager']);

export function canUploadLogs(user: User | null | undefined): boolean {
  if (!user) return false;
  return user.is_superuser || UPLOADERS.has(user.profile?.role ?? '');
}

/** Whether the worker may still change the session (the pages poll it until then). */
export function isExtracting(session: Pick<LogSession, 'status'>): boolean {
  return session.status === 'pending' || session.status === 'extracting';
}

/** The badge class of a state. */
export function stateBadge(status: string): string {
  if (status === 'done') return 'badge badge-ok';
  if (status === 'failed') return 'badge badge-error';
  return 'badge badge-info';
}

/** How a session's state reads: `pending`, `extracting 3 of 7`, `done`, `failed`. */
export function stateText(session: Pick<LogSession, 'status' | 'progress'>): string {
  if (session.status === 'extracting' && session.progress.total > 0) {
    return `extracting ${session.progress.done} of ${session.progress.total}`;
  }
  return session.status;
}

/** Extraction's share done, 0–100 (100 once done; 0 while nothing is known). */
export function progressPercent(session: Pick<LogSession, 'status' | 'progress'>): number {
  if (session.status === 'done') return 100;
  const { done, total } = session.progress;
  if (total <= 0) return 0;
  return Math.min(100, Math.round((done / total) * 100));
}

/** A log file as the viewer names it: `fsm_main.2`, or the service alone without a robot. */
export function fileLabel(file: { service: string; robot?: number | null }): string {
  return file.robot === null || file.robot === undefined ? file.service : `${file.service}.${file.robot}`;
}

/** A video as the viewer names it: `drive_cam.2`. */
export function videoLabel(video: { category: string; robot?: number | null }): string {
  return video.robot === null || video.robot === undefined ? video.category : `${video.category}.${video.robot}`;
}

/** The viewer's address for a session, optionally with some files and a video chosen. */
export function viewerHref(sessionId: number | string, choice: { files?: number[]; video?: number } = {}): string {
  const params = new URLSearchParams();
  if (choice.files?.length) params.set('files', choice.files.join(','));
  if (choice.video !== undefined) params.set('video', String(choice.video));
  const query = params.toString();
  return `/logfiles/${sessionId}${query ? `?${query}` : ''}`;
}
