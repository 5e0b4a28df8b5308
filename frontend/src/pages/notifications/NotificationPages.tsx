import { useCallback, useRef, useState, type KeyboardEvent } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import { apiGet } from '../../api/client';
import type { Notification } from '../../api/schemas';
import type { Column } from '../../components/DataTable';
import { Detail, DetailList } from '../../components/DetailList';
import { ErrorState } from '../../components/ErrorState';
import { ListView } from '../../components/ListView';
import { Breadcrumb, Loaded } from '../../components/Loaded';
import { ConfirmDialog } from '../../components/Modal';
import { notifyNotificationsChanged, useNotificationsChanged } from '../../components/NotificationBell';
import { useApi } from '../../hooks/useApi';
import { usePageParams } from '../../hooks/usePageParams';
import { useSubmit } from '../../hooks/useSubmit';
import { useTitle } from '../../hooks/useTitle';
import { formatDateTime } from '../../lib/format';
import { useAuth, useClient } from '../../services';
import { CriteriaList, criteriaToQuery } from './criteria';

const TABS = [
  { category: 'created', label: 'Created by me' },
  { category: 'is_recipient', label: 'Where I am a recipient' },
] as const;

type Category = (typeof TABS)[number]['category'];

function Recipients({ names }: { names: string[] }) {
  if (!names.length) return <span className="muted">nobody</span>;
  return <>{names.join(', ')}</>;
}

/** Delete with confirmation: DELETE `notifications/{id}/`. A 403 is shown in the dialog. */
function useDeleteNotification(onDeleted: (n: Notification) => void) {
  const client = useClient();
  const [target, setTarget] = useState<Notification | null>(null);
  const { pending, failure, run } = useSubmit();

  const confirm = async () => {
    if (!target) return;
    const result = await run(() => client.delete('/api/v1/notifications/{id}/', { path: { id: String(target.id) } }));
    if (result.ok) {
      const done = target;
      setTarget(null);
      notifyNotificationsChanged();
      onDeleted(done);
    }
  };

  const dialog = target ? (
    <ConfirmDialog
      title={`Delete notification ${target.id}?`}
      confirmLabel="Delete notification"
      pendingLabel="Deleting…"
      danger
      pending={pending}
      error={failure !== null ? <ErrorState error={failure} compact /> : undefined}
      onConfirm={() => void confirm()}
      onCancel={() => setTarget(null)}
    >
      <p>Slack messages for new matching error reports will stop. This cannot be undone.</p>
      <CriteriaList criteria={target.criteria} />
      <p>
        Recipients: <Recipients names={target.recipients} />
      </p>
    </ConfirmDialog>
  ) : null;

  return { ask: setTarget, dialog };
}

export function NotificationsPage() {
  useTitle('Notifications');
  const { user } = useAuth();
  const { params, setParams, limit, offset, setPage } = usePageParams();
  const category: Category = params.get('category') === 'is_recipient' ? 'is_recipient' : 'created';
  const [version, setVersion] = useState(0);
  const [flash, setFlash] = useState<string | null>(null);
  const tabRefs = useRef<Array<HTMLButtonElement | null>>([]);
  const bump = useCallback(() => setVersion((v) => v + 1), []);
  useNotificationsChanged(bump);

  const { ask, dialog } = useDeleteNotification((n) => setFlash(`Notification ${n.id} deleted.`));

  const select = (next: Category) => {
    setFlash(null);
    setParams(next === 'created' ? {} : { category: next });
  };

  const onTabKey = (event: KeyboardEvent, index: number) => {
    const delta = event.key === 'ArrowRight' ? 1 : event.key === 'ArrowLeft' ? -1 : 0;
    if (!delta) return;
    event.preventDefault();
    const next = (index + delta + TABS.length) % TABS.length;
    select(TABS[next]!.category);
    tabRefs.current[next]?.focus();
  };

  const canDelete = (n: Notification) =>
    category === 'created' || !!user?.is_superuser || (n.creator != null && n.creator === user?.id);

  const columns: Column<Notification>[] = [
    { key: 'id', header: 'ID', render: (n) => <Link to={`/notifications/${n.id}`}>{n.id}</Link> },
    { key: 'criteria', header: 'Criteria', render: (n) => <CriteriaList criteria={n.criteria} inline /> },
    { key: 'recipients', header: 'Recipients', render: (n) => <Recipients names={n.recipients} /> },
    { key: 'trigger_on', header: 'On', render: (n) => n.trigger_on || '—' },
    { key: 'created', header: 'Created', render: (n) => formatDateTime(n.created) },
    {
      key: 'actions',
      header: 'Actions',
      render: (n) => (
        <span className="link-row">
          <Link to={`/errorreports?${criteriaToQuery(n.criteria).toString()}`}>Matching reports</Link>
          {canDelete(n) && (
            <button type="button" className="button button-small button-danger" onClick={() => ask(n)} aria-label={`Delete notification ${n.id}`}>
              Delete
            </button>
          )}
        </span>
      ),
    },
  ];

  return (
    <div className="page">
      <header className="page-head">
        <h1>Notifications</h1>
        <p className="muted">
          Slack messages sent when a new error report matches. Create one from the{' '}
          <Link to="/errorreports">error reports</Link> filters.
        </p>
      </header>
      <div role="tablist" aria-label="Which notifications" className="tabs">
        {TABS.map((tab, i) => (
          <button
            key={tab.category}
            ref={(el) => {
              tabRefs.current[i] = el;
            }}
            type="button"
            role="tab"
            id={`tab-${tab.category}`}
            aria-selected={category === tab.category}
            aria-controls="notifications-panel"
            tabIndex={category === tab.category ? 0 : -1}
            className="tab"
            onClick={() => select(tab.category)}
            onKeyDown={(e) => onTabKey(e, i)}
          >
            {tab.label}
          </button>
        ))}
      </div>
      <div role="tabpanel" id="notifications-panel" aria-labelledby={`tab-${category}`} className="tab-panel">
        {flash && (
          <p className="notice notice-success" role="status">
            {flash}
          </p>
        )}
        <ListView
          key={`${category}-${version}`}
          path="/api/v1/notifications/"
          query={{ category }}
          columns={columns}
          caption={TABS.find((t) => t.category === category)!.label}
          captionHidden
          limit={limit}
          offset={offset}
          onPageChange={setPage}
          emptyMessage={category === 'created' ? 'You have not created any notification.' : 'No notification names you as a recipient.'}
        />
      </div>
      {dialog}
    </div>
  );
}

export function NotificationDetailPage() {
  const { id = '' } = useParams();
  const navigate = useNavigate();
  const { data: n, error, reload } = useApi(apiGet('/api/v1/notifications/{id}/', { path: { id } }));
  useTitle(`Notification ${id}`);
  const { ask, dialog } = useDeleteNotification(() => navigate('/notifications', { replace: true }));

  return (
    <div className="page">
      <Breadcrumb to="/notifications" label="Notifications">
        {id}
      </Breadcrumb>
      <header className="page-head page-head-row">
        <h1>Notification {id}</h1>
        {n && (
          <div className="page-actions">
            <Link to={`/errorreports?${criteriaToQuery(n.criteria).toString()}`} className="button">
              Matching error reports
            </Link>
            <button type="button" className="button button-danger" onClick={() => ask(n)}>
              Delete
            </button>
          </div>
        )}
      </header>
      <Loaded data={n} error={error} reload={reload}>
        {(n) => (
            <>
              <section className="card" aria-labelledby="criteria-title">
                <h2 id="criteria-title">Sent for new {n.trigger_on || 'error report'}s with</h2>
                <CriteriaList criteria={n.criteria} />
              </section>
              <section className="card" aria-labelledby="details-title">
                <h2 id="details-title">Details</h2>
                <DetailList>
                  <Detail label="Recipients">
                    <Recipients names={n.recipients} />
                  </Detail>
                  <Detail label="Created">{formatDateTime(n.created)}</Detail>
                  <Detail label="Last modified">{formatDateTime(n.lastModified)}</Detail>
                  <Detail label="Raw criteria">
                    <code>{JSON.stringify(n.criteria)}</code>
                  </Detail>
                </DetailList>
              </section>
            </>
        )}
      </Loaded>
      {dialog}
    </div>
  );
}
