import { useMemo } from 'react';
import { Link, useLocation } from 'react-router';
import { jobStatusTone, jobTypeOf } from '../../api/jobs';
import type { Job, JobDispatch, JobSchema } from '../../api/schemas';
import { DataTable } from '../../components/DataTable';
import { JsonTree } from '../../components/JsonTree';
import { useLookup } from '../../hooks/useLookup';
import { formatDateTime } from '../../lib/format';
import { schemaFields, type SchemaField } from '../../lib/jsonSchema';

const TONE_CLASS = { ok: 'badge badge-ok', error: 'badge badge-error', muted: 'badge badge-muted', pending: 'badge badge-warn' } as const;

/** A job's status: green success, red failures and errors, yellow pending, grey canceled. */
export function JobStatusBadge({ status }: { status: string | null | undefined }) {
  return <span className={TONE_CLASS[jobStatusTone(status)]}>{status || 'unknown'}</span>;
}

/** A row class for a job list: failures red, pending yellow. */
export function jobRowClass(job: Pick<Job, 'jobstatus'>): string | undefined {
  const tone = jobStatusTone(job.jobstatus);
  return tone === 'error' ? 'row-error' : tone === 'pending' ? 'row-warn' : undefined;
}

/** Whether the job server has the job: sent (when), waiting to be sent (attempts), or given up. */
export function DispatchState({ dispatch }: { dispatch: JobDispatch }) {
  switch (dispatch.status) {
    case 'sent':
      return (
        <span className="badge badge-ok" title={dispatch.sent ? `Sent ${formatDateTime(dispatch.sent)}` : undefined}>
          sent
        </span>
      );
    case 'pending':
      return (
        <span className="badge badge-warn" title={dispatch.error ?? undefined}>
          {dispatch.attempts ? `sending (${dispatch.attempts} tries)` : 'to send'}
        </span>
      );
    case 'failed':
      return (
        <span className="badge badge-error" title={dispatch.error ?? undefined}>
          not sent
        </span>
      );
    default:
      // Jobs the original server sent record no dispatch.
      return <span className="muted">—</span>;
  }
}

/** Job schemas by id (`jobschemas/?limit=10000`, cached): a job names its schema by id only. */
export function useSchemasById(): Map<number, JobSchema> {
  const schemas = useLookup('/api/v1/jobschemas/');
  return useMemo(() => new Map(schemas.items.map((s) => [s.id, s])), [schemas.items]);
}

/** A job's type and schema version, linking to the schema. */
export function JobKind({ job, schemas }: { job: Pick<Job, 'schema' | 'payload'>; schemas: Map<number, JobSchema> }) {
  const schema = schemas.get(job.schema);
  const type = schema?.jobtype ?? jobTypeOf(job) ?? '?';
  return (
    <span>
      {type}{' '}
      <Link to={`/jobschemas/${job.schema}`} className="muted" title="Its job schema">
        {schema ? `v${schema.version}` : `schema ${job.schema}`}
      </Link>
    </span>
  );
}

/** The fields a job schema asks for, as a table (name, type, required, what it says). */
export function SchemaFieldsTable({ schema, caption = 'Payload fields' }: { schema: unknown; caption?: string }) {
  const rows = useMemo(() => schemaFields(schema), [schema]);
  return (
    <DataTable<SchemaField>
      caption={caption}
      captionHidden
      rows={rows}
      rowKey={(f) => f.name}
      emptyMessage="The schema names no fields."
      columns={[
        { key: 'name', header: 'Field', render: (f) => <code>{f.name}</code> },
        { key: 'type', header: 'Type', render: (f) => f.type },
        {
          key: 'required',
          header: 'Required',
          render: (f) =>
            f.server === 'writes' ? (
              <span className="muted">set by the server</span>
            ) : f.server === 'defaults' ? (
              <span className="muted">{f.required ? 'defaulted by the server' : 'no (the server defaults it)'}</span>
            ) : f.required ? (
              <span className="badge badge-required">required</span>
            ) : (
              'no'
            ),
        },
        {
          key: 'description',
          header: 'Description',
          render: (f) => (
            <>
              {f.description || <span className="muted">—</span>}
              {f.constraints.length > 0 && <span className="cell-note">{f.constraints.join(' · ')}</span>}
            </>
          ),
        },
      ]}
    />
  );
}

/** A job schema for reading: its fields, then the whole schema as a JSON tree. */
export function SchemaViewer({ schema }: { schema: unknown }) {
  return (
    <>
      <SchemaFieldsTable schema={schema} />
      <details className="schema-json" open>
        <summary>The schema as JSON</summary>
        <JsonTree value={schema} expandDepth={3} copyable name="schema" />
      </details>
    </>
  );
}

/** The notice a page was sent here with (`navigate(…, {state: {notice}})`). */
export function ArrivalNotice() {
  const state = useLocation().state as { notice?: unknown } | null;
  if (typeof state?.notice !== 'string') return null;
  return (
    <p className="notice notice-success" role="status">
      {state.notice}
    </p>
  );
}
