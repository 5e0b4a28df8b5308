/**
 * Small raw error reports in the two sysmon formats harvesters upload (see sysmon.ts), for the
 * unit and component tests. Shapes follow real uploads; the numbers are chosen to hit every
 * threshold level.
 */

const chrony = (last: number, rms: number, extra: Record<string, unknown> = {}) => ({
  ref_id: 'C0A80102',
  ref_addr: '192.168.1.2',
  stratum: 11,
  ref_time: 1651526813.7666936,
  sys_time: 1.222e-6,
  last_offset: last,
  rms_offset: rms,
  frequency: 59.928,
  update_interval: 65.1,
  leap_status: 'Normal',
  ...extra,
});

const service = (name: string, state: string, components: string[], cpu = 1.5, mem = 0.9) => ({
  fsm: { service: name, state, components, ts: 1651526862.37 },
  PID: 20241,
  state: 'S',
  created: 1651525105,
  cpu,
  mem,
});

/** `sysmon.N`: master 0, robots 1–2 with NUCs 1–2 and Jetsons 3–4; robot 2's NUC in error. */
export function legacySysmonReport() {
  return {
    type: 'error',
    timestamp: 1651526862.789323,
    serial_number: '011',
    data: {
      serial_number: '011',
      githash: '5763793c96',
      branch_name: null,
      sysmon_report: {
        serial_number: '011',
        'sysmon.0': {
          index: 0,
          robot_index: 0,
          version: '+5763793c96',
          // 1.5 s is a warning for the master (1 s … 10 s), 12 s is bad.
          chrony_info: {
            ref_id: '7F7F0101',
            ref_addr: '',
            stratum: 10,
            ref_time: 1651526859.0543234,
            sys_time: 3.3e-8,
            last_offset: -1.5,
            rms_offset: 12,
            leap_status: 'Normal',
          },
          services: {
            'harvester.0': service('harvester.0', 'run', ['run', 'error'], 24.96, 1.03),
            'traychg.0': service('traychg.0', 'error', ['error', 'terminated'], 11.64, 0.98),
          },
          errors: {
            'traychg.0': {
              ts: 1651526861.7674465,
              value: 'traychgunit.1 Error: No tray detected in collection',
              traceback: '',
              code: 9,
              operator_err_type: 'traychg',
            },
          },
        },
        'sysmon.1': {
          index: 1,
          robot_index: 1,
          version: '+5763793c96',
          chrony_info: chrony(-3.1957e-5, 3.0055e-5),
          services: { 'robot.1': service('robot.1', 'idle', ['idle']), 'picker.1': service('picker.1', 'idle', ['idle']) },
        },
        'sysmon.3': {
          index: 3,
          robot_index: 1,
          version: '+5763793c96',
          chrony_info: chrony(-6.057e-6, 0.00536857),
          services: { 'obscore.1': service('obscore.1', 'run', ['run']) },
        },
        'sysmon.2': {
          index: 2,
          robot_index: 2,
          version: '+5763793c96',
          // 0.25 s is a warning for a robot (0.1 s … 1 s).
          chrony_info: chrony(0.25, 0.05),
          services: {
            'robot.2': service('robot.2', 'error', ['error', 'rom_violation']),
            'gripper.2': service('gripper.2', 'idle', ['idle']),
          },
          errors: {
            'robot.2': { ts: 1651526850.1, value: 'Range of motion violation', traceback: 'Traceback…', code: 14 },
          },
        },
        'sysmon.4': {
          index: 4,
          robot_index: 2,
          version: '+5763793c96',
          // 2 s is bad for a robot's computer.
          chrony_info: chrony(2, 0.0001),
          services: { 'obscore.2': service('obscore.2', 'run', ['run']) },
        },
      },
    },
  };
}

/** `sysmon_ap.N`: master 0, robots 1–2 with NUCs 1–2 and Jetsons 9–10; robot 1's Jetson in error. */
export function apSysmonReport() {
  return {
    type: 'error',
    timestamp: 1663646212.9,
    data: {
      uuid: '0b3c7e1e-38d0-11ed-9b6a-0242ac120002',
      sysmon_report: {
        serial_number: '011',
        'sysmon_ap.0': {
          index: 0,
          errors: {
            'drivesys.0': { handled: true, ts: 1663646200.89, code: 0, value: 'Sevcon Controller Error', traceback: '' },
          },
          version: '+384828dc05',
          services: {
            'drivesys.0': service('drivesys.0', 'idle', ['idle'], 19.38, 1.18),
            'rcoop.0': service('rcoop.0', 'idle', ['idle']),
          },
          chrony_info: chrony(0.007460611, 0.007460611, { ref_addr: '', ref_id: '7F7F0101', stratum: 10 }),
          robot_index: 0,
        },
        'sysmon_ap.1': {
          index: 1,
          version: 'UNKNOWN',
          services: { 'robot.1': service('robot.1', 'idle', ['idle']) },
          chrony_info: chrony(1.4695e-5, 2.8663e-5),
          robot_index: 1,
        },
        'sysmon_ap.2': {
          index: 2,
          version: '+384828dc05',
          services: { 'robot.2': service('robot.2', 'idle', ['idle']) },
          chrony_info: chrony(-1.1398e-5, 5.6161e-5),
          robot_index: 2,
        },
        'sysmon_ap.9': {
          index: 9,
          version: 'UNKNOWN',
          services: { 'obscore.1': service('obscore.1', 'error', ['error']) },
          chrony_info: chrony(-0.000657051, 0.031247923),
          robot_index: 1,
          errors: { 'obscore.1': { ts: 1663646210.5, code: 3, value: 'camera lost', traceback: '' } },
        },
        'sysmon_ap.10': {
          index: 10,
          version: 'UNKNOWN',
          services: { 'obscore.2': service('obscore.2', 'run', ['run']) },
          chrony_info: chrony(-5.7118e-5, 7.0299e-5),
          robot_index: 2,
        },
      },
    },
  };
}
