/** The parts of an OpenAPI 3 document the docs page reads. */
export interface OpenApiSchema {
  $ref?: string;
  type?: string | string[];
  format?: string;
  title?: string;
  description?: string;
  nullable?: boolean;
  enum?: unknown[];
  default?: unknown;
  example?: unknown;
  items?: OpenApiSchema;
  properties?: Record<string, OpenApiSchema>;
  required?: string[];
  additionalProperties?: boolean | OpenApiSchema;
  allOf?: OpenApiSchema[];
  oneOf?: OpenApiSchema[];
  anyOf?: OpenApiSchema[];
  readOnly?: boolean;
  writeOnly?: boolean;
  minimum?: number;
  maximum?: number;
  maxLength?: number;
  minLength?: number;
  pattern?: string;
}

export interface OpenApiParameter {
  $ref?: string;
  name?: string;
  in?: string;
  required?: boolean;
  description?: string;
  schema?: OpenApiSchema;
  deprecated?: boolean;
}

export interface OpenApiMedia {
  schema?: OpenApiSchema;
  example?: unknown;
}

export interface OpenApiRequestBody {
  $ref?: string;
  description?: string;
  required?: boolean;
  content?: Record<string, OpenApiMedia>;
}

export interface OpenApiResponse {
  $ref?: string;
  description?: string;
  content?: Record<string, OpenApiMedia>;
}

export interface OpenApiOperation {
  operationId?: string;
  summary?: string;
  description?: string;
  tags?: string[];
  deprecated?: boolean;
  parameters?: OpenApiParameter[];
  requestBody?: OpenApiRequestBody;
  responses?: Record<string, OpenApiResponse>;
  security?: Record<string, string[]>[];
}

export type OpenApiPathItem = Partial<Record<HttpMethod, OpenApiOperation>> & {
  parameters?: OpenApiParameter[];
  summary?: string;
  description?: string;
};

export interface OpenApiDocument {
  openapi?: string;
  swagger?: string;
  info?: { title?: string; version?: string; description?: string };
  servers?: { url: string; description?: string }[];
  paths?: Record<string, OpenApiPathItem>;
  components?: {
    schemas?: Record<string, OpenApiSchema>;
    parameters?: Record<string, OpenApiParameter>;
    requestBodies?: Record<string, OpenApiRequestBody>;
    responses?: Record<string, OpenApiResponse>;
    securitySchemes?: Record<string, { type?: string; scheme?: string; description?: string; name?: string; in?: string }>;
  };
  tags?: { name: string; description?: string }[];
}

export const HTTP_METHODS = ['get', 'post', 'put', 'patch', 'delete', 'head', 'options', 'trace'] as const;
export type HttpMethod = (typeof HTTP_METHODS)[number];

export interface OperationEntry {
  id: string;
  path: string;
  method: HttpMethod;
  operation: OpenApiOperation;
  parameters: OpenApiParameter[];
  tag: string;
  /** Lower-cased text the search matches against. */
  haystack: string;
}

/** The name a local `$ref` points at (`#/components/schemas/User` → `User`). */
export function refName(ref: string): string {
  return ref.split('/').pop() ?? ref;
}

/** Follows a local `$ref` such as `#/components/parameters/limit`. */
export function resolveRef<T>(doc: OpenApiDocument, value: T & { $ref?: string }): T {
  const ref = value.$ref;
  if (!ref || !ref.startsWith('#/')) return value;
  let node: unknown = doc;
  for (const part of ref.slice(2).split('/')) {
    const key = part.replace(/~1/g, '/').replace(/~0/g, '~');
    if (!node || typeof node !== 'object') return value;
    node = (node as Record<string, unknown>)[key];
  }
  return (node as T) ?? value;
}

/** Every operation of the document, in path order, with path-level parameters merged in. */
export function listOperations(doc: OpenApiDocument): OperationEntry[] {
  const out: OperationEntry[] = [];
  for (const [path, item] of Object.entries(doc.paths ?? {})) {
    if (!item || typeof item !== 'object') continue;
    const shared = (item.parameters ?? []).map((p) => resolveRef(doc, p));
    for (const method of HTTP_METHODS) {
      const operation = item[method];
      if (!operation) continue;
      const own = (operation.parameters ?? []).map((p) => resolveRef(doc, p));
      const names = new Set(own.map((p) => `${p.in}:${p.name}`));
      const parameters = [...shared.filter((p) => !names.has(`${p.in}:${p.name}`)), ...own];
      const tag = operation.tags?.[0] ?? 'other';
      const haystack = [
        path,
        method,
        operation.operationId,
        operation.summary,
        operation.description,
        ...(operation.tags ?? []),
        ...parameters.map((p) => p.name),
      ]
        .filter(Boolean)
        .join(' ')
        .toLowerCase();
      out.push({ id: `${method}-${path}`, path, method, operation, parameters, tag, haystack });
    }
  }
  return out;
}

/** Operations matching every word of the query (case-insensitive). */
export function filterOperations(entries: OperationEntry[], query: string, method: string): OperationEntry[] {
  const words = query.toLowerCase().split(/\s+/).filter(Boolean);
  return entries.filter(
    (entry) => (method === 'all' || entry.method === method) && words.every((word) => entry.haystack.includes(word)),
  );
}

/** Operations grouped by their first tag, groups in first-seen order. */
export function groupByTag(entries: OperationEntry[]): [string, OperationEntry[]][] {
  const groups = new Map<string, OperationEntry[]>();
  for (const entry of entries) {
    const list = groups.get(entry.tag);
    if (list) list.push(entry);
    else groups.set(entry.tag, [entry]);
  }
  return [...groups.entries()];
}
