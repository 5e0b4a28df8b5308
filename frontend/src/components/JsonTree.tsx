import { useState, type ReactNode } from 'react';
import { pathKey, splitMatches } from '../lib/jsonSearch';

export interface JsonTreeProps {
  value: unknown;
  /** Label of the root node. */
  name?: string;
  /** Levels open at first (0: only the root line). */
  expandDepth?: number;
  /** Children shown before a "show more" button. */
  pageSize?: number;
  /** Show a "Copy JSON" button. */
  copyable?: boolean;
  /**
   * The containers open at first, by path (`pathKey` of their keys from the root; the root is
   * `''`); when given, it replaces `expandDepth`.
   */
  openPaths?: ReadonlySet<string>;
  /** Text to mark in keys and values (a search). */
  highlight?: string;
}

type Container = Record<string, unknown> | unknown[];

function isContainer(value: unknown): value is Container {
  return typeof value === 'object' && value !== null;
}

/** `text`, with the parts that contain `highlight` marked. */
function Marked({ text, highlight }: { text: string; highlight: string | undefined }): ReactNode {
  if (!highlight) return text;
  return splitMatches(text, highlight).map((part, i) => (part.match ? <mark key={i}>{part.text}</mark> : part.text));
}

function Primitive({ value, highlight }: { value: unknown; highlight?: string }) {
  if (value === null || value === undefined) return <span className="json-null">null</span>;
  switch (typeof value) {
    case 'string':
      return (
        <span className="json-string">
          <Marked text={JSON.stringify(value)} highlight={highlight} />
        </span>
      );
    case 'number':
    case 'bigint':
      return (
        <span className="json-number">
          <Marked text={String(value)} highlight={highlight} />
        </span>
      );
    case 'boolean':
      return (
        <span className="json-boolean">
          <Marked text={String(value)} highlight={highlight} />
        </span>
      );
    default:
      return <span>{String(value)}</span>;
  }
}

function Key({ name, highlight }: { name: string | undefined; highlight?: string }) {
  if (name === undefined) return null;
  return (
    <>
      <span className="json-key">
        <Marked text={name} highlight={highlight} />
      </span>
      <span className="json-punct">: </span>
    </>
  );
}

interface NodeOptions {
  expandDepth: number;
  pageSize: number;
  openPaths: ReadonlySet<string> | undefined;
  highlight: string | undefined;
}

function Node({
  name,
  value,
  depth,
  path,
  options,
}: {
  name: string | undefined;
  value: unknown;
  depth: number;
  /** The keys from the root to here. */
  path: string[];
  options: NodeOptions;
}): ReactNode {
  const { expandDepth, pageSize, openPaths, highlight } = options;
  const [open, setOpen] = useState(() => (openPaths ? openPaths.has(pathKey(path)) : depth < expandDepth));
  const [shown, setShown] = useState(pageSize);

  if (!isContainer(value)) {
    return (
      <li className="json-leaf">
        <Key name={name} highlight={highlight} />
        <Primitive value={value} highlight={highlight} />
      </li>
    );
  }

  const isArray = Array.isArray(value);
  const entries: [string, unknown][] = isArray
    ? value.map((item, index) => [String(index), item])
    : Object.entries(value);
  const summary = isArray
    ? `[${entries.length} ${entries.length === 1 ? 'item' : 'items'}]`
    : `{${entries.length} ${entries.length === 1 ? 'key' : 'keys'}}`;

  if (entries.length === 0) {
    return (
      <li className="json-leaf">
        <Key name={name} highlight={highlight} />
        <span className="json-punct">{isArray ? '[]' : '{}'}</span>
      </li>
    );
  }

  return (
    <li className="json-branch">
      <button
        type="button"
        className="json-toggle"
        aria-expanded={open}
        onClick={() => setOpen((o) => !o)}
      >
        <span className="json-caret" aria-hidden="true">
          {open ? '▾' : '▸'}
        </span>
        <Key name={name} highlight={highlight} />
        <span className="json-summary">{summary}</span>
      </button>
      {open && (
        <ul className="json-children" role="group">
          {entries.slice(0, shown).map(([key, item]) => (
            <Node key={key} name={key} value={item} depth={depth + 1} path={[...path, key]} options={options} />
          ))}
          {entries.length > shown && (
            <li>
              <button type="button" className="link-button" onClick={() => setShown((n) => n + pageSize)}>
                Show {Math.min(pageSize, entries.length - shown)} more of {entries.length - shown} remaining
              </button>
            </li>
          )}
        </ul>
      )}
    </li>
  );
}

/** A collapsible, keyboard-operable view of any JSON value. */
export function JsonTree({
  value,
  name,
  expandDepth = 1,
  pageSize = 100,
  copyable = false,
  openPaths,
  highlight,
}: JsonTreeProps) {
  const [copied, setCopied] = useState<'idle' | 'done' | 'failed'>('idle');

  const copy = async () => {
    try {
      await navigator.clipboard.writeText(JSON.stringify(value, null, 2));
      setCopied('done');
    } catch {
      setCopied('failed');
    }
  };

  return (
    <div className="json-tree">
      {copyable && (
        <div className="json-actions">
          <button type="button" className="button button-small" onClick={() => void copy()}>
            Copy JSON
          </button>
          <span role="status" className="muted">
            {copied === 'done' ? 'Copied.' : copied === 'failed' ? 'Copy failed.' : ''}
          </span>
        </div>
      )}
      <ul className="json-root">
        <Node name={name} value={value} depth={0} path={[]} options={{ expandDepth, pageSize, openPaths, highlight }} />
      </ul>
    </div>
  );
}
