import type { LogSession } from '../api/schemas';

/** A log session as `logsessions/{id}/` renders it: done, two log files of two robots, one video. */
export function logSession(overrides: Partial<LogSession> = {}): LogSession {
  return {
    id: 5,
    created: '2026-12-05T20:00:00.000000Z',
    lastModified: '2026-12-05T20:01:00.000000Z',
    creator: 7,
    modifiedBy: null,
    name: 'session_one.zip-3f1c',
    date_time: '2023-01-31T21:12:50Z',
    harv: 12,
    _zip_file: null,
    tags: [],
    logs: {
      harv_id: 10,
      robots: [2, 3],
      services: [
        { id: 31, service: 'robot', robot: 3 },
        { id: 30, service: 'fsm_main', robot: 2 },
      ],
      videos: [{ id: 40, category: 'drive_cam', robot: 2 }],
    },
    status: 'done',
    progress: { done: 4, total: 4 },
    failure_reason: null,
    ...overrides,
  };
}
