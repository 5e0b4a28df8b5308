import { useId, useState } from 'react';
import { CopyButton } from './CopyButton';

export interface CodeBlockProps {
  /** Names the block ("Traceback"). */
  title: string;
  code: string | null | undefined;
  /** Start with long lines wrapped. */
  wrap?: boolean;
}

/** Read-only monospace text (tracebacks, info) with line numbers, copy and a wrap switch. */
export function CodeBlock({ title, code, wrap: initialWrap = true }: CodeBlockProps) {
  const id = useId();
  const [wrap, setWrap] = useState(initialWrap);
  const text = code ?? '';
  const lines = text.replace(/\n$/, '').split('\n');

  return (
    <div className="code-block" role="group" aria-labelledby={`${id}-title`}>
      <div className="code-block-head">
        <h4 id={`${id}-title`}>{title}</h4>
        {text && (
          <div className="code-block-actions">
            <label className="code-wrap-toggle">
              <input type="checkbox" checked={wrap} onChange={(e) => setWrap(e.target.checked)} /> Wrap lines
            </label>
            <CopyButton text={text} ariaLabel={`Copy ${title.toLowerCase()}`} />
          </div>
        )}
      </div>
      {text ? (
        <pre
          className={wrap ? 'code wrap' : 'code'}
          aria-labelledby={`${id}-title`}
          tabIndex={0}
        >
          <code>
            {lines.map((line, i) => (
              <span className="code-line" key={i}>
                <span className="code-ln" aria-hidden="true">
                  {i + 1}
                </span>
                {line || ' '}
                {'\n'}
              </span>
            ))}
          </code>
        </pre>
      ) : (
        <p className="muted">None.</p>
      )}
    </div>
  );
}
