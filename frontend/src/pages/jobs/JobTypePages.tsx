import { useState, type FormEvent } from 'react';
import { Link, useParams } from 'react-router';
import { apiGet } from '../../api/client';
import { canDevelop } from '../../api/roles';
import type { JobType } from '../../api/schemas';
import type { Column } from '../../components/DataTable';
import { Detail, DetailList } from '../../components/DetailList';
import { ErrorState } from '../../components/ErrorState';
import { FormErrors, TextField } from '../../components/FormField';
import { ListView } from '../../components/ListView';
import { Breadcrumb, Loaded } from '../../components/Loaded';
import { Modal } from '../../components/Modal';
import { useApi } from '../../hooks/useApi';
import { invalidateLookup } from '../../hooks/useLookup';
import { usePageParams } from '../../hooks/usePageParams';
import { useSubmit } from '../../hooks/useSubmit';
import { useTitle } from '../../hooks/useTitle';
import { formatDateTime } from '../../lib/format';
import { useAuth, useClient } from '../../services';
import { schemaColumns } from './JobSchemaPages';

/**
 * POST `jobtypes/` or PUT `jobtypes/{id}/` with `{name}`: developers and up may do both (PATCH
 * is the superusers', so the edit uses PUT; the body is the whole type anyway).
 */
export function JobTypeFormModal({ jobType, onClose, onSaved }: { jobType?: JobType; onClose: () => void; onSaved: (saved: JobType) => void }) {
  const client = useClient();
  const { pending, errors, failure, run } = useSubmit();
  const [name, setName] = useState(jobType?.name ?? '');
  const trimmed = name.trim();

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (!trimmed) return;
    const body = { name: trimmed };
    const result = await run(() =>
      jobType ? client.put('/api/v1/jobtypes/{id}/', { path: { id: String(jobType.id) }, body }) : client.post('/api/v1/jobtypes/', { body }),
    );
    if (result.ok) {
      invalidateLookup(client, '/api/v1/jobtypes/');
      onSaved(result.value);
    }
  };

  const title = jobType ? `Rename job type ${jobType.name}` : 'New job type';
  return (
    <Modal title={title} onClose={onClose}>
      <form onSubmit={(e) => void submit(e)} aria-label={title} className="form" noValidate>
        <TextField
          label="Name"
          required
          value={name}
          onChange={(e) => setName(e.target.value)}
          errors={errors.name}
          maxLength={20}
          spellCheck={false}
          hint={jobType ? 'Jobs and schemas of this type keep it under its new name.' : 'Unique, at most 20 characters (e.g. session_scrape).'}
        />
        <FormErrors errors={errors} shown={['name']} />
        {failure !== null && <ErrorState error={failure} compact />}
        <div className="form-actions modal-actions">
          <button type="submit" className="button button-primary" disabled={pending || !trimmed}>
            {pending ? 'Saving…' : jobType ? 'Save' : 'Create job type'}
          </button>
          <button type="button" className="button" onClick={onClose} disabled={pending}>
            Cancel
          </button>
        </div>
      </form>
    </Modal>
  );
}

export function JobTypeListPage() {
  useTitle('Job types');
  const { user } = useAuth();
  const mayEdit = canDevelop(user);
  const { limit, offset, setPage } = usePageParams();
  const [editing, setEditing] = useState<JobType | 'new' | null>(null);
  const [version, setVersion] = useState(0);

  const columns: Column<JobType>[] = [
    { key: 'id', header: 'ID', render: (t) => <Link to={`/jobtypes/${t.id}`}>{t.id}</Link> },
    { key: 'name', header: 'Name', render: (t) => <Link to={`/jobtypes/${t.id}`}>{t.name}</Link> },
    {
      key: 'links',
      header: 'See',
      render: (t) => (
        <span className="link-row">
          <Link to={`/jobschemas?jobtype__name=${encodeURIComponent(t.name)}`}>Schemas</Link>
          <Link to={`/jobs?jobtype=${encodeURIComponent(t.name)}`}>Jobs</Link>
          <Link to={`/jobscheduler?jobtype=${encodeURIComponent(t.name)}`}>Schedule</Link>
        </span>
      ),
    },
    { key: 'created', header: 'Created', className: 'nowrap', render: (t) => formatDateTime(t.created) },
    { key: 'lastModified', header: 'Last modified', className: 'nowrap', render: (t) => formatDateTime(t.lastModified) },
  ];
  if (mayEdit) {
    columns.push({
      key: 'edit',
      header: 'Edit',
      render: (t) => (
        <button type="button" className="button button-small" onClick={() => setEditing(t)} aria-label={`Rename job type ${t.name}`}>
          Rename
        </button>
      ),
    });
  }

  return (
    <div className="page">
      <header className="page-head page-head-row">
        <div>
          <h1>Job types</h1>
          <p className="muted">
            The kinds of job harvesters run. CI adds them with their <Link to="/jobschemas">payload schemas</Link>; the{' '}
            <Link to="/jobscheduler">job scheduler</Link> starts them.
          </p>
        </div>
        {mayEdit && (
          <button type="button" className="button button-primary" onClick={() => setEditing('new')}>
            New job type
          </button>
        )}
      </header>
      <ListView
        key={version}
        path="/api/v1/jobtypes/"
        columns={columns}
        caption="Job types"
        captionHidden
        limit={limit}
        offset={offset}
        onPageChange={setPage}
        emptyMessage="No job types yet."
      />
      {editing && (
        <JobTypeFormModal
          jobType={editing === 'new' ? undefined : editing}
          onClose={() => setEditing(null)}
          onSaved={() => {
            setEditing(null);
            setVersion((v) => v + 1);
          }}
        />
      )}
    </div>
  );
}

export function JobTypeDetailPage() {
  const { id = '' } = useParams();
  const { user } = useAuth();
  const { limit, offset, setPage } = usePageParams();
  const { data, error, reload } = useApi(apiGet('/api/v1/jobtypes/{id}/', { path: { id } }));
  const [editing, setEditing] = useState(false);
  useTitle(data ? `Job type ${data.name}` : `Job type ${id}`);

  return (
    <div className="page">
      <Breadcrumb to="/jobtypes" label="Job types">
        {data?.name ?? id}
      </Breadcrumb>
      <Loaded data={data} error={error} reload={reload} label="Loading the job type…">
        {(t) => (
          <>
            <header className="page-head page-head-row">
              <div>
                <h1>Job type {t.name}</h1>
                <p className="link-row">
                  <Link to={`/jobs?jobtype=${encodeURIComponent(t.name)}`}>Its jobs</Link>
                  <Link to={`/jobschedules?jobtype=${encodeURIComponent(t.name)}`}>Its schedules</Link>
                  <Link to={`/jobscheduler?jobtype=${encodeURIComponent(t.name)}`}>Schedule a job</Link>
                </p>
              </div>
              {canDevelop(user) && (
                <button type="button" className="button" onClick={() => setEditing(true)}>
                  Rename
                </button>
              )}
            </header>
            <section className="card" aria-labelledby="type-title">
              <h2 id="type-title">Details</h2>
              <DetailList>
                <Detail label="ID">{t.id}</Detail>
                <Detail label="Name">
                  <code>{t.name}</code>
                </Detail>
                <Detail label="Created">{formatDateTime(t.created)}</Detail>
                <Detail label="Last modified">{formatDateTime(t.lastModified)}</Detail>
              </DetailList>
            </section>
            <section className="card" aria-labelledby="schemas-title">
              <div className="section-head">
                <h2 id="schemas-title">Schemas</h2>
                <Link to={`/jobschemas?jobtype__name=${encodeURIComponent(t.name)}`}>All of them</Link>
              </div>
              <ListView
                path="/api/v1/jobschemas/"
                query={{ jobtype__name: t.name }}
                columns={schemaColumns({ withType: false })}
                caption="Schemas of this type"
                captionHidden
                limit={limit}
                offset={offset}
                onPageChange={setPage}
                emptyMessage="No schema for this type yet: jobs of it cannot be started."
              />
            </section>
            {editing && (
              <JobTypeFormModal
                jobType={t}
                onClose={() => setEditing(false)}
                onSaved={() => {
                  setEditing(false);
                  reload();
                }}
              />
            )}
          </>
        )}
      </Loaded>
    </div>
  );
}
