import { useState, type ReactNode } from 'react';

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
}

type Container = Record<string, unknown> | unknown[];

function isContainer(value: unknown): value is Container {
  return typeof value === 'object' && value !== null;
}

function Primitive({ value }: { value: unknown }) {
  if (value === null || value === undefined) return <span className="json-null">null</span>;
  switch (typeof value) {
    case 'string':
      return <span className="json-string">{JSON.stringify(value)}</span>;
    case 'number':
    case 'bigint':
      return <span className="json-number">{String(value)}</span>;
    case 'boolean':
      return <span className="json-boolean">{String(value)}</span>;
    default:
      return <span>{String(value)}</span>;
  }
}

function Key({ name }: { name: string | undefined }) {
  if (name === undefined) return null;
  return (
    <>
      <span className="json-key">{name}</span>
      <span className="json-punct">: </span>
    </>
  );
}

function Node({
  name,
  value,
  depth,
  expandDepth,
  pageSize,
}: {
  name: string | undefined;
  value: unknown;
  depth: number;
  expandDepth: number;
  pageSize: number;
}): ReactNode {
  const [open, setOpen] = useState(depth < expandDepth);
  const [shown, setShown] = useState(pageSize);

  if (!isContainer(value)) {
    return (
      <li className="json-leaf">
        <Key name={name} />
        <Primitive value={value} />
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
        <Key name={name} />
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
        <Key name={name} />
        <span className="json-summary">{summary}</span>
      </button>
      {open && (
        <ul className="json-children" role="group">
          {entries.slice(0, shown).map(([key, item]) => (
            <Node
              key={key}
              name={key}
              value={item}
              depth={depth + 1}
              expandDepth={expandDepth}
              pageSize={pageSize}
            />
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
export function JsonTree({ value, name, expandDepth = 1, pageSize = 100, copyable = false }: JsonTreeProps) {
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
        <Node name={name} value={value} depth={0} expandDepth={expandDepth} pageSize={pageSize} />
      </ul>
    </div>
  );
}
