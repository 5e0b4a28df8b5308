import { useId, useMemo, useState, type FormEvent } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import { apiGet, apiList } from '../../api/client';
import type { ListQuery } from '../../api/contract';
import { canManageJobs, canStartJob } from '../../api/jobs';
import { pickParams } from '../../api/pagination';
import type { JobSchema } from '../../api/schemas';
import type { Column } from '../../components/DataTable';
import { Detail, DetailList } from '../../components/DetailList';
import { ErrorState } from '../../components/ErrorState';
import { FormErrors, SelectField, TextField } from '../../components/FormField';
import { PagedList } from '../../components/ListView';
import { Breadcrumb, Loaded } from '../../components/Loaded';
import { Modal } from '../../components/Modal';
import { useApi } from '../../hooks/useApi';
import { invalidateLookup, useLookup } from '../../hooks/useLookup';
import { usePageParams } from '../../hooks/usePageParams';
import { useSubmit } from '../../hooks/useSubmit';
import { useTitle } from '../../hooks/useTitle';
import { formatDateTime, isPlainObject } from '../../lib/format';
import { parseJson } from '../../lib/jsonSchema';
import { useAuth, useClient } from '../../services';
import { ReportFilterForm } from '../reports/ReportFilterForm';
import type { FilterSpec } from '../reports/filters';
import { SchemaViewer } from './common';
import { JobTable } from './JobPages';

const QUERY = ['jobtype__name', 'ordering'] as const satisfies ReadonlyArray<keyof ListQuery<'/api/v1/jobschemas/'>>;

/** The columns of a schema list (without the type's on a type's own page). */
export function schemaColumns({ withType = true }: { withType?: boolean } = {}): Column<JobSchema>[] {
  const columns: Column<JobSchema>[] = [
    { key: 'id', header: 'ID', render: (s) => <Link to={`/jobschemas/${s.id}`}>{s.id}</Link> },
    { key: 'version', header: 'Version', render: (s) => <Link to={`/jobschemas/${s.id}`}>{s.version}</Link> },
  ];
  if (withType) {
    columns.push({
      key: 'jobtype',
      header: 'Job type',
      render: (s) => (s.jobtype ? <Link to={`/jobschemas?jobtype__name=${encodeURIComponent(s.jobtype)}`}>{s.jobtype}</Link> : '—'),
    });
  }
  columns.push(
    { key: 'comment', header: 'Comment', render: (s) => s.comment || <span className="muted">—</span> },
    { key: 'created', header: 'Created', className: 'nowrap', render: (s) => formatDateTime(s.created) },
    { key: 'schedule', header: 'Schedule', render: (s) => <Link to={`/schedulejob/${s.id}`} aria-label={`Schedule a job with schema ${s.id}`}>Schedule a job</Link> },
  );
  return columns;
}

const EXAMPLE = `{
  "type": "object",
  "properties": {
    "targets": {
      "type": "array",
      "items": { "type": "string", "pattern": "^(master|((robot|stereo)\\\\d+))$" }
    }
  },
  "required": ["targets"]
}`;

/**
 * A JSON text field: monospace, checked as it is typed (where it stops parsing, by line and
 * column), with "Format" to indent it. `onChange` gets the text.
 */
export function JsonTextArea({
  label,
  value,
  onChange,
  errors,
  hint,
  rows = 16,
}: {
  label: string;
  value: string;
  onChange: (text: string) => void;
  errors?: string[];
  hint?: string;
  rows?: number;
}) {
  const id = useId();
  const parsed = useMemo(() => (value.trim() ? parseJson(value) : null), [value]);
  const problem = parsed && !parsed.ok ? parsed.message : parsed && !isPlainObject(parsed.value) ? 'A JSON object ({…}).' : null;
  const messages = [...(problem ? [problem] : []), ...(errors ?? [])];
  return (
    <div className={messages.length ? 'field has-error' : 'field'}>
      <div className="field-label-row">
        <label htmlFor={id}>
          {label}
          <span className="required" aria-hidden="true">
            {' '}
            *
          </span>
        </label>
        <button
          type="button"
          className="button button-small button-ghost"
          disabled={!parsed?.ok}
          onClick={() => parsed?.ok && onChange(JSON.stringify(parsed.value, null, 2))}
        >
          Format
        </button>
      </div>
      <textarea
        id={id}
        className="json-input"
        rows={rows}
        value={value}
        spellCheck={false}
        autoCapitalize="off"
        autoCorrect="off"
        onChange={(e) => onChange(e.target.value)}
        aria-invalid={messages.length ? true : undefined}
        aria-describedby={[hint ? `${id}-hint` : null, messages.length ? `${id}-error` : null].filter(Boolean).join(' ') || undefined}
      />
      {hint && (
        <p id={`${id}-hint`} className="field-hint">
          {hint}
        </p>
      )}
      {messages.length > 0 && (
        <p id={`${id}-error`} className="field-error">
          {messages.join(' ')}
        </p>
      )}
    </div>
  );
}

/**
 * POST `jobschemas/` `{jobtype: <name>, version, comment, schema}` (managers; CI posts most):
 * the schema is parsed here first, so only JSON objects are sent; the server then checks it
 * compiles as a JSON Schema and that the version is new for the type.
 */
export function JobSchemaFormModal({ jobtype, onClose, onSaved }: { jobtype?: string; onClose: () => void; onSaved: (saved: JobSchema) => void }) {
  const client = useClient();
  const types = useLookup('/api/v1/jobtypes/');
  const { pending, errors, failure, run } = useSubmit();
  const [form, setForm] = useState({ jobtype: jobtype ?? '', version: '', comment: '', schema: EXAMPLE });
  const parsed = useMemo(() => parseJson(form.schema), [form.schema]);
  const schema = parsed.ok && isPlainObject(parsed.value) ? parsed.value : null;
  const ready = !!form.jobtype && !!form.version.trim() && schema !== null;

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (!ready) return;
    const body = { jobtype: form.jobtype, version: form.version.trim(), comment: form.comment.trim(), schema };
    const result = await run(() => client.post('/api/v1/jobschemas/', { body }));
    if (result.ok) {
      invalidateLookup(client, '/api/v1/jobschemas/');
      onSaved(result.value);
    }
  };

  return (
    <Modal title="New job schema" onClose={onClose} wide>
      <form onSubmit={(e) => void submit(e)} aria-label="New job schema" className="form" noValidate>
        <div className="form-grid">
          <SelectField
            label="Job type"
            required
            value={form.jobtype}
            onChange={(e) => setForm((f) => ({ ...f, jobtype: e.target.value }))}
            errors={errors.jobtype}
            hint={<Link to="/jobtypes">Add a job type first if it is not listed.</Link>}
          >
            <option value="">{types.loading ? 'Loading…' : 'Choose a job type'}</option>
            {types.items.map((t) => (
              <option key={t.id} value={t.name}>
                {t.name}
              </option>
            ))}
          </SelectField>
          <TextField
            label="Version"
            required
            value={form.version}
            maxLength={10}
            spellCheck={false}
            onChange={(e) => setForm((f) => ({ ...f, version: e.target.value }))}
            errors={errors.version}
            hint="At most 10 characters, new for this type (e.g. 1.2)."
          />
          <TextField
            label="Comment"
            value={form.comment}
            onChange={(e) => setForm((f) => ({ ...f, comment: e.target.value }))}
            errors={errors.comment}
          />
        </div>
        <JsonTextArea
          label="Schema (JSON)"
          value={form.schema}
          onChange={(schema) => setForm((f) => ({ ...f, schema }))}
          errors={errors.schema}
          hint="A JSON Schema of the job's payload. The server adds id, job_type and timeout to every payload before checking it."
        />
        <FormErrors errors={errors} shown={['jobtype', 'version', 'comment', 'schema']} />
        {failure !== null && <ErrorState error={failure} compact />}
        <div className="form-actions modal-actions">
          <button type="submit" className="button button-primary" disabled={pending || !ready}>
            {pending ? 'Saving…' : 'Create schema'}
          </button>
          <button type="button" className="button" onClick={onClose} disabled={pending}>
            Cancel
          </button>
        </div>
      </form>
    </Modal>
  );
}

export function JobSchemaListPage() {
  useTitle('Job schemas');
  const { user } = useAuth();
  const navigate = useNavigate();
  const { params, setParams, limit, offset, setPage } = usePageParams();
  const types = useLookup('/api/v1/jobtypes/');
  const [adding, setAdding] = useState(false);
  const spec = useMemo<FilterSpec>(
    () => ({
      fields: [
        {
          param: 'jobtype__name',
          kind: 'choice',
          label: 'Job type',
          any: 'Any type',
          choices: types.items.map((t) => ({ value: t.name, label: t.name })),
          choicesLoading: types.loading,
          choicesError: types.error ? 'The job types could not be loaded.' : null,
        },
      ],
    }),
    [types.items, types.loading, types.error],
  );
  const jobtype = params.get('jobtype__name') ?? '';

  return (
    <div className="page">
      <header className="page-head page-head-row">
        <div>
          <h1>Job schemas</h1>
          <p className="muted">
            The versions of each <Link to="/jobtypes">job type</Link>'s payload: the JSON Schema a job's arguments must follow.
          </p>
        </div>
        {canManageJobs(user) && (
          <button type="button" className="button button-primary" onClick={() => setAdding(true)}>
            New job schema
          </button>
        )}
      </header>
      <ReportFilterForm spec={spec} params={params} onApply={setParams} label="Job schema filters" storageKey="hds.jobschemas.filters-open" />
      <PagedList
        request={apiList('/api/v1/jobschemas/', { limit, offset, query: pickParams(params, QUERY) })}
        columns={schemaColumns()}
        caption="Job schemas"
        captionHidden
        limit={limit}
        offset={offset}
        onPageChange={setPage}
        emptyMessage={jobtype ? `No schema of ${jobtype}.` : 'No job schemas yet.'}
      />
      {adding && (
        <JobSchemaFormModal
          jobtype={jobtype || undefined}
          onClose={() => setAdding(false)}
          onSaved={(saved) => navigate(`/jobschemas/${saved.id}`)}
        />
      )}
    </div>
  );
}

export function JobSchemaDetailPage() {
  const { id = '' } = useParams();
  const { user } = useAuth();
  const { limit, offset, setPage } = usePageParams();
  const { data, error, reload } = useApi(apiGet('/api/v1/jobschemas/{id}/', { path: { id } }));
  useTitle(data ? `Job schema ${data.jobtype ?? ''} ${data.version}` : `Job schema ${id}`);

  return (
    <div className="page">
      <Breadcrumb to="/jobschemas" label="Job schemas">
        {id}
      </Breadcrumb>
      <Loaded data={data} error={error} reload={reload} label="Loading the job schema…">
        {(s) => (
          <>
            <header className="page-head page-head-row">
              <div>
                <h1>
                  {s.jobtype ?? 'Job'} schema {s.version}
                </h1>
                {s.comment && <p className="muted">{s.comment}</p>}
              </div>
              {canStartJob(user, s.jobtype) ? (
                <Link className="button button-primary" to={`/schedulejob/${s.id}`}>
                  Schedule a job
                </Link>
              ) : (
                <span className="muted">Only managers may start {s.jobtype} jobs.</span>
              )}
            </header>
            <section className="card" aria-labelledby="details-title">
              <h2 id="details-title">Details</h2>
              <DetailList>
                <Detail label="ID">{s.id}</Detail>
                <Detail label="Job type">
                  {s.jobtype ? <Link to={`/jobschemas?jobtype__name=${encodeURIComponent(s.jobtype)}`}>{s.jobtype}</Link> : '—'}
                </Detail>
                <Detail label="Version">{s.version}</Detail>
                <Detail label="Comment">{s.comment || '—'}</Detail>
                <Detail label="Created">{formatDateTime(s.created)}</Detail>
                <Detail label="Last modified">{formatDateTime(s.lastModified)}</Detail>
              </DetailList>
            </section>
            <section className="card" aria-labelledby="schema-title">
              <h2 id="schema-title">Schema</h2>
              <SchemaViewer schema={s.schema} />
            </section>
            <section className="card" aria-labelledby="jobs-title">
              <div className="section-head">
                <h2 id="jobs-title">Jobs of this schema</h2>
                <Link to={`/jobs?schema__id=${s.id}`}>In the job list</Link>
              </div>
              <JobTable
                query={{ schema__id: s.id }}
                caption="Jobs of this schema"
                limit={limit}
                offset={offset}
                onPageChange={setPage}
                emptyMessage="No job of this schema yet."
              />
            </section>
          </>
        )}
      </Loaded>
    </div>
  );
}
