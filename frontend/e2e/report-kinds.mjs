// One report of each kind beyond error reports, for the browser check's "report kinds" step:
// version report, autodiagnostics, grip report, two config reports, job results, asset report.
// Each is built for one harvester (its serial number) and one run (`tag` keeps the UUIDs and
// serial numbers of two runs apart, `now` is the report time in epoch seconds).

/** Sensor samples of three states, as a gripper self-test sends them. */
function sensors(t0) {
  const sample = (dt, vac, touch, finger) => [t0 + dt, { vac, touch, finger }];
  return {
    state_pre_extend_move: [sample(0, -35.4, 5.23, 0.25), sample(0.1, -35.4, 5.53, 0.25), sample(0.2, -36.1, 5.4, 0.26)],
    state_extend: [sample(0.3, -98.0, 2.02, 1.36), sample(0.4, -98.0, 2.31, 1.44), sample(0.5, -97.9, 2.2, 1.6)],
    state_wait_vac_start: [sample(4.0, -29.35, 4.88, 1.8), sample(4.1, -30.01, 4.77, 1.8), sample(4.3, -45.2, 4.1, 1.8)],
  };
}

/** A configuration of about 150 kB: `params` settings, `overlay` as the harvester's diff tool writes it. */
function configData(params, ripeness) {
  const services = {};
  for (let i = 0; i < params; i += 1) services[`svc_${i}.0`] = { endpoint: `192.168.1.${i % 250}:${5000 + i}`, timeout: 5, enabled: i % 3 !== 0 };
  return {
    '0': {
      conf_default: { general: { min_ripeness: ripeness, site_name: 'e2e_ranch', workcells: [1, 2, 3, 4] }, services },
      overlay_diff: {
        values_changed: { "root['general']['min_ripeness']": { new_value: ripeness, old_value: 0.7 } },
        iterable_item_removed: { "root['general']['workcells'][3]": 4 },
      },
    },
    '1': { conf_default: { general: { comms_timeout: 0.1 } }, overlay_diff: {} },
  };
}

/**
 * The reports, in the order they are posted, with what the API must answer at once (`expect`,
 * checked on the 201's `data`). `serial` is the harvester's serial number (`"011"`).
 */
export function reportKinds(serial, tag, now) {
  const uuid = (kind) => `e2e-${kind}-${tag}`;
  return {
    version: {
      path: 'harvversion/',
      body: {
        type: 'version_report',
        timestamp: now,
        serial_number: serial,
        data: {
          master: { version: `e2e.${tag}`, type: 'release', project: 'strawberry', dirty: { 'picker/fsm.py': 'M' }, unexpected: {} },
          'aft-robot01': { error: 'Error running remote cmd: sudo: aft-release: command not found' },
          'aft-robot02': { version: `e2e.${tag}`, type: 'release', project: 'strawberry', dirty: {}, unexpected: { 'core.1234': '' } },
        },
      },
      expect: (d) => d.is_dirty === true && d.has_unexpected === true && d.conflicts?.error === 'No release',
    },
    autodiagnostics: {
      path: 'autodiagnostics/',
      body: {
        type: 'autodiagnostics',
        timestamp: now,
        serial_number: serial,
        uuid: uuid('autodiag'),
        pick_session_uuid: uuid('autodiag-session'),
        data: {
          serial_no: 4000 + (Number.parseInt(tag, 36) % 1000),
          ts: now - 1,
          robot_id: 2,
          passed_autodiag: false,
          passed_autodiag_ball_found: true,
          passed_autodiag_template_match: true,
          min_vac: -98.0,
          delta_fing: 0.04,
          no_touch_force: 3.28,
          max_touch_val: 19.93,
          tm_y_error: 0.0,
          finger_open_value: 1.8,
          finger_closed_value: 1.84,
          sensors: sensors(now - 10),
        },
      },
      expect: (d) => d.result === false && d.robot === 2 && d.run_data === null && d.pick_session?.UUID === uuid('autodiag-session'),
    },
    grip: {
      path: 'gripreports/',
      body: {
        type: 'grip',
        timestamp: now,
        serial_number: serial,
        uuid: uuid('grip'),
        pick_session_uuid: uuid('grip-session'),
        pick_session_start_time: now - 2320.5,
        data: {
          cand: [{ cand_id: 1, score: -220.9 }, { cand_id: 2, score: -180.2 }],
          grip: [
            { _meta: { ts: now - 100 }, robot_id: 1, cand_id: 1, success: true, modality: { ACQUIRE_CHILD: 'ACQUIRE_IMPROVE_REACH' } },
            { _meta: { ts: now - 50 }, robot_id: 1, cand_id: 2, success: false, modality: { ACQUIRE_CHILD: 'ACQUIRE_BASIC' } },
          ],
        },
      },
      expect: (d) => d.pick_session?.session_length === '00:38:40.500000',
    },
    configOld: {
      path: 'aftconfigs/',
      body: { type: 'config', timestamp: now - 3600, serial_number: serial, uuid: uuid('config-old'), data: configData(1500, 0.5) },
      expect: (d) => d.event?.tags?.includes('ConfigReport'),
    },
    config: {
      path: 'aftconfigs/',
      body: { type: 'config', timestamp: now, serial_number: serial, uuid: uuid('config'), data: configData(1500, 0.15) },
      expect: (d) => d.event?.tags?.includes('ConfigReport'),
    },
    jobresults: {
      path: 'jobresults/',
      body: {
        type: 'jobresults',
        timestamp: now,
        serial_number: serial,
        uuid: uuid('job'),
        data: {
          master: { ts: now - 5, exit_code: 0, stdout: 'installed', stderr: '', status: 'success' },
          'aft-robot01': { ts: now - 4, exit_code: 1, stdout: '', stderr: 'disk full', status: 'failure' },
        },
      },
      expect: (d) => d.job === null && d.event?.tags?.includes('JobResults'),
    },
    assets: {
      path: 'harvassetreport/',
      body: {
        type: 'asset-tags',
        timestamp: now,
        serial_number: serial,
        data: [
          { asset: 'arm', index: 1, 'asset-tag': `SA-E2E-${tag}`, version: null },
          { asset: 'gripper', index: 1, 'asset-tag': `G-E2E-${tag}`, version: 'B01' },
          { asset: 'gantry', index: 1 },
        ],
      },
      expect: (d) => Array.isArray(d.report?.data) && d.report.data.length === 3,
    },
  };
}
