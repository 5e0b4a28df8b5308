// The log-session pages in the browser, for run.mjs: a session-clip zip built here (two robots'
// logs, 3,000 entries; with a tiny video when ffmpeg is on this machine, as the worker needs it
// too) uploaded from /logsession with its progress bar, a file that is no zip refused with the
// server's reason, the session followed until the worker has extracted it, its detail page, and
// the log viewer: only the rows in view drawn, later lines fetched as the list scrolls, a search,
// a jump to a time, and with the video a click on a line seeking it.
//
// `t` holds run.mjs's page and helpers: page, step, shot, fail, log, apiGet, eventually,
// expectNoAlert, baseUrl, user (the signed-in user), workerRuns.

import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { deflateRawSync } from 'node:zlib';

const mayUpload = (user) => !!user && (user.is_superuser || ['support', 'developer', 'manager'].includes(user.profile?.role));

// ── a zip, written here (stored or deflated members, as the server reads them) ──

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k += 1) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(bytes) {
  let crc = 0xffffffff;
  for (const b of bytes) crc = CRC_TABLE[(crc ^ b) & 0xff] ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}

/** A zip of `[name, Buffer]` members, deflated. */
export function zipOf(members) {
  const locals = [];
  const centrals = [];
  let offset = 0;
  for (const [name, data] of members) {
    const nameBytes = Buffer.from(name, 'utf8');
    const packed = deflateRawSync(data);
    const crc = crc32(data);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(0, 6);
    local.writeUInt16LE(8, 8);
    local.writeUInt16LE(0, 10);
    local.writeUInt16LE(0x21, 12);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(packed.length, 18);
    local.writeUInt32LE(data.length, 22);
    local.writeUInt16LE(nameBytes.length, 26);
    local.writeUInt16LE(0, 28);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(0, 8);
    central.writeUInt16LE(8, 10);
    central.writeUInt16LE(0, 12);
    central.writeUInt16LE(0x21, 14);
    central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(packed.length, 20);
    central.writeUInt32LE(data.length, 24);
    central.writeUInt16LE(nameBytes.length, 28);
    central.writeUInt32LE(offset, 42);
    locals.push(local, nameBytes, packed);
    centrals.push(central, nameBytes);
    offset += local.length + nameBytes.length + packed.length;
  }
  const directory = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(members.length, 8);
  end.writeUInt16LE(members.length, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, directory, end]);
}

// ── the session: 2023-01-31 13:12:51 US/Pacific on, harvester 10, robots 2 and 3 ──

/** Entries per log file; one every 0.1 s, robot 3's 0.05 s after robot 2's. */
const PER_FILE = 1500;
const BASE_WALL_MS = Date.UTC(2023, 0, 31, 13, 12, 51);
const pad = (n, w = 2) => String(n).padStart(w, '0');

/** `[20230131T131251.000]`: the wall clock `ms` after the session's first line. */
function stamp(ms) {
  const d = new Date(BASE_WALL_MS + ms);
  return `[${d.getUTCFullYear()}${pad(d.getUTCMonth() + 1)}${pad(d.getUTCDate())}T${pad(d.getUTCHours())}${pad(d.getUTCMinutes())}${pad(
    d.getUTCSeconds(),
  )}.${pad(d.getUTCMilliseconds(), 3)}]`;
}

function fsmLog() {
  const lines = ['fsm starting (no clock yet)'];
  for (let i = 0; i < PER_FILE; i += 1) {
    if (i % 250 === 249) lines.push(`${stamp(i * 100)} [ERROR] [fsm] -- gripper timeout ${i}`, '  Traceback: retry budget spent');
    else lines.push(`${stamp(i * 100)} [INFO] [fsm] -- fsm step ${i}`);
  }
  return Buffer.from(`${lines.join('\n')}\n`);
}

function robotLog() {
  const lines = [];
  for (let i = 0; i < PER_FILE; i += 1) lines.push(`${stamp(i * 100 + 50)} [DEBUG] [robot] -- robot tick ${i}`);
  return Buffer.from(`${lines.join('\n')}\n`);
}

/** A four-second 64×48 AVI, or null without ffmpeg. */
function tinyAvi() {
  if (spawnSync('ffmpeg', ['-version'], { stdio: 'ignore' }).status !== 0) return null;
  const dir = mkdtempSync(join(tmpdir(), 'hds-e2e-avi-'));
  try {
    const out = join(dir, 'x.avi');
    const run = spawnSync('ffmpeg', ['-loglevel', 'error', '-y', '-f', 'lavfi', '-i', 'testsrc=size=64x48:rate=5', '-t', '4', out]);
    return run.status === 0 ? readFileSync(out) : null;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** 13:12:52 US/Pacific (PST, UTC−8): when the video starts. */
const VIDEO_START = Date.UTC(2023, 0, 31, 21, 12, 52) / 1000;
const VIDEO = '20230131131251_010_02_drive_cam';

export async function logSessionSteps(t) {
  const { page, step, shot, fail, log, apiGet, eventually, expectNoAlert, baseUrl, user, workerRuns } = t;
  if (!mayUpload(user)) {
    log('→ log-session steps skipped: the signed-in user may not upload log sessions');
    return;
  }
  const avi = tinyAvi();
  const members = [
    ['20230131131251_010_02_fsm_main.log', fsmLog()],
    ['20230131131251_010_03_robot.log', robotLog()],
  ];
  if (avi) {
    members.push([`${VIDEO}.avi`, avi], [`${VIDEO}.json`, Buffer.from(`{"ts": ${VIDEO_START}, "frame": 0}\n{"ts": ${VIDEO_START + 1}, "frame": 5}\n`)]);
  } else {
    log('    no ffmpeg on this machine: the session has no video (the video steps are skipped)');
  }
  const zip = zipOf(members);
  const stamp_ = Date.now().toString(36);
  let sessionId = null;

  await step('log sessions: a file that is no zip is refused with the reason', async () => {
    await page.goto(`${baseUrl}/logsession`, { waitUntil: 'domcontentloaded' });
    await page.getByRole('heading', { name: 'Log sessions', level: 1 }).waitFor();
    const form = page.getByRole('form', { name: 'Upload a session' });
    await form.getByLabel('Session-clip zip').setInputFiles({ name: `notes-${stamp_}.zip`, mimeType: 'application/zip', buffer: Buffer.from('just some text') });
    await form.getByRole('button', { name: 'Upload' }).click();
    const alert = form.getByRole('alert');
    await alert.waitFor();
    const text = await alert.innerText();
    if (!/The server refused the file: .*zip/i.test(text)) fail(`the refusal says: ${text}`);
  });

  await step('log sessions: upload a session zip with its progress', async () => {
    const form = page.getByRole('form', { name: 'Upload a session' });
    await form.getByLabel('Session-clip zip').setInputFiles({ name: `e2e session ${stamp_}.zip`, mimeType: 'application/zip', buffer: zip });
    await form.getByRole('button', { name: 'Upload' }).click();
    const notice = form.getByRole('status').filter({ hasText: 'Uploaded' });
    await notice.waitFor({ timeout: 30_000 });
    const link = notice.getByRole('link', { name: /^session \d+$/ });
    sessionId = (await link.innerText()).replace('session ', '').trim();
    const session = await apiGet(`logsessions/${sessionId}/`);
    if (!session?.name?.startsWith(`e2e_session_${stamp_}.zip-`)) fail(`the new session is named ${session?.name}`);
    if (session.status !== 'pending' && session.status !== 'extracting' && session.status !== 'done') fail(`the new session is ${session.status}`);
    await page.getByRole('table', { name: 'Log sessions' }).getByRole('link', { name: sessionId, exact: true }).waitFor();
    log(`    session ${sessionId}: ${zip.length} bytes, ${members.length} members`);
    await expectNoAlert('the log-session list after the upload');
    await shot('40-logsessions');
  });

  if (!workerRuns) {
    log('→ log viewer steps skipped: no worker extracts the session (E2E_WORKER=0)');
    return;
  }

  await step('log sessions: the worker extracts the session, its page follows', async () => {
    await page.goto(`${baseUrl}/logsession/${sessionId}`, { waitUntil: 'domcontentloaded' });
    await page.getByRole('heading', { name: `Log session ${sessionId}`, level: 1 }).waitFor();
    const session = await eventually(
      `log session ${sessionId} extracted`,
      async () => {
        const s = await apiGet(`logsessions/${sessionId}/`);
        return s && s.status !== 'pending' && s.status !== 'extracting' ? s : null;
      },
      60_000,
    );
    if (session.status !== 'done') fail(`log session ${sessionId} ended ${session.status}: ${session.failure_reason}`);
    // The page follows by itself.
    await page.getByRole('link', { name: 'Open the log viewer' }).waitFor({ timeout: 15_000 });
    const files = page.getByRole('table', { name: 'Log files' });
    await files.getByText('20230131131251_010_02_fsm_main.log').waitFor();
    const fsmRow = files.locator('tbody tr').filter({ hasText: 'fsm_main.log' });
    // Its entries: the line before the first time, and one per step (the traceback lines join theirs).
    if (!(await fsmRow.innerText()).includes('1,501')) fail(`the fsm log's row: ${await fsmRow.innerText()}`);
    if (avi) await page.getByRole('table', { name: 'Videos' }).getByText(`${VIDEO}`).first().waitFor();
    await expectNoAlert(`log session ${sessionId}`);
    await shot('41-logsession');
  });

  const list = page.getByRole('listbox', { name: 'Log lines' });
  const selected = list.getByRole('option', { selected: true });

  await step('log viewer: merged lines, drawn as they come into view, fetched as the list scrolls', async () => {
    const entriesAsked = [];
    const onRequest = (request) => {
      if (request.url().includes(`/logsessions/${sessionId}/entries/`)) entriesAsked.push(request.url());
    };
    page.on('request', onRequest);
    try {
      await page.getByRole('link', { name: 'Open the log viewer' }).click();
      await page.getByRole('heading', { name: `Logs of session ${sessionId}`, level: 1 }).waitFor();
      await list.getByRole('option').first().waitFor();
      const first = await list.getByRole('option').first().innerText();
      if (!first.includes('fsm starting')) fail(`the first line is ${first}`);
      const drawn = await list.getByRole('option').count();
      if (drawn > 100) fail(`${drawn} rows drawn for one screen: the list is not virtualised`);
      // Robot 3's tick 0 comes between fsm step 0 and fsm step 1: one timeline.
      const second = (await list.getByRole('option').nth(2).innerText()).replace(/\s+/g, ' ');
      if (!second.includes('robot.3') || !second.includes('robot tick 0')) fail(`the third line is ${second}`);
      // Down to the last line (entry 3,001): six windows of 500 after the first, more than the
      // 2,000 entries the viewer holds.
      const deep = list.getByText(/-- robot tick 1499$/);
      for (let i = 0; i < 60 && !(await deep.count()); i += 1) {
        await list.evaluate((el) => {
          el.scrollTop = el.scrollHeight;
        });
        await page.waitForTimeout(150);
      }
      await deep.waitFor();
      const later = entriesAsked.filter((u) => u.includes('after_ts='));
      if (later.length < 5) fail(`scrolling down asked for ${later.length} later windows: ${entriesAsked.join(' ')}`);
      const drawnDeep = await list.getByRole('option').count();
      if (drawnDeep > 100) fail(`${drawnDeep} rows drawn after scrolling`);
      // Back up to the first line: the windows dropped on the way down are fetched again.
      const top = list.getByText('fsm starting (no clock yet)');
      for (let i = 0; i < 60 && !(await top.count()); i += 1) {
        await list.evaluate((el) => {
          el.scrollTop = 0;
        });
        await page.waitForTimeout(150);
      }
      await top.waitFor();
      if (!entriesAsked.some((u) => u.includes('before_ts='))) fail(`scrolling up asked for no earlier window: ${entriesAsked.join(' ')}`);
    } finally {
      page.off('request', onRequest);
    }
    await expectNoAlert('the log viewer');
    await shot('42-logviewer');
  });

  await step('log viewer: search the lines', async () => {
    await page.getByRole('searchbox', { name: 'Lines containing' }).fill('gripper timeout');
    await page.getByRole('button', { name: 'Search' }).click();
    await page.waitForURL(/q=gripper/);
    await list.getByText('gripper timeout 249').waitFor();
    const rows = await list.getByRole('option').allInnerTexts();
    if (rows.length !== PER_FILE / 250) fail(`the search found ${rows.length} lines: ${rows.join(' | ')}`);
    if (!rows.every((r) => r.includes('ERROR'))) fail(`a found line is not the error: ${rows.join(' | ')}`);
    await list.getByRole('option').nth(1).click();
    await page.getByRole('region', { name: 'Selected line' }).getByText('Traceback: retry budget spent', { exact: false }).waitFor();
    await page.getByRole('searchbox', { name: 'Lines containing' }).fill('');
    await page.getByRole('button', { name: 'Search' }).click();
    await page.waitForURL((url) => !url.search.includes('q='));
  });

  await step('log viewer: jump to a time', async () => {
    // fsm step 400 is 40 s after 13:12:51.
    await page.getByRole('textbox', { name: 'Jump to time (US/Pacific)' }).fill('13:13:31');
    await page.getByRole('form', { name: 'Jump to a time' }).getByRole('button', { name: 'Go' }).click();
    await page.waitForURL(/at=/);
    await selected.filter({ hasText: 'fsm step 400' }).waitFor();
    // The lines before it are fetched too, and the line stays in view.
    await list.getByText(/-- robot tick 399$/).waitFor();
    if (!(await selected.isVisible())) fail('the line jumped to is not in view');
    await expectNoAlert('the log viewer after a jump');
    await shot('43-logviewer-jump');
  });

  if (!avi) return;

  await step('log viewer: a clicked line seeks the video', async () => {
    const region = page.getByRole('region', { name: 'Video' });
    const video = region.locator('video');
    await video.waitFor();
    // fsm step 30 is at 13:12:54.000, 2 s into the video (which starts at 13:12:52).
    await page.getByRole('textbox', { name: 'Jump to time (US/Pacific)' }).fill('13:12:54');
    await page.getByRole('form', { name: 'Jump to a time' }).getByRole('button', { name: 'Go' }).click();
    await selected.filter({ hasText: 'fsm step 30' }).waitFor();
    await list.getByText(/-- fsm step 30$/).click();
    const at = await video.evaluate((el) => el.currentTime);
    if (Math.abs(at - 2) > 0.05) fail(`the video is at ${at} s, not 2 s`);
    const loaded = await video
      .evaluate((el) =>
        el.readyState >= 1 ? true : new Promise((resolve) => {
          el.addEventListener('loadedmetadata', () => resolve(true), { once: true });
          setTimeout(() => resolve(false), 10_000);
        }),
      )
      .catch(() => false);
    if (loaded) {
      // Playing: the log follows the video past the clicked line.
      const played = await video.evaluate((el) => {
        el.muted = true;
        return el.play().then(
          () => true,
          () => false,
        );
      });
      if (played) {
        await selected.filter({ hasNotText: 'fsm step 30' }).waitFor({ timeout: 10_000 });
        await video.evaluate((el) => el.pause());
        log(`    the log followed the video to: ${(await selected.innerText()).replace(/\s+/g, ' ')}`);
      } else {
        log('    the browser would not play the video: the log following it is covered by the unit tests');
      }
    } else {
      log('    the browser could not read the video: the log following it is covered by the unit tests');
    }
    await expectNoAlert('the log viewer with its video');
    await shot('44-logviewer-video');
  });
}
