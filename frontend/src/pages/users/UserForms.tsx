import { useState, type FormEvent } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import { apiGet } from '../../api/client';
import { fieldErrors, isApiError } from '../../api/errors';
import { ROLES } from '../../api/roles';
import type { User } from '../../api/schemas';
import { accountKind, usersApi } from '../../api/users';
import { ErrorState } from '../../components/ErrorState';
import { CheckboxField, FormErrors, SelectField, TextField } from '../../components/FormField';
import { Breadcrumb, Loaded } from '../../components/Loaded';
import { useApi } from '../../hooks/useApi';
import { useTitle } from '../../hooks/useTitle';
import { formatDateTime } from '../../lib/format';
import { useAuth, useClient } from '../../services';

const ROLE_HELP: Record<string, string> = {
  support: 'read most resources and change some',
  developer: 'read most resources and change more of them',
  manager: 'do everything, including managing users and deploying code',
  sqs: 'file reports and files (the SQS forwarder service account)',
  jenkins: 'file releases, schemas and code manifests, and read (CI service account)',
  beatbox: 'only read (smoke-test service account)',
};

function RoleOptions({ current }: { current?: string }) {
  const roles: string[] = [...ROLES];
  if (current && !roles.includes(current)) roles.push(current);
  return (
    <>
      {roles.map((role) => (
        <option key={role} value={role}>
          {role}
        </option>
      ))}
    </>
  );
}

function splitErrors(error: unknown, setFields: (f: Record<string, string[]>) => void, setFailure: (e: unknown) => void) {
  const fields = fieldErrors(error);
  if (Object.keys(fields).length) setFields(fields);
  else setFailure(error);
}

export function UserCreatePage() {
  useTitle('New user');
  const client = useClient();
  const navigate = useNavigate();
  const [form, setForm] = useState({
    username: '',
    password: '',
    password2: '',
    email: '',
    first_name: '',
    last_name: '',
    role: 'support',
    slack_id: '',
  });
  const [pending, setPending] = useState(false);
  const [errors, setErrors] = useState<Record<string, string[]>>({});
  const [failure, setFailure] = useState<unknown>(null);
  const mismatch = form.password2.length > 0 && form.password !== form.password2;

  const set = (key: keyof typeof form) => (event: { target: { value: string } }) =>
    setForm((f) => ({ ...f, [key]: event.target.value }));

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (mismatch || !form.username.trim() || !form.password) return;
    setPending(true);
    setErrors({});
    setFailure(null);
    try {
      const user = await usersApi.create(client, {
        username: form.username.trim(),
        password: form.password,
        email: form.email.trim(),
        first_name: form.first_name.trim(),
        last_name: form.last_name.trim(),
        profile: { role: form.role, slack_id: form.slack_id.trim() },
      });
      navigate('/users', { state: { flash: `User ${user.username} created.` } });
    } catch (error) {
      splitErrors(error, setErrors, setFailure);
      setPending(false);
    }
  };

  const shown = ['username', 'password', 'email', 'first_name', 'last_name', 'profile.role', 'profile.slack_id', 'role', 'slack_id'];

  return (
    <div className="page">
      <Breadcrumb to="/users" label="Users">
        New
      </Breadcrumb>
      <header className="page-head">
        <h1>New user</h1>
      </header>
      <form className="card form" onSubmit={(e) => void submit(e)} aria-label="New user" noValidate>
        <div className="form-grid">
          <TextField label="Username" required autoComplete="off" value={form.username} onChange={set('username')} errors={errors.username} />
          <TextField label="Email" type="email" value={form.email} onChange={set('email')} errors={errors.email} />
          <TextField label="First name" value={form.first_name} onChange={set('first_name')} errors={errors.first_name} />
          <TextField label="Last name" value={form.last_name} onChange={set('last_name')} errors={errors.last_name} />
          <TextField
            label="Password"
            type="password"
            required
            autoComplete="new-password"
            value={form.password}
            onChange={set('password')}
            errors={errors.password}
          />
          <TextField
            label="Repeat password"
            type="password"
            required
            autoComplete="new-password"
            value={form.password2}
            onChange={set('password2')}
            errors={mismatch ? ['The passwords do not match.'] : undefined}
          />
          <SelectField
            label="Role"
            value={form.role}
            onChange={set('role')}
            hint={ROLE_HELP[form.role] ? `A ${form.role} can ${ROLE_HELP[form.role]}.` : undefined}
            errors={errors['profile.role'] ?? errors.role}
          >
            <RoleOptions />
          </SelectField>
          <TextField
            label="Slack ID"
            value={form.slack_id}
            maxLength={15}
            onChange={set('slack_id')}
            errors={errors['profile.slack_id'] ?? errors.slack_id}
          />
        </div>
        <FormErrors errors={errors} shown={shown} />
        {failure !== null && <ErrorState error={failure} compact />}
        <div className="form-actions">
          <button
            type="submit"
            className="button button-primary"
            disabled={pending || mismatch || !form.username.trim() || !form.password}
          >
            {pending ? 'Creating…' : 'Create user'}
          </button>
          <Link to="/users" className="button button-ghost">
            Cancel
          </Link>
        </div>
      </form>
    </div>
  );
}

function EditUserForm({ user, isSelf, onSaved }: { user: User; isSelf: boolean; onSaved: (u: User, message: string) => void }) {
  const client = useClient();
  const navigate = useNavigate();
  const [form, setForm] = useState({
    first_name: user.first_name ?? '',
    last_name: user.last_name ?? '',
    email: user.email ?? '',
    role: user.profile?.role ?? 'support',
    slack_id: user.profile?.slack_id ?? '',
    is_active: user.is_active,
  });
  const [pending, setPending] = useState(false);
  const [errors, setErrors] = useState<Record<string, string[]>>({});
  const [failure, setFailure] = useState<unknown>(null);

  const set = (key: 'first_name' | 'last_name' | 'email' | 'role' | 'slack_id') => (event: { target: { value: string } }) =>
    setForm((f) => ({ ...f, [key]: event.target.value }));

  const run = async (action: () => Promise<void>) => {
    setPending(true);
    setErrors({});
    setFailure(null);
    try {
      await action();
    } catch (error) {
      splitErrors(error, setErrors, setFailure);
    } finally {
      setPending(false);
    }
  };

  const save = (event: FormEvent) => {
    event.preventDefault();
    void run(async () => {
      const profile: { slack_id: string | null; role?: string } = { slack_id: form.slack_id.trim() || null };
      if (!isSelf) profile.role = form.role;
      const updated = await usersApi.update(client, user.id, {
        first_name: form.first_name.trim(),
        last_name: form.last_name.trim(),
        email: form.email.trim(),
        ...(isSelf ? {} : { is_active: form.is_active }),
        profile,
      });
      onSaved(updated, 'Changes saved.');
    });
  };

  const toggleActive = () =>
    void run(async () => {
      const updated = await usersApi.update(client, user.id, { is_active: !user.is_active });
      setForm((f) => ({ ...f, is_active: updated.is_active }));
      onSaved(updated, updated.is_active ? 'User reactivated.' : 'User deactivated.');
    });

  const remove = () => {
    if (!window.confirm(`Delete user ${user.username}? This cannot be undone. Deactivating keeps their history.`)) return;
    void run(async () => {
      await usersApi.remove(client, user.id);
      navigate('/users', { state: { flash: `User ${user.username} deleted.` } });
    });
  };

  const shown = ['first_name', 'last_name', 'email', 'profile.role', 'profile.slack_id', 'role', 'slack_id'];

  return (
    <>
      <form className="card form" onSubmit={save} aria-label={`Edit ${user.username}`}>
        <h2>Edit</h2>
        <div className="form-grid">
          <TextField label="First name" value={form.first_name} onChange={set('first_name')} errors={errors.first_name} />
          <TextField label="Last name" value={form.last_name} onChange={set('last_name')} errors={errors.last_name} />
          <TextField label="Email" type="email" value={form.email} onChange={set('email')} errors={errors.email} />
          <TextField
            label="Slack ID"
            value={form.slack_id}
            maxLength={15}
            onChange={set('slack_id')}
            errors={errors['profile.slack_id'] ?? errors.slack_id}
          />
          <SelectField
            label="Role"
            value={form.role}
            onChange={set('role')}
            disabled={isSelf}
            hint={
              isSelf
                ? 'You cannot change your own role.'
                : ROLE_HELP[form.role]
                  ? `A ${form.role} can ${ROLE_HELP[form.role]}.`
                  : undefined
            }
            errors={errors['profile.role'] ?? errors.role}
          >
            <RoleOptions current={user.profile?.role} />
          </SelectField>
          <CheckboxField
            label="Active"
            checked={form.is_active}
            disabled={isSelf}
            onChange={(e) => setForm((f) => ({ ...f, is_active: e.target.checked }))}
            hint={isSelf ? 'You cannot deactivate yourself.' : 'Inactive users cannot sign in.'}
          />
        </div>
        <FormErrors errors={errors} shown={shown} />
        {failure !== null && <ErrorState error={failure} compact />}
        <div className="form-actions">
          <button type="submit" className="button button-primary" disabled={pending}>
            {pending ? 'Saving…' : 'Save changes'}
          </button>
        </div>
      </form>
      {!isSelf && (
        <section className="card danger-zone" aria-labelledby="danger-title">
          <h2 id="danger-title">Account access</h2>
          <div className="form-actions">
            <button type="button" className="button" onClick={toggleActive} disabled={pending}>
              {user.is_active ? 'Deactivate user' : 'Reactivate user'}
            </button>
            <button type="button" className="button button-danger" onClick={remove} disabled={pending}>
              Delete user
            </button>
          </div>
        </section>
      )}
    </>
  );
}

export function UserEditPage() {
  const { userId = '' } = useParams();
  const { user: me, store } = useAuth();
  const { data, error, reload } = useApi(apiGet('/api/v1/users/profiles/{id}/', { path: { id: userId } }));
  const [current, setCurrent] = useState<User | null>(null);
  const [message, setMessage] = useState<string | null>(null);
  const user = current && String(current.id) === userId ? current : data;
  useTitle(user ? `User ${user.username}` : 'User');

  return (
    <div className="page">
      <Breadcrumb to="/users" label="Users">
        {user?.username ?? userId}
      </Breadcrumb>
      <Loaded data={user} error={error} reload={isApiError(error) && error.status === 404 ? undefined : reload}>
        {(user) => (
            <>
              <header className="page-head">
                <h1>{user.username}</h1>
                <p className="muted">
                  {accountKind(user)} · {user.is_active ? 'active' : 'inactive'} · last login{' '}
                  {user.last_login ? formatDateTime(user.last_login) : 'never'}
                </p>
              </header>
              <p role="status" className="notice notice-success" hidden={!message}>
                {message}
              </p>
              <EditUserForm
                key={user.id}
                user={user}
                isSelf={me?.id === user.id}
                onSaved={(updated, text) => {
                  setCurrent(updated);
                  setMessage(text);
                  if (me?.id === updated.id) store.setUser(updated);
                }}
              />
            </>
        )}
      </Loaded>
    </div>
  );
}
