import { Link, useLocation } from 'react-router';
import type { User } from '../../api/schemas';
import { accountKind } from '../../api/users';
import type { Column } from '../../components/DataTable';
import { ListView } from '../../components/ListView';
import { usePageParams } from '../../hooks/usePageParams';
import { useTitle } from '../../hooks/useTitle';
import { formatDateTime } from '../../lib/format';

export const USER_COLUMNS: Column<User>[] = [
  { key: 'username', header: 'Username', render: (u) => <Link to={`/users/${u.id}`}>{u.username}</Link> },
  { key: 'name', header: 'Name', render: (u) => `${u.first_name ?? ''} ${u.last_name ?? ''}`.trim() || '—' },
  { key: 'email', header: 'Email', render: (u) => u.email || '—' },
  { key: 'role', header: 'Role', render: (u) => u.profile?.role ?? '—' },
  { key: 'slack_id', header: 'Slack ID', render: (u) => u.profile?.slack_id || '—' },
  {
    key: 'is_active',
    header: 'Status',
    render: (u) => (
      <span className={u.is_active ? 'badge badge-ok' : 'badge badge-muted'}>{u.is_active ? 'Active' : 'Inactive'}</span>
    ),
  },
  { key: 'kind', header: 'Account', render: accountKind },
  { key: 'last_login', header: 'Last login', render: (u) => (u.last_login ? formatDateTime(u.last_login) : 'Never') },
  {
    key: 'actions',
    header: 'Actions',
    render: (u) => (
      <Link to={`/users/${u.id}`} aria-label={`Edit ${u.username}`}>
        Edit
      </Link>
    ),
  },
];

export function UsersPage() {
  useTitle('Users');
  const { limit, offset, setPage } = usePageParams();
  const flash = (useLocation().state as { flash?: unknown } | null)?.flash;

  return (
    <div className="page">
      <header className="page-head page-head-row">
        <div>
          <h1>Users</h1>
          <p className="muted">Accounts that can use HDS, and their roles.</p>
        </div>
        <Link to="/users/new" className="button button-primary">
          New user
        </Link>
      </header>
      {typeof flash === 'string' && (
        <p className="notice notice-success" role="status">
          {flash}
        </p>
      )}
      <ListView
        path="/api/v1/users/profiles/"
        columns={USER_COLUMNS}
        caption="Users"
        captionHidden
        limit={limit}
        offset={offset}
        onPageChange={setPage}
        emptyMessage="No users."
      />
    </div>
  );
}
