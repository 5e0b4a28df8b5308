import { useMemo } from 'react';
import { Link, useSearchParams } from 'react-router';
import { apiList } from '../../api/client';
import { canStartJob, compareVersions, latestSchema } from '../../api/jobs';
import { MAX_LIMIT } from '../../api/pagination';
import { SelectField } from '../../components/FormField';
import { ErrorState } from '../../components/ErrorState';
import { Loading } from '../../components/Loading';
import { useApi } from '../../hooks/useApi';
import { useLookup } from '../../hooks/useLookup';
import { useTitle } from '../../hooks/useTitle';
import { formatDateTime } from '../../lib/format';
import { useAuth } from '../../services';
import { SchemaViewer } from './common';
import { JobTable } from './JobPages';

/**
 * `/jobscheduler`: pick a job type, then one of its schema versions (the latest unless the
 * address says `schema=<id>`); the page shows that schema and the latest jobs started with it,
 * and leads to `/schedulejob/<schema id>`. Both choices are kept in the address
 * (`?jobtype=test&schema=3`), so a link or Back brings them back.
 */
export function JobSchedulerPage() {
  useTitle('Job scheduler');
  const { user } = useAuth();
  const [params, setParams] = useSearchParams();
  const jobtype = params.get('jobtype') ?? '';
  const types = useLookup('/api/v1/jobtypes/');
  const schemas = useApi(jobtype ? apiList('/api/v1/jobschemas/', { limit: MAX_LIMIT, query: { jobtype__name: jobtype } }) : null);
  const versions = useMemo(
    () => [...(schemas.data?.results ?? [])].sort((a, b) => compareVersions(b.version, a.version) || b.created.localeCompare(a.created)),
    [schemas.data],
  );
  const wanted = Number(params.get('schema'));
  const schema = versions.find((s) => s.id === wanted) ?? latestSchema(versions);
  const latest = latestSchema(versions);
  const mayStart = canStartJob(user, jobtype);

  // Harvesters chosen before (a harvester's "Start a job on it": `?targets=11`) go on to the form.
  const targets = params.get('targets') ?? '';
  const choose = (next: { jobtype?: string; schema?: string }) => {
    const out = new URLSearchParams();
    const type = next.jobtype ?? jobtype;
    if (type) out.set('jobtype', type);
    if (next.schema && next.jobtype === undefined) out.set('schema', next.schema);
    if (targets) out.set('targets', targets);
    setParams(out);
  };

  return (
    <div className="page">
      <header className="page-head">
        <h1>Job scheduler</h1>
        <p className="muted">Choose what to run: a job type, then the version of its payload schema. The next page asks for the harvesters and the payload.</p>
        <p className="link-row">
          <Link to="/jobtypes">Job types</Link>
          <Link to="/jobschemas">Job schemas</Link>
          <Link to="/jobschedules">Job schedules</Link>
          <Link to="/jobs">Jobs</Link>
        </p>
      </header>
      <section className="card" aria-labelledby="choice-title">
        <h2 id="choice-title">What to run</h2>
        <div className="form-grid">
          <SelectField
            label="Job type"
            value={jobtype}
            onChange={(e) => choose({ jobtype: e.target.value })}
            hint={types.error ? 'The job types could not be loaded.' : undefined}
          >
            <option value="">{types.loading ? 'Loading…' : 'Choose a job type'}</option>
            {types.items.map((t) => (
              <option key={t.id} value={t.name}>
                {t.name}
              </option>
            ))}
            {jobtype && !types.loading && !types.items.some((t) => t.name === jobtype) && <option value={jobtype}>{jobtype}</option>}
          </SelectField>
          <SelectField
            label="Schema version"
            value={schema ? String(schema.id) : ''}
            onChange={(e) => choose({ schema: e.target.value })}
            disabled={!versions.length}
          >
            {!versions.length && <option value="">{jobtype && schemas.loading ? 'Loading…' : '—'}</option>}
            {versions.map((s) => (
              <option key={s.id} value={s.id}>
                {s.version}
                {s === latest ? ' (latest)' : ''}
                {s.comment ? ` · ${s.comment}` : ''}
              </option>
            ))}
          </SelectField>
        </div>
        {schemas.error ? <ErrorState error={schemas.error} onRetry={schemas.reload} compact /> : null}
        {jobtype && schemas.data && !versions.length && (
          <p className="notice">
            {jobtype} has no schema yet: CI posts one, or add it on <Link to={`/jobschemas?jobtype__name=${encodeURIComponent(jobtype)}`}>Job schemas</Link>.
          </p>
        )}
        {schema && (
          <div className="form-actions">
            {mayStart ? (
              <Link className="button button-primary" to={`/schedulejob/${schema.id}${targets ? `?targets=${encodeURIComponent(targets)}` : ''}`}>
                Schedule {jobtype} {schema.version}
              </Link>
            ) : (
              <p className="muted">Only managers may start {jobtype} jobs; support staff start sess_clip, session_scrape and test.</p>
            )}
          </div>
        )}
      </section>
      {jobtype && schemas.loading && !schemas.data && <Loading label="Loading the schemas…" />}
      {schema && (
        <>
          <section className="card" aria-labelledby="schema-title">
            <div className="section-head">
              <h2 id="schema-title">
                Schema {schema.jobtype} {schema.version}
              </h2>
              <span className="muted">
                Posted {formatDateTime(schema.created)} · <Link to={`/jobschemas/${schema.id}`}>its page</Link>
              </span>
            </div>
            <SchemaViewer schema={schema.schema} />
          </section>
          <section className="card" aria-labelledby="recent-title">
            <div className="section-head">
              <h2 id="recent-title">Recent jobs of this schema</h2>
              <Link to={`/jobs?schema__id=${schema.id}`}>All of them</Link>
            </div>
            <JobTable
              query={{ schema__id: schema.id }}
              caption="Recent jobs of this schema"
              limit={10}
              offset={0}
              onPageChange={() => undefined}
              hidePagination
              emptyMessage="No job of this schema yet."
            />
          </section>
        </>
      )}
    </div>
  );
}
