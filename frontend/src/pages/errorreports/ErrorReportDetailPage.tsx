import { useState, type ReactNode } from 'react';
import { Link, useParams, useSearchParams } from 'react-router';
import type { AftException, ErrorReport, HdsEvent, PickSession } from '../../api/hds';
import { CodeBlock } from '../../components/CodeBlock';
import { CopyButton } from '../../components/CopyButton';
import { ErrorState } from '../../components/ErrorState';
import { CheckboxField, SelectField } from '../../components/FormField';
import { JsonTree } from '../../components/JsonTree';
import { Loading } from '../../components/Loading';
import { useApi } from '../../hooks/useApi';
import { useTitle } from '../../hooks/useTitle';
import { downloadJson } from '../../lib/download';
import { formatDateTime } from '../../lib/format';
import { TimeZoneOptions } from '../../components/TimeZoneOptions';
import { DEFAULT_TZ, formatInZone, zoneAbbreviation } from '../../lib/time';
import { RelatedFiles, RelatedObjects, Tags } from '../events/related';
import { HarvesterLink, LocationLink, ReportTime, serviceLabel, sortExceptions } from './common';
import { CreateNotificationModal } from './CreateNotificationModal';
import { emptyFilters } from './filters';
import { reportPath } from './requests';

function Row({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div className="kv-row">
      <dt>{label}</dt>
      <dd>{children}</dd>
    </div>
  );
}

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
      <dl className="kv kv-compact">
        <Row label="Service">
          <code>{serviceLabel(exception)}</code>
        </Row>
        <Row label="Robot">{exception.robot ?? '—'}</Row>
        <Row label="Node">{exception.node ?? '—'}</Row>
        <Row label="Timestamp">
          <ReportTime value={exception.timestamp} tz={tz} />
        </Row>
        {exception.code?.team && <Row label="Team">{exception.code.team}</Row>}
        {exception.code?.operator_msg && <Row label="Operator message">{exception.code.operator_msg}</Row>}
      </dl>
      <CodeBlock title="Traceback" code={exception.traceback} />
      <CodeBlock title="Info" code={exception.info} />
    </article>
  );
}

function EventCard({ event }: { event: HdsEvent }) {
  return (
    <section className="card" aria-labelledby="event-title">
      <div className="section-head">
        <h2 id="event-title">Event</h2>
        <Link to={`/events/${event.id}`}>Event page →</Link>
      </div>
      <dl className="kv kv-compact">
        <Row label="UUID">
          <code>{event.UUID}</code> <CopyButton text={event.UUID} ariaLabel="Copy event UUID" />
        </Row>
        <Row label="Tags">
          <Tags tags={event.tags} />
        </Row>
      </dl>
      <h3>Related objects</h3>
      <RelatedObjects objects={event.related_objects} />
      <h3>Related files</h3>
      <RelatedFiles files={event.related_files} caption="Event files" />
    </section>
  );
}

function PickSessionCard({ session, tz }: { session: PickSession; tz: string }) {
  return (
    <section className="card" aria-labelledby="picksession-title">
      <div className="section-head">
        <h2 id="picksession-title">Pick session</h2>
        <Link to={`/picksessions/${session.id}`}>Pick session page →</Link>
      </div>
      <dl className="kv kv-compact">
        <Row label="UUID">
          <code>{session.UUID}</code>
        </Row>
        <Row label="Start time">
          <ReportTime value={session.start_time} tz={tz} />
        </Row>
        <Row label="Length">{session.session_length ?? '—'}</Row>
      </dl>
      <h3>Related objects</h3>
      <RelatedObjects objects={session.related_objects} />
    </section>
  );
}

function NotifyButton({ report }: { report: ErrorReport }) {
  const [open, setOpen] = useState(false);
  const [withCodes, setWithCodes] = useState(false);
  const harvId = report.harvester?.harv_id;
  if (harvId === null || harvId === undefined) return null;
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
  const [params, setParams] = useSearchParams();
  const tz = params.get('tz') || DEFAULT_TZ;
  const path = reportPath(id);
  const { data: report, error, reload } = useApi<ErrorReport>(
    path,
    (client, signal) => client.get<ErrorReport>(path, { signal }),
    { prefetched: true },
  );
  useTitle(`Error report ${id}`);
  const [downloadFailed, setDownloadFailed] = useState(false);

  const exceptions = report ? sortExceptions(report.exceptions ?? []) : [];
  const reportDate = report?.reportTime ? new Date(report.reportTime) : null;

  return (
    <div className="page">
      <nav aria-label="Breadcrumb" className="breadcrumb">
        <Link to="/errorreports">Error reports</Link> <span aria-hidden="true">/</span> {id}
      </nav>
      <header className="page-head page-head-row">
        <div>
          <h1>Error report {id}</h1>
          {report && (
            <p className="muted">
              {report.reportTime ? `${formatInZone(report.reportTime, tz)} ${zoneAbbreviation(reportDate!, tz)}` : 'No report time'}
              {report.harvester?.harv_id != null && ` · harvester ${report.harvester.harv_id}`}
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

      {error ? (
        <ErrorState error={error} onRetry={reload} />
      ) : !report ? (
        <Loading label="Loading the error report…" />
      ) : (
        <>
          <section className="card" aria-labelledby="summary-title">
            <div className="section-head">
              <h2 id="summary-title">Summary</h2>
              <div className="inline-select">
                <SelectField
                  label="Show times in"
                  value={tz}
                  onChange={(e) =>
                    setParams(
                      (prev) => {
                        const next = new URLSearchParams(prev);
                        if (e.target.value === DEFAULT_TZ) next.delete('tz');
                        else next.set('tz', e.target.value);
                        return next;
                      },
                      { replace: true },
                    )
                  }
                >
                  <TimeZoneOptions current={tz} />
                </SelectField>
              </div>
            </div>
            <dl className="kv">
              <Row label="Report time">
                <ReportTime value={report.reportTime} tz={tz} />
                {report.reportTime && <span className="muted"> ({report.reportTime} UTC)</span>}
              </Row>
              <Row label="Harvester">
                <HarvesterLink harvester={report.harvester} />
                {report.harvester?.name && <span className="muted"> {report.harvester.name}</span>}
                {report.harvester?.is_emulator && <span className="badge">emulator</span>}
              </Row>
              <Row label="Location">
                <LocationLink location={report.location} />
              </Row>
              <Row label="Fruit">{report.harvester?.fruit?.name ?? '—'}</Row>
              <Row label="Branch">{report.gitbranch || '—'}</Row>
              <Row label="Githash">{report.githash ? <code>{report.githash}</code> : '—'}</Row>
              <Row label="Tags">
                <Tags tags={report.tags} />
              </Row>
              <Row label="Received">{formatDateTime(report.created)}</Row>
            </dl>
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
    </div>
  );
}
