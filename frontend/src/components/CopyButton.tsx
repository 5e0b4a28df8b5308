import { useEffect, useState } from 'react';

export interface CopyButtonProps {
  /** The text to copy, or a function computing it when clicked. */
  text: string | (() => string);
  label?: string;
  /** Accessible name when the visible label is not specific enough ("Copy traceback"). */
  ariaLabel?: string;
  className?: string;
}

/** Copies text to the clipboard and says so in a live region. */
export function CopyButton({ text, label = 'Copy', ariaLabel, className = 'button button-small' }: CopyButtonProps) {
  const [state, setState] = useState<'idle' | 'done' | 'failed'>('idle');

  useEffect(() => {
    if (state === 'idle') return;
    const timer = setTimeout(() => setState('idle'), 2500);
    return () => clearTimeout(timer);
  }, [state]);

  const copy = async () => {
    try {
      await navigator.clipboard.writeText(typeof text === 'function' ? text() : text);
      setState('done');
    } catch {
      setState('failed');
    }
  };

  return (
    <span className="copy">
      <button type="button" className={className} aria-label={ariaLabel} onClick={() => void copy()}>
        {label}
      </button>
      <span role="status" className="muted copy-status">
        {state === 'done' ? 'Copied.' : state === 'failed' ? 'Copy failed: your browser refused the clipboard.' : ''}
      </span>
    </span>
  );
}
