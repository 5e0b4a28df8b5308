import { Link } from 'react-router';
import type { HdsEvent, PickSession } from '../../api/schemas';
import { CopyButton } from '../../components/CopyButton';
import { Detail, DetailList } from '../../components/DetailList';
import { ReportTime } from '../errorreports/common';
import { RelatedFiles, RelatedObjects, Tags } from './related';

/** A report's event on its detail page: UUID, tags, the objects and files of the event. */
export function EventCard({ event }: { event: HdsEvent }) {
  return (
    <section className="card" aria-labelledby="event-title">
      <div className="section-head">
        <h2 id="event-title">Event</h2>
        <Link to={`/events/${event.id}`}>Event page →</Link>
      </div>
      <DetailList compact>
        <Detail label="UUID">
          <code>{event.UUID}</code> <CopyButton text={event.UUID} ariaLabel="Copy event UUID" />
        </Detail>
        <Detail label="Tags">
          <Tags tags={event.tags} />
        </Detail>
      </DetailList>
      <h3>Related objects</h3>
      <RelatedObjects objects={event.related_objects} />
      <h3>Related files</h3>
      <RelatedFiles files={event.related_files} caption="Event files" />
    </section>
  );
}

/** A report's pick session on its detail page: UUID, start (in `tz`), length, related objects. */
export function PickSessionCard({ session, tz }: { session: PickSession; tz: string }) {
  return (
    <section className="card" aria-labelledby="picksession-title">
      <div className="section-head">
        <h2 id="picksession-title">Pick session</h2>
        <Link to={`/picksessions/${session.id}`}>Pick session page →</Link>
      </div>
      <DetailList compact>
        <Detail label="UUID">
          <code>{session.UUID}</code>
        </Detail>
        <Detail label="Start time">
          <ReportTime value={session.start_time} tz={tz} />
        </Detail>
        <Detail label="Length">{session.session_length ?? '—'}</Detail>
      </DetailList>
      <h3>Related objects</h3>
      <RelatedObjects objects={session.related_objects} />
    </section>
  );
}
