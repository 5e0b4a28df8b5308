import { useMemo, useState, type FormEvent, type ReactNode } from 'react';
import { Link } from 'react-router';
import { fieldErrors } from '../../api/errors';
import type { Notification } from '../../api/schemas';
import { displayName } from '../../api/users';
import { ErrorState } from '../../components/ErrorState';
import { FormErrors } from '../../components/FormField';
import { Modal } from '../../components/Modal';
import { MultiSelect } from '../../components/MultiSelect';
import { notifyNotificationsChanged } from '../../components/NotificationBell';
import { useLookup } from '../../hooks/useLookup';
import { useAuth, useClient } from '../../services';
import { CriteriaList } from '../notifications/criteria';
import { filtersNotInNotification, notificationQuery, type ErrorFilters } from './filters';

export interface CreateNotificationModalProps {
  filters: ErrorFilters;
  onClose: () => void;
  title?: string;
  /** Extra controls above the recipients (e.g. "also only these codes"). */
  children?: ReactNode;
}

/**
 * POST `errorreports/createnotification/?<criteria>` with `{recipients:[ids]}`.
 * Only the criteria a notification can hold are sent (harv_ids, locations,
 * fruits, codes, traceback, is_emulator, handled, primary).
 */
export function CreateNotificationModal({
  filters,
  onClose,
  title = 'Create a notification',
  children,
}: CreateNotificationModalProps) {
  const client = useClient();
  const { user } = useAuth();
  const users = useLookup('/api/v1/users/profiles/');
  const [recipients, setRecipients] = useState<string[]>(user ? [String(user.id)] : []);
  const [pending, setPending] = useState(false);
  const [failure, setFailure] = useState<unknown>(null);
  const [errors, setErrors] = useState<Record<string, string[]>>({});
  const [created, setCreated] = useState<Notification | null>(null);

  const criteria = notificationQuery(filters);
  const empty = Object.keys(criteria).length === 0;
  const dropped = filtersNotInNotification(filters);
  const options = useMemo(
    () =>
      users.items
        .filter((u) => u.is_active)
        .map((u) => ({ value: String(u.id), label: u.username === displayName(u) ? u.username : `${u.username} (${displayName(u)})` }))
        .sort((a, b) => a.label.localeCompare(b.label)),
    [users.items],
  );

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (empty || recipients.length === 0) return;
    setPending(true);
    setFailure(null);
    setErrors({});
    try {
      const result = await client.post('/api/v1/errorreports/createnotification/', {
        query: criteria,
        body: { recipients: recipients.map(Number) },
      });
      setCreated(result);
      notifyNotificationsChanged();
    } catch (error) {
      const fields = fieldErrors(error);
      if (Object.keys(fields).length) setErrors(fields);
      else setFailure(error);
    } finally {
      setPending(false);
    }
  };

  if (created) {
    return (
      <Modal title="Notification created" onClose={onClose}>
        <div className="notice notice-success" role="status">
          <p>
            Notification <strong>{created.id}</strong> created. Slack will notify{' '}
            {created.recipients.length ? created.recipients.join(', ') : 'nobody'} about new error reports that match:
          </p>
        </div>
        <CriteriaList criteria={created.criteria} />
        <div className="form-actions modal-actions">
          <Link to={`/notifications/${created.id}`} className="button button-primary" onClick={onClose}>
            Open notification {created.id}
          </Link>
          <button type="button" className="button" onClick={onClose}>
            Done
          </button>
        </div>
      </Modal>
    );
  }

  return (
    <Modal title={title} onClose={onClose} wide>
      <form onSubmit={(e) => void submit(e)} aria-label={title} className="form">
        <h3>Notify when a new error report matches</h3>
        {empty ? (
          <p className="notice" role="alert">
            Choose at least one harvester, location, fruit, exception code, traceback text, handled or emulator
            filter first: a notification without criteria would fire on every report.
          </p>
        ) : (
          <CriteriaList criteria={criteria} />
        )}
        {dropped.length > 0 && (
          <p className="muted">Not part of a notification (left out): {dropped.join(', ')}.</p>
        )}
        {children}
        <MultiSelect
          label="Recipients"
          placeholder="Nobody yet"
          options={options}
          value={recipients}
          onChange={setRecipients}
          loading={users.loading}
          loadError={users.error ? `The users could not be loaded (${(users.error as Error).message}).` : null}
          hint="They are mentioned in the Slack message (with their Slack ID)."
        />
        <FormErrors errors={errors} shown={[]} />
        {failure !== null && <ErrorState error={failure} compact />}
        <div className="form-actions modal-actions">
          <button type="submit" className="button button-primary" disabled={pending || empty || recipients.length === 0}>
            {pending ? 'Creating…' : 'Create notification'}
          </button>
          <button type="button" className="button" onClick={onClose} disabled={pending}>
            Cancel
          </button>
          {recipients.length === 0 && !empty && <span className="muted">Choose at least one recipient.</span>}
        </div>
      </form>
    </Modal>
  );
}
