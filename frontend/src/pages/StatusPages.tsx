import { Link } from 'react-router';
import { useTitle } from '../hooks/useTitle';

export function ForbiddenPage() {
  useTitle('Not allowed');
  return (
    <div className="page status-page">
      <p className="status-code" aria-hidden="true">
        403
      </p>
      <h1>You are not allowed to see this page</h1>
      <p>Your account does not have the role this page needs. A manager can change your role.</p>
      <p>
        <Link to="/" className="button">
          Back to home
        </Link>
      </p>
    </div>
  );
}

export function NotFoundPage() {
  useTitle('Page not found');
  return (
    <div className="page status-page">
      <p className="status-code" aria-hidden="true">
        404
      </p>
      <h1>Page not found</h1>
      <p>There is no page at this address. It may have moved, or the link may be wrong.</p>
      <p>
        <Link to="/" className="button">
          Back to home
        </Link>
      </p>
    </div>
  );
}
