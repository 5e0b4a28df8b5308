import { useState } from 'react';
import { useParams } from 'react-router';
import type { AftException, ErrorReport } from '../../api/schemas';
import { CodeBlock } from '../../components/CodeBlock';
import { Detail, DetailList } from '../../components/DetailList';
import { CheckboxField } from '../../components/FormField';
import { JsonTree } from '../../components/JsonTree';
import { useApi } from '../../hooks/useApi';
import { useTitle } from '../../hooks/useTitle';
import { downloadJson } from '../../lib/download';
import { formatDateTime } from '../../lib/format';
import { Breadcrumb, Loaded } from '../../components/Loaded';
import { useZoneParam, ZoneSelect } from '../../components/TimeZoneOptions';
import { formatInZone, zoneAbbreviation } from '../../lib/time';
import { EventCard, PickSessionCard } from '../events/cards';
import { Tags } from '../events/related';
import { HarvesterLink, LocationLink, ReportTime, serviceLabel, sortExceptions } from './common';
import { CreateNotificationModal } from './CreateNotificationModal';
import { emptyFilters } from './filters';
import { reportRequest } from './requests';
import { SysmonPanel } from './SysmonPanel';

function exceptionTitle(e: AftException): string {
  return e.code ? `Code ${e.code.code} · ${e.code.name}` : 'Unknown code';
}

function ExceptionCard({ exception, index, tz }: { exception: AftException; index: number; tz: string }) {
  const headingId = `exception-${index}`;
  return (
    <article className="exception" aria-labelledby={headingId}>
      <h3 id={headingId}>
        {exceptionTitle(exception)}
        {exception.primary ? <span className="badge badge-error">primary</span> : <span className="badge">secondary</span>}
        {exception.handled ? <span className="badge badge-ok">handled</span> : <span className="badge badge-error">unhandled</span>}
      </h3>
      <DetailList compact>
        <Detail label="Service">
          <code>{serviceLabel(exception)}</code>
        </Detail>
        <Detail label="Robot">{exception.robot ?? '—'}</Detail>
        <Detail label="Node">{exception.node ?? '—'}</Detail>
        <Detail label="Timestamp">
          <ReportTime value={exception.timestamp} tz={tz} />
        </Detail>
        {exception.code?.team && <Detail label="Team">{exception.code.team}</Detail>}
        {exception.code?.operator_msg && <Detail label="Operator message">{exception.code.operator_msg}</Detail>}
      </DetailList>
      <CodeBlock title="Traceback" code={exception.traceback} />
      <CodeBlock title="Info" code={exception.info} />
    </article>
  );
}

function NotifyButton({ report }: { report: ErrorReport }) {
  const [open, setOpen] = useState(false);
  const [withCodes, setWithCodes] = useState(false);
  if (!report.harvester) return null;
  const harvId = report.harvester.harv_id;
  const codes = [...new Set(report.exceptions.map((e) => e.code?.code).filter((c): c is number => typeof c === 'number'))];
  const filters = {
    ...emptyFilters(),
    harv_ids: [String(harvId)],
    codes: withCodes ? codes.map(String) : [],
  };
  return (
    <>
      <button type="button" className="button" onClick={() => setOpen(true)}>
        Create notification
      </button>
      {open && (
        <CreateNotificationModal
          filters={filters}
          onClose={() => setOpen(false)}
          title={`Create a notification for harvester ${harvId}`}
        >
          {codes.length > 0 && (
            <CheckboxField
              label={`Only for this report's codes (${codes.join(', ')})`}
              checked={withCodes}
              onChange={(e) => setWithCodes(e.target.checked)}
            />
          )}
        </CreateNotificationModal>
      )}
    </>
  );
}

export function ErrorReportDetailPage() {
  const { id = '' } = useParams();
  const [tz, setTz] = useZoneParam();
  const { data: report, error, reload } = useApi(reportRequest(id), { prefetched: true });
  useTitle(`Error report ${id}`);
  const [downloadFailed, setDownloadFailed] = useState(false);

  const exceptions = report ? sortExceptions(report.exceptions) : [];
  const reportDate = report?.reportTime ? new Date(report.reportTime) : null;

  return (
    <div className="page">
      <Breadcrumb to="/errorreports" label="Error reports">
        {id}
      </Breadcrumb>
      <header className="page-head page-head-row">
        <div>
          <h1>Error report {id}</h1>
          {report && (
            <p className="muted">
              {report.reportTime ? `${formatInZone(report.reportTime, tz)} ${zoneAbbreviation(reportDate!, tz)}` : 'No report time'}
              {report.harvester && ` · harvester ${report.harvester.harv_id}`}
              {report.location?.ranch && ` · ${report.location.ranch}`}
            </p>
          )}
        </div>
        {report && (
          <div className="page-actions">
            <NotifyButton report={report} />
          </div>
        )}
      </header>

      <Loaded data={report} error={error} reload={reload} label="Loading the error report…">
        {(report) => (
            <>
              <section className="card" aria-labelledby="summary-title">
                <div className="section-head">
                  <h2 id="summary-title">Summary</h2>
                  <ZoneSelect value={tz} onChange={setTz} />
                </div>
                <DetailList>
                  <Detail label="Report time">
                    <ReportTime value={report.reportTime} tz={tz} />
                    {report.reportTime && <span className="muted"> ({report.reportTime} UTC)</span>}
                  </Detail>
                  <Detail label="Harvester">
                    <HarvesterLink harvester={report.harvester} />
                    {report.harvester?.name && <span className="muted"> {report.harvester.name}</span>}
                    {report.harvester?.is_emulator && <span className="badge">emulator</span>}
                  </Detail>
                  <Detail label="Location">
                    <LocationLink location={report.location} />
                  </Detail>
                  <Detail label="Fruit">{report.harvester?.fruit.name ?? '—'}</Detail>
                  <Detail label="Branch">{report.gitbranch || '—'}</Detail>
                  <Detail label="Githash">{report.githash ? <code>{report.githash}</code> : '—'}</Detail>
                  <Detail label="Tags">
                    <Tags tags={report.tags} />
                  </Detail>
                  <Detail label="Received">{formatDateTime(report.created)}</Detail>
                </DetailList>
              </section>

              <section className="card" aria-labelledby="exceptions-title">
                <h2 id="exceptions-title">
                  Exceptions <span className="badge">{exceptions.length}</span>
                </h2>
                {exceptions.length === 0 ? (
                  <p className="muted">No exceptions were extracted from this report.</p>
                ) : (
                  <>
                    {exceptions.length > 1 && (
                      <nav aria-label="Exceptions in this report">
                        <ul className="exception-index">
                          {exceptions.map((e, i) => (
                            <li key={e.id ?? i}>
                              <a href={`#exception-${i}`}>
                                {serviceLabel(e)}: {e.code?.code ?? '?'}
                                {e.primary ? '*' : ''}
                              </a>
                            </li>
                          ))}
                        </ul>
                      </nav>
                    )}
                    {exceptions.map((e, i) => (
                      <ExceptionCard key={e.id ?? i} exception={e} index={i} tz={tz} />
                    ))}
                  </>
                )}
              </section>

              <SysmonPanel report={report.report} tz={tz} />

              {report.event ? (
                <EventCard event={report.event} />
              ) : (
                <section className="card">
                  <h2>Event</h2>
                  <p className="muted">No event.</p>
                </section>
              )}
              {report.pick_session && <PickSessionCard session={report.pick_session} tz={tz} />}

              <section className="card" aria-labelledby="report-title">
                <div className="section-head">
                  <h2 id="report-title">Raw report</h2>
                  <button
                    type="button"
                    className="button button-small"
                    onClick={() => setDownloadFailed(!downloadJson(report.report, `errorreport-${report.id}.json`))}
                  >
                    Download JSON
                  </button>
                </div>
                {downloadFailed && (
                  <p className="field-error" role="alert">
                    This browser cannot save files from the page; use “Copy JSON” instead.
                  </p>
                )}
                <JsonTree value={report.report} expandDepth={1} copyable />
              </section>
            </>
        )}
      </Loaded>
    </div>
  );
}
