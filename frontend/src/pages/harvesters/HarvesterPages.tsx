import { useState, type FormEvent, type ReactNode } from 'react';
import { Link, useNavigate, useParams, useSearchParams } from 'react-router';
import { apiGet } from '../../api/client';
import type { ListQuery } from '../../api/contract';
import { canDevelop } from '../../api/roles';
import type { Fruit, Harvester, HarvesterHistory } from '../../api/schemas';
import type { Column } from '../../components/DataTable';
import { Detail, DetailList } from '../../components/DetailList';
import { ErrorState } from '../../components/ErrorState';
import { CheckboxField, FormErrors, SelectField, TextField } from '../../components/FormField';
import { JsonTree } from '../../components/JsonTree';
import { ListView } from '../../components/ListView';
import { Breadcrumb, Loaded } from '../../components/Loaded';
import { Modal } from '../../components/Modal';
import { TabList } from '../../components/Tabs';
import { useZoneParam, ZoneSelect } from '../../components/TimeZoneOptions';
import { useApi } from '../../hooks/useApi';
import { invalidateLookup, useLookup } from '../../hooks/useLookup';
import { usePageParams } from '../../hooks/usePageParams';
import { useSubmit } from '../../hooks/useSubmit';
import { useTitle } from '../../hooks/useTitle';
import { formatDateTime, objectLabel } from '../../lib/format';
import { useAuth, useClient } from '../../services';
import { HarvesterAssetsTab } from '../assets/AssetPages';
import { HarvesterConfigTab } from '../configs/ConfigPages';
import { errorReportColumns, LocationLink } from '../errorreports/common';
import { ConflictsBadge, HarvesterVersionTab, VersionFlags, VersionLabel } from '../versions/VersionParts';

/** The harvester list's filters: harv_id, and the fruit's name. */
const HARVESTER_FILTERS = ['harv_id', 'fruit__name'] as const satisfies ReadonlyArray<keyof ListQuery<'/api/v1/harvesters/'>>;
const HISTORY_FILTERS = ['harv_id'] as const satisfies ReadonlyArray<keyof ListQuery<'/api/v1/harvesterhistory/'>>;

/** Add or edit a harvester: POST `harvesters/` or PATCH `harvesters/{id}/`; the API's 400s go to the fields. */
function FruitLink({ fruit }: { fruit: Fruit }) {
  return <Link to={`/fruits/${fruit.id}`}>{fruit.name}</Link>;
}

export function HarvesterFormModal({
  harvester,
  onClose,
  onSaved,
}: {
  harvester?: Harvester;
  onClose: () => void;
  onSaved: (saved: Harvester) => void;
}) {
  const client = useClient();
  const fruits = useLookup('/api/v1/fruits/');
  const locations = useLookup('/api/v1/locations/');
  const { pending, errors, failure, run } = useSubmit();
  const [form, setForm] = useState({
    harv_id: harvester ? String(harvester.harv_id) : '',
    name: harvester?.name ?? '',
    fruit: harvester ? String(harvester.fruit.id) : '',
    location: harvester ? String(harvester.location.id) : '',
    thingName: harvester?.thingName ?? '',
    is_emulator: harvester?.is_emulator ?? false,
  });
  const set = (key: keyof typeof form) => (event: { target: { value: string } }) =>
    setForm((f) => ({ ...f, [key]: event.target.value }));
  const harvIdValid = /^\d+$/.test(form.harv_id.trim());

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (!harvIdValid || !form.fruit || !form.location) return;
    const body = {
      name: form.name.trim(),
      harv_id: Number(form.harv_id.trim()),
      fruit: Number(form.fruit),
      location: Number(form.location),
      is_emulator: form.is_emulator,
      thingName: form.thingName.trim(),
    };
    const result = await run(() =>
      harvester
        ? client.patch('/api/v1/harvesters/{id}/', { path: { id: String(harvester.id) }, body })
        : client.post('/api/v1/harvesters/', { body }),
    );
    if (result.ok) {
      invalidateLookup(client, '/api/v1/harvesters/');
      onSaved(result.value);
    }
  };

  const title = harvester ? `Edit harvester ${harvester.harv_id}` : 'New harvester';
  return (
    <Modal title={title} onClose={onClose} wide>
      <form onSubmit={(e) => void submit(e)} aria-label={title} className="form" noValidate>
        <div className="form-grid">
          <TextField
            label="Harv ID"
            required
            inputMode="numeric"
            value={form.harv_id}
            onChange={set('harv_id')}
            errors={errors.harv_id ?? (form.harv_id && !harvIdValid ? ['A whole number, e.g. 11.'] : undefined)}
          />
          <TextField label="Name" value={form.name} onChange={set('name')} errors={errors.name} maxLength={255} />
          <SelectField label="Fruit" required value={form.fruit} onChange={set('fruit')} errors={errors.fruit}
            hint={fruits.error ? 'The fruits could not be loaded.' : undefined}>
            <option value="">{fruits.loading ? 'Loading…' : 'Choose a fruit'}</option>
            {fruits.items.map((f) => (
              <option key={f.id} value={f.id}>
                {f.name}
              </option>
            ))}
          </SelectField>
          <SelectField label="Location" required value={form.location} onChange={set('location')} errors={errors.location}
            hint={locations.error ? 'The locations could not be loaded.' : undefined}>
            <option value="">{locations.loading ? 'Loading…' : 'Choose a location'}</option>
            {locations.items.map((l) => (
              <option key={l.id} value={l.id}>
                {l.ranch ?? `Location ${l.id}`}
              </option>
            ))}
          </SelectField>
          <TextField
            label="Thing name"
            value={form.thingName}
            onChange={set('thingName')}
            errors={errors.thingName}
            maxLength={20}
            hint="The AWS IoT thing name used to send jobs (optional)."
          />
          <CheckboxField
            label="Emulator"
            checked={form.is_emulator}
            onChange={(e) => setForm((f) => ({ ...f, is_emulator: e.target.checked }))}
            hint="At most one emulator per fruit."
          />
        </div>
        <FormErrors errors={errors} shown={['harv_id', 'name', 'fruit', 'location', 'thingName']} />
        {failure !== null && <ErrorState error={failure} compact />}
        <div className="form-actions modal-actions">
          <button type="submit" className="button button-primary" disabled={pending || !harvIdValid || !form.fruit || !form.location}>
            {pending ? 'Saving…' : harvester ? 'Save changes' : 'Create harvester'}
          </button>
          <button type="button" className="button" onClick={onClose} disabled={pending}>
            Cancel
          </button>
        </div>
      </form>
    </Modal>
  );
}

function FilterBar({
  filters,
  onApply,
  children,
}: {
  filters: Partial<Record<(typeof HARVESTER_FILTERS)[number], string>>;
  onApply: (f: Record<string, string>) => void;
  children?: ReactNode;
}) {
  const fruits = useLookup('/api/v1/fruits/');
  const [harvId, setHarvId] = useState(filters.harv_id ?? '');
  const [fruit, setFruit] = useState(filters.fruit__name ?? '');
  return (
    <form
      className="toolbar card"
      role="search"
      aria-label="Harvester filters"
      onSubmit={(e) => {
        e.preventDefault();
        onApply({ harv_id: harvId.trim(), fruit__name: fruit });
      }}
    >
      <TextField label="Harv ID" inputMode="numeric" value={harvId} onChange={(e) => setHarvId(e.target.value)} />
      <SelectField label="Fruit" value={fruit} onChange={(e) => setFruit(e.target.value)}>
        <option value="">Any fruit</option>
        {fruits.items.map((f) => (
          <option key={f.id} value={f.name}>
            {f.name}
          </option>
        ))}
      </SelectField>
      <div className="field">
        <button type="submit" className="button">
          Search
        </button>
      </div>
      {children}
    </form>
  );
}

function harvesterColumns(canEdit: boolean, onEdit: (h: Harvester) => void): Column<Harvester>[] {
  const columns: Column<Harvester>[] = [
    { key: 'harv_id', header: 'Harv ID', render: (h) => <Link to={`/harvesters/${h.id}`}>{h.harv_id}</Link> },
    { key: 'name', header: 'Name', render: (h) => h.name || '—' },
    { key: 'fruit', header: 'Fruit', render: (h) => <FruitLink fruit={h.fruit} /> },
    { key: 'location', header: 'Location', render: (h) => <LocationLink location={h.location} /> },
    {
      key: 'is_emulator',
      header: 'Emulator',
      render: (h) => (h.is_emulator ? <span className="badge">emulator</span> : 'No'),
    },
    {
      key: 'links',
      header: 'Links',
      render: (h) => (
        <span className="link-row">
          <Link to={`/harvesterhistory?harv_id=${h.harv_id}`}>History</Link>
          <Link to={`/harvesters/${h.id}/versions`}>Versions</Link>
          <Link to={`/errorreports?harv_ids=${h.harv_id}`}>Error reports</Link>
        </span>
      ),
    },
  ];
  if (canEdit) {
    columns.push({
      key: 'edit',
      header: 'Edit',
      render: (h) => (
        <button type="button" className="button button-small" onClick={() => onEdit(h)} aria-label={`Edit harvester ${h.harv_id}`}>
          Edit
        </button>
      ),
    });
  }
  return columns;
}

export function HarvesterListPage() {
  useTitle('Harvesters');
  const { user } = useAuth();
  const navigate = useNavigate();
  const canEdit = canDevelop(user);
  const { limit, offset, filters, setPage } = usePageParams(HARVESTER_FILTERS);
  const [editing, setEditing] = useState<Harvester | 'new' | null>(null);
  const [version, setVersion] = useState(0);

  const apply = (next: Record<string, string>) => {
    const params = new URLSearchParams();
    for (const [k, v] of Object.entries(next)) if (v) params.set(k, v);
    if (limit !== 10) params.set('limit', String(limit));
    navigate({ search: params.toString() });
  };

  return (
    <div className="page">
      <header className="page-head page-head-row">
        <div>
          <h1>Harvesters</h1>
          <p className="muted">The fleet: every harvester, its fruit and location.</p>
        </div>
        {canEdit && (
          <button type="button" className="button button-primary" onClick={() => setEditing('new')}>
            New harvester
          </button>
        )}
      </header>
      <FilterBar key={JSON.stringify(filters)} filters={filters} onApply={apply} />
      <ListView
        key={version}
        path="/api/v1/harvesters/"
        query={filters}
        columns={harvesterColumns(canEdit, setEditing)}
        caption="Harvesters"
        captionHidden
        limit={limit}
        offset={offset}
        onPageChange={setPage}
        emptyMessage="No harvesters."
      />
      {editing && (
        <HarvesterFormModal
          harvester={editing === 'new' ? undefined : editing}
          onClose={() => setEditing(null)}
          onSaved={(saved) => {
            setEditing(null);
            if (editing === 'new') navigate(`/harvesters/${saved.id}`);
            else setVersion((v) => v + 1);
          }}
        />
      )}
    </div>
  );
}

const HISTORY_TYPES: Record<string, string> = { '+': 'created', '~': 'updated', '-': 'deleted' };

function useUserNames(): Map<number, string> {
  const users = useLookup('/api/v1/users/profiles/');
  return new Map(users.items.map((u) => [u.id, u.username]));
}

function historyUser(value: HarvesterHistory['history_user'], names: Map<number, string>): string {
  if (value === null || value === undefined) return '—';
  return names.get(value) ?? `user ${value}`;
}

export function historyColumns(names: Map<number, string>, withHarvester = true): Column<HarvesterHistory>[] {
  const columns: Column<HarvesterHistory>[] = [
    {
      key: 'history_date',
      header: 'Date',
      render: (h) => <Link to={`/harvesterhistory/${h.history_id}`}>{formatDateTime(h.history_date)}</Link>,
    },
    {
      key: 'history_type',
      header: 'Change',
      render: (h) => {
        const kind = HISTORY_TYPES[h.history_type] ?? h.history_type;
        return <span className={`badge history-${kind}`}>{kind}</span>;
      },
    },
    { key: 'history_user', header: 'By', render: (h) => historyUser(h.history_user, names) },
  ];
  if (withHarvester) {
    columns.push({
      key: 'harv_id',
      header: 'Harvester',
      render: (h) => <Link to={`/harvesters/${h.id}`}>{h.harv_id}</Link>,
    });
  }
  columns.push(
    { key: 'name', header: 'Name', render: (h) => h.name || '—' },
    { key: 'fruit', header: 'Fruit', render: (h) => objectLabel(h.fruit) },
    { key: 'location', header: 'Location', render: (h) => objectLabel(h.location) },
    { key: 'is_emulator', header: 'Emulator', render: (h) => (h.is_emulator ? 'Yes' : 'No') },
    { key: 'release', header: 'Release', render: (h) => h.release?.version ?? '—' },
    { key: 'history_change_reason', header: 'Reason', render: (h) => h.history_change_reason || '—' },
  );
  return columns;
}

export function HarvesterHistoryPage() {
  useTitle('Harvester history');
  const navigate = useNavigate();
  const { limit, offset, filters, setPage, clearFilter } = usePageParams(HISTORY_FILTERS);
  const names = useUserNames();
  const [harvId, setHarvId] = useState(filters.harv_id ?? '');

  return (
    <div className="page">
      <header className="page-head">
        <h1>Harvester history</h1>
        <p className="muted">Every change to a harvester: who made it and when, newest first.</p>
      </header>
      <form
        className="toolbar card"
        role="search"
        aria-label="History filters"
        onSubmit={(e) => {
          e.preventDefault();
          navigate({ search: harvId.trim() ? `?harv_id=${encodeURIComponent(harvId.trim())}` : '' });
        }}
      >
        <TextField label="Harv ID" inputMode="numeric" value={harvId} onChange={(e) => setHarvId(e.target.value)} />
        <div className="field">
          <button type="submit" className="button">
            Show
          </button>
        </div>
        {filters.harv_id && (
          <div className="field">
            <button
              type="button"
              className="button button-ghost"
              onClick={() => {
                setHarvId('');
                clearFilter('harv_id');
              }}
            >
              All harvesters
            </button>
          </div>
        )}
      </form>
      <ListView
        path="/api/v1/harvesterhistory/"
        query={filters}
        columns={historyColumns(names)}
        caption="Harvester history"
        captionHidden
        limit={limit}
        offset={offset}
        onPageChange={setPage}
        emptyMessage="No changes recorded."
      />
    </div>
  );
}

const TABS = [
  { id: 'overview', label: 'Overview' },
  { id: 'version', label: 'Version' },
  { id: 'config', label: 'Config' },
  { id: 'assets', label: 'Assets' },
] as const;
type TabId = (typeof TABS)[number]['id'];

/** The tab in the address (`?tab=version`); absent or unknown: the overview. */
function useHarvesterTab(): [TabId, (tab: string) => void] {
  const [params, setParams] = useSearchParams();
  const tab = TABS.find((t) => t.id === params.get('tab'))?.id ?? 'overview';
  const select = (next: string) =>
    setParams(
      (prev) => {
        const out = new URLSearchParams(prev);
        if (next === 'overview') out.delete('tab');
        else out.set('tab', next);
        return out;
      },
      { replace: true },
    );
  return [tab, select];
}

function OverviewTab({ h, names, tz }: { h: Harvester; names: Map<number, string>; tz: string }) {
  const [reports, setReports] = useState({ limit: 10, offset: 0 });
  const [history, setHistory] = useState({ limit: 10, offset: 0 });
  return (
    <>
      <section className="card" aria-labelledby="recent-errors-title">
        <div className="section-head">
          <h2 id="recent-errors-title">Recent error reports</h2>
          <Link to={`/errorreports?harv_ids=${h.harv_id}`}>All error reports of this harvester →</Link>
        </div>
        <ListView
          path="/api/v1/errorreports/"
          query={{ harv_ids: String(h.harv_id) }}
          columns={errorReportColumns(tz).filter((c) => c.key !== 'harvester')}
          caption="Recent error reports"
          captionHidden
          limit={reports.limit}
          offset={reports.offset}
          onPageChange={(offset, limit) => setReports({ offset, limit })}
          emptyMessage="No error reports from this harvester."
        />
      </section>

      <section className="card" aria-labelledby="history-title">
        <div className="section-head">
          <h2 id="history-title">History</h2>
          <Link to={`/harvesterhistory?harv_id=${h.harv_id}`}>Full history →</Link>
        </div>
        <ListView
          path="/api/v1/harvesterhistory/"
          query={{ harv_id: h.harv_id }}
          columns={historyColumns(names, false)}
          caption="Harvester history"
          captionHidden
          limit={history.limit}
          offset={history.offset}
          onPageChange={(offset, limit) => setHistory({ offset, limit })}
          emptyMessage="No changes recorded."
        />
      </section>
    </>
  );
}

export function HarvesterDetailPage() {
  const { id = '' } = useParams();
  const { user } = useAuth();
  const { data: h, error, reload } = useApi(apiGet('/api/v1/harvesters/{id}/', { path: { id } }));
  useTitle(h ? `Harvester ${h.harv_id}` : `Harvester ${id}`);
  const [editing, setEditing] = useState(false);
  const [tab, setTab] = useHarvesterTab();
  const [tz, setTz] = useZoneParam();
  const names = useUserNames();

  return (
    <div className="page">
      <Breadcrumb to="/harvesters" label="Harvesters">
        {h?.harv_id ?? id}
      </Breadcrumb>
      <header className="page-head page-head-row">
        <div>
          <h1>
            Harvester {h ? h.harv_id : id}
            {h?.name ? <span className="muted"> · {h.name}</span> : null}
          </h1>
          {h?.is_emulator && <span className="badge">emulator</span>}
        </div>
        {h && canDevelop(user) && (
          <div className="page-actions">
            <button type="button" className="button" onClick={() => setEditing(true)}>
              Edit
            </button>
          </div>
        )}
      </header>
      <Loaded data={h} error={error} reload={reload} label="Loading the harvester…">
        {(h) => (
            <>
              <div className="columns">
                <section className="card" aria-labelledby="fields-title">
                  <h2 id="fields-title">Details</h2>
                  <DetailList>
                    <Detail label="Harv ID">{h.harv_id}</Detail>
                    <Detail label="Name">{h.name || '—'}</Detail>
                    <Detail label="Fruit">
                      <FruitLink fruit={h.fruit} />
                    </Detail>
                    <Detail label="Location">
                      <LocationLink location={h.location} />
                      <span className="muted"> · {h.location.distributor.name}</span>
                    </Detail>
                    <Detail label="Emulator">{h.is_emulator ? 'Yes' : 'No'}</Detail>
                    <Detail label="Thing name">{h.thingName || '—'}</Detail>
                    <Detail label="Created">{formatDateTime(h.created)}</Detail>
                    <Detail label="Last modified">{formatDateTime(h.lastModified)}</Detail>
                  </DetailList>
                  <p className="link-row">
                    <Link to={`/errorreports?harv_ids=${h.harv_id}`}>All error reports</Link>
                    <Link to={`/errorreports/view/pareto?harv_ids=${h.harv_id}`}>Error pareto</Link>
                    <Link to={`/harvesterhistory?harv_id=${h.harv_id}`}>Full history</Link>
                    <Link to={`/harvesters/${h.id}/versions`}>Version reports</Link>
                    <Link to={`/autodiagnostics?harv_id=${h.harv_id}`}>Autodiagnostics</Link>
                    <Link to={`/gripreports?harvester__harv_id=${h.harv_id}`}>Grip reports</Link>
                    <Link to={`/jobs?target__harv_id=${h.harv_id}`}>Jobs</Link>
                    <Link to={`/jobresults?harv_ids=${h.harv_id}`}>Job results</Link>
                    <Link to={`/jobscheduler?targets=${h.harv_id}`}>Start a job on it</Link>
                  </p>
                </section>
                <section className="card" aria-labelledby="release-title">
                  <h2 id="release-title">Release</h2>
                  {h.release ? (
                    <>
                      <DetailList compact>
                        <Detail label="Version">
                          <Link to={`/release/${h.release.id}`}>{h.release.version}</Link>
                        </Detail>
                        <Detail label="Tags">{h.release.tags?.length ? h.release.tags.join(', ') : '—'}</Detail>
                      </DetailList>
                      <JsonTree value={h.release.release ?? h.release} expandDepth={1} copyable />
                    </>
                  ) : (
                    <p className="muted">No release assigned.</p>
                  )}
                  <h3>Installed version</h3>
                  {h.version ? (
                    <DetailList compact>
                      <Detail label="Version">
                        <VersionLabel report={h.version.report} />
                      </Detail>
                      <Detail label="Dirty">
                        <VersionFlags report={h.version} />
                      </Detail>
                      <Detail label="Against the release">
                        <ConflictsBadge conflicts={h.version.conflicts} />
                      </Detail>
                    </DetailList>
                  ) : (
                    <p className="muted">No version report yet.</p>
                  )}
                  {h.version && (
                    <p>
                      <button type="button" className="link-button" onClick={() => setTab('version')}>
                        Per host, in the Version tab
                      </button>
                    </p>
                  )}
                </section>
              </div>

              <div className="section-head tabs-head">
                <TabList
                  label="Harvester"
                  items={[...TABS]}
                  selected={tab}
                  onSelect={setTab}
                  idPrefix="harvester-tab"
                  panelId="harvester-tabpanel"
                />
                {tab !== 'assets' && <ZoneSelect value={tz} onChange={setTz} />}
              </div>
              <div role="tabpanel" id="harvester-tabpanel" aria-labelledby={`harvester-tab-${tab}`} className="tab-panel stack">
                {tab === 'overview' && <OverviewTab h={h} names={names} tz={tz} />}
                {tab === 'version' && <HarvesterVersionTab harvester={h} tz={tz} />}
                {tab === 'config' && <HarvesterConfigTab harvester={h} tz={tz} />}
                {tab === 'assets' && <HarvesterAssetsTab harvester={h} />}
              </div>
            </>
        )}
      </Loaded>
      {editing && h && (
        <HarvesterFormModal
          harvester={h}
          onClose={() => setEditing(false)}
          onSaved={() => {
            setEditing(false);
            reload();
          }}
        />
      )}
    </div>
  );
}
