import type { ReactNode } from 'react';
import { Link } from 'react-router';
import type { ApiObject } from './definitions';

/** Links from a generic detail page into the pages that use the object. */
function Links({ children }: { children: ReactNode }) {
  return (
    <section className="card" aria-labelledby="links-title">
      <h2 id="links-title">Related pages</h2>
      <p className="link-row">{children}</p>
    </section>
  );
}

function ExceptionCodeExtras({ item }: { item: ApiObject }) {
  const code = encodeURIComponent(String(item.code ?? ''));
  return (
    <Links>
      <Link to={`/errorreports?codes=${code}`}>Error reports with this code</Link>
      <Link to={`/errorreports/view/pareto?codes=${code}&configs=report__harvester__harv_id,service`}>Pareto of this code</Link>
    </Links>
  );
}

function FruitExtras({ item }: { item: ApiObject }) {
  const name = encodeURIComponent(String(item.name ?? ''));
  return (
    <Links>
      <Link to={`/harvesters?fruit__name=${name}`}>Harvesters picking this fruit</Link>
      <Link to={`/errorreports?fruits=${name}`}>Error reports</Link>
    </Links>
  );
}

function LocationExtras({ item }: { item: ApiObject }) {
  const ranch = encodeURIComponent(String(item.ranch ?? ''));
  return (
    <Links>
      <Link to={`/errorreports?locations=${ranch}`}>Error reports from this location</Link>
    </Links>
  );
}

function HistoryExtras({ item }: { item: ApiObject }) {
  return (
    <Links>
      {item.id !== undefined && <Link to={`/harvesters/${encodeURIComponent(String(item.id))}`}>The harvester</Link>}
      {item.harv_id != null && (
        <Link to={`/harvesterhistory?harv_id=${encodeURIComponent(String(item.harv_id))}`}>All changes of this harvester</Link>
      )}
    </Links>
  );
}

export const DETAIL_EXTRAS: Record<string, (props: { item: ApiObject }) => ReactNode> = {
  exceptioncodes: ExceptionCodeExtras,
  fruits: FruitExtras,
  locations: LocationExtras,
  harvesterhistory: HistoryExtras,
};
