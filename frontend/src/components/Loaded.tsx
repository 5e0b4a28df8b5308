import type { ReactNode } from 'react';
import { Link } from 'react-router';
import { ErrorState } from './ErrorState';
import { Loading } from './Loading';

/**
 * What a page shows of one answer: the error (with "Try again"), "Loading…" until the
 * first answer, then `children` with the data.
 */
export function Loaded<T>({
  data,
  error,
  reload,
  label,
  children,
}: {
  data: T | undefined;
  error: unknown;
  reload?: () => void;
  /** Says what is loading ("Loading the harvester…"). */
  label?: string;
  children: (data: T) => ReactNode;
}) {
  if (error) return <ErrorState error={error} onRetry={reload} />;
  if (data === undefined) return <Loading label={label} />;
  return <>{children(data)}</>;
}

/** `List / item` above a detail page: the link back to the list it belongs to. */
export function Breadcrumb({ to, label, children }: { to: string; label: string; children: ReactNode }) {
  return (
    <nav aria-label="Breadcrumb" className="breadcrumb">
      <Link to={to}>{label}</Link> <span aria-hidden="true">/</span> {children}
    </nav>
  );
}
