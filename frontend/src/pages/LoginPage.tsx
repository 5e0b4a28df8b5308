import { useState, type FormEvent } from 'react';
import { Navigate, useLocation, useNavigate } from 'react-router';
import { isApiError } from '../api/errors';
import { TextField } from '../components/FormField';
import { useTitle } from '../hooks/useTitle';
import { useAuth } from '../services';

function loginErrorText(error: unknown): string {
  if (!isApiError(error)) return 'Sign-in failed. Please try again.';
  if (error.status === 400 || error.status === 401) {
    const exception = error.errors.exception;
    if (typeof exception === 'string' && /invalid username or password/i.test(exception)) {
      return 'Invalid username or password.';
    }
    return error.message;
  }
  if (error.status === 0) return error.message;
  return `Sign-in failed: ${error.message}`;
}

export function LoginPage() {
  useTitle('Sign in');
  const { user, access, endedReason, store } = useAuth();
  const navigate = useNavigate();
  const location = useLocation();
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const from = (location.state as { from?: unknown } | null)?.from;
  const target = typeof from === 'string' && from.startsWith('/') && !from.startsWith('/login') ? from : '/';

  if (user && access && !pending) return <Navigate to={target} replace />;

  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (pending) return;
    setError(null);
    setPending(true);
    try {
      await store.login(username.trim(), password);
      navigate(target, { replace: true });
    } catch (err) {
      setError(loginErrorText(err));
      setPending(false);
    }
  };

  return (
    <main className="login-page" id="main">
      <div className="login-card card">
        <div className="login-brand">
          <span className="brand-mark" aria-hidden="true">
            HDS
          </span>
          <h1>Harvester Data Store</h1>
        </div>
        {endedReason === 'expired' && !error && (
          <p className="notice" role="status">
            Your session has ended. Please sign in again.
          </p>
        )}
        <form onSubmit={(e) => void submit(e)} aria-label="Sign in" noValidate>
          <TextField
            label="Username"
            name="username"
            autoComplete="username"
            autoCapitalize="none"
            spellCheck={false}
            required
            autoFocus
            value={username}
            onChange={(e) => setUsername(e.target.value)}
          />
          <TextField
            label="Password"
            name="password"
            type="password"
            autoComplete="current-password"
            required
            value={password}
            onChange={(e) => setPassword(e.target.value)}
          />
          {error && (
            <p className="form-errors" role="alert">
              {error}
            </p>
          )}
          <button type="submit" className="button button-primary button-block" disabled={pending || !username || !password}>
            {pending ? 'Signing in…' : 'Sign in'}
          </button>
        </form>
      </div>
    </main>
  );
}
