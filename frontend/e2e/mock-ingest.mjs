// In-memory S3 files and failed ingests for e2e/mock-hds.mjs, in the shapes of
// the HDS API: `s3files/` (one per file of the fleet's events, plus deleted
// ones; `file` is a download URL, null when deleted) and `failedingests/`
// (messages the forwarders could not ingest, with redrive and resolve).
// Reading S3 files needs support or higher (and jenkins/beatbox), deleting
// developer or higher; failed ingests are read by support and higher and
// redriven/resolved by managers and superusers.

const iso = (ms) => new Date(ms).toISOString().replace(/\.(\d{3})Z$/, '.$1000Z');
const START = Date.parse('2025-06-02T17:00:00.000Z');
const BUCKET = 'aft-harvester-logs';

class HttpError extends Error {
  constructor(status, errors) {
    super('http');
    this.status = status;
    this.errors = errors;
  }
}
const notFound = (what) => new HttpError(404, { exception: `No ${what} matches the given query.` });
const forbidden = () => new HttpError(403, { exception: 'Permission denied for user.' });
const badRequest = (detail) => new HttpError(400, { detail });

const role = (u) => u.profile?.role;
const canReadFiles = (u) => u.is_superuser || ['support', 'developer', 'manager', 'jenkins', 'beatbox'].includes(role(u));
const canDevelop = (u) => u.is_superuser || ['developer', 'manager'].includes(role(u));
const canReadFailures = (u) => u.is_superuser || ['support', 'developer', 'manager'].includes(role(u));
const canRedrive = (u) => u.is_superuser || role(u) === 'manager';

function bool(params, key) {
  const value = params.get(key);
  if (value === null || value === '') return null;
  const v = value.toLowerCase();
  if (['1', 'true', 'yes', 'on'].includes(v)) return true;
  if (['0', 'false', 'no', 'off'].includes(v)) return false;
  throw badRequest({ [key]: ['Enter true/false or 1/0.'] });
}

const list = (params, key) => {
  const value = params.get(key);
  if (!value) return null;
  const items = value.split(',').map((s) => s.trim()).filter(Boolean);
  return items.length ? items : null;
};

/** RFC 3339, or a naive date-time read as UTC (the mock has no zones here). */
function time(params, key) {
  const value = params.get(key);
  if (!value) return null;
  const ms = Date.parse(/[zZ]|[+-]\d{2}:?\d{2}$/.test(value) ? value : `${value}Z`);
  if (Number.isNaN(ms)) throw badRequest({ [key]: [`Enter a valid date/time (got "${value}").`] });
  return ms;
}

/** `events` (with their `files`) and `eventRep` come from the fleet (e2e/mock-fleet.mjs). */
export function createIngest({ events, eventRep }) {
  // ---------- S3 files ----------
  const files = [];
  for (const e of events) {
    for (const f of e.files) {
      files.push({
        id: files.length + 1,
        key: f.key,
        filetype: f.filetype,
        bucket: BUCKET,
        etag: `"${(files.length + 1).toString(16).padStart(8, '0')}c0ffee${e.id.toString(16).padStart(4, '0')}"`,
        size: 180_000 + e.id * 7_321,
        deleted: false,
        event: e.id,
        created: e.created,
        lastModified: e.lastModified,
        creator: 1,
        modifiedBy: null,
      });
    }
  }
  // Two files deleted earlier: listed with `deleted=true` only, and without a link.
  for (const e of events.slice(-2)) {
    files.push({
      id: files.length + 1,
      key: `sessclip/hv-old_${e.UUID}.mp4`,
      filetype: 'sessclip',
      bucket: BUCKET,
      etag: null,
      size: 2_400_000,
      deleted: true,
      event: e.id,
      created: e.created,
      lastModified: e.lastModified,
      creator: 1,
      modifiedBy: 1,
    });
  }

  const fileRep = (f, origin) => {
    const e = events.find((x) => x.id === f.event);
    const rep = e ? eventRep(e, origin) : null;
    return {
      id: f.id,
      created: f.created,
      lastModified: f.lastModified,
      creator: f.creator,
      modifiedBy: f.modifiedBy,
      file: f.deleted ? null : `${origin}/media/${f.key}`,
      filetype: f.filetype,
      key: f.key,
      bucket: f.bucket,
      etag: f.etag,
      size: f.size,
      deleted: f.deleted,
      event: rep && { id: rep.id, UUID: rep.UUID, tags: rep.tags, related_objects: rep.related_objects, related_files: rep.related_files },
    };
  };

  function fileList(params) {
    const deleted = bool(params, 'deleted') ?? false;
    const key = params.get('key')?.toLowerCase();
    const filetype = params.get('filetype')?.toLowerCase();
    const tags = list(params, 'tags');
    const uuids = list(params, 'uuid');
    const after = time(params, 'created_after');
    const before = time(params, 'created_before');
    return files
      .filter((f) => {
        const e = events.find((x) => x.id === f.event);
        const created = Date.parse(f.created);
        if (f.deleted !== deleted) return false;
        if (key && !f.key.toLowerCase().includes(key)) return false;
        if (filetype && !f.filetype.toLowerCase().includes(filetype)) return false;
        if (tags && !tags.every((t) => e?.tags.includes(t))) return false;
        if (uuids && !uuids.includes(e?.UUID)) return false;
        if (after !== null && created < after) return false;
        if (before !== null && created > before) return false;
        return true;
      })
      .sort((a, b) => Date.parse(b.created) - Date.parse(a.created) || b.id - a.id);
  }

  // ---------- failed ingests ----------
  const failures = [
    ['errorreports', 'invalid_json', 'expected value at line 1 column 1', null, null, null, '{"serial_number": "011", "report": ', true],
    ['s3files', 'object_missing', 'NoSuchKey: the object is gone', BUCKET, 'logs/hv011_missing.zip', 404, '{"Records":[{"s3":{"object":{"key":"logs/hv011_missing.zip"}}}]}', true],
    ['sessclip', 'too_large', 'message body is 300 kB, the limit is 256 kB', null, null, null, '{"clip": "AAAA…', false],
    ['jobresults', 'rejected', 'HDS answered 400: {"detail":{"report":["This field is required."]}}', null, null, 400, '{"job": 17}', true],
    ['harvversion', 'too_deep', 'JSON nested deeper than 64 levels', null, null, null, '[[[[[[[[[[[[[[[[', false],
    ['s3files', 'rejected_key', 'the key does not match any known file type', BUCKET, 'tmp/scratch.bin', null, '{"Records":[{"s3":{"object":{"key":"tmp/scratch.bin"}}}]}', true],
    ['autodiagnostics', 'invalid_message', 'no Body in the SQS message', null, null, null, '', false],
    ['gripreports', 'no_records', 'the S3 event has no Records', BUCKET, null, null, '{"Records":[]}', true],
  ].map(([queue, reason, detail, bucket, key, status, excerpt, hasMessage], i) => {
    const seen = START - i * 47 * 60_000;
    return {
      id: i + 1,
      queue,
      message_id: `${(0x5f3a0000 + i * 4099).toString(16)}-8f1e-4c2b-9a3d-0242ac12${String(i).padStart(4, '0')}`,
      bucket,
      key,
      http_status: status,
      reason,
      detail,
      body_excerpt: excerpt,
      message: hasMessage
        ? { MessageId: `m-${i + 1}`, ReceiptHandle: `rh-${i + 1}`, Body: excerpt || '{}', Attributes: { ApproximateReceiveCount: String(1 + (i % 3)) } }
        : null,
      receive_count: 1 + (i % 3),
      first_seen: iso(seen - 3_600_000),
      last_seen: iso(seen),
      resolved_at: i === 7 ? iso(seen + 600_000) : null,
      resolved_by: i === 7 ? 1 : null,
      redriven_at: null,
      redrive_count: 0,
    };
  });
  const failureRep = (f) => ({ ...f });

  function failureList(params) {
    const queues = list(params, 'queue');
    const reasons = list(params, 'reason');
    const resolved = bool(params, 'resolved');
    const since = time(params, 'since');
    const until = time(params, 'until');
    return failures
      .filter((f) => {
        const seen = Date.parse(f.last_seen);
        if (queues && !queues.includes(f.queue)) return false;
        if (reasons && !reasons.includes(f.reason)) return false;
        if (resolved !== null && (f.resolved_at !== null) !== resolved) return false;
        if (since !== null && seen < since) return false;
        if (until !== null && seen > until) return false;
        return true;
      })
      .sort((a, b) => Date.parse(b.last_seen) - Date.parse(a.last_seen) || b.id - a.id);
  }

  /** Sends a stored message "again": only rows that kept their message can be. */
  function redrive(id) {
    const f = failures.find((x) => x.id === Number(id));
    if (!f) throw notFound('FailedIngest');
    if (!f.message?.Body) throw badRequest('This failure has no stored message to send again.');
    const now = iso(Date.now());
    f.redriven_at = now;
    f.redrive_count += 1;
    f.resolved_at = now;
    return f;
  }

  /** Handles `s3files/…` and `failedingests/…`; `[status, body]`, or null for other paths. */
  async function handle({ method, path, params, me, readJson, page, origin }) {
    const ok = (data, message) => [200, { status: 'success', message, data }];
    try {
      let m;
      if (path === 's3files/' && method === 'GET') {
        if (!canReadFiles(me)) throw forbidden();
        return ok(page(fileList(params).map((f) => fileRep(f, origin))), 's3file retrieved successfully');
      }
      if ((m = path.match(/^s3files\/(\d+)\/$/))) {
        const f = files.find((x) => x.id === Number(m[1]));
        if (method === 'GET') {
          if (!canReadFiles(me)) throw forbidden();
          if (!f) throw notFound('S3File');
          return ok(fileRep(f, origin), 's3file retrieved successfully');
        }
        if (method === 'DELETE') {
          if (!canDevelop(me)) throw forbidden();
          if (!f) throw notFound('S3File');
          f.deleted = true;
          f.lastModified = iso(Date.now());
          f.modifiedBy = me.id;
          return ok('s3file deleted', 's3file deleted successfully');
        }
      }

      if (path === 'failedingests/' && method === 'GET') {
        if (!canReadFailures(me)) throw forbidden();
        return ok(page(failureList(params).map(failureRep)), 'failedingest retrieved successfully');
      }
      if (path === 'failedingests/redrive/' && method === 'POST') {
        if (!canRedrive(me)) throw forbidden();
        const body = await readJson();
        if (!Array.isArray(body.ids)) throw badRequest({ ids: ['This field is required.'] });
        const redriven = [];
        const failed = {};
        for (const id of body.ids) {
          try {
            redrive(id);
            redriven.push(Number(id));
          } catch (error) {
            if (!(error instanceof HttpError)) throw error;
            const detail = error.errors.detail ?? error.errors.exception;
            failed[String(id)] = typeof detail === 'string' ? detail : JSON.stringify(detail);
          }
        }
        return ok({ redriven, failed }, 'Messages sent to their queues again');
      }
      if ((m = path.match(/^failedingests\/(\d+)\/$/)) && method === 'GET') {
        if (!canReadFailures(me)) throw forbidden();
        const f = failures.find((x) => x.id === Number(m[1]));
        if (!f) throw notFound('FailedIngest');
        return ok(failureRep(f), 'failedingest retrieved successfully');
      }
      if ((m = path.match(/^failedingests\/(\d+)\/redrive\/$/)) && method === 'POST') {
        if (!canRedrive(me)) throw forbidden();
        return ok(failureRep(redrive(m[1])), 'Message sent to its queue again');
      }
      if ((m = path.match(/^failedingests\/(\d+)\/resolve\/$/)) && method === 'POST') {
        if (!canRedrive(me)) throw forbidden();
        const f = failures.find((x) => x.id === Number(m[1]));
        if (!f) throw notFound('FailedIngest');
        f.resolved_at = iso(Date.now());
        f.resolved_by = me.id;
        return ok(failureRep(f), 'Marked as resolved');
      }
      return null;
    } catch (error) {
      if (error instanceof HttpError) return [error.status, { status: 'error', errors: error.errors }];
      throw error;
    }
  }

  return { handle };
}
