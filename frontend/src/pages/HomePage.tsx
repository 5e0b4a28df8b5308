import { useId, useMemo, useState, type FormEvent } from 'react';
import { Link, useNavigate } from 'react-router';
import type { Harvester } from '../api/schemas';
import { canManageUsers } from '../api/roles';
import { displayName } from '../api/users';
import type { Column } from '../components/DataTable';
import { ErrorState } from '../components/ErrorState';
import { ListView } from '../components/ListView';
import { Loading } from '../components/Loading';
import { useZoneParam, ZoneSelect } from '../components/TimeZoneOptions';
import { useTitle } from '../hooks/useTitle';
import { objectLabel } from '../lib/format';
import { DEFAULT_TZ } from '../lib/time';
import { MENU } from '../menu';
import { useAuth, useClient } from '../services';
import { ReportTime, serviceLabel } from './errorreports/common';
import { VersionFlags, VersionLabel } from './versions/VersionParts';

const none = <span className="muted">—</span>;

/** The harvester's newest error report, in `tz`, linking to the report (shown in the same zone). */
function LastReport({ harvester, tz }: { harvester: Harvester; tz: string }) {
  const report = harvester.last_report;
  if (!report) return none;
  const zone = tz === DEFAULT_TZ ? '' : `?tz=${encodeURIComponent(tz)}`;
  return (
    <Link to={`/errorreports/${report.id}${zone}`}>
      {report.reportTime ? <ReportTime value={report.reportTime} tz={tz} /> : `Report ${report.id}`}
    </Link>
  );
}

/** `<code> <name>` and `service.robot` of the newest report's primary exception. */
function LastError({ harvester }: { harvester: Harvester }) {
  const error = harvester.last_report?.error;
  if (!error) return none;
  // One element, so the phone layout (cells as grids) keeps it together.
  return (
    <span>
      {[error.code, error.name].filter((v) => v !== null && v !== undefined && v !== '').join(' ') || '?'}{' '}
      <span className="muted">{serviceLabel(error)}</span>
    </span>
  );
}

/** The version the harvester's latest version report names, linking to that report. */
function InstalledVersion({ harvester }: { harvester: Harvester }) {
  const version = harvester.version;
  if (!version) return none;
  return (
    <Link to={`/harvversion/${version.id}`}>
      <VersionLabel report={version.report} />
    </Link>
  );
}

export function fleetColumns(tz: string): Column<Harvester>[] {
  return [
    {
      key: 'harv_id',
      header: 'Harv ID',
      render: (h) => <Link to={`/harvesters/${h.id}`}>{h.harv_id}</Link>,
    },
    { key: 'name', header: 'Name' },
    { key: 'location', header: 'Location', render: (h) => objectLabel(h.location) },
    { key: 'fruit', header: 'Fruit', render: (h) => objectLabel(h.fruit) },
    { key: 'is_emulator', header: 'Emulator', render: (h) => (h.is_emulator ? 'Yes' : 'No') },
    { key: 'last_report', header: 'Last report', render: (h) => <LastReport harvester={h} tz={tz} />, className: 'nowrap' },
    { key: 'last_error', header: 'Last error', render: (h) => <LastError harvester={h} /> },
    { key: 'version', header: 'Version', render: (h) => <InstalledVersion harvester={h} /> },
    { key: 'release', header: 'Release', render: (h) => h.release?.version ?? none },
    { key: 'dirty', header: 'Dirty', render: (h) => (h.version ? <VersionFlags report={h.version} /> : none) },
  ];
}

type SearchResult =
  | { kind: 'idle' }
  | { kind: 'pending' }
  | { kind: 'none'; harvId: number }
  | { kind: 'many'; harvesters: Harvester[] }
  | { kind: 'error'; error: unknown };

function HarvesterSearch() {
  const client = useClient();
  const navigate = useNavigate();
  const inputId = useId();
  const [value, setValue] = useState('');
  const [result, setResult] = useState<SearchResult>({ kind: 'idle' });
  const harvId = Number.parseInt(value, 10);
  const valid = /^\d+$/.test(value.trim()) && Number.isSafeInteger(harvId);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (!valid) return;
    setResult({ kind: 'pending' });
    try {
      const page = await client.list('/api/v1/harvesters/', { limit: 100, query: { harv_id: harvId } });
      // Keep exact matches only, in case the server ignored the filter.
      const matches = page.results.filter((h) => h.harv_id === harvId);
      if (matches.length === 1 && matches[0]) {
        navigate(`/harvesters/${matches[0].id}`);
      } else if (matches.length === 0) {
        setResult({ kind: 'none', harvId });
      } else {
        setResult({ kind: 'many', harvesters: matches });
      }
    } catch (error) {
      setResult({ kind: 'error', error });
    }
  };

  return (
    <section className="card search-card" aria-labelledby={`${inputId}-title`}>
      <h2 id={`${inputId}-title`}>Go to a harvester</h2>
      <form className="inline-form" role="search" onSubmit={(e) => void submit(e)}>
        <label htmlFor={inputId}>Harvester ID (harv_id)</label>
        <input
          id={inputId}
          name="harv_id"
          inputMode="numeric"
          pattern="[0-9]*"
          placeholder="e.g. 11"
          value={value}
          onChange={(e) => {
            setValue(e.target.value);
            if (result.kind !== 'pending') setResult({ kind: 'idle' });
          }}
        />
        <button type="submit" className="button button-primary" disabled={!valid || result.kind === 'pending'}>
          Go
        </button>
      </form>
      <div aria-live="polite">
        {result.kind === 'pending' && <Loading inline label="Searching…" />}
        {result.kind === 'none' && <p className="notice">No harvester has harv_id {result.harvId}.</p>}
        {result.kind === 'many' && (
          <div className="notice">
            <p>Several harvesters have that harv_id:</p>
            <ul>
              {result.harvesters.map((h) => (
                <li key={String(h.id)}>
                  <Link to={`/harvesters/${h.id}`}>
                    {h.name ?? `Harvester ${h.id}`}
                    {h.is_emulator ? ' (emulator)' : ''}
                  </Link>
                </li>
              ))}
            </ul>
          </div>
        )}
      </div>
      {result.kind === 'error' && <ErrorState error={result.error} compact />}
    </section>
  );
}

function FleetOverview() {
  const [page, setPage] = useState({ limit: 25, offset: 0 });
  // The zone of the report times, kept in the address like on the error-report pages.
  const [tz, setTz] = useZoneParam();
  const columns = useMemo(() => fleetColumns(tz), [tz]);
  return (
    <section className="section" aria-labelledby="fleet-title">
      <div className="section-head">
        <h2 id="fleet-title">Fleet overview</h2>
        <div className="section-head-tools">
          <ZoneSelect value={tz} onChange={setTz} />
          <Link to="/harvesters">All harvesters →</Link>
        </div>
      </div>
      <ListView
        path="/api/v1/harvesters/"
        columns={columns}
        caption="Harvesters"
        captionHidden
        limit={page.limit}
        offset={page.offset}
        onPageChange={(offset, limit) => setPage({ offset, limit })}
        emptyMessage="No harvesters yet."
      />
    </section>
  );
}

export function HomePage() {
  useTitle('Home');
  const { user } = useAuth();
  const isManager = canManageUsers(user);
  const cards = MENU.filter((item) => !item.managerOnly || isManager);

  return (
    <div className="page">
      <header className="page-head">
        <h1>Welcome to HDS</h1>
        {user && <p className="muted">Signed in as {displayName(user)}.</p>}
      </header>
      <HarvesterSearch />
      <section className="section" aria-labelledby="menu-title">
        <h2 id="menu-title">Menu</h2>
        <ul className="menu-cards">
          {cards.map((item) => (
            <li key={item.to}>
              <Link to={item.to} className="menu-card">
                <span className="menu-card-title">{item.title}</span>
                <span className="menu-card-text">{item.description}</span>
              </Link>
            </li>
          ))}
        </ul>
      </section>
      <FleetOverview />
    </div>
  );
}
