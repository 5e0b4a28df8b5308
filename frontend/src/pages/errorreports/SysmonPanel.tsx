import { useMemo, useState, type ReactNode } from 'react';
import { DataTable, type Column } from '../../components/DataTable';
import { TabList } from '../../components/Tabs';
import { formatInZone, zoneAbbreviation } from '../../lib/time';
import { ChronyChart, levelText } from './ChronyChart';
import { formatSeconds, sysmonPanel, type Machine, type ServiceRow, type SysmonTab } from './sysmon';

const number = (digits: number) => (value: number | null) => (value === null ? '—' : value.toFixed(digits));
const percent = number(1);

const serviceColumns: Column<ServiceRow>[] = [
  {
    key: 'name',
    header: 'Service',
    // One element: on phones the cell is a grid of its column name and its content.
    render: (s) => (
      <span>
        <code>{s.name}</code>
        {s.errored && <span className="badge badge-error">error</span>}
      </span>
    ),
  },
  { key: 'cpu', header: 'CPU %', className: 'num', render: (s) => percent(s.cpu) },
  { key: 'mem', header: 'Memory %', className: 'num', render: (s) => number(2)(s.mem) },
  { key: 'state', header: 'FSM state', render: (s) => s.state ?? '—' },
  { key: 'components', header: 'FSM components', render: (s) => (s.components.length ? s.components.join(', ') : '—') },
];

function KeyValueTable({ caption, rows }: { caption: string; rows: Array<[string, ReactNode]> }) {
  return (
    <div className="table-wrap">
      <table className="data-table kv-table">
        <caption>{caption}</caption>
        <tbody>
          {rows.map(([label, value]) => (
            <tr key={label}>
              <th scope="row">{label}</th>
              <td>{value}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function epochInZone(seconds: number | null, tz: string): ReactNode {
  if (seconds === null) return '—';
  const date = new Date(seconds * 1000);
  if (Number.isNaN(date.getTime())) return String(seconds);
  return (
    <>
      {formatInZone(date, tz)} {zoneAbbreviation(date, tz)} <span className="muted">({seconds})</span>
    </>
  );
}

function MachineView({ tab, machine, tz }: { tab: SysmonTab; machine: Machine; tz: string }) {
  const name = tab.machines.length > 1 ? `${tab.label} ${machine.label}` : tab.label;
  const chrony = machine.chrony;
  return (
    <div className="sysmon-machine">
      <p className="muted sysmon-meta">
        <code>{machine.key}</code> · index {machine.index} · robot {machine.robotIndex} · version{' '}
        {machine.version ? <code>{machine.version}</code> : '—'}
      </p>
      {machine.errors.length > 0 && (
        <div className="sysmon-errors" role="group" aria-label={`Errors of ${name}`}>
          <strong>Errors reported here:</strong>
          <ul>
            {machine.errors.map((e) => (
              <li key={e.service}>
                <code>{e.service}</code>
                {e.code !== null && ` code ${e.code}`}
                {e.handled && <span className="badge badge-ok">handled</span>}
                {e.value && <span className="muted"> {e.value}</span>}
              </li>
            ))}
          </ul>
        </div>
      )}

      <h3>Chrony</h3>
      {chrony ? (
        <div className="sysmon-chrony">
          <ChronyChart title={`Chrony offsets of ${name}`} offsets={chrony.offsets} thresholds={chrony.thresholds} />
          <div className="sysmon-chrony-tables">
            <KeyValueTable
              caption={`Offsets of ${name}`}
              rows={chrony.offsets.map((o) => [
                o.label,
                <span key={o.key} className={`offset-level offset-${o.level}`}>
                  {formatSeconds(o.value)} · {levelText(o.level, chrony.thresholds)}
                </span>,
              ])}
            />
            <KeyValueTable
              caption={`Time of ${name}`}
              rows={[
                ['System time', chrony.sysTime === null ? '—' : `${formatSeconds(chrony.sysTime)} from NTP time`],
                ['Reference time', epochInZone(chrony.refTime, tz)],
                ['Reference', chrony.reference ?? '—'],
                ['Stratum', chrony.stratum ?? '—'],
                ['Leap status', chrony.leapStatus ?? '—'],
              ]}
            />
          </div>
        </div>
      ) : (
        <p className="muted">
          No Chrony data{machine.chronyNote ? ':' : '.'} {machine.chronyNote && <code>{machine.chronyNote}</code>}
        </p>
      )}

      <h3>Services</h3>
      <DataTable
        columns={serviceColumns}
        rows={machine.services}
        caption={`Services of ${name}`}
        captionHidden
        rowKey={(s) => s.name}
        rowClassName={(s) => (s.errored ? 'row-error' : undefined)}
        emptyMessage="No services reported."
      />
    </div>
  );
}

/**
 * The sysmon part of a raw error report: one tab per Master / Robot N (red when in error), NUC
 * and Jetson sub-tabs where a robot has both, and for the chosen computer its Chrony offsets
 * (chart and tables) and its services (errored ones highlighted). See sysmon.ts for the rules.
 */
export function SysmonPanel({ report, tz }: { report: unknown; tz: string }) {
  const model = useMemo(() => sysmonPanel(report), [report]);
  const [tabId, setTabId] = useState<string | null>(null);
  const [machineKeys, setMachineKeys] = useState<Record<string, string>>({});

  let body: ReactNode;
  if (!model || model.tabs.length === 0) {
    body = <p className="muted">{model ? 'The sysmon report has no entries.' : 'This report has no sysmon data.'}</p>;
  } else {
    const tab = model.tabs.find((t) => t.id === tabId) ?? model.tabs[0]!;
    const machine = tab.machines.find((m) => m.key === machineKeys[tab.id]) ?? tab.machines[0]!;
    body = (
      <>
        <TabList
          label="Sysmon: master and robots"
          items={model.tabs}
          selected={tab.id}
          onSelect={setTabId}
          idPrefix="sysmon-tab"
          panelId="sysmon-tabpanel"
          className="tabs sysmon-tabs"
        />
        <div role="tabpanel" id="sysmon-tabpanel" aria-labelledby={`sysmon-tab-${tab.id}`} className="tab-panel">
          {tab.machines.length > 1 ? (
            <>
              <TabList
                label={`${tab.label} computers`}
                items={tab.machines.map((m) => ({ id: m.key, label: m.label, inError: m.inError }))}
                selected={machine.key}
                onSelect={(key) => setMachineKeys((prev) => ({ ...prev, [tab.id]: key }))}
                idPrefix="sysmon-machine"
                panelId="sysmon-machinepanel"
                className="tabs sysmon-tabs"
              />
              <div
                role="tabpanel"
                id="sysmon-machinepanel"
                aria-labelledby={`sysmon-machine-${machine.key}`}
                className="tab-panel"
              >
                <MachineView tab={tab} machine={machine} tz={tz} />
              </div>
            </>
          ) : (
            <MachineView tab={tab} machine={machine} tz={tz} />
          )}
        </div>
        {model.skipped.length > 0 && (
          <p className="muted">
            Not shown (not readable as a sysmon entry): {model.skipped.map((k) => `“${k}”`).join(', ')}.
          </p>
        )}
      </>
    );
  }

  return (
    <section className="card" aria-labelledby="sysmon-title">
      <h2 id="sysmon-title">Sysmon</h2>
      {body}
    </section>
  );
}
