import { useMemo, useState, type ReactNode } from 'react';
import { Link, useParams } from 'react-router';
import { apiGet, apiList } from '../../api/client';
import type { ListQuery } from '../../api/contract';
import { pickParams } from '../../api/pagination';
import type { AutodiagnosticsReport } from '../../api/schemas';
import { DataTable, type Column } from '../../components/DataTable';
import { Detail, DetailList } from '../../components/DetailList';
import { Breadcrumb, Loaded } from '../../components/Loaded';
import { TabList } from '../../components/Tabs';
import { useZoneParam, ZoneSelect } from '../../components/TimeZoneOptions';
import { useApi } from '../../hooks/useApi';
import { useTitle } from '../../hooks/useTitle';
import { formatDateTime } from '../../lib/format';
import { EventCard, PickSessionCard } from '../events/cards';
import { Tags } from '../events/related';
import { HarvesterLink, LocationLink, ReportTime } from '../errorreports/common';
import type { FilterSpec } from '../reports/filters';
import { LocationById, RawReportCard, ReportListPage, reportColumns, useFleetNames, type ReportListDef } from '../reports/common';
import { formatOffset, formatReading, SensorChart } from './SensorChart';
import { CHANNEL_LABELS, CHANNELS, runValues, sensorSeries, type Channel, type SensorSeries, type StateSpan } from './sensors';

const QUERY = ['harv_id', 'ranch', 'result', 'robot', 'gripper_sn', 'uuid', 'start_time', 'end_time', 'tz', 'ordering'] as const satisfies ReadonlyArray<
  keyof ListQuery<'/api/v1/autodiagnostics/'>
>;

const SPEC: FilterSpec = {
  fields: [
    { param: 'harv_id', kind: 'harvester', label: 'Harvester' },
    { param: 'ranch', kind: 'location', label: 'Location' },
    { param: 'result', kind: 'flag', label: 'Result', any: 'Passed or failed', yes: 'Passed', no: 'Failed' },
    { param: 'robot', kind: 'integer', label: 'Robot', placeholder: 'e.g. 1' },
    { param: 'gripper_sn', kind: 'integer', label: 'Gripper serial number', placeholder: 'e.g. 1298' },
    { param: 'uuid', kind: 'text', label: 'Event UUID' },
  ],
  timeRange: true,
};

export function ResultBadge({ passed }: { passed: boolean | null }) {
  if (passed === null) return <span className="muted">—</span>;
  return passed ? <span className="badge badge-ok">passed</span> : <span className="badge badge-error">failed</span>;
}

const LIST: ReportListDef<AutodiagnosticsReport> = {
  title: 'Autodiagnostics',
  description: 'Gripper self-tests: each robot runs one and reports whether its gripper passed, with the sensor traces of the run.',
  spec: SPEC,
  storageKey: 'hds.autodiagnostics.filters-open',
  request: ({ limit, offset, params }) => apiList('/api/v1/autodiagnostics/', { limit, offset, query: pickParams(params, QUERY) }),
  columns: ({ tz, names }) => [
    ...reportColumns<AutodiagnosticsReport>('/autodiagnostics', tz),
    { key: 'result', header: 'Result', render: (r) => <ResultBadge passed={r.result} /> },
    { key: 'robot', header: 'Robot', className: 'num' },
    {
      key: 'gripper_sn',
      header: 'Gripper SN',
      render: (r) => <Link to={`/harvassets?asset__name=gripper&serial_number=${r.gripper_sn}`}>{r.gripper_sn}</Link>,
    },
    { key: 'harvester', header: 'Harvester', render: (r) => <HarvesterLink harvester={r.harvester} /> },
    {
      key: 'location',
      header: 'Location',
      render: (r) => (r.harvester ? <LocationLink location={r.harvester.location} /> : <LocationById id={r.location} names={names} />),
    },
    { key: 'min_vac', header: 'Min vac', className: 'num', render: (r) => formatReading(r.run_data?.min_vac) },
    {
      key: 'links',
      header: 'Event',
      render: (r) => (
        <span className="link-row">
          <Link to={`/events/${r.event.id}`}>Event</Link>
          {r.pick_session && <Link to={`/picksessions/${r.pick_session.id}`}>Pick session</Link>}
        </span>
      ),
    },
  ],
  caption: 'Autodiagnostics reports',
  empty: 'No autodiagnostics report matches.',
  rowClassName: (r) => (r.result ? undefined : 'row-error'),
};

export function AutodiagnosticsListPage() {
  return <ReportListPage def={LIST} />;
}

function stateColumns(channel: Channel): Column<StateSpan & { index: number }>[] {
  return [
    { key: 'index', header: '#', className: 'num' },
    { key: 'label', header: 'State', render: (s) => <span title={s.name}>{s.label}</span> },
    { key: 'start', header: 'From', className: 'num', render: (s) => formatOffset(s.start) },
    { key: 'length', header: 'Length', className: 'num', render: (s) => formatOffset(s.end - s.start) },
    { key: 'samples', header: 'Samples', className: 'num' },
    {
      key: 'range',
      header: `${CHANNEL_LABELS[channel]} (min – max)`,
      className: 'num',
      render: (s) => {
        const r = s.ranges[channel];
        return r ? `${formatReading(r.min)} – ${formatReading(r.max)}` : '—';
      },
    },
  ];
}

/** The run's sensors: one tab per channel (vacuum, touch, finger) with its chart and its states table. */
export function SensorPanel({ series }: { series: SensorSeries }) {
  const [channel, setChannel] = useState<Channel>('vac');
  const rows = series.states.map((s, i) => ({ ...s, index: i + 1 }));
  return (
    <>
      <TabList
        label="Sensors"
        items={CHANNELS.map((c) => ({ id: c, label: CHANNEL_LABELS[c] }))}
        selected={channel}
        onSelect={(c) => setChannel(c as Channel)}
        idPrefix="sensor-tab"
        panelId="sensor-panel"
      />
      <div role="tabpanel" id="sensor-panel" aria-labelledby={`sensor-tab-${channel}`} className="tab-panel">
        <SensorChart series={series} channel={channel} />
        <DataTable
          columns={stateColumns(channel)}
          rows={rows}
          caption={`States of the run (${CHANNEL_LABELS[channel].toLowerCase()})`}
          rowKey={(s) => s.name}
        />
      </div>
      {series.skipped > 0 && <p className="muted">{series.skipped} sample(s) could not be read and are left out.</p>}
    </>
  );
}

function yesNo(value: boolean | null): ReactNode {
  return value === null ? '—' : <ResultBadge passed={value} />;
}

export function AutodiagnosticsDetailPage() {
  const { id = '' } = useParams();
  const [tz, setTz] = useZoneParam();
  const names = useFleetNames();
  const { data, error, reload } = useApi(apiGet('/api/v1/autodiagnostics/{id}/', { path: { id } }));
  useTitle(`Autodiagnostics ${id}`);
  const run = useMemo(() => (data ? runValues(data.run_data, data.report) : null), [data]);
  const series = useMemo(() => (run ? sensorSeries(run.sensors) : null), [run]);

  return (
    <div className="page">
      <Breadcrumb to="/autodiagnostics" label="Autodiagnostics">
        {id}
      </Breadcrumb>
      <header className="page-head">
        <h1>Autodiagnostics {id}</h1>
        {data && (
          <p className="muted">
            Robot {data.robot} · gripper {data.gripper_sn} · <ResultBadge passed={data.result} />
          </p>
        )}
      </header>
      <Loaded data={data} error={error} reload={reload} label="Loading the autodiagnostics report…">
        {(r) => (
          <>
            <section className="card" aria-labelledby="summary-title">
              <div className="section-head">
                <h2 id="summary-title">Summary</h2>
                <ZoneSelect value={tz} onChange={setTz} />
              </div>
              <DetailList>
                <Detail label="Report time">
                  <ReportTime value={r.reportTime} tz={tz} />
                </Detail>
                <Detail label="Result">
                  <ResultBadge passed={r.result} />
                </Detail>
                <Detail label="Harvester">
                  <HarvesterLink harvester={r.harvester} />
                </Detail>
                <Detail label="Location">
                  {r.harvester ? <LocationLink location={r.harvester.location} /> : <LocationById id={r.location} names={names} />}
                </Detail>
                <Detail label="Robot">{r.robot}</Detail>
                <Detail label="Gripper">
                  {r.run_data ? (
                    <Link to={`/harvassets/${r.run_data.gripper}/history`}>{r.gripper_sn}</Link>
                  ) : (
                    <Link to={`/harvassets?asset__name=gripper&serial_number=${r.gripper_sn}`}>{r.gripper_sn}</Link>
                  )}
                </Detail>
                <Detail label="Tags">
                  <Tags tags={r.tags} />
                </Detail>
                <Detail label="Received">{formatDateTime(r.created)}</Detail>
              </DetailList>
            </section>

            <section className="card" aria-labelledby="run-title">
              <h2 id="run-title">Run</h2>
              {!r.run_data && (
                <p className="notice">
                  The run has not been extracted yet (the background worker does it); the values below are read from the report.
                </p>
              )}
              {run ? (
                <DetailList compact>
                  {r.run_data && (
                    <Detail label="Run time">
                      <ReportTime value={r.run_data.run_timestamp} tz={tz} />
                    </Detail>
                  )}
                  <Detail label="Result">{yesNo(run.result)}</Detail>
                  <Detail label="Ball found">{yesNo(run.ballFound)}</Detail>
                  <Detail label="Template match">{yesNo(run.templateMatch)}</Detail>
                  <Detail label="Template match y error">{formatReading(run.templateMatchYError)}</Detail>
                  <Detail label="Min vacuum">{formatReading(run.minVac)}</Detail>
                  <Detail label="Finger open">{formatReading(run.fingerOpen)}</Detail>
                  <Detail label="Finger closed">{formatReading(run.fingerClosed)}</Detail>
                  <Detail label="Finger delta">{formatReading(run.fingerDelta)}</Detail>
                  <Detail label="Nominal touch force">{formatReading(run.nominalTouchForce)}</Detail>
                  <Detail label="Max touch force">{formatReading(run.maxTouchForce)}</Detail>
                </DetailList>
              ) : (
                <p className="muted">The report holds no run data.</p>
              )}
            </section>

            <section className="card" aria-labelledby="sensors-title">
              <h2 id="sensors-title">Sensors</h2>
              {series ? <SensorPanel series={series} /> : <p className="muted">No sensor samples in this run.</p>}
            </section>

            <EventCard event={r.event} />
            {r.pick_session && <PickSessionCard session={r.pick_session} tz={tz} />}
            <RawReportCard report={r.report} fileName={`autodiagnostics-${r.id}.json`} />
          </>
        )}
      </Loaded>
    </div>
  );
}
