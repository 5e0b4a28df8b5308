import type { ReactNode } from 'react';
import { Link } from 'react-router';
import { isApiError } from '../api/errors';
import { isPlainObject } from '../lib/format';
import { JsonTree } from './JsonTree';

function titleFor(status: number | undefined): string {
  switch (status) {
    case undefined:
      return 'Something went wrong';
    case 0:
      return 'Cannot reach the server';
    case 400:
      return 'The request was refused';
    case 401:
      return 'Your session has ended';
    case 403:
      return 'Not allowed';
    case 404:
      return 'Not found';
    case 503:
      return 'Service unavailable';
    default:
      return status >= 500 ? 'Server error' : `Request failed (${status})`;
  }
}

function hintFor(status: number | undefined): ReactNode {
  switch (status) {
    case 0:
      return 'Check your connection, then try again.';
    case 401:
      return (
        <>
          Please <Link to="/login">sign in</Link> again.
        </>
      );
    case 403:
      return 'Your account does not have the role this needs. Ask a manager if you think it should.';
    case 404:
      return 'The API has nothing at this address (yet).';
    default:
      return null;
  }
}

function ErrorValue({ value }: { value: unknown }) {
  if (typeof value === 'string') return <>{value}</>;
  if (Array.isArray(value) && value.every((v) => typeof v === 'string')) return <>{value.join(' ')}</>;
  return <JsonTree value={value} expandDepth={2} />;
}

export interface ErrorStateProps {
  error: unknown;
  title?: string;
  onRetry?: () => void;
  /** Smaller card inside a page section. */
  compact?: boolean;
}

/** An error card: what failed, the API's `errors` object, and a retry button. */
export function ErrorState({ error, title, onRetry, compact = false }: ErrorStateProps) {
  const status = isApiError(error) ? error.status : undefined;
  const errors = isApiError(error) ? error.errors : undefined;
  const message = error instanceof Error ? error.message : String(error);
  const hint = hintFor(status);

  return (
    <section className={compact ? 'card error-card compact' : 'card error-card'} role="alert" aria-live="assertive">
      <h2 className="error-title">
        {title ?? titleFor(status)}
        {status !== undefined && status > 0 && <span className="badge badge-error">HTTP {status}</span>}
      </h2>
      <p className="error-message">{message}</p>
      {hint && <p className="muted">{hint}</p>}
      {errors && isPlainObject(errors) && Object.keys(errors).length > 0 && (
        <details className="error-details" open={!compact}>
          <summary>Details from the API</summary>
          <dl className="kv">
            {Object.entries(errors).map(([key, value]) => (
              <div key={key} className="kv-row">
                <dt>{key}</dt>
                <dd>
                  <ErrorValue value={value} />
                </dd>
              </div>
            ))}
          </dl>
        </details>
      )}
      {onRetry && (
        <p>
          <button type="button" className="button" onClick={onRetry}>
            Try again
          </button>
        </p>
      )}
    </section>
  );
}
