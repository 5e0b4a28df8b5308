import { render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { apSysmonReport, legacySysmonReport } from '../../test/sysmonReports';
import { logDomain } from './ChronyChart';
import { MASTER_THRESHOLDS, ROBOT_THRESHOLDS } from './sysmon';
import { SysmonPanel } from './SysmonPanel';

const panel = () => screen.getByRole('region', { name: 'Sysmon' });
const tabNames = (list: HTMLElement) => within(list).getAllByRole('tab').map((t) => t.textContent);

describe('SysmonPanel', () => {
  it('shows Master and robot tabs, the robot in error marked, and the master first', () => {
    render(<SysmonPanel report={legacySysmonReport()} tz="UTC" />);
    const tabs = within(panel()).getByRole('tablist', { name: 'Sysmon: master and robots' });
    expect(tabNames(tabs)).toEqual(['Master ● (in error)', 'Robot 1', 'Robot 2 ● (in error)']);
    const robot2 = within(tabs).getByRole('tab', { name: 'Robot 2 (in error)' });
    expect(robot2).toHaveClass('tab-error');
    expect(within(tabs).getByRole('tab', { name: 'Robot 1' })).not.toHaveClass('tab-error');
    expect(within(tabs).getByRole('tab', { name: 'Master (in error)' })).toHaveAttribute('aria-selected', 'true');
    // The master has one computer: no sub-tabs.
    expect(screen.getAllByRole('tablist')).toHaveLength(1);
    expect(screen.getByRole('tabpanel')).toHaveAccessibleName('Master (in error)');
  });

  it('draws the Chrony offsets with their levels and lists the times', () => {
    render(<SysmonPanel report={legacySysmonReport()} tz="UTC" />);
    const chart = screen.getByRole('img', { name: /^Chrony offsets of Master/ });
    expect(chart).toHaveAccessibleName(
      'Chrony offsets of Master Last offset: -1.5 s, high (1 s to 10 s); RMS offset: 12 s, too high (10 s or more). Log scale of seconds.',
    );
    const bars = [...chart.querySelectorAll('.chrony-bar')].map((g) => [g.getAttribute('data-label'), g.getAttribute('data-level')]);
    expect(bars).toEqual([
      ['Last offset', 'warn'],
      ['RMS offset', 'bad'],
    ]);
    expect(screen.getByText('Log scale. Green below 1 s, yellow below 10 s, red from 10 s.')).toBeInTheDocument();

    const offsets = screen.getByRole('table', { name: 'Offsets of Master' });
    expect(within(offsets).getByRole('rowheader', { name: 'RMS offset' }).nextSibling).toHaveTextContent(
      '12 s · too high (10 s or more)',
    );
    const time = screen.getByRole('table', { name: 'Time of Master' });
    const cell = (name: string) => within(time).getByRole('rowheader', { name }).nextSibling;
    expect(cell('System time')).toHaveTextContent('33 ns from NTP time');
    expect(cell('Reference time')).toHaveTextContent('2022-05-02 21:27:39.054 UTC (1651526859.0543234)');
    expect(cell('Reference')).toHaveTextContent('7F7F0101');
    expect(cell('Stratum')).toHaveTextContent('10');
  });

  it('highlights errored services and lists the errors of the machine', () => {
    render(<SysmonPanel report={legacySysmonReport()} tz="UTC" />);
    const services = screen.getByRole('table', { name: 'Services of Master' });
    const headers = within(services).getAllByRole('columnheader').map((h) => h.textContent);
    expect(headers).toEqual(['Service', 'CPU %', 'Memory %', 'FSM state', 'FSM components']);
    const rows = within(services).getAllByRole('row').slice(1);
    expect(rows.map((r) => [...r.querySelectorAll('td')].map((c) => c.textContent))).toEqual([
      ['harvester.0', '25.0', '1.03', 'run', 'run, error'],
      ['traychg.0error', '11.6', '0.98', 'error', 'error, terminated'],
    ]);
    expect(rows[1]).toHaveClass('row-error');
    expect(rows[0]).not.toHaveClass('row-error');
    const errors = screen.getByRole('group', { name: 'Errors of Master' });
    expect(errors).toHaveTextContent('traychg.0 code 9 traychgunit.1 Error: No tray detected in collection');
  });

  it('switches robots and their NUC / Jetson sub-tabs, by click and by keyboard', async () => {
    const user = userEvent.setup();
    render(<SysmonPanel report={legacySysmonReport()} tz="UTC" />);
    await user.click(screen.getByRole('tab', { name: 'Robot 2 (in error)' }));
    const sub = screen.getByRole('tablist', { name: 'Robot 2 computers' });
    expect(tabNames(sub)).toEqual(['NUC ● (in error)', 'Jetson']);
    expect(screen.getByRole('table', { name: 'Services of Robot 2 NUC' })).toBeInTheDocument();
    expect(screen.getByRole('img', { name: /^Chrony offsets of Robot 2 NUC Last offset: 250 ms, high \(100 ms to 1 s\)/ })).toBeInTheDocument();
    expect(screen.getByText('Log scale. Green below 100 ms, yellow below 1 s, red from 1 s.')).toBeInTheDocument();

    await user.click(within(sub).getByRole('tab', { name: 'Jetson' }));
    expect(screen.getByRole('table', { name: 'Services of Robot 2 Jetson' })).toBeInTheDocument();
    expect(screen.getByText('sysmon.4')).toBeInTheDocument();
    expect(screen.getByRole('img', { name: /Last offset: 2 s, too high \(1 s or more\)/ })).toBeInTheDocument();

    // Arrow keys move between the robots and keep each robot's chosen computer.
    screen.getByRole('tab', { name: 'Robot 2 (in error)' }).focus();
    await user.keyboard('{ArrowLeft}');
    expect(screen.getByRole('tab', { name: 'Robot 1' })).toHaveAttribute('aria-selected', 'true');
    expect(screen.getByRole('tab', { name: 'Robot 1' })).toHaveFocus();
    expect(screen.getByRole('table', { name: 'Services of Robot 1 NUC' })).toBeInTheDocument();
    await user.keyboard('{End}');
    expect(screen.getByRole('table', { name: 'Services of Robot 2 Jetson' })).toBeInTheDocument();
    await user.keyboard('{Home}');
    expect(screen.getByRole('tab', { name: 'Master (in error)' })).toHaveAttribute('aria-selected', 'true');
  });

  it('shows the sysmon_ap format the same way, the errored Jetson marked', async () => {
    const user = userEvent.setup();
    render(<SysmonPanel report={apSysmonReport()} tz="UTC" />);
    expect(tabNames(screen.getByRole('tablist', { name: 'Sysmon: master and robots' }))).toEqual([
      'Master ● (in error)',
      'Robot 1 ● (in error)',
      'Robot 2',
    ]);
    await user.click(screen.getByRole('tab', { name: 'Robot 1 (in error)' }));
    const sub = screen.getByRole('tablist', { name: 'Robot 1 computers' });
    expect(tabNames(sub)).toEqual(['NUC', 'Jetson ● (in error)']);
    await user.click(within(sub).getByRole('tab', { name: 'Jetson (in error)' }));
    const row = within(screen.getByRole('table', { name: 'Services of Robot 1 Jetson' })).getByRole('row', { name: /obscore\.1/ });
    expect(row).toHaveClass('row-error');
  });

  it('says so when there is no sysmon data or no entry, and names entries it cannot read', () => {
    const { unmount } = render(<SysmonPanel report={{ type: 'error', data: {} }} tz="UTC" />);
    expect(within(panel()).getByText('This report has no sysmon data.')).toBeInTheDocument();
    unmount();
    const second = render(<SysmonPanel report={{ data: { sysmon_report: { serial_number: '011' } } }} tz="UTC" />);
    expect(within(panel()).getByText('The sysmon report has no entries.')).toBeInTheDocument();
    second.unmount();
    render(<SysmonPanel report={{ data: { sysmon_report: { 'sysmon.0': { chrony_info: 'no chronyd' }, sysmon_x: 1 } } }} tz="UTC" />);
    expect(screen.getByText('No Chrony data:')).toBeInTheDocument();
    expect(screen.getByText('no chronyd')).toBeInTheDocument();
    expect(screen.getByText('No services reported.')).toBeInTheDocument();
    expect(screen.getByText('Not shown (not readable as a sysmon entry): “sysmon_x”.')).toBeInTheDocument();
  });

  it('shows a missing offset as not reported, without a bar', () => {
    render(<SysmonPanel report={{ data: { sysmon_report: { 'sysmon.0': { chrony_info: { rms_offset: 0 } } } } }} tz="UTC" />);
    const chart = screen.getByRole('img', { name: /^Chrony offsets of Master/ });
    expect(chart).toHaveAccessibleName(
      'Chrony offsets of Master Last offset: —, not reported; RMS offset: 0 s, fine (below 1 s). Log scale of seconds.',
    );
    const [last, rms] = [...chart.querySelectorAll('.chrony-bar')];
    expect(last!.querySelector('rect')).toBeNull();
    expect(last).toHaveTextContent('not reported');
    expect(rms!.querySelector('rect')).not.toBeNull();
  });
});

describe('logDomain', () => {
  it('spans a microsecond to a decade past the higher threshold, widened by the offsets', () => {
    expect(logDomain([], MASTER_THRESHOLDS)).toEqual([-6, 2]);
    expect(logDomain([Number.NaN, 0], ROBOT_THRESHOLDS)).toEqual([-6, 1]);
    expect(logDomain([3.3e-8, 250], ROBOT_THRESHOLDS)).toEqual([-8, 3]);
    expect(logDomain([1e-30], ROBOT_THRESHOLDS)).toEqual([-12, 1]);
  });
});
