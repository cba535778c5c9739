import { useState, type FormEvent } from 'react';
import { ApiError } from '../lib/http';
import { navigate } from '../lib/router';
import { errorMessage } from '../relay/errors';
import { acceptInvitation, type Session } from './session';

// The token is read once and dropped from the address bar at once (README, Members and invitations), so that it
// stays out of the history, of bookmarks and of screenshots; the page sends no referrer (index.html). Kept in
// the module, since React may call a state initializer twice.
let taken: string | null = null;
function takeToken(): string {
  if (taken !== null) return taken;
  const url = new URL(window.location.href);
  taken = url.searchParams.get('token') ?? '';
  if (taken) {
    url.searchParams.delete('token');
    window.history.replaceState(null, '', url.pathname + url.search);
  }
  return taken;
}

/** The page an invitation e-mail links to: choose a name and password (or use the account you are signed in to). */
export function AcceptInvitation({ onAccepted }: { onAccepted: (s: Session) => void }) {
  const [token] = useState(takeToken);
  const [errors, setErrors] = useState<{ form?: string; name?: string; password?: string }>({});
  const [busy, setBusy] = useState(false);

  async function submit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const form = new FormData(e.currentTarget);
    setBusy(true);
    setErrors({});
    try {
      const session = await acceptInvitation(token, String(form.get('name')), String(form.get('password')));
      navigate('/', { replace: true });
      onAccepted(session);
    } catch (err) {
      setBusy(false);
      if (err instanceof ApiError && (err.field === 'name' || err.field === 'password')) {
        setErrors({ [err.field]: err.message });
      } else if (err instanceof ApiError && err.status === 401) {
        setErrors({ form: 'This address already has an account. Sign in to it first, then open the link again.' });
      } else if (err instanceof ApiError && err.status === 410) {
        setErrors({ form: err.message || 'This invitation is no longer valid. Ask for a new one.' });
      } else {
        setErrors({ form: errorMessage(err) });
      }
    }
  }

  if (!token) {
    return (
      <main className="centered">
        <div className="panel" role="alert">
          <h1>No invitation</h1>
          <p>This link carries no invitation token. Open the link from your invitation e-mail again.</p>
        </div>
      </main>
    );
  }
  return (
    <main className="centered">
      <form className="panel auth-form" onSubmit={submit} noValidate aria-labelledby="accept-title">
        <h1 id="accept-title">Join MarketingOS</h1>
        {errors.form && (
          <p className="form-error" role="alert">
            {errors.form}
          </p>
        )}
        <label>
          Your name
          <input name="name" autoComplete="name" aria-invalid={!!errors.name} aria-describedby="accept-name-error" />
          <span id="accept-name-error" className="field-error">
            {errors.name}
          </span>
        </label>
        <label>
          Choose a password (at least 10 characters)
          <input
            name="password"
            type="password"
            autoComplete="new-password"
            aria-invalid={!!errors.password}
            aria-describedby="accept-password-error"
          />
          <span id="accept-password-error" className="field-error">
            {errors.password}
          </span>
        </label>
        <button type="submit" className="primary" disabled={busy}>
          {busy ? 'Joining…' : 'Accept the invitation'}
        </button>
      </form>
    </main>
  );
}
