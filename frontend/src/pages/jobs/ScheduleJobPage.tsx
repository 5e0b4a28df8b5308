import { useMemo, useRef, useState, type FormEvent } from 'react';
import { Link, useNavigate, useParams, useSearchParams } from 'react-router';
import { apiGet } from '../../api/client';
import { canStartJob, hasErrors, jobErrors, startedJobsRoute, startJobs, type ErrorTree } from '../../api/jobs';
import type { JobSchema } from '../../api/schemas';
import { ErrorState } from '../../components/ErrorState';
import { FormErrors, TextField } from '../../components/FormField';
import { lazyPage } from '../../components/lazyPage';
import { Breadcrumb, Loaded } from '../../components/Loaded';
import { useApi } from '../../hooks/useApi';
import { useTitle } from '../../hooks/useTitle';
import { hasPayloadFields, payloadFormSchema } from '../../lib/jsonSchema';
import { localInputToIso } from '../../lib/time';
import { useAuth, useClient } from '../../services';
import { SchemaViewer } from './common';
import type { PayloadFormHandle } from './PayloadForm';
import { TargetPicker, targetNumbers } from './TargetPicker';

// The JSON-Schema form library and its validator are loaded (side by side) when this page shows
// the form, not with the app.
const PayloadForm = lazyPage(
  () => Promise.all([import('./PayloadForm'), import('@rjsf/validator-ajv8')]).then(([form, ajv]) => form.withValidator(ajv.default)),
  'Loading the payload form…',
);

type When = 'now' | 'once' | 'cron';

/** Where the page goes after a success, with what to say there. */
export interface ScheduledNotice {
  notice: string;
}

const CRON_EXAMPLES = [
  ['0 6 * * *', 'every day at 06:00 UTC'],
  ['*/30 * * * *', 'every 30 minutes'],
  ['0 14 * * 1-5', 'weekdays at 14:00 UTC'],
] as const;

function withoutField(fields: Record<string, string[]>, name: string): Record<string, string[]> {
  const next = { ...fields };
  delete next[name];
  return next;
}

function ScheduleForm({ schema }: { schema: JobSchema }) {
  const client = useClient();
  const navigate = useNavigate();
  const { user } = useAuth();
  const [params] = useSearchParams();
  const jobtype = schema.jobtype ?? '';
  const formSchema = useMemo(() => payloadFormSchema(schema.schema), [schema.schema]);
  const asksPayload = hasPayloadFields(formSchema);
  const handle = useRef<PayloadFormHandle>(null);

  const [targets, setTargets] = useState<string[]>(() => (params.get('targets') ?? '').split(',').filter((t) => /^\d+$/.test(t)));
  const [payload, setPayload] = useState<Record<string, unknown>>({});
  const [when, setWhen] = useState<When>('now');
  const [runAt, setRunAt] = useState('');
  const [cron, setCron] = useState('');
  const [pending, setPending] = useState(false);
  const [fields, setFields] = useState<Record<string, string[]>>({});
  const [payloadErrors, setPayloadErrors] = useState<ErrorTree>({});
  const [failure, setFailure] = useState<unknown>(null);
  const mayStart = canStartJob(user, jobtype);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setFailure(null);
    const local: Record<string, string[]> = {};
    const harvIds = targetNumbers(targets);
    if (!harvIds.length) local.targets = ['Choose at least one harvester.'];
    const runAtIso = when === 'once' ? localInputToIso(runAt) : '';
    if (when === 'once' && !runAtIso) local.run_at = ['When to run it (your computer’s clock).'];
    if (when === 'cron' && !cron.trim()) local.cron = ['A cron expression of five fields, in UTC.'];
    // The payload is checked even when something else is missing, so everything shows at once.
    const payloadOk = !asksPayload || (handle.current?.validate() ?? true);
    setFields(local);
    if (Object.keys(local).length || !payloadOk) return;

    setPending(true);
    setPayloadErrors({});
    const job = { jobtype, schema_version: schema.version, payload, targets: harvIds };
    try {
      if (when === 'now') {
        const started = await startJobs(client, job);
        const count = started.ids.length;
        navigate(startedJobsRoute(started, jobtype), {
          state: { notice: `Started ${count === 1 ? 'a job' : `${count} jobs`} of ${jobtype} ${schema.version}.` } satisfies ScheduledNotice,
        });
      } else {
        const created = await client.post('/api/v1/jobschedules/', {
          body: { ...job, ...(when === 'cron' ? { cron: cron.trim() } : { run_at: runAtIso }) },
        });
        navigate(`/jobschedules/${created.id}`, { state: { notice: `Schedule ${created.id} saved.` } satisfies ScheduledNotice });
      }
    } catch (error) {
      const rejected = jobErrors(error);
      if (rejected) {
        setFields(rejected.fields);
        setPayloadErrors(rejected.payload);
        // A refusal the form cannot place next to a field still says what it is.
        if (!Object.keys(rejected.fields).length && !hasErrors(rejected.payload)) setFailure(error);
      } else {
        setFailure(error);
      }
    } finally {
      setPending(false);
    }
  };

  const shown = ['targets', 'run_at', 'cron'];
  return (
    <form className="schedule-form" onSubmit={(e) => void submit(e)} aria-label={`Schedule ${jobtype} ${schema.version}`} noValidate>
      {!mayStart && (
        <p className="notice" role="alert">
          Only managers may start {jobtype} jobs; support staff start sess_clip, session_scrape and test.
        </p>
      )}
      <section className="card" aria-labelledby="targets-title">
        <h2 id="targets-title">Harvesters</h2>
        <TargetPicker
          value={targets}
          onChange={(v) => {
            setTargets(v);
            setFields((f) => withoutField(f, 'targets'));
          }}
          errors={fields.targets}
          hint="One job per harvester. Add every harvester of a fruit or at a location at once below."
        />
      </section>
      <section className="card" aria-labelledby="payload-title">
        <h2 id="payload-title">Payload</h2>
        {asksPayload ? (
          <PayloadForm
            schema={formSchema}
            value={payload}
            onChange={(next) => {
              setPayload(next);
              if (hasErrors(payloadErrors)) setPayloadErrors({});
            }}
            serverErrors={payloadErrors}
            handle={handle}
            disabled={pending}
          />
        ) : (
          <p className="muted">This schema asks for nothing: the job gets only what the server adds.</p>
        )}
        <p className="field-hint">The server adds the job’s id (its UUID), job_type and, unless given, a timeout of 6000 s.</p>
        {hasErrors(payloadErrors) && !asksPayload && <FormErrors errors={{ payload: payloadErrors.__errors ?? [] }} shown={[]} />}
      </section>
      <section className="card" aria-labelledby="when-title">
        <h2 id="when-title">When</h2>
        <fieldset className="choice-row">
          <legend className="visually-hidden">When to run it</legend>
          {(
            [
              ['now', 'Now'],
              ['once', 'Once, later'],
              ['cron', 'Repeatedly (cron)'],
            ] as const
          ).map(([value, label]) => (
            <label key={value} className="choice">
              <input type="radio" name="when" value={value} checked={when === value} onChange={() => setWhen(value)} /> {label}
            </label>
          ))}
        </fieldset>
        {when === 'once' && (
          <TextField
            label="Run at"
            type="datetime-local"
            required
            value={runAt}
            onChange={(e) => setRunAt(e.target.value)}
            errors={fields.run_at}
            hint="On your computer’s clock. The worker creates the jobs then."
          />
        )}
        {when === 'cron' && (
          <TextField
            label="Cron expression"
            required
            value={cron}
            spellCheck={false}
            placeholder="0 6 * * *"
            onChange={(e) => setCron(e.target.value)}
            errors={fields.cron}
            hint={
              <>
                Minute, hour, day of month, month, day of week, in UTC:{' '}
                {CRON_EXAMPLES.map(([expr, words], i) => (
                  <span key={expr}>
                    {i > 0 && ', '}
                    <code>{expr}</code> {words}
                  </span>
                ))}
                .
              </>
            }
          />
        )}
        {when !== 'now' && (
          <p className="field-hint">
            The schedule is kept on the <Link to="/jobschedules">Job schedules</Link> page, where it can be cancelled; each time it fires it starts one job per harvester.
          </p>
        )}
      </section>
      <FormErrors errors={fields} shown={shown} />
      {failure !== null && <ErrorState error={failure} compact />}
      <div className="form-actions">
        <button type="submit" className="button button-primary" disabled={pending || !mayStart}>
          {pending ? 'Sending…' : when === 'now' ? (targets.length > 1 ? `Start ${targets.length} jobs` : 'Start the job') : 'Save the schedule'}
        </button>
        <Link className="button" to={`/jobscheduler?jobtype=${encodeURIComponent(jobtype)}&schema=${schema.id}`}>
          Back to the scheduler
        </Link>
      </div>
    </form>
  );
}

/** `/schedulejob/:jobschemaId`: a job of that schema on chosen harvesters, now, once later, or by cron. */
export function ScheduleJobPage() {
  const { id = '' } = useParams();
  const { data, error, reload } = useApi(apiGet('/api/v1/jobschemas/{id}/', { path: { id } }));
  useTitle(data ? `Schedule ${data.jobtype ?? 'a job'} ${data.version}` : 'Schedule a job');

  return (
    <div className="page">
      <Breadcrumb to="/jobscheduler" label="Job scheduler">
        schema {id}
      </Breadcrumb>
      <Loaded data={data} error={error} reload={reload} label="Loading the job schema…">
        {(s) => (
          <>
            <header className="page-head">
              <h1>
                Schedule {s.jobtype ?? 'a job'} <span className="muted">schema {s.version}</span>
              </h1>
              {s.comment && <p className="muted">{s.comment}</p>}
            </header>
            <div className="schedule-layout">
              <ScheduleForm schema={s} />
              <aside className="card schedule-schema" aria-labelledby="schema-title">
                <h2 id="schema-title">The schema</h2>
                <SchemaViewer schema={s.schema} />
              </aside>
            </div>
          </>
        )}
      </Loaded>
    </div>
  );
}
