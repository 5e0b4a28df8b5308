// Two raw error reports for the browser check of the sysmon panel, one per upload format:
// `sysmon.N` (older harvesters) and `sysmon_ap.N` (newer ones). Each has a master, two robots
// with a NUC (index = robot_index) and a Jetson (another index), and one robot in error.
// `expect` says what the page must show for each.

const service = (name, state, components, cpu = 2.5, mem = 0.9) => ({
  fsm: { service: name, state, components, ts: 1700000000.5 },
  PID: 4000,
  state: 'S',
  created: 1699990000,
  cpu,
  mem,
});

const chrony = (last, rms, extra = {}) => ({
  ref_id: 'C0A80102',
  ref_addr: '192.168.1.2',
  stratum: 11,
  ref_time: 1699999990.25,
  sys_time: 1.2e-6,
  last_offset: last,
  rms_offset: rms,
  frequency: 12.5,
  update_interval: 64.9,
  leap_status: 'Normal',
  ...extra,
});

const error = (ts, code, value) => ({ ts, code, value, traceback: `Traceback (most recent call last):\nRuntimeError: ${value}` });

/** `sysmon.N`: robot 2's NUC reports `robot.2` in error. */
export function legacyReport(serial) {
  return {
    type: 'error',
    timestamp: 1700000000.125,
    serial_number: serial,
    uuid: 'e2e0a1b2-0000-4000-8000-000000000001',
    data: {
      serial_number: serial,
      githash: 'e2e000001',
      branch_name: 'e2e',
      sysmon_report: {
        serial_number: serial,
        'sysmon.0': {
          index: 0,
          robot_index: 0,
          version: '+e2e000001',
          chrony_info: chrony(-1.5, 12, { ref_addr: '', ref_id: '7F7F0101', stratum: 10 }),
          services: {
            'harvester.0': service('harvester.0', 'run', ['run']),
            'traychg.0': service('traychg.0', 'idle', ['idle']),
          },
        },
        'sysmon.1': {
          index: 1,
          robot_index: 1,
          version: '+e2e000001',
          chrony_info: chrony(-3.2e-5, 3.0e-5),
          services: { 'robot.1': service('robot.1', 'idle', ['idle']), 'picker.1': service('picker.1', 'idle', ['idle']) },
        },
        'sysmon.3': {
          index: 3,
          robot_index: 1,
          version: '+e2e000001',
          chrony_info: chrony(-6e-6, 0.0054),
          services: { 'obscore.1': service('obscore.1', 'run', ['run']) },
        },
        'sysmon.2': {
          index: 2,
          robot_index: 2,
          version: '+e2e000001',
          chrony_info: chrony(0.25, 0.05),
          services: {
            'robot.2': service('robot.2', 'error', ['error', 'rom_violation'], 31.5, 1.4),
            'gripper.2': service('gripper.2', 'idle', ['idle']),
          },
          errors: { 'robot.2': error(1699999995.5, 2, 'Range of motion violation') },
        },
        'sysmon.4': {
          index: 4,
          robot_index: 2,
          version: '+e2e000001',
          chrony_info: chrony(2, 1e-4),
          services: { 'obscore.2': service('obscore.2', 'run', ['run']) },
        },
      },
    },
  };
}

/** `sysmon_ap.N`: robot 1's Jetson (`sysmon_ap.9`) reports `obscore.1` in error. */
export function apReport(serial) {
  return {
    type: 'error',
    timestamp: 1700000100.25,
    serial_number: serial,
    uuid: 'e2e0a1b2-0000-4000-8000-000000000002',
    data: {
      uuid: 'e2e0a1b2-0000-4000-8000-000000000002',
      sysmon_report: {
        serial_number: serial,
        'sysmon_ap.0': {
          index: 0,
          robot_index: 0,
          version: '+e2e000002',
          chrony_info: chrony(0.0075, 0.0075, { ref_addr: '', ref_id: '7F7F0101', stratum: 10 }),
          services: {
            'drivesys.0': service('drivesys.0', 'idle', ['idle'], 19.4, 1.2),
            'rcoop.0': service('rcoop.0', 'idle', ['idle']),
          },
        },
        'sysmon_ap.1': {
          index: 1,
          robot_index: 1,
          version: 'UNKNOWN',
          chrony_info: chrony(1.5e-5, 2.9e-5),
          services: { 'robot.1': service('robot.1', 'idle', ['idle']) },
        },
        'sysmon_ap.2': {
          index: 2,
          robot_index: 2,
          version: '+e2e000002',
          chrony_info: chrony(-1.1e-5, 5.6e-5),
          services: { 'robot.2': service('robot.2', 'idle', ['idle']) },
        },
        'sysmon_ap.9': {
          index: 9,
          robot_index: 1,
          version: 'UNKNOWN',
          chrony_info: chrony(-6.6e-4, 1.5),
          services: { 'obscore.1': service('obscore.1', 'error', ['error']) },
          errors: { 'obscore.1': error(1700000095.75, 3, 'camera lost') },
        },
        'sysmon_ap.10': {
          index: 10,
          robot_index: 2,
          version: 'UNKNOWN',
          chrony_info: chrony(-5.7e-5, 7.0e-5),
          services: { 'obscore.2': service('obscore.2', 'run', ['run']) },
        },
      },
    },
  };
}

/** What each report's sysmon panel must show: tabs, the robot in error and its computer. */
export const SYSMON_CASES = [
  {
    format: 'sysmon.N',
    shot: 'legacy',
    build: legacyReport,
    tabs: ['Master', 'Robot 1', 'Robot 2'],
    robotInError: 'Robot 2',
    computer: 'NUC',
    computers: ['NUC', 'Jetson'],
    levels: ['warn', 'ok'],
    erroredService: 'robot.2',
  },
  {
    format: 'sysmon_ap.N',
    shot: 'ap',
    build: apReport,
    tabs: ['Master', 'Robot 1', 'Robot 2'],
    robotInError: 'Robot 1',
    computer: 'Jetson',
    computers: ['NUC', 'Jetson'],
    levels: ['ok', 'bad'],
    erroredService: 'obscore.1',
  },
];
