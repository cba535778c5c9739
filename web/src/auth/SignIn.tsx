import { useEffect, useState, type FormEvent } from 'react';
import { ApiError } from '../lib/http';
import { navigate, useLocation } from '../lib/router';
import { errorMessage } from '../relay/errors';
import { providers, signIn, ssoErrorMessage, ssoLoginURL, type Session } from './session';

interface Props {
  onSignedIn: (s: Session) => void;
  /** The previous session was revoked or expired while the app was open. */
  sessionEnded: boolean;
}

/** Sign-in with e-mail and password, and with single sign-on when the server offers it. */
export function SignIn({ onSignedIn, sessionEnded }: Props) {
  const { path, search } = useLocation();
  const [sso, setSSO] = useState(false);
  const [error, setError] = useState<string | null>(() => {
    const code = search.get('sso_error');
    return code ? ssoErrorMessage(code) : null;
  });
  const [busy, setBusy] = useState(false);
  // Where to land after signing in: where the person was, never the sign-in page itself.
  const returnPath = path === '/sign-in' ? '/' : path;

  useEffect(() => {
    providers().then(
      (p) => setSSO(p.sso),
      () => setSSO(false), // password sign-in still works; its own errors will say why
    );
  }, []);

  async function submit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const form = new FormData(e.currentTarget);
    setBusy(true);
    setError(null);
    try {
      const session = await signIn(String(form.get('email')), String(form.get('password')));
      if (search.has('sso_error')) navigate(returnPath, { replace: true });
      onSignedIn(session);
    } catch (err) {
      setError(signInError(err));
      setBusy(false);
    }
  }

  return (
    <main className="centered">
      <form className="panel auth-form" onSubmit={submit} aria-labelledby="sign-in-title">
        <h1 id="sign-in-title">Sign in to MarketingOS</h1>
        {sessionEnded && !error && (
          <p className="notice" role="status">
            Your session has ended. Please sign in again.
          </p>
        )}
        {error && (
          <p className="form-error" role="alert">
            {error}
          </p>
        )}
        <label>
          E-mail
          <input name="email" type="email" autoComplete="username" required />
        </label>
        <label>
          Password
          <input name="password" type="password" autoComplete="current-password" required />
        </label>
        <button type="submit" className="primary" disabled={busy}>
          {busy ? 'Signing in…' : 'Sign in'}
        </button>
        {sso && (
          <a className="button" href={ssoLoginURL(returnPath)}>
            Sign in with SSO
          </a>
        )}
      </form>
    </main>
  );
}

function signInError(err: unknown): string {
  if (err instanceof ApiError) {
    if (err.status === 401) return 'Wrong e-mail or password.';
    if (err.status === 429) return 'Too many attempts. Wait a minute and try again.';
  }
  return errorMessage(err);
}
