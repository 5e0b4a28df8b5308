import { useEffect, useState, type FormEvent } from 'react';
import { fieldErrors } from '../api/errors';
import type { User } from '../api/schemas';
import { accountKind, displayName, usersApi } from '../api/users';
import { apiGet } from '../api/client';
import { Detail, DetailList } from '../components/DetailList';
import { ErrorState } from '../components/ErrorState';
import { FormErrors, TextField } from '../components/FormField';
import { Loading } from '../components/Loading';
import { useApi } from '../hooks/useApi';
import { useTitle } from '../hooks/useTitle';
import { formatDateTime } from '../lib/format';
import { useAuth, useClient } from '../services';

function ProfileDetails({ user }: { user: User }) {
  return (
    <DetailList>
      {[
        ['Username', user.username],
        ['Name', `${user.first_name} ${user.last_name}`.trim() || '—'],
        ['Email', user.email || '—'],
        ['Role', user.profile?.role ?? '—'],
        ['Slack ID', user.profile?.slack_id || '—'],
        ['Account', `${accountKind(user)}, ${user.is_active ? 'active' : 'inactive'}`],
        ['Last login', user.last_login ? formatDateTime(user.last_login) : '—'],
      ].map(([label, value]) => (
        <Detail key={label} label={label}>
          {value}
        </Detail>
      ))}
    </DetailList>
  );
}

function EditProfileForm({ user, onSaved }: { user: User; onSaved: (user: User) => void }) {
  const client = useClient();
  const [form, setForm] = useState({
    first_name: user.first_name ?? '',
    last_name: user.last_name ?? '',
    email: user.email ?? '',
    slack_id: user.profile?.slack_id ?? '',
  });
  const [pending, setPending] = useState(false);
  const [errors, setErrors] = useState<Record<string, string[]>>({});
  const [failure, setFailure] = useState<unknown>(null);
  const [saved, setSaved] = useState(false);

  const set = (key: keyof typeof form) => (event: { target: { value: string } }) => {
    setForm((f) => ({ ...f, [key]: event.target.value }));
    setSaved(false);
  };

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setPending(true);
    setErrors({});
    setFailure(null);
    setSaved(false);
    try {
      // The role is never sent: users cannot change their own role.
      const updated = await usersApi.update(client, user.id, {
        first_name: form.first_name.trim(),
        last_name: form.last_name.trim(),
        email: form.email.trim(),
        profile: { slack_id: form.slack_id.trim() || null },
      });
      onSaved(updated);
      setSaved(true);
    } catch (error) {
      const fields = fieldErrors(error);
      if (Object.keys(fields).length) setErrors(fields);
      else setFailure(error);
    } finally {
      setPending(false);
    }
  };

  return (
    <form onSubmit={(e) => void submit(e)} aria-labelledby="edit-profile-title" className="form">
      <h2 id="edit-profile-title">Edit details</h2>
      <div className="form-grid">
        <TextField label="First name" autoComplete="given-name" value={form.first_name} onChange={set('first_name')} errors={errors.first_name} />
        <TextField label="Last name" autoComplete="family-name" value={form.last_name} onChange={set('last_name')} errors={errors.last_name} />
        <TextField label="Email" type="email" autoComplete="email" value={form.email} onChange={set('email')} errors={errors.email} />
        <TextField
          label="Slack ID"
          value={form.slack_id}
          onChange={set('slack_id')}
          errors={errors['profile.slack_id'] ?? errors.slack_id}
          hint="Your Slack member ID (e.g. U012AB3CD), used to mention you in notifications."
          maxLength={15}
        />
      </div>
      <FormErrors errors={errors} shown={['first_name', 'last_name', 'email', 'profile.slack_id', 'slack_id']} />
      {failure !== null && <ErrorState error={failure} compact />}
      <div className="form-actions">
        <button type="submit" className="button button-primary" disabled={pending}>
          {pending ? 'Saving…' : 'Save details'}
        </button>
        <span role="status" className="success-text">
          {saved ? 'Details saved.' : ''}
        </span>
      </div>
    </form>
  );
}

function ChangePasswordForm() {
  const client = useClient();
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const [confirm, setConfirm] = useState('');
  const [pending, setPending] = useState(false);
  const [errors, setErrors] = useState<Record<string, string[]>>({});
  const [failure, setFailure] = useState<unknown>(null);
  const [done, setDone] = useState(false);
  const mismatch = confirm.length > 0 && next !== confirm;

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (!current || !next || next !== confirm) return;
    setPending(true);
    setErrors({});
    setFailure(null);
    setDone(false);
    try {
      await usersApi.changePassword(client, current, next);
      setCurrent('');
      setNext('');
      setConfirm('');
      setDone(true);
    } catch (error) {
      const fields = fieldErrors(error);
      if (Object.keys(fields).length) setErrors(fields);
      else setFailure(error);
    } finally {
      setPending(false);
    }
  };

  return (
    <form onSubmit={(e) => void submit(e)} aria-labelledby="password-title" className="form">
      <h2 id="password-title">Change password</h2>
      <div className="form-grid">
        <TextField
          label="Current password"
          type="password"
          autoComplete="current-password"
          required
          value={current}
          onChange={(e) => setCurrent(e.target.value)}
          errors={errors.current_password}
        />
        <TextField
          label="New password"
          type="password"
          autoComplete="new-password"
          required
          value={next}
          onChange={(e) => setNext(e.target.value)}
          errors={errors.new_password}
        />
        <TextField
          label="Repeat new password"
          type="password"
          autoComplete="new-password"
          required
          value={confirm}
          onChange={(e) => setConfirm(e.target.value)}
          errors={mismatch ? ['The passwords do not match.'] : undefined}
        />
      </div>
      <FormErrors errors={errors} shown={['current_password', 'new_password']} />
      {failure !== null && <ErrorState error={failure} compact />}
      <div className="form-actions">
        <button type="submit" className="button button-primary" disabled={pending || !current || !next || next !== confirm}>
          {pending ? 'Changing…' : 'Change password'}
        </button>
        <span role="status" className="success-text">
          {done ? 'Password changed.' : ''}
        </span>
      </div>
    </form>
  );
}

export function ProfilePage() {
  useTitle('My profile');
  const { user: sessionUser, store } = useAuth();
  const { data, error, reload } = useApi(apiGet('/api/v1/users/me/'));

  // Keep the stored user in step with the server.
  useEffect(() => {
    if (data) store.setUser(data);
  }, [data, store]);

  // The store holds the freshest copy (updated from users/me/ and after edits).
  const user = sessionUser ?? data;

  return (
    <div className="page">
      <header className="page-head">
        <h1>My profile</h1>
        {user && <p className="muted">{displayName(user)}</p>}
      </header>
      {error ? <ErrorState error={error} onRetry={reload} compact /> : null}
      {!user ? (
        <Loading />
      ) : (
        <div className="columns">
          <section className="card" aria-labelledby="details-title">
            <h2 id="details-title">Details</h2>
            {!data && !error && <Loading inline label="Refreshing…" />}
            <ProfileDetails user={user} />
          </section>
          <div className="stack">
            <section className="card">
              <EditProfileForm key={user.id} user={user} onSaved={(u) => store.setUser(u)} />
            </section>
            <section className="card">
              <ChangePasswordForm />
            </section>
          </div>
        </div>
      )}
    </div>
  );
}
