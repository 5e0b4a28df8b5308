import { useDeferredValue, useId, useMemo, useState, type ReactNode } from 'react';
import {
  filterOperations,
  groupByTag,
  listOperations,
  refName,
  resolveRef,
  type OpenApiDocument,
  type OpenApiMedia,
  type OpenApiSchema,
  type OperationEntry,
} from '../api/openapi';
import type { ApiRequest } from '../api/client';
import { ErrorState } from '../components/ErrorState';
import { JsonTree } from '../components/JsonTree';
import { Loading } from '../components/Loading';
import { useApi } from '../hooks/useApi';
import { useTitle } from '../hooks/useTitle';
import { useClient } from '../services';

/** The OpenAPI document, as the API serves it (no envelope). */
const OPENAPI: ApiRequest<OpenApiDocument> = {
  key: 'openapi?format=openapi-json',
  send: (client, signal) => client.raw('/api/v1/openapi', { query: { format: 'openapi-json' }, signal }),
};

function InlineCode({ text }: { text: string }) {
  const parts = text.split(/(`[^`\n]+`)/g);
  return (
    <>
      {parts.map((part, i) =>
        part.length > 2 && part.startsWith('`') && part.endsWith('`') ? <code key={i}>{part.slice(1, -1)}</code> : part,
      )}
    </>
  );
}

/** Description text; `backtick` spans (as in Markdown) become code. */
function Text({ children }: { children: string | undefined }) {
  if (!children) return null;
  return (
    <p className="doc-text">
      <InlineCode text={children} />
    </p>
  );
}

function typeLabel(schema: OpenApiSchema): string {
  if (schema.$ref) return refName(schema.$ref);
  const types = Array.isArray(schema.type) ? schema.type : schema.type ? [schema.type] : [];
  let label = types.join(' | ') || (schema.properties ? 'object' : schema.items ? 'array' : 'any');
  if (schema.format) label += ` (${schema.format})`;
  if (schema.nullable) label += ' | null';
  return label;
}

const MAX_DEPTH = 6;

/** A schema as nested lists; `$ref`s expand on demand, so cycles are harmless. */
function SchemaView({ doc, schema, depth = 0 }: { doc: OpenApiDocument; schema: OpenApiSchema; depth?: number }) {
  if (schema.$ref) return <RefSchema doc={doc} refPath={schema.$ref} depth={depth} />;
  if (depth > MAX_DEPTH) return <span className="muted">…</span>;

  const notes: ReactNode[] = [];
  if (schema.enum) notes.push(<span key="enum">one of {schema.enum.map((v) => JSON.stringify(v)).join(', ')}</span>);
  if (schema.default !== undefined) notes.push(<span key="default">default {JSON.stringify(schema.default)}</span>);
  if (schema.minimum !== undefined) notes.push(<span key="min">≥ {schema.minimum}</span>);
  if (schema.maximum !== undefined) notes.push(<span key="max">≤ {schema.maximum}</span>);
  if (schema.maxLength !== undefined) notes.push(<span key="maxlen">max length {schema.maxLength}</span>);
  if (schema.readOnly) notes.push(<span key="ro">read-only</span>);
  if (schema.writeOnly) notes.push(<span key="wo">write-only</span>);

  const composite = (['allOf', 'oneOf', 'anyOf'] as const).find((k) => schema[k]?.length);

  return (
    <div className="schema">
      <span className="schema-type">{typeLabel(schema)}</span>
      {notes.length > 0 && <span className="schema-notes"> — {notes.reduce<ReactNode[]>((acc, n, i) => (i ? [...acc, '; ', n] : [n]), [])}</span>}
      {schema.description && depth > 0 && <Text>{schema.description}</Text>}
      {composite && (
        <div className="schema-composite">
          <span className="muted">{composite === 'allOf' ? 'all of:' : composite === 'oneOf' ? 'one of:' : 'any of:'}</span>
          <ul>
            {schema[composite]!.map((sub, i) => (
              <li key={i}>
                <SchemaView doc={doc} schema={sub} depth={depth + 1} />
              </li>
            ))}
          </ul>
        </div>
      )}
      {schema.properties && (
        <ul className="schema-props">
          {Object.entries(schema.properties).map(([name, prop]) => (
            <li key={name}>
              <code className="schema-prop-name">{name}</code>
              {schema.required?.includes(name) && <span className="badge badge-required">required</span>}{' '}
              <SchemaView doc={doc} schema={prop} depth={depth + 1} />
              {prop.description && !prop.$ref && depth === 0 && <Text>{prop.description}</Text>}
            </li>
          ))}
        </ul>
      )}
      {schema.items && (
        <div className="schema-items">
          <span className="muted">items: </span>
          <SchemaView doc={doc} schema={schema.items} depth={depth + 1} />
        </div>
      )}
      {typeof schema.additionalProperties === 'object' && (
        <div className="schema-items">
          <span className="muted">values: </span>
          <SchemaView doc={doc} schema={schema.additionalProperties} depth={depth + 1} />
        </div>
      )}
    </div>
  );
}

function RefSchema({ doc, refPath, depth }: { doc: OpenApiDocument; refPath: string; depth: number }) {
  const [open, setOpen] = useState(false);
  const target = resolveRef<OpenApiSchema>(doc, { $ref: refPath });
  const resolved = target.$ref === refPath ? null : target;
  return (
    <details className="schema-ref" onToggle={(e) => setOpen(e.currentTarget.open)}>
      <summary>
        <span className="schema-type">{refName(refPath)}</span>
      </summary>
      {open && (resolved ? <SchemaView doc={doc} schema={resolved} depth={depth + 1} /> : <span className="muted">Unresolved reference {refPath}</span>)}
    </details>
  );
}

function Content({ doc, content }: { doc: OpenApiDocument; content: Record<string, OpenApiMedia> | undefined }) {
  if (!content) return null;
  return (
    <>
      {Object.entries(content).map(([type, media]) => (
        <div key={type} className="doc-content">
          <span className="muted doc-content-type">{type}</span>
          {media.schema && <SchemaView doc={doc} schema={media.schema} />}
          {media.example !== undefined && (
            <div>
              <span className="muted">Example</span>
              <JsonTree value={media.example} expandDepth={2} />
            </div>
          )}
        </div>
      ))}
    </>
  );
}

function Operation({ doc, entry }: { doc: OpenApiDocument; entry: OperationEntry }) {
  const { operation, method, path, parameters } = entry;
  const [open, setOpen] = useState(false);
  const body = operation.requestBody ? resolveRef(doc, operation.requestBody) : undefined;
  return (
    <details className="operation" onToggle={(e) => setOpen(e.currentTarget.open)}>
      <summary>
        <span className={`method method-${method}`}>{method.toUpperCase()}</span>
        <code className="operation-path">{path}</code>
        {operation.summary && (
          <span className="operation-summary">
            <InlineCode text={operation.summary} />
          </span>
        )}
        {operation.deprecated && <span className="badge badge-muted">deprecated</span>}
      </summary>
      {open && (
        <div className="operation-body">
          <Text>{operation.description}</Text>
          {operation.operationId && (
            <p className="muted">
              Operation <code>{operation.operationId}</code>
            </p>
          )}
          {operation.security && operation.security.length > 0 && (
            <p className="muted">Authentication: {operation.security.map((s) => Object.keys(s).join(' + ') || 'none').join(' or ')}</p>
          )}
          {parameters.length > 0 && (
            <>
              <h4>Parameters</h4>
              <div className="table-wrap">
                <table className="data-table compact-table">
                  <thead>
                    <tr>
                      <th scope="col">Name</th>
                      <th scope="col">In</th>
                      <th scope="col">Type</th>
                      <th scope="col">Description</th>
                    </tr>
                  </thead>
                  <tbody>
                    {parameters.map((p) => (
                      <tr key={`${p.in}:${p.name}`}>
                        <td data-label="Name">
                          <code>{p.name}</code>
                          {p.required && <span className="badge badge-required">required</span>}
                        </td>
                        <td data-label="In">{p.in}</td>
                        <td data-label="Type">{p.schema ? typeLabel(p.schema) : '—'}</td>
                        <td data-label="Description">{p.description ?? ''}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            </>
          )}
          {body && (
            <>
              <h4>Request body{body.required ? ' (required)' : ''}</h4>
              <Text>{body.description}</Text>
              <Content doc={doc} content={body.content} />
            </>
          )}
          {operation.responses && (
            <>
              <h4>Responses</h4>
              <ul className="responses">
                {Object.entries(operation.responses).map(([code, raw]) => {
                  const response = resolveRef(doc, raw);
                  return (
                    <li key={code}>
                      <span className={`status status-${code.charAt(0)}xx`}>{code}</span> {response.description}
                      <Content doc={doc} content={response.content} />
                    </li>
                  );
                })}
              </ul>
            </>
          )}
        </div>
      )}
    </details>
  );
}

function SchemaEntry({ doc, name, schema }: { doc: OpenApiDocument; name: string; schema: OpenApiSchema }) {
  const [open, setOpen] = useState(false);
  return (
    <details className="operation" id={`schema-${name}`} onToggle={(e) => setOpen(e.currentTarget.open)}>
      <summary>
        <code className="operation-path">{name}</code>
        {schema.description && (
          <span className="operation-summary">
            <InlineCode text={schema.description.split('\n')[0] ?? ''} />
          </span>
        )}
      </summary>
      {open && (
        <div className="operation-body">
          <SchemaView doc={doc} schema={schema} />
        </div>
      )}
    </details>
  );
}

export function ApiDocs({ doc, rawUrl }: { doc: OpenApiDocument; rawUrl?: string }) {
  const searchId = useId();
  const methodId = useId();
  const [query, setQuery] = useState('');
  const [method, setMethod] = useState('all');
  const deferredQuery = useDeferredValue(query);
  const operations = useMemo(() => listOperations(doc), [doc]);
  const shown = useMemo(() => filterOperations(operations, deferredQuery, method), [operations, deferredQuery, method]);
  const groups = useMemo(() => groupByTag(shown), [shown]);
  const schemas = useMemo(() => {
    const words = deferredQuery.toLowerCase().split(/\s+/).filter(Boolean);
    return Object.entries(doc.components?.schemas ?? {}).filter(([name, schema]) =>
      words.every((w) => `${name} ${schema.description ?? ''}`.toLowerCase().includes(w)),
    );
  }, [doc, deferredQuery]);
  const tagText = new Map((doc.tags ?? []).map((t) => [t.name, t.description]));
  const methods = [...new Set(operations.map((o) => o.method))];

  return (
    <>
      <header className="page-head">
        <h1>API documentation</h1>
        <p className="muted">
          {doc.info?.title ?? 'HDS API'} {doc.info?.version && <>· version {doc.info.version}</>} ·{' '}
          {doc.openapi ? `OpenAPI ${doc.openapi}` : doc.swagger ? `Swagger ${doc.swagger}` : 'OpenAPI'} ·{' '}
          <a href={rawUrl ?? `/api/v1/${OPENAPI.key}`}>raw JSON</a>
        </p>
        <Text>{doc.info?.description}</Text>
      </header>
      <div className="toolbar" role="search">
        <div className="field">
          <label htmlFor={searchId}>Search endpoints and schemas</label>
          <input
            id={searchId}
            type="search"
            placeholder="e.g. users login, harvesters, pareto"
            value={query}
            onChange={(e) => setQuery(e.target.value)}
          />
        </div>
        <div className="field">
          <label htmlFor={methodId}>Method</label>
          <select id={methodId} value={method} onChange={(e) => setMethod(e.target.value)}>
            <option value="all">All</option>
            {methods.map((m) => (
              <option key={m} value={m}>
                {m.toUpperCase()}
              </option>
            ))}
          </select>
        </div>
      </div>
      <p className="muted" aria-live="polite">
        {shown.length} of {operations.length} {operations.length === 1 ? 'endpoint' : 'endpoints'}, {schemas.length}{' '}
        {schemas.length === 1 ? 'schema' : 'schemas'}
      </p>
      <section aria-labelledby="endpoints-title" className="section">
        <h2 id="endpoints-title">Endpoints</h2>
        {groups.length === 0 && <p>No endpoint matches.</p>}
        {groups.map(([tag, entries]) => (
          <section key={tag} className="doc-group" aria-label={tag}>
            <h3>{tag}</h3>
            <Text>{tagText.get(tag)}</Text>
            {entries.map((entry) => (
              <Operation key={entry.id} doc={doc} entry={entry} />
            ))}
          </section>
        ))}
      </section>
      {(schemas.length > 0 || Object.keys(doc.components?.schemas ?? {}).length > 0) && (
        <section aria-labelledby="schemas-title" className="section">
          <h2 id="schemas-title">Schemas</h2>
          {schemas.length === 0 && <p>No schema matches.</p>}
          {schemas.map(([name, schema]) => (
            <SchemaEntry key={name} doc={doc} name={name} schema={schema} />
          ))}
        </section>
      )}
    </>
  );
}

export function DocsPage() {
  useTitle('API docs');
  const client = useClient();
  const { data, error, reload } = useApi(OPENAPI);
  return (
    <div className="page docs-page">
      {error ? (
        <>
          <h1>API documentation</h1>
          <ErrorState error={error} onRetry={reload} />
        </>
      ) : !data ? (
        <>
          <h1>API documentation</h1>
          <Loading label="Loading the API description…" />
        </>
      ) : !data.paths ? (
        <>
          <h1>API documentation</h1>
          <ErrorState error={new Error('The API description has no paths.')} onRetry={reload} />
        </>
      ) : (
        <ApiDocs doc={data} rawUrl={client.url(OPENAPI.key)} />
      )}
    </div>
  );
}
