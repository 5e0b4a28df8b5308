/** Small API objects in the shapes of docs/api-design.md#representations (api/schemas.ts), for page tests. */
import type {
  AftException,
  Asset,
  AssetReport,
  AutodiagnosticsReport,
  ConfigReport,
  GripReport,
  Job,
  JobResults,
  JobSchedule,
  JobSchema,
  JobType,
  Release,
  ReleasePareto,
  Rollout,
  VersionReport,
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

// ---------------------------------------------------------------------------------------------
// Report kinds (docs/api-design.md#report-kinds)

/** A version report of harvester 7: master on 1.1 with a modified file, robot 1 unreadable. */
export function versionReport(overrides: Partial<VersionReport> = {}): VersionReport {
  return {
    id: 21,
    ...audit,
    created: '2022-05-02T21:28:00Z',
    lastModified: '2022-05-03T09:00:00Z',
    reportTime: '2022-05-02T21:27:42.789323Z',
    harvester: 7,
    location: 2,
    tags: [],
    is_dirty: true,
    has_unexpected: false,
    conflicts: { error: 'No release' },
    report: {
      type: 'version_report',
      timestamp: 1651526862.789323,
      serial_number: '011',
      data: {
        master: { version: '1.1', type: 'release', project: 'strawberry', dirty: { 'a.py': 'M' }, unexpected: {} },
        'aft-robot01': { error: 'Error running remote cmd: sudo: aft-release: command not found' },
        'aft-robot02': { version: '1.1', dirty: {}, unexpected: {} },
      },
    },
    ...overrides,
  };
}

/** Sensor samples of two states, as a run holds them. */
export const sensors = {
  state_extend: [
    [1675716436.3877757, { vac: -98.0, touch: 2.0, finger: 1.36 }],
    [1675716436.48775, { vac: -97.5, touch: 2.3, finger: 1.44 }],
  ],
  state_wait_vac_start: [
    [1675716440.204899, { vac: -29.35, touch: 4.88, finger: 1.8 }],
    [1675716440.212259, { vac: -30.01, touch: 4.77, finger: 1.8 }],
  ],
};

export function autodiagnosticsReport(overrides: Partial<AutodiagnosticsReport> = {}): AutodiagnosticsReport {
  return {
    id: 31,
    ...audit,
    reportTime: '2023-02-06T20:47:24.671Z',
    harvester,
    location: 2,
    tags: [],
    result: true,
    robot: 1,
    gripper_sn: 1298,
    event,
    pick_session: pickSession,
    run_data: {
      id: 4,
      ...audit,
      report: 31,
      gripper: 12,
      robot_id: 1,
      run_timestamp: '2023-02-06T20:47:24.671Z',
      ball_found_result: true,
      result: true,
      template_match_result: true,
      template_match_y_error: 0,
      min_vac: -97.9,
      finger_open_value: 1.8,
      finger_closed_value: 1.846,
      finger_delta: 0,
      nominal_touch_force: 3.28,
      max_touch_force: 19.93,
      sensors,
    },
    report: {
      type: 'autodiagnostics',
      timestamp: 1675716444.6715991,
      serial_number: 11,
      data: { serial_no: 1298, robot_id: 1, passed_autodiag: true, min_vac: -97.9, sensors },
    },
    ...overrides,
  };
}

export function gripReport(overrides: Partial<GripReport> = {}): GripReport {
  return {
    id: 41,
    ...audit,
    reportTime: '2023-04-05T21:28:26.629Z',
    harvester: 7,
    location: 2,
    tags: [],
    event,
    pick_session: pickSession,
    report: {
      type: 'grip',
      timestamp: 1680730106.6295166,
      serial_number: 11,
      data: {
        cand: [{ cand_id: 401 }, { cand_id: 402 }, { cand_id: 403 }],
        grip: [
          { _meta: { ts: 1680727824.323062 }, robot_id: 1, cand_id: 401, success: true, modality: { ACQUIRE_CHILD: 'ACQUIRE_IMPROVE_REACH' } },
          { _meta: { ts: 1680727900.5 }, robot_id: 2, cand_id: 402, success: false, modality: {} },
        ],
      },
    },
    ...overrides,
  };
}

/** A config report's `report`: robot index 0 with its defaults and overlay, index 1 plain. */
export function configBody(minRipeness = 0.15, extra: Record<string, unknown> = {}) {
  return {
    type: 'config',
    timestamp: 1675256694.218969,
    serial_number: '011',
    data: {
      '0': {
        conf_default: {
          general: { min_ripeness: minRipeness, site_name: 'golfball_davis', workcells: [1, 2, 3], ...extra },
          services: { 'rcoop.0': { min_pick_attempts: 3 } },
        },
        overlay_diff: {
          values_changed: { "root['general']['min_ripeness']": { new_value: minRipeness, old_value: 0.7 } },
          iterable_item_removed: { "root['general']['workcells'][3]": 4 },
        },
      },
      '1': { conf_default: { general: { comms_timeout: 0.1 } }, overlay_diff: {} },
    },
  };
}

export function configReport(overrides: Partial<ConfigReport> = {}): ConfigReport {
  return {
    id: 51,
    ...audit,
    reportTime: '2023-02-01T13:04:54.218Z',
    harvester: 7,
    location: 2,
    tags: [],
    event,
    report: configBody(),
    ...overrides,
  };
}

export function jobResults(overrides: Partial<JobResults> = {}): JobResults {
  return {
    id: 61,
    ...audit,
    reportTime: '2022-10-21T23:38:42.072Z',
    harvester: 7,
    location: 2,
    tags: [],
    job: null,
    event: { ...event, UUID: 'job-1', tags: ['JobResults'], related_objects: [{ url: '/jobstatus/61/', object: 'Job Status' }] },
    host_results: [
      { id: 1, ...audit, parent: 61, host: 'master', result: 'Success', timestamp: '2022-10-21T23:38:42.066Z', details: { status: 'success', exit_code: 0, stdout: 'done' } },
      { id: 2, ...audit, parent: 61, host: 'aft-robot01', result: 'Error', timestamp: '2022-10-21T23:38:41Z', details: { status: 'error', traceback: 'Traceback: boom' } },
    ],
    report: {
      type: 'jobresults',
      timestamp: 1666395522.072941,
      serial_number: '011',
      uuid: 'job-1',
      data: {
        master: { ts: 1666395522.066, status: 'success', exit_code: 0, stdout: 'done' },
        'aft-robot01': { ts: 1666395521, status: 'error', traceback: 'Traceback: boom' },
      },
    },
    ...overrides,
  };
}

export function assetReport(overrides: Partial<AssetReport> = {}): AssetReport {
  return {
    id: 71,
    ...audit,
    reportTime: '2023-01-20T01:48:40.106Z',
    harvester,
    location: 2,
    tags: [],
    event,
    report: {
      type: 'asset-tags',
      timestamp: 1674179320.1067276,
      serial_number: '011',
      data: [
        { asset: 'gripper', index: 1, 'asset-tag': 13, version: 'B01' },
        { asset: 'arm', index: 2, 'asset-tag': 'SA-040', version: null },
        { asset: 'gantry', index: 1 },
      ],
    },
    ...overrides,
  };
}

export function asset(overrides: Partial<Asset> = {}): Asset {
  return {
    id: 12,
    ...audit,
    asset: { id: 3, name: 'gripper', ...audit },
    harvester: 7,
    index: 1,
    serial_number: '1298',
    version: 'B01',
    ...overrides,
  };
}

export const jobType: JobType = { id: 1, name: 'test', ...audit };

/** A job schema like the original's fixture: `targets` (hosts) required, and an optional count. */
export function jobSchema(overrides: Partial<JobSchema> = {}): JobSchema {
  return {
    id: 3,
    jobtype: 'test',
    version: '1.0',
    comment: 'first version',
    schema: {
      $schema: 'http://json-schema.org/draft-04/schema#',
      type: 'object',
      properties: {
        id: { type: 'string' },
        job_type: { type: 'string' },
        timeout: { type: 'integer' },
        targets: {
          type: 'array',
          description: 'Hosts to run on',
          items: { type: 'string', pattern: '^(master|((robot|stereo)\\d+))$' },
          default: ['master'],
        },
        count: { type: 'integer', title: 'How many', default: 1 },
      },
      required: ['id', 'job_type', 'targets'],
    },
    ...audit,
    ...overrides,
  };
}

export function job(overrides: Partial<Job> = {}): Job {
  return {
    id: 40,
    ...audit,
    event: { ...event, id: 8, UUID: 'b7c3a1d2-job', tags: ['Job'], related_objects: [] },
    schema: 3,
    target: 7,
    payload: { id: 'b7c3a1d2-job', job_type: 'test', timeout: 6000, targets: ['master'] },
    jobstatus: 'Pending',
    results: '/api/v1/jobresults/?job__target__harv_id=11&job__event__UUID=b7c3a1d2-job',
    history: '/api/v1/harvjobs/40/history/',
    dispatch: { status: 'sent', attempts: 1, error: null, sent: '2024-11-05T08:00:01Z' },
    schedule: null,
    ...overrides,
  };
}

export function release(overrides: Partial<Release> = {}): Release {
  return {
    id: 2,
    ...audit,
    version: '20220922.163848',
    fruit,
    tags: ['stable'],
    release: { version: '20220922.163848', project: 'strawberry', master: { version: '1.4.2' } },
    ...overrides,
  };
}

export function jobSchedule(overrides: Partial<JobSchedule> = {}): JobSchedule {
  return {
    id: 5,
    ...audit,
    creator: 1,
    schema: 3,
    jobtype: 'test',
    schema_version: '1.0',
    targets: [11, 100],
    payload: { targets: ['master'] },
    cron: '0 6 * * *',
    run_at: null,
    next_run: '2024-11-06T06:00:00Z',
    last_run: null,
    runs: 0,
    last_error: null,
    cancelled: null,
    jobs: '/api/v1/harvjobs/?schedule=5',
    ...overrides,
  };
}

/** A rollout of `release()` on harvesters 11 and 12 in two waves, the first one installed. */
export function rollout(overrides: Partial<Rollout> = {}): Rollout {
  return {
    id: 8,
    ...audit,
    creator: 1,
    release: 2,
    schema: 21,
    status: 'running',
    current_wave: 1,
    halt_ratio: 1.5,
    min_reports: 5,
    wave_minutes: 60,
    wave_started_at: '2024-11-05T08:00:02Z',
    halt_reason: null,
    evaluation: { updated_harvesters: 1, reports_on_release: 2, reports_before: 3 },
    waves: [
      { wave: 1, harvesters: [11], jobs: { Success: 1 } },
      { wave: 2, harvesters: [12], jobs: {} },
    ],
    ...overrides,
  };
}

export function releasePareto(overrides: Partial<ReleasePareto> = {}): ReleasePareto {
  return {
    release: 2,
    harvesters: 2,
    hours: 48.25,
    results: [
      { code: 1, name: 'DriveFault', on_release: 9, before: 2, change: 7 },
      { code: 3, name: 'VacuumLow', on_release: 4, before: 4, change: 0 },
      { code: 0, name: 'AFTBaseException', on_release: 1, before: 6, change: -5 },
    ],
    ...overrides,
  };
}
