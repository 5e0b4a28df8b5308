// In-memory fleet data for e2e/mock-hds.mjs, in the shapes of the HDS API
// contract: fruits, distributors, locations, harvesters (+ history), exception
// codes, error reports with exceptions, events with files, pick sessions,
// the exceptions pareto and notifications (criteria = the error-report query
// parameters, deviation D12). Writes need the developer role or higher.
// The events and their representation are shared with e2e/mock-ingest.mjs (S3 files).

const START = Date.parse('2025-06-02T17:00:00.000Z');
const iso = (ms) => new Date(ms).toISOString().replace(/\.(\d{3})Z$/, '.$1000Z');

const stamp = (ms = START) => ({ created: iso(ms), lastModified: iso(ms), creator: 1, modifiedBy: null });

export function createFleet(users) {
  const fruits = [
    { id: 1, name: 'strawberry', ...stamp() },
    { id: 2, name: 'tomato', ...stamp() },
  ];
  const distributors = [{ id: 1, name: 'Berry Co', ...stamp() }];
  const locations = [
    { id: 1, ranch: 'Ranch A', country: 'US', region: 'CA', site_channel: 'harvs-dev', distributor: 1, ...stamp() },
    { id: 2, ranch: 'Ranch B', country: 'US', region: 'FL', site_channel: 'harvs-dev', distributor: 1, ...stamp() },
  ];
  const harvesters = Array.from({ length: 12 }, (_, i) => ({
    id: i + 1,
    harv_id: 10 + i,
    name: `harv${String(10 + i).padStart(3, '0')}`,
    fruit: i === 11 ? 2 : 1,
    location: i % 3 === 2 ? 2 : 1,
    is_emulator: i >= 10,
    thingName: `hv-${String(10 + i).padStart(3, '0')}`,
    release: null,
    ...stamp(),
  }));
  const history = [];
  const codes = [
    { id: 1, code: 0, name: 'AFTBaseException', msg: 'Unknown error', team: 'software', cycle: false, operator_msg: 'Please cycle the harvester', manifest: null, ...stamp() },
    { id: 2, code: 1, name: 'DriveFault', msg: 'Drive controller fault', team: 'drive', cycle: true, operator_msg: 'Please cycle the harvester', manifest: null, ...stamp() },
    { id: 3, code: 2, name: 'GripperTimeout', msg: 'Gripper did not answer', team: 'picker', cycle: true, operator_msg: 'Check the gripper', manifest: null, ...stamp() },
    { id: 4, code: 3, name: 'VacuumLow', msg: 'Vacuum below threshold', team: 'picker', cycle: false, operator_msg: 'Check the vacuum line', manifest: null, ...stamp() },
  ];
  const SERVICES = ['harvester', 'picker', 'drive', 'traychg'];

  // 24 reports from harvesters 10..14 and the emulator 20, newest first.
  const events = [];
  const sessions = [];
  const reports = [];
  const exceptions = [];
  for (let i = 0; i < 24; i += 1) {
    const id = 24 - i;
    const harv = i % 6 === 5 ? harvesters[10] : harvesters[i % 5];
    const time = START - i * 3 * 3_600_000;
    const uuid = `e2e0${String(id).padStart(4, '0')}-6f1c-11f0-9a3b-0242ac120002`;
    const event = {
      id,
      UUID: uuid,
      tags: ['ErrorReport'],
      secondary_events: [],
      files: [],
      ...stamp(time),
    };
    if (i % 3 === 0) {
      event.tags.push('S3File', 'logs');
      event.files.push({ key: `logs/hv${String(harv.harv_id).padStart(3, '0')}_${uuid}.zip`, filetype: 'logs' });
    }
    events.push(event);
    let session = null;
    if (i % 2 === 0) {
      session = {
        id: sessions.length + 1,
        UUID: `ps0${String(id).padStart(4, '0')}-6f1c-11f0-9a3b-0242ac120002`,
        tags: [],
        start_time: iso(time - 1_800_000),
        session_length: '00:30:00.000000',
        harvester: harv.id,
        location: harv.location,
        ...stamp(time),
      };
      sessions.push(session);
    }
    const report = {
      id,
      reportTime: iso(time),
      report: {
        timestamp: time / 1000,
        serial_number: String(harv.harv_id).padStart(3, '0'),
        type: 'error',
        uuid,
        data: { sysmon_report: { is_emulator: harv.is_emulator, fruit: 'strawberry', master: { errors: [] } } },
      },
      githash: `a1b2c3${i % 4}`,
      gitbranch: i % 4 === 3 ? 'release/2.4' : 'main',
      tags: i % 7 === 6 ? ['incomplete'] : [],
      harvester: harv.id,
      location: harv.location,
      event: id,
      pick_session: session?.id ?? null,
      ...stamp(time + 5_000),
    };
    reports.push(report);
    const count = 1 + (i % 3);
    for (let k = 0; k < count; k += 1) {
      exceptions.push({
        id: exceptions.length + 1,
        code: codes[(i + k * 2) % codes.length].id,
        service: SERVICES[(i + k) % SERVICES.length],
        node: k + 1,
        robot: (i + k) % 3,
        traceback:
          `Traceback (most recent call last):\n  File "/opt/aft/${SERVICES[(i + k) % 4]}/main.py", line ${100 + k}, in run\n` +
          `    self.step()\nTimeoutError: no answer within ${5 + k} s`,
        info: `state=PICKING robot=${(i + k) % 3}`,
        timestamp: iso(time - (count - k) * 1000),
        handled: (i + k) % 2 === 1,
        primary: k === 0,
        report: id,
        ...stamp(time),
      });
    }
  }
  const notifications = [
    {
      id: 1,
      trigger_on: 'ErrorReport',
      criteria: { harv_ids: '11', codes: '1', is_emulator: '0' },
      recipients: [1, 2],
      ...stamp(),
      creator: 2,
    },
  ];

  // ---------- representations ----------

  const byId = (list, id) => list.find((x) => x.id === Number(id));
  const fruitRep = (id) => {
    const f = byId(fruits, id);
    return f ? { ...f } : null;
  };
  const distributorRep = (id) => {
    const d = byId(distributors, id);
    return d ? { ...d } : null;
  };
  const locationRep = (id) => {
    const l = byId(locations, id);
    return l ? { ...l, distributor: distributorRep(l.distributor) } : null;
  };
  const harvesterRep = (h) =>
    h && {
      id: h.id,
      created: h.created,
      lastModified: h.lastModified,
      harv_id: h.harv_id,
      name: h.name,
      is_emulator: h.is_emulator,
      thingName: h.thingName,
      creator: h.creator,
      modifiedBy: h.modifiedBy,
      fruit: fruitRep(h.fruit),
      location: locationRep(h.location),
      release: null,
      harvester_history: `/harvesterhistory/?harv_id=${h.harv_id}`,
      version_history: 'versions/',
      assets: 'assets/',
      config: 'config/',
      version: null,
    };
  // `harvesters/` and `harvesters/{id}/` also carry the newest error report and its primary
  // exception; the harvesters nested in other objects do not.
  const lastReport = (h) => {
    const newest = reports
      .filter((r) => r.harvester === h.id)
      .sort((a, b) => b.reportTime.localeCompare(a.reportTime) || b.id - a.id)[0];
    if (!newest) return null;
    const primary = exceptions.find((e) => e.report === newest.id && e.primary);
    const code = primary && byId(codes, primary.code);
    return {
      id: newest.id,
      reportTime: newest.reportTime,
      error: primary ? { code: code?.code ?? null, name: code?.name ?? null, service: primary.service, robot: primary.robot } : null,
    };
  };
  const fleetHarvesterRep = (h) => h && { ...harvesterRep(h), last_report: lastReport(h) };
  const codeRep = (id) => {
    const c = byId(codes, id);
    return c ? { ...c } : null;
  };
  const exceptionRep = (e) => {
    const { code, ...rest } = e;
    return { ...rest, code: codeRep(code) };
  };
  const reportExceptions = (r) => exceptions.filter((e) => e.report === r.id).map(exceptionRep);
  const eventRep = (e, origin) =>
    e && {
      id: e.id,
      tags: [...e.tags],
      created: e.created,
      lastModified: e.lastModified,
      UUID: e.UUID,
      creator: e.creator,
      modifiedBy: e.modifiedBy,
      secondary_events: [...e.secondary_events],
      related_objects: reports.filter((r) => r.event === e.id).map((r) => ({ url: `/errorreports/${r.id}/`, object: 'Error Report' })),
      related_files: e.files.map((f) => ({ url: `${origin}/media/${f.key}`, filetype: f.filetype })),
    };
  const emptyHarvester = { harv_id: null, name: '', is_emulator: false, thingName: '', fruit: null, location: null, release: null };
  const emptyLocation = { ranch: '', country: '', region: '', site_channel: '', distributor: null };
  const sessionRep = (s) =>
    s && {
      id: s.id,
      tags: [...s.tags],
      created: s.created,
      lastModified: s.lastModified,
      UUID: s.UUID,
      start_time: s.start_time,
      session_length: s.session_length,
      creator: s.creator,
      modifiedBy: s.modifiedBy,
      harvester: harvesterRep(byId(harvesters, s.harvester)) ?? emptyHarvester,
      location: locationRep(s.location) ?? emptyLocation,
      related_objects: reports
        .filter((r) => r.pick_session === s.id)
        .map((r) => ({ url: `/errorreports/${r.id}/`, object: 'Error Report' })),
    };
  const reportListRep = (r) => ({
    id: r.id,
    reportTime: r.reportTime,
    harvester: harvesterRep(byId(harvesters, r.harvester)),
    location: locationRep(r.location),
    gitbranch: r.gitbranch,
    githash: r.githash,
    event: r.event,
    exceptions: reportExceptions(r),
    tags: [...r.tags],
  });
  const reportRep = (r, origin) => ({
    id: r.id,
    exceptions: reportExceptions(r),
    tags: [...r.tags],
    created: r.created,
    lastModified: r.lastModified,
    reportTime: r.reportTime,
    report: r.report,
    githash: r.githash,
    gitbranch: r.gitbranch,
    creator: r.creator,
    modifiedBy: r.modifiedBy,
    location: locationRep(r.location),
    harvester: harvesterRep(byId(harvesters, r.harvester)),
    event: eventRep(byId(events, r.event), origin),
    pick_session: sessionRep(byId(sessions, r.pick_session)),
  });
  const usernames = (ids) => ids.map((id) => users.find((u) => u.id === id)?.username).filter(Boolean);
  const notificationRep = (n) => ({ ...n, recipients: usernames(n.recipients) });
  const historyRep = (h) => ({ ...h, fruit: fruitRep(h.fruit), location: locationRep(h.location) });

  function record(h, type, user) {
    history.unshift({
      history_id: history.length + 1,
      id: h.id,
      harv_id: h.harv_id,
      name: h.name,
      is_emulator: h.is_emulator,
      thingName: h.thingName,
      fruit: h.fruit,
      location: h.location,
      release: null,
      created: h.created,
      lastModified: h.lastModified,
      creator: h.creator,
      modifiedBy: h.modifiedBy,
      history_date: new Date().toISOString(),
      history_change_reason: null,
      history_type: type,
      history_user: user?.id ?? null,
    });
  }
  for (const h of harvesters) {
    record(h, '+', users[0]);
    history[0].history_date = h.created;
  }

  // ---------- filters ----------

  const list = (params, key, type = String) => {
    const value = params.get(key);
    if (value === null || value === '') return null;
    const items = value.split(',').map((s) => s.trim()).filter(Boolean);
    if (type === Number && items.some((s) => !/^-?\d+$/.test(s))) throw badRequest({ [key]: ['Enter a whole number.'] });
    return items.map(type);
  };
  const bool = (params, key) => {
    const value = (params.get(key) ?? '').toLowerCase();
    if (['1', 'true'].includes(value)) return true;
    if (['0', 'false'].includes(value)) return false;
    return null;
  };

  /** Wall time `YYYYMMDDTHHMMSS.fff` (or ISO without offset) in `tz` → epoch ms; RFC 3339 with offset too (D25). */
  function parseTime(text, tz) {
    if (!text) return null;
    if (/[zZ]|[+-]\d{2}:?\d{2}$/.test(text) && !Number.isNaN(Date.parse(text))) return Date.parse(text);
    const m =
      /^(\d{4})(\d{2})(\d{2})T?(\d{2})(\d{2})(\d{2})(?:\.(\d{1,6}))?$/.exec(text) ??
      /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,6}))?)?$/.exec(text);
    if (!m) throw badRequest({ start_time: [`Cannot read the time ${text}.`] });
    const wall = Date.UTC(+m[1], +m[2] - 1, +m[3], +m[4], +m[5], +(m[6] ?? 0), +((m[7] ?? '0').slice(0, 3).padEnd(3, '0')));
    const offset = (ms) => {
      const parts = Object.fromEntries(
        new Intl.DateTimeFormat('en-US', {
          timeZone: tz, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit',
        }).formatToParts(new Date(ms)).map((p) => [p.type, p.value]),
      );
      const asUtc = Date.UTC(+parts.year, +parts.month - 1, +parts.day, +parts.hour % 24, +parts.minute, +parts.second);
      return asUtc - Math.floor(ms / 1000) * 1000;
    };
    let guess = wall - offset(wall);
    guess = wall - offset(guess);
    return guess;
  }

  function reportFilter(params) {
    const tz = params.get('tz') || 'US/Pacific';
    try {
      new Intl.DateTimeFormat('en-US', { timeZone: tz });
    } catch {
      throw badRequest({ tz: [`Unknown time zone ${tz}.`] });
    }
    const f = {
      harvIds: list(params, 'harv_ids', Number),
      locations: list(params, 'locations'),
      fruits: list(params, 'fruits'),
      codes: list(params, 'codes', Number),
      tags: list(params, 'tags'),
      uuid: list(params, 'uuid'),
      traceback: params.get('traceback') || null,
      handled: bool(params, 'handled'),
      primary: bool(params, 'primary'),
      emulator: bool(params, 'is_emulator'),
      start: parseTime(params.get('start_time'), tz),
      end: parseTime(params.get('end_time'), tz),
    };
    const reportMatches = (r) => {
      const h = byId(harvesters, r.harvester);
      const t = Date.parse(r.reportTime);
      if (f.harvIds && !f.harvIds.includes(h?.harv_id)) return false;
      if (f.locations && !f.locations.includes(byId(locations, r.location)?.ranch)) return false;
      if (f.fruits && !f.fruits.includes(byId(fruits, h?.fruit)?.name)) return false;
      if (f.emulator !== null && !!h?.is_emulator !== f.emulator) return false;
      if (f.tags && !f.tags.every((tag) => r.tags.includes(tag))) return false;
      if (f.uuid && !f.uuid.includes(byId(events, r.event)?.UUID)) return false;
      if (f.start !== null && t < f.start) return false;
      if (f.end !== null && t > f.end) return false;
      return true;
    };
    return { f, reportMatches };
  }

  function errorReports(params) {
    const { f, reportMatches } = reportFilter(params);
    return reports.filter((r) => {
      if (!reportMatches(r)) return false;
      const ex = exceptions.filter((e) => e.report === r.id);
      if (f.traceback && !ex.some((e) => e.traceback?.toLowerCase().includes(f.traceback.toLowerCase()))) return false;
      if (f.handled !== null && !ex.some((e) => e.handled === f.handled)) return false;
      if (f.codes || f.primary !== null) {
        const hit = ex.some(
          (e) => (!f.codes || f.codes.includes(byId(codes, e.code)?.code)) && (f.primary === null || e.primary === f.primary),
        );
        if (!hit) return false;
      }
      return true;
    });
  }

  const PARETO_PATHS = {
    code__code: (e) => byId(codes, e.code)?.code,
    code__name: (e) => byId(codes, e.code)?.name,
    code__team: (e) => byId(codes, e.code)?.team,
    service: (e) => e.service,
    robot: (e) => e.robot,
    node: (e) => e.node,
    handled: (e) => e.handled,
    primary: (e) => e.primary,
    report__harvester__harv_id: (e) => byId(harvesters, byId(reports, e.report)?.harvester)?.harv_id,
    report__harvester__name: (e) => byId(harvesters, byId(reports, e.report)?.harvester)?.name,
    report__harvester__is_emulator: (e) => byId(harvesters, byId(reports, e.report)?.harvester)?.is_emulator,
    report__location__ranch: (e) => byId(locations, byId(reports, e.report)?.location)?.ranch,
    report__githash: (e) => byId(reports, e.report)?.githash,
  };

  function pareto(params) {
    const group = params.get('aggregate_query') || 'code__code';
    const name = params.get('aggregate_name') || 'value';
    const path = PARETO_PATHS[group];
    if (!path) throw badRequest({ aggregate_query: [`Cannot group exceptions by ${group}.`] });
    const { f, reportMatches } = reportFilter(params);
    const counts = new Map();
    for (const e of exceptions) {
      const r = byId(reports, e.report);
      if (!r || !reportMatches(r)) continue;
      if (f.codes && !f.codes.includes(byId(codes, e.code)?.code)) continue;
      if (f.traceback && !e.traceback?.toLowerCase().includes(f.traceback.toLowerCase())) continue;
      if (f.handled !== null && e.handled !== f.handled) continue;
      if (f.primary !== null && e.primary !== f.primary) continue;
      const raw = path(e);
      const value = raw === undefined || raw === null ? null : typeof raw === 'boolean' ? (raw ? 'True' : 'False') : String(raw);
      counts.set(value, (counts.get(value) ?? 0) + 1);
    }
    return [...counts.entries()]
      .sort((a, b) => b[1] - a[1] || String(a[0]).localeCompare(String(b[0])))
      .map(([value, count]) => ({ [name]: value, count }));
  }

  const CRITERIA = ['harv_ids', 'locations', 'fruits', 'codes', 'traceback', 'is_emulator', 'handled', 'primary'];
  /** The criteria are the query parameters themselves (`{"harv_ids": "11,100"}`), checked like the list's filters. */
  function criteriaFrom(params) {
    const unknown = [...params.keys()].filter((k) => !CRITERIA.includes(k));
    if (unknown.length) throw badRequest({ criteria: [`Not a notification criterion: ${unknown.join(', ')}.`] });
    list(params, 'harv_ids', Number);
    list(params, 'codes', Number);
    const c = {};
    for (const [key, value] of params) if (value !== '') c[key] = value;
    return c;
  }

  // ---------- helpers ----------

  class HttpError extends Error {
    constructor(status, errors) {
      super('http');
      this.status = status;
      this.errors = errors;
    }
  }
  function badRequest(detail) {
    return new HttpError(400, { detail });
  }
  const notFound = (what) => new HttpError(404, { exception: `No ${what} matches the given query.` });
  const forbidden = () => new HttpError(403, { exception: 'Permission denied for user.' });
  const canDevelop = (u) => u.is_superuser || ['developer', 'manager'].includes(u.profile?.role);
  const nextId = (items) => Math.max(0, ...items.map((x) => x.id)) + 1;
  const tagsOf = (items) => [...new Set(items.flatMap((x) => x.tags))].sort();

  function validateHarvester(body, current) {
    const errors = {};
    const merged = { ...current, ...body };
    if (merged.harv_id === undefined || merged.harv_id === null || merged.harv_id === '') errors.harv_id = ['This field is required.'];
    else if (!Number.isInteger(Number(merged.harv_id))) errors.harv_id = ['A valid integer is required.'];
    if (!byId(fruits, merged.fruit)) errors.fruit = [`Invalid pk "${merged.fruit ?? ''}" - object does not exist.`];
    if (!byId(locations, merged.location)) errors.location = [`Invalid pk "${merged.location ?? ''}" - object does not exist.`];
    if (merged.thingName && String(merged.thingName).length > 20) errors.thingName = ['Ensure this field has no more than 20 characters.'];
    if (!errors.harv_id && !merged.is_emulator) {
      const clash = harvesters.find((h) => h.id !== current?.id && !h.is_emulator && h.harv_id === Number(merged.harv_id));
      if (clash) errors.harv_id = ['harvester with this harv id already exists.'];
    }
    if (Object.keys(errors).length) throw badRequest(errors);
    if (merged.is_emulator) {
      const other = harvesters.find((h) => h.id !== current?.id && h.is_emulator && h.fruit === Number(merged.fruit));
      if (other) throw badRequest({ non_field_errors: [`There can only be one ${byId(fruits, merged.fruit).name} emulator`] });
    }
  }

  /**
   * Handles the fleet endpoints. Returns `[status, body]`, or null when the path
   * is not one of them. `page(items)` paginates like the real API.
   */
  async function handle({ method, path, params, me, readJson, page, origin }) {
    const ok = (data, message) => [method === 'POST' ? 201 : 200, { status: 'success', message, data }];
    try {
      let m;
      if (path === 'fruits/' && method === 'GET') return ok(page(fruits), 'fruit retrieved successfully');
      if ((m = path.match(/^fruits\/(\d+)\/$/)) && method === 'GET') {
        const f = byId(fruits, m[1]);
        if (!f) throw notFound('Fruit');
        return ok(f, 'fruit retrieved successfully');
      }

      if (path === 'distributors/') {
        if (method === 'GET') return ok(page(distributors), 'distributor retrieved successfully');
        if (method === 'POST') {
          if (!canDevelop(me)) throw forbidden();
          const body = await readJson();
          if (!body.name?.trim()) throw badRequest({ name: ['This field may not be blank.'] });
          const d = { id: nextId(distributors), name: body.name.trim(), ...stamp(Date.now()), creator: me.id };
          distributors.push(d);
          return ok(d, 'distributor created successfully');
        }
      }
      if ((m = path.match(/^distributors\/(\d+)\/$/))) {
        const d = byId(distributors, m[1]);
        if (!d) throw notFound('Distributor');
        if (method === 'GET') return ok(d, 'distributor retrieved successfully');
        if (method === 'PATCH') {
          if (!me.is_superuser) throw forbidden();
          const body = await readJson();
          if (body.name !== undefined && !String(body.name).trim()) throw badRequest({ name: ['This field may not be blank.'] });
          if (body.name !== undefined) d.name = String(body.name).trim();
          d.lastModified = iso(Date.now());
          return [200, { status: 'success', message: 'distributor updated successfully', data: d }];
        }
      }

      if (path === 'locations/') {
        if (method === 'GET') return ok(page(locations.map((l) => locationRep(l.id))), 'location retrieved successfully');
        if (method === 'POST') {
          if (!canDevelop(me)) throw forbidden();
          const body = await readJson();
          const errors = {};
          if (!body.ranch?.trim()) errors.ranch = ['This field may not be blank.'];
          if (!byId(distributors, body.distributor)) errors.distributor = [`Invalid pk "${body.distributor ?? ''}" - object does not exist.`];
          if (Object.keys(errors).length) throw badRequest(errors);
          const l = {
            id: nextId(locations),
            ranch: body.ranch.trim(),
            country: body.country ?? '',
            region: body.region ?? '',
            site_channel: body.site_channel || 'harvs-dev',
            distributor: Number(body.distributor),
            ...stamp(Date.now()),
            creator: me.id,
          };
          locations.push(l);
          return ok(locationRep(l.id), 'location created successfully');
        }
      }
      if ((m = path.match(/^locations\/(\d+)\/$/))) {
        const l = byId(locations, m[1]);
        if (!l) throw notFound('Location');
        if (method === 'GET') return ok(locationRep(l.id), 'location retrieved successfully');
        if (method === 'PATCH') {
          if (!me.is_superuser) throw forbidden();
          const body = await readJson();
          if (body.distributor !== undefined && !byId(distributors, body.distributor)) {
            throw badRequest({ distributor: [`Invalid pk "${body.distributor}" - object does not exist.`] });
          }
          if (body.ranch !== undefined && !String(body.ranch).trim()) throw badRequest({ ranch: ['This field may not be blank.'] });
          for (const key of ['ranch', 'country', 'region', 'site_channel']) if (body[key] !== undefined) l[key] = body[key];
          if (body.distributor !== undefined) l.distributor = Number(body.distributor);
          l.lastModified = iso(Date.now());
          return [200, { status: 'success', message: 'location updated successfully', data: locationRep(l.id) }];
        }
      }

      if (path === 'harvesters/') {
        if (method === 'GET') {
          let items = [...harvesters].sort((a, b) => b.id - a.id);
          const harvId = params.get('harv_id');
          if (harvId) items = items.filter((h) => String(h.harv_id) === harvId);
          const fruitName = params.get('fruit__name');
          if (fruitName) items = items.filter((h) => byId(fruits, h.fruit)?.name === fruitName);
          return ok(page(items.map(fleetHarvesterRep)), 'harvester retrieved successfully');
        }
        if (method === 'POST') {
          if (!canDevelop(me)) throw forbidden();
          const body = await readJson();
          validateHarvester(body, null);
          const h = {
            id: nextId(harvesters),
            harv_id: Number(body.harv_id),
            name: body.name ?? null,
            fruit: Number(body.fruit),
            location: Number(body.location),
            is_emulator: !!body.is_emulator,
            thingName: body.thingName ?? null,
            release: null,
            ...stamp(Date.now()),
            creator: me.id,
          };
          harvesters.push(h);
          record(h, '+', me);
          return ok(fleetHarvesterRep(h), 'harvester created successfully');
        }
      }
      if ((m = path.match(/^harvesters\/(\d+)\/$/))) {
        const h = byId(harvesters, m[1]);
        if (!h) throw notFound('Harvester');
        if (method === 'GET') return ok(fleetHarvesterRep(h), 'harvester retrieved successfully');
        if (method === 'PATCH' || method === 'PUT') {
          if (!canDevelop(me)) throw forbidden();
          const body = await readJson();
          validateHarvester(body, h);
          for (const key of ['name', 'is_emulator', 'thingName']) if (body[key] !== undefined) h[key] = body[key];
          for (const key of ['harv_id', 'fruit', 'location']) if (body[key] !== undefined) h[key] = Number(body[key]);
          h.lastModified = iso(Date.now());
          h.modifiedBy = me.id;
          record(h, '~', me);
          return [200, { status: 'success', message: 'harvester updated successfully', data: fleetHarvesterRep(h) }];
        }
      }

      if (path === 'harvesterhistory/' && method === 'GET') {
        const harvId = params.get('harv_id');
        const items = harvId ? history.filter((x) => String(x.harv_id) === harvId) : history;
        return ok(page(items.map(historyRep)), 'historicalharvester retrieved successfully');
      }
      if ((m = path.match(/^harvesterhistory\/(\d+)\/$/)) && method === 'GET') {
        const h = history.find((x) => x.history_id === Number(m[1]));
        if (!h) throw notFound('HistoricalHarvester');
        return ok(historyRep(h), 'historicalharvester retrieved successfully');
      }

      if (path === 'exceptioncodes/' && method === 'GET') return ok(page(codes), 'exceptioncode retrieved successfully');
      if ((m = path.match(/^exceptioncodes\/(\d+)\/$/)) && method === 'GET') {
        const c = byId(codes, m[1]);
        if (!c) throw notFound('AFTExceptionCode');
        return ok(c, 'exceptioncode retrieved successfully');
      }

      if (path === 'errorreports/' && method === 'GET') {
        return ok(page(errorReports(params).map(reportListRep)), 'errorreport retrieved successfully');
      }
      if (path === 'errorreports/createnotification/' && method === 'POST') {
        if (!canDevelop(me)) throw forbidden();
        const body = await readJson();
        const criteria = criteriaFrom(params);
        const recipients = Array.isArray(body.recipients) ? body.recipients.map(Number) : [];
        const missing = recipients.filter((id) => !users.some((u) => u.id === id));
        if (missing.length) throw badRequest({ recipients: [`Invalid pk "${missing[0]}" - object does not exist.`] });
        const n = { id: nextId(notifications), trigger_on: 'ErrorReport', criteria, recipients, ...stamp(Date.now()), creator: me.id };
        notifications.push(n);
        return [200, { status: 'success', message: 'Notification created', data: notificationRep(n) }];
      }
      if ((m = path.match(/^errorreports\/(\d+)\/?$/)) && method === 'GET') {
        const r = byId(reports, m[1]);
        if (!r) throw notFound('ErrorReport');
        return ok(reportRep(r, origin), 'errorreport retrieved successfully');
      }

      if (path === 'exceptions/pareto/' && method === 'GET') {
        const name = params.get('aggregate_name');
        return [200, { status: 'success', message: `Pareto generated: ${name || 'Exceptions'}`, data: pareto(params) }];
      }

      for (const [prefix, items, rep, basename] of [
        ['events/', events, (e) => eventRep(e, origin), 'event'],
        ['picksessions/', sessions, sessionRep, 'picksession'],
      ]) {
        if (path === `${prefix}tags/` && method === 'GET') {
          return [200, { status: 'success', message: 'Event tags', data: { tags: tagsOf(items) } }];
        }
        if (path === prefix && method === 'GET') {
          let list = [...items].sort((a, b) => b.id - a.id);
          const uuid = params.get('UUID');
          if (uuid) list = list.filter((x) => x.UUID === uuid);
          const tags = params.get('tags')?.split(',').filter(Boolean);
          if (tags?.length) list = list.filter((x) => tags.every((t) => x.tags.includes(t)));
          return ok(page(list.map(rep)), `${basename} retrieved successfully`);
        }
        if ((m = path.match(new RegExp(`^${prefix}(\\d+)/$`))) && method === 'GET') {
          const x = byId(items, m[1]);
          if (!x) throw notFound(basename);
          return ok(rep(x), `${basename} retrieved successfully`);
        }
      }

      if (path === 'notifications/' && method === 'GET') {
        let items = [...notifications].sort((a, b) => b.id - a.id);
        const category = params.get('category');
        if (category === 'created') items = items.filter((n) => n.creator === me.id);
        if (category === 'is_recipient') items = items.filter((n) => n.recipients.includes(me.id));
        return ok(page(items.map(notificationRep)), 'notification retrieved successfully');
      }
      if ((m = path.match(/^notifications\/(\d+)\/$/))) {
        const n = byId(notifications, m[1]);
        if (!n) throw notFound('Notification');
        if (method === 'GET') return ok(notificationRep(n), 'notification retrieved successfully');
        if (method === 'DELETE') {
          if (!canDevelop(me)) throw forbidden();
          notifications.splice(notifications.indexOf(n), 1);
          return [204, undefined];
        }
      }
      return null;
    } catch (error) {
      if (error instanceof HttpError) return [error.status, { status: 'error', errors: error.errors }];
      throw error;
    }
  }

  /** The bytes behind a related-file URL (`/media/<key>`), or null. */
  function mediaFile(key) {
    const file = events.flatMap((e) => e.files).find((f) => f.key === key);
    return file ? `mock log archive for ${key}\n` : null;
  }

  return { handle, mediaFile, events, eventRep };
}
