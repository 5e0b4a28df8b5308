/**
 * The sysmon panel over the reference data's error reports (`fixtures/errorreports.json` of
 * the original deployment, read from `../shared/data/hds-original` beside the project and
 * skipped when it is not there): five `sysmon.N` reports of a 4-robot harvester and one
 * `sysmon_ap.N` report of a 6-robot harvester. Checks the issue's list on real uploads:
 * Master / Robot N tabs, NUC and Jetson sub-tabs, machines in error marked, Chrony offsets
 * rated against the master's and the robots' thresholds on a log scale, system and reference
 * time, services with cpu, mem and fsm components, errored ones highlighted; and, on the
 * detail page, the files of the report's event.
 */
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { event, reportDetail } from '../../test/fixtures';
import { jsonResponse, mockFetch, ok, renderApp, storeSession } from '../../test/helpers';
import { offsetLevel, ROBOT_THRESHOLDS, sysmonPanel, MASTER_THRESHOLDS } from './sysmon';
import { SysmonPanel } from './SysmonPanel';

// `frontend/src/pages/errorreports` → the directory that holds the project and `shared/`.
const FIXTURES = resolve(__dirname, '../../../../../shared/data/hds-original/fixtures/errorreports.json');

interface FixtureRow {
  pk: number;
  fields: { report: unknown };
}

/** The raw reports of the fixture file, by primary key (`report` may be stored as text). */
function reports(): Map<number, unknown> {
  const rows = JSON.parse(readFileSync(FIXTURES, 'utf8')) as FixtureRow[];
  return new Map(
    rows.map((r) => [r.pk, typeof r.fields.report === 'string' ? (JSON.parse(r.fields.report) as unknown) : r.fields.report]),
  );
}

const tabNames = (list: HTMLElement) => within(list).getAllByRole('tab').map((t) => t.textContent);

describe.skipIf(!existsSync(FIXTURES))('sysmon panel over the reference error reports', () => {
  it('reads every reference report in one of the two formats', () => {
    const all = reports();
    expect(all.size).toBe(6);
    const formats = [...all.values()].map((r) => {
      const model = sysmonPanel(r)!;
      expect(model.skipped).toEqual([]);
      return model.tabs[0]!.machines[0]!.key.split('.')[0];
    });
    expect(formats.filter((f) => f === 'sysmon')).toHaveLength(5);
    expect(formats.filter((f) => f === 'sysmon_ap')).toHaveLength(1);
  });

  it('sysmon.N: master and four robots with a NUC and a Jetson each, the master in error', () => {
    const model = sysmonPanel(reports().get(1))!;
    expect(model.tabs.map((t) => t.label)).toEqual(['Master', 'Robot 1', 'Robot 2', 'Robot 3', 'Robot 4']);
    expect(model.tabs.map((t) => t.machines.map((m) => `${m.label}:${m.key}`))).toEqual([
      ['Master:sysmon.0'],
      ['NUC:sysmon.1', 'Jetson:sysmon.5'],
      ['NUC:sysmon.2', 'Jetson:sysmon.6'],
      ['NUC:sysmon.3', 'Jetson:sysmon.7'],
      ['NUC:sysmon.4', 'Jetson:sysmon.8'],
    ]);
    expect(model.tabs.map((t) => t.inError)).toEqual([true, false, false, false, false]);
    const master = model.tabs[0]!.machines[0]!;
    expect(master.errors.map((e) => e.service)).toEqual(['traychg.0']);
    expect(master.services.filter((s) => s.errored).map((s) => s.name)).toEqual(['traychg.0']);
    // The master's RMS offset (10.1 s) is past its 10 s threshold; its last offset is fine.
    expect(master.chrony!.thresholds).toEqual(MASTER_THRESHOLDS);
    expect(master.chrony!.offsets.map((o) => [o.value, o.level])).toEqual([
      [-0.006872488, 'ok'],
      [10.106872488, 'bad'],
    ]);
    const jetson = model.tabs[1]!.machines[1]!;
    expect(jetson.chrony!.thresholds).toEqual(ROBOT_THRESHOLDS);
    expect(jetson.chrony!.offsets.map((o) => o.level)).toEqual(['ok', 'ok']);
    for (const tab of model.tabs) {
      for (const m of tab.machines) {
        expect(m.chrony, m.key).not.toBeNull();
        expect(m.chrony!.sysTime, m.key).not.toBeNull();
        expect(m.chrony!.refTime, m.key).not.toBeNull();
        expect(m.services.length, m.key).toBeGreaterThan(0);
        for (const o of m.chrony!.offsets) expect(o.level).toBe(offsetLevel(o.value, m.chrony!.thresholds));
      }
    }
  });

  it('sysmon_ap.N: master and six robots, the Jetsons numbered after a gap, three master services in error', () => {
    const model = sysmonPanel(reports().get(6))!;
    expect(model.tabs.map((t) => t.label)).toEqual(['Master', 'Robot 1', 'Robot 2', 'Robot 3', 'Robot 4', 'Robot 5', 'Robot 6']);
    expect(model.tabs.slice(1).map((t) => t.machines.map((m) => m.key))).toEqual([
      ['sysmon_ap.1', 'sysmon_ap.9'],
      ['sysmon_ap.2', 'sysmon_ap.10'],
      ['sysmon_ap.3', 'sysmon_ap.11'],
      ['sysmon_ap.4', 'sysmon_ap.12'],
      ['sysmon_ap.5', 'sysmon_ap.13'],
      ['sysmon_ap.6', 'sysmon_ap.14'],
    ]);
    expect(model.tabs.slice(1).every((t) => t.machines.map((m) => m.kind).join() === 'nuc,jetson')).toBe(true);
    const master = model.tabs[0]!.machines[0]!;
    expect(model.tabs.map((t) => t.inError)).toEqual([true, false, false, false, false, false, false]);
    expect(master.errors.map((e) => e.service).sort()).toEqual(['drivesys.0', 'harvester.0', 'traychg.0']);
    expect(
      master.services
        .filter((s) => s.errored)
        .map((s) => s.name)
        .sort(),
    ).toEqual(['drivesys.0', 'harvester.0', 'traychg.0'].filter((n) => master.services.some((s) => s.name === n)));
  });

  it('draws the reference sysmon_ap report: tabs, sub-tabs, chart, times and services', async () => {
    const user = userEvent.setup();
    render(<SysmonPanel report={reports().get(6)} tz="UTC" />);
    const panel = screen.getByRole('region', { name: 'Sysmon' });
    const tabs = within(panel).getByRole('tablist', { name: 'Sysmon: master and robots' });
    expect(tabNames(tabs)).toEqual(['Master ● (in error)', 'Robot 1', 'Robot 2', 'Robot 3', 'Robot 4', 'Robot 5', 'Robot 6']);
    expect(within(tabs).getByRole('tab', { name: 'Master (in error)' })).toHaveClass('tab-error');

    // The master: its chart on a log scale with the 1 s / 10 s thresholds, its times, its services.
    const chart = within(panel).getByRole('img', { name: /^Chrony offsets of Master / });
    expect(chart).toHaveAccessibleName(/Log scale of seconds\.$/);
    expect(within(panel).getByText('Log scale. Green below 1 s, yellow below 10 s, red from 10 s.')).toBeInTheDocument();
    const times = within(panel).getByRole('table', { name: 'Time of Master' });
    expect(within(times).getByRole('rowheader', { name: 'System time' }).nextSibling).toHaveTextContent('from NTP time');
    expect(within(times).getByRole('rowheader', { name: 'Reference time' }).nextSibling).toHaveTextContent(/UTC/);
    const services = within(panel).getByRole('table', { name: 'Services of Master' });
    const header = within(services).getAllByRole('columnheader').map((h) => h.textContent);
    expect(header).toEqual(['Service', 'CPU %', 'Memory %', 'FSM state', 'FSM components']);
    const errored = services.querySelectorAll('tr.row-error');
    expect(errored.length).toBeGreaterThan(0);
    for (const row of errored) expect(row).toHaveTextContent('error');

    // A robot: NUC and Jetson sub-tabs, rated against 0.1 s / 1 s.
    await user.click(within(tabs).getByRole('tab', { name: 'Robot 6' }));
    const computers = within(panel).getByRole('tablist', { name: 'Robot 6 computers' });
    expect(tabNames(computers)).toEqual(['NUC', 'Jetson']);
    await user.click(within(computers).getByRole('tab', { name: 'Jetson' }));
    expect(within(panel).getByText(/sysmon_ap\.14/)).toBeInTheDocument();
    expect(within(panel).getByText('Log scale. Green below 100 ms, yellow below 1 s, red from 1 s.')).toBeInTheDocument();
    expect(within(panel).getByRole('table', { name: 'Services of Robot 6 Jetson' })).toHaveTextContent('obscore.6');
  });

  it('shows a reference report on the detail page with the files of its event', async () => {
    storeSession();
    const { fetch } = mockFetch({
      'GET /api/v1/errorreports/3/': () => jsonResponse(200, ok(reportDetail({ report: reports().get(1), event }))),
    });
    renderApp('/errorreports/3?tz=UTC', fetch);
    const sysmon = await screen.findByRole('region', { name: 'Sysmon' });
    expect(tabNames(within(sysmon).getByRole('tablist', { name: 'Sysmon: master and robots' }))).toEqual([
      'Master ● (in error)',
      'Robot 1',
      'Robot 2',
      'Robot 3',
      'Robot 4',
    ]);
    // "Get files": the event's files, each a download link (a presigned URL) or "not available".
    const files = within(screen.getByRole('region', { name: 'Event' })).getByRole('table', { name: 'Event files' });
    const link = within(files).getByRole('link', { name: /Download logs file/ });
    expect(link).toHaveAttribute('href', event.related_files[0]!.url);
    expect(files).toHaveTextContent('not available');
  });
});
