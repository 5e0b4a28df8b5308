import { useMemo, useState, type FormEvent } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import { apiGet, apiList } from '../../api/client';
import type { ListQuery } from '../../api/contract';
import { canManageJobs, INSTALL_RELEASE, jobErrors, latestSchema, startedJobsRoute, startJobs } from '../../api/jobs';
import { MAX_LIMIT, pickParams } from '../../api/pagination';
import { canDevelop } from '../../api/roles';
import type { Harvester, Release } from '../../api/schemas';
import type { Column } from '../../components/DataTable';
import { Detail, DetailList } from '../../components/DetailList';
import { ErrorState } from '../../components/ErrorState';
import { FormErrors } from '../../components/FormField';
import { JsonTree } from '../../components/JsonTree';
import { PagedList } from '../../components/ListView';
import { Breadcrumb, Loaded } from '../../components/Loaded';
import { Loading } from '../../components/Loading';
import { Modal } from '../../components/Modal';
import { MultiSelect } from '../../components/MultiSelect';
import { useApi } from '../../hooks/useApi';
import { useLookup } from '../../hooks/useLookup';
import { usePageParams } from '../../hooks/usePageParams';
import { useSubmit } from '../../hooks/useSubmit';
import { useTitle } from '../../hooks/useTitle';
import { formatDateTime } from '../../lib/format';
import { useAuth, useClient } from '../../services';
import { HarvesterLink, LocationLink } from '../errorreports/common';
import { Tags } from '../events/related';
import { TargetPicker, targetNumbers } from '../jobs/TargetPicker';
import type { ScheduledNotice } from '../jobs/ScheduleJobPage';
import { ReportFilterForm } from '../reports/ReportFilterForm';
import type { FilterSpec } from '../reports/filters';
import { VersionLabel } from '../versions/VersionParts';
import { ReleaseParetoPanel } from './ReleaseParetoPanel';
import { RolloutsPanel } from './RolloutPanel';

const QUERY = ['fruit', 'tags', 'created_after', 'created_before', 'ordering'] as const satisfies ReadonlyArray<
  keyof ListQuery<'/api/v1/release/'>
>;

/** Every tag used on a release (`release/tags/`), for the filter and the tag editor. */
function useReleaseTags() {
  const { data, error, loading, reload } = useApi(apiGet('/api/v1/release/tags/'));
  return { tags: data?.tags ?? [], error, loading, reload };
}

/**
 * A release's tags: pick existing ones or type new ones, then "Save tags" (POST
 * `release/{id}/update_tags/` `{tags}`: replaces them, developers and up).
 */
export function ReleaseTagsEditor({ release, known, onSaved }: { release: Release; known: string[]; onSaved: (release: Release) => void }) {
  const client = useClient();
  const [tags, setTags] = useState<string[]>(release.tags);
  const { pending, errors, failure, run } = useSubmit();
  const [saved, setSaved] = useState(false);
  const options = useMemo(() => [...new Set([...known, ...release.tags])].sort().map((t) => ({ value: t, label: t })), [known, release.tags]);
  // The order of tags means nothing (the server may answer them sorted).
  const changed = [...tags].sort().join('\u0000') !== [...release.tags].sort().join('\u0000');

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setSaved(false);
    const result = await run(() => client.post('/api/v1/release/{id}/update_tags/', { path: { id: String(release.id) }, body: { tags } }));
    if (result.ok) {
      setSaved(true);
      setTags(result.value.tags);
      onSaved(result.value);
    }
  };

  return (
    <form className="form" onSubmit={(e) => void submit(e)} aria-label={`Tags of release ${release.version}`} noValidate>
      <MultiSelect
        label="Tags"
        placeholder="No tags"
        options={options}
        value={tags}
        onChange={(v) => {
          setSaved(false);
          setTags(v.map((t) => t.trim()).filter(Boolean));
        }}
        allowCustom={(t) => t.trim().length > 0 && !t.includes(',')}
        hint="Pick tags in use or type a new one and press Enter."
        errors={errors.tags}
      />
      <FormErrors errors={errors} shown={['tags']} />
      {failure !== null && <ErrorState error={failure} compact />}
      <div className="form-actions">
        <button type="submit" className="button button-primary" disabled={pending || !changed}>
          {pending ? 'Saving…' : 'Save tags'}
        </button>
        {changed && (
          <button type="button" className="button" onClick={() => setTags(release.tags)} disabled={pending}>
            Undo changes
          </button>
        )}
        <span className="muted" aria-live="polite">
          {saved ? 'Tags saved.' : changed ? 'Not saved yet.' : ''}
        </span>
      </div>
    </form>
  );
}

/**
 * "Schedule install": an `install_release` job on each chosen harvester, with the latest
 * schema version of that type and the payload `{run_state: ["updating"], targets: ["master"],
 * release: <the manifest>}` (`harvjobs/`, or `harvjobs/bulk/` for several). Managers only.
 */
export function ScheduleInstallModal({ release, onClose }: { release: Release; onClose: () => void }) {
  const client = useClient();
  const navigate = useNavigate();
  const schemas = useApi(apiList('/api/v1/jobschemas/', { limit: MAX_LIMIT, query: { jobtype__name: INSTALL_RELEASE } }));
  const schema = latestSchema(schemas.data?.results ?? []);
  const [targets, setTargets] = useState<string[]>([]);
  const [pending, setPending] = useState(false);
  const [fields, setFields] = useState<Record<string, string[]>>({});
  const [failure, setFailure] = useState<unknown>(null);
  const title = `Install ${release.version} (${release.fruit.name})`;

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (!schema) return;
    const harvIds = targetNumbers(targets);
    if (!harvIds.length) {
      setFields({ targets: ['Choose at least one harvester.'] });
      return;
    }
    setPending(true);
    setFields({});
    setFailure(null);
    try {
      const started = await startJobs(client, {
        jobtype: INSTALL_RELEASE,
        schema_version: schema.version,
        payload: { run_state: ['updating'], targets: ['master'], release: release.release },
        targets: harvIds,
      });
      const count = started.ids.length;
      navigate(startedJobsRoute(started, INSTALL_RELEASE), {
        state: { notice: `Release ${release.version}: ${count === 1 ? 'an install job' : `${count} install jobs`} started.` } satisfies ScheduledNotice,
      });
    } catch (error) {
      const rejected = jobErrors(error);
      if (rejected) {
        // The payload is built here, so what the schema says of it is for everyone to read.
        const payload = [...(rejected.payload.__errors ?? []), ...Object.keys(rejected.payload).filter((k) => k !== '__errors').map((k) => `payload.${k}`)];
        setFields({ ...rejected.fields, ...(payload.length ? { payload } : {}) });
      } else {
        setFailure(error);
      }
      setPending(false);
    }
  };

  return (
    <Modal title={title} onClose={onClose} wide>
      {schemas.error ? (
        <ErrorState error={schemas.error} onRetry={schemas.reload} compact />
      ) : !schemas.data ? (
        <Loading label="Loading the install_release schema…" />
      ) : !schema ? (
        <p className="notice">
          There is no {INSTALL_RELEASE} job schema yet: CI posts it, or a manager adds it on{' '}
          <Link to={`/jobschemas?jobtype__name=${INSTALL_RELEASE}`}>Job schemas</Link>.
        </p>
      ) : (
        <form onSubmit={(e) => void submit(e)} aria-label={title} className="form" noValidate>
          <p>
            Starts one <code>{INSTALL_RELEASE}</code> job (schema {schema.version}) per harvester: its master updates to this release.
          </p>
          <TargetPicker
            value={targets}
            onChange={setTargets}
            errors={fields.targets}
            hint={`Usually ${release.fruit.name} harvesters: add them all with “Add a group”.`}
          />
          <FormErrors errors={fields} shown={['targets']} />
          {failure !== null && <ErrorState error={failure} compact />}
          <div className="form-actions modal-actions">
            <button type="submit" className="button button-primary" disabled={pending}>
              {pending ? 'Starting…' : targets.length > 1 ? `Install on ${targets.length} harvesters` : 'Install'}
            </button>
            <button type="button" className="button" onClick={onClose} disabled={pending}>
              Cancel
            </button>
          </div>
        </form>
      )}
    </Modal>
  );
}

export function ReleaseListPage() {
  useTitle('Releases');
  const { user } = useAuth();
  const mayTag = canDevelop(user);
  const mayInstall = canManageJobs(user);
  const { params, setParams, limit, offset, setPage } = usePageParams();
  const fruits = useLookup('/api/v1/fruits/');
  const known = useReleaseTags();
  const [tagging, setTagging] = useState<Release | null>(null);
  const [installing, setInstalling] = useState<Release | null>(null);
  const [round, setRound] = useState(0);

  const spec = useMemo<FilterSpec>(
    () => ({
      fields: [
        {
          param: 'fruit',
          kind: 'choice',
          label: 'Fruit',
          any: 'Any fruit',
          choices: fruits.items.map((f) => ({ value: f.name, label: f.name })),
          choicesLoading: fruits.loading,
          choicesError: fruits.error ? 'The fruits could not be loaded.' : null,
        },
        {
          param: 'tags',
          kind: 'choices',
          label: 'Tags (all of them)',
          any: 'Any tags',
          choices: known.tags.map((t) => ({ value: t, label: t })),
          choicesLoading: known.loading,
          choicesError: known.error ? 'The tags could not be loaded.' : null,
        },
      ],
    }),
    [fruits.items, fruits.loading, fruits.error, known.tags, known.loading, known.error],
  );

  const columns: Column<Release>[] = [
    { key: 'id', header: 'ID', render: (r) => <Link to={`/release/${r.id}`}>{r.id}</Link> },
    { key: 'version', header: 'Version', render: (r) => <Link to={`/release/${r.id}`}>{r.version}</Link> },
    { key: 'fruit', header: 'Fruit', render: (r) => r.fruit.name },
    { key: 'tags', header: 'Tags', render: (r) => <Tags tags={r.tags} /> },
    { key: 'created', header: 'Created', className: 'nowrap', render: (r) => formatDateTime(r.created) },
    { key: 'lastModified', header: 'Last modified', className: 'nowrap', render: (r) => formatDateTime(r.lastModified) },
  ];
  if (mayTag || mayInstall) {
    columns.push({
      key: 'actions',
      header: 'Actions',
      render: (r) => (
        <span className="link-row">
          {mayTag && (
            <button type="button" className="button button-small" onClick={() => setTagging(r)} aria-label={`Edit the tags of release ${r.version}`}>
              Tags
            </button>
          )}
          {mayInstall && (
            <button type="button" className="button button-small" onClick={() => setInstalling(r)} aria-label={`Schedule install of release ${r.version}`}>
              Schedule install
            </button>
          )}
        </span>
      ),
    });
  }

  return (
    <div className="page">
      <header className="page-head">
        <h1>Releases</h1>
        <p className="muted">Code releases CI posted, newest first: each one’s manifest, tags and the harvesters set to run it.</p>
      </header>
      <ReportFilterForm spec={spec} params={params} onApply={setParams} label="Release filters" storageKey="hds.release.filters-open" />
      <PagedList
        key={round}
        request={apiList('/api/v1/release/', { limit, offset, query: pickParams(params, QUERY) })}
        columns={columns}
        caption="Releases"
        captionHidden
        limit={limit}
        offset={offset}
        onPageChange={setPage}
        emptyMessage="No release matches."
      />
      {tagging && (
        <Modal title={`Tags of release ${tagging.version}`} onClose={() => setTagging(null)}>
          <ReleaseTagsEditor
            release={tagging}
            known={known.tags}
            onSaved={(saved) => {
              setTagging(saved);
              setRound((r) => r + 1);
              known.reload();
            }}
          />
        </Modal>
      )}
      {installing && <ScheduleInstallModal release={installing} onClose={() => setInstalling(null)} />}
    </div>
  );
}

function harvesterColumns(): Column<Harvester>[] {
  return [
    { key: 'harv_id', header: 'Harvester', render: (h) => <HarvesterLink harvester={h} /> },
    { key: 'name', header: 'Name', render: (h) => h.name || '—' },
    { key: 'location', header: 'Location', render: (h) => <LocationLink location={h.location} /> },
    {
      key: 'version',
      header: 'Installed version',
      render: (h) => (h.version ? <Link to={`/harvversion/${h.version.id}`}><VersionLabel report={h.version.report} /></Link> : <span className="muted">no report</span>),
    },
    { key: 'jobs', header: 'Jobs', render: (h) => <Link to={`/jobs?target__harv_id=${h.harv_id}&jobtype=${INSTALL_RELEASE}`}>Installs</Link> },
  ];
}

/*
 * The release page's sections, in order: details and tags, the harvesters on it, its rollouts
 * (installing it in waves, with the halt rule's state), what got worse with it (the release's
 * exception pareto), the manifest.
 */
export function ReleaseDetailPage() {
  const { id = '' } = useParams();
  const { user } = useAuth();
  const { limit, offset, setPage } = usePageParams();
  const { data, error, reload } = useApi(apiGet('/api/v1/release/{id}/', { path: { id } }));
  const known = useReleaseTags();
  const [release, setRelease] = useState<Release | null>(null);
  const [installing, setInstalling] = useState(false);
  // What the tag editor saved replaces the answer until the page loads again.
  const shown = release && data && release.id === data.id ? release : data;
  useTitle(shown ? `Release ${shown.version}` : `Release ${id}`);

  return (
    <div className="page">
      <Breadcrumb to="/release" label="Releases">
        {shown?.version ?? id}
      </Breadcrumb>
      <Loaded data={shown} error={error} reload={reload} label="Loading the release…">
        {(r) => (
          <>
            <header className="page-head page-head-row">
              <div>
                <h1>
                  Release {r.version} <span className="muted">{r.fruit.name}</span>
                </h1>
                <p className="link-row">
                  <Link to={`/release?fruit=${encodeURIComponent(r.fruit.name)}`}>Other {r.fruit.name} releases</Link>
                  <Link to={`/jobs?jobtype=${INSTALL_RELEASE}`}>Install jobs</Link>
                </p>
              </div>
              {canManageJobs(user) && (
                <button type="button" className="button button-primary" onClick={() => setInstalling(true)}>
                  Schedule install
                </button>
              )}
            </header>
            <section className="card" aria-labelledby="details-title">
              <h2 id="details-title">Details</h2>
              <DetailList>
                <Detail label="ID">{r.id}</Detail>
                <Detail label="Version">{r.version}</Detail>
                <Detail label="Fruit">{r.fruit.name}</Detail>
                <Detail label="Created">{formatDateTime(r.created)}</Detail>
                <Detail label="Last modified">{formatDateTime(r.lastModified)}</Detail>
                {!canDevelop(user) && (
                  <Detail label="Tags">
                    <Tags tags={r.tags} />
                  </Detail>
                )}
              </DetailList>
              {canDevelop(user) && (
                <ReleaseTagsEditor
                  release={r}
                  known={known.tags}
                  onSaved={(saved) => {
                    setRelease(saved);
                    known.reload();
                  }}
                />
              )}
            </section>
            <section className="card" aria-labelledby="harvesters-title">
              <h2 id="harvesters-title">Harvesters on this release</h2>
              <PagedList
                request={apiGet('/api/v1/release/{id}/harvesters/', { path: { id: String(r.id) }, query: { limit, offset } })}
                columns={harvesterColumns()}
                caption="Harvesters on this release"
                captionHidden
                limit={limit}
                offset={offset}
                onPageChange={setPage}
                emptyMessage="No harvester is set to run this release."
              />
            </section>
            <RolloutsPanel release={r} />
            <ReleaseParetoPanel release={r} />
            <section className="card" aria-labelledby="manifest-title">
              <h2 id="manifest-title">Manifest</h2>
              <JsonTree value={r.release} expandDepth={1} copyable name="release" />
            </section>
            {installing && <ScheduleInstallModal release={r} onClose={() => setInstalling(false)} />}
          </>
        )}
      </Loaded>
    </div>
  );
}
