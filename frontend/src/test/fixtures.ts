/** Small API objects in the shapes of docs/api-design.md#representations (api/schemas.ts), for page tests. */
import type {
  AftException,
  Distributor,
  ErrorReport,
  ErrorReportListItem,
  ExceptionCode,
  Fruit,
  Harvester,
  HdsEvent,
  Location,
  PickSession,
} from '../api/schemas';

/** `created`, `lastModified`, `creator`, `modifiedBy` of an audited row. */
export const audit = {
  created: '2024-11-05T08:00:00Z',
  lastModified: '2024-11-05T08:00:00Z',
  creator: null,
  modifiedBy: null,
};

export const distributor: Distributor = { id: 1, name: 'Berry Co', ...audit };
export const fruit: Fruit = { id: 1, name: 'strawberry', ...audit };
export const location: Location = {
  id: 2,
  ranch: 'Ranch A',
  country: 'US',
  region: 'CA',
  site_channel: 'harvs-dev',
  distributor,
  ...audit,
};

export const harvester: Harvester = {
  id: 7,
  harv_id: 11,
  name: 'harv011',
  is_emulator: false,
  thingName: 'hv-011',
  fruit,
  location,
  harvester_history: '/harvesterhistory/?harv_id=11',
  version_history: 'versions/',
  assets: 'assets/',
  config: 'config/',
  release: null,
  version: null,
  ...audit,
};

const code = (id: number, number: number, name: string, team: string, cycle: boolean): ExceptionCode => ({
  id,
  code: number,
  name,
  team,
  cycle,
  msg: '',
  operator_msg: '',
  manifest: null,
  ...audit,
});

export const codes: ExceptionCode[] = [
  code(1, 0, 'AFTBaseException', 'software', false),
  code(2, 1, 'DriveFault', 'drive', true),
  code(3, 3, 'VacuumLow', 'picker', false),
];

export function exception(overrides: Partial<AftException> = {}): AftException {
  return {
    id: 1,
    code: codes[0]!,
    service: 'harvester',
    node: 1,
    robot: 0,
    traceback: 'Traceback (most recent call last):\n  File "x.py", line 1\nTimeoutError: boom',
    info: 'state=PICKING',
    timestamp: '2022-05-02T21:27:40.000000Z',
    handled: false,
    primary: true,
    report: 3,
    ...audit,
    ...overrides,
  };
}

export function reportSummary(overrides: Partial<ErrorReportListItem> = {}): ErrorReportListItem {
  return {
    id: 3,
    reportTime: '2022-05-02T21:27:42.789323Z',
    harvester,
    location,
    gitbranch: 'main',
    githash: 'abc1234',
    event: 5,
    tags: [],
    exceptions: [
      exception(),
      exception({ id: 2, code: codes[2]!, service: 'picker', robot: 2, handled: true, primary: false }),
    ],
    ...overrides,
  };
}

export const event: HdsEvent = {
  id: 5,
  UUID: '6c1d9e0a-1111-11ee-be56-0242ac120002',
  tags: ['ErrorReport', 'S3File', 'logs'],
  secondary_events: [],
  related_objects: [{ url: '/errorreports/3/', object: 'Error Report' }],
  related_files: [
    { url: 'https://bucket.example/logs/hv011_6c1d9e0a.zip?X-Amz-Signature=abc', filetype: 'logs' },
    { url: null, filetype: 'sessclip' },
  ],
  ...audit,
};

export const pickSession: PickSession = {
  id: 9,
  UUID: 'ps-1',
  tags: [],
  start_time: '2022-05-02T20:00:00Z',
  session_length: '00:38:40.870794',
  harvester,
  location,
  related_objects: [{ url: '/errorreports/3/', object: 'Error Report' }],
  ...audit,
};

export function reportDetail(overrides: Partial<ErrorReport> = {}): ErrorReport {
  const summary = reportSummary();
  return {
    id: summary.id,
    ...audit,
    created: '2022-05-02T21:28:00Z',
    lastModified: '2022-05-02T21:28:00Z',
    reportTime: summary.reportTime,
    report: { timestamp: 1651526862.789323, serial_number: '011', data: { sysmon_report: { is_emulator: false } } },
    githash: summary.githash,
    gitbranch: summary.gitbranch,
    tags: ['incomplete'],
    extraction_status: 'done',
    exceptions: summary.exceptions,
    harvester,
    location,
    event,
    pick_session: pickSession,
    ...overrides,
  };
}
