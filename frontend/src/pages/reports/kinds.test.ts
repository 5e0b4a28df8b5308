import { describe, expect, it } from 'vitest';
import { asset, assetReport, gripReport, jobResults } from '../../test/fixtures';
import { assetEntries, historyKind, sortAssets } from '../assets/assets';
import { gripAttempts, gripSummary } from '../gripreports/grip';
import { hostRows, resultOfStatus, resultTone } from '../jobresults/hostResults';

describe('grip reports', () => {
  it('lists the grip attempts and counts them', () => {
    const report = gripReport().report;
    expect(gripAttempts(report)).toEqual([
      { index: 1, robot: 1, candidate: 401, success: true, ts: 1680727824.323062, modality: ['ACQUIRE_CHILD: ACQUIRE_IMPROVE_REACH'] },
      { index: 2, robot: 2, candidate: 402, success: false, ts: 1680727900.5, modality: [] },
    ]);
    expect(gripSummary(report)).toEqual({ candidates: 3, attempts: 2, successes: 1, failures: 1 });
    expect(gripAttempts({ data: { grip: [{ index_ts: 5 }, 'junk'] } })).toEqual([
      { index: 1, robot: null, candidate: null, success: null, ts: 5, modality: [] },
      { index: 2, robot: null, candidate: null, success: null, ts: null, modality: [] },
    ]);
    expect(gripSummary(null)).toEqual({ candidates: 0, attempts: 0, successes: 0, failures: 0 });
  });
});

describe('job results', () => {
  it('maps statuses as the worker does', () => {
    expect(['success', 'FAILURE', 'error', 'canceled', 'cancelled', 'exploded', undefined].map(resultOfStatus)).toEqual([
      'Success',
      'Failed',
      'Error',
      'canceled',
      'canceled',
      'Error',
      'Error',
    ]);
    expect(['Success', 'Failed', 'Error', 'canceled'].map(resultTone)).toEqual(['ok', 'error', 'error', 'muted']);
  });

  it('shows the extracted host results, or reads them from the report until then', () => {
    const extracted = hostRows(jobResults());
    expect(extracted.fromReport).toBe(false);
    expect(extracted.rows.map((h) => [h.host, h.result, h.timestamp])).toEqual([
      ['aft-robot01', 'Error', '2022-10-21T23:38:41Z'],
      ['master', 'Success', '2022-10-21T23:38:42.066Z'],
    ]);
    const pending = hostRows(jobResults({ host_results: [] }));
    expect(pending.fromReport).toBe(true);
    expect(pending.rows.map((h) => [h.host, h.result, h.timestamp])).toEqual([
      ['aft-robot01', 'Error', '2022-10-21T23:38:41.000Z'],
      ['master', 'Success', '2022-10-21T23:38:42.066Z'],
    ]);
    expect(hostRows({ host_results: [], report: { data: null } })).toEqual({ rows: [], fromReport: true });
  });
});

describe('assets', () => {
  it('reads the entries of an asset report, the skipped ones flagged', () => {
    expect(assetEntries(assetReport().report)).toEqual([
      { type: 'arm', index: 2, serial: 'SA-040', version: null, skipped: false },
      { type: 'gantry', index: 1, serial: null, version: null, skipped: true },
      { type: 'gripper', index: 1, serial: '13', version: 'B01', skipped: false },
    ]);
    expect(assetEntries({ data: {} })).toEqual([]);
  });

  it('orders a harvester’s assets by type and index, and names history changes', () => {
    const list = [asset({ id: 1, index: 2 }), asset({ id: 2, asset: { ...asset().asset, name: 'arm' }, index: 1 }), asset({ id: 3, index: 1 })];
    expect(sortAssets(list).map((a) => a.id)).toEqual([2, 3, 1]);
    expect(['+', '~', '-', '?'].map(historyKind)).toEqual(['created', 'changed', 'deleted', '?']);
  });
});
