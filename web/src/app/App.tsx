// The app's top level: who is signed in decides between the sign-in pages and the dashboard.
import { useCallback, useEffect, useState } from 'react';
import { AcceptInvitation } from '../auth/AcceptInvitation';
import { SignIn } from '../auth/SignIn';
import { currentSession, type Session } from '../auth/session';
import { ErrorBoundary } from '../components/ErrorBoundary';
import { Loading } from '../components/Loading';
import { useLocation } from '../lib/router';
import { errorMessage } from '../relay/errors';
import { SignedIn } from './SignedIn';

type SessionState = { status: 'loading' } | { status: 'failed'; error: unknown } | { status: 'ready'; session: Session | null };

export function App() {
  const [state, setState] = useState<SessionState>({ status: 'loading' });
  const [ended, setEnded] = useState(false);
  const { path } = useLocation();

  const load = useCallback(() => {
    setState({ status: 'loading' });
    currentSession().then(
      (session) => setState({ status: 'ready', session }),
      (error: unknown) => setState({ status: 'failed', error }),
    );
  }, []);
  useEffect(load, [load]);

  const signedIn = useCallback((session: Session) => {
    setEnded(false);
    setState({ status: 'ready', session });
  }, []);
  const signedOut = useCallback(() => setState({ status: 'ready', session: null }), []);
  const sessionEnded = useCallback(() => {
    setEnded(true);
    setState({ status: 'ready', session: null });
  }, []);

  if (path === '/accept-invitation') {
    return <AcceptInvitation onAccepted={signedIn} />;
  }
  switch (state.status) {
    case 'loading':
      return (
        <main className="centered">
          <Loading />
        </main>
      );
    case 'failed':
      return (
        <main className="centered">
          <div className="panel" role="alert">
            <h1>MarketingOS is not reachable</h1>
            <p>{errorMessage(state.error)}</p>
            <button type="button" onClick={load}>
              Try again
            </button>
          </div>
        </main>
      );
    case 'ready':
      if (!state.session) return <SignIn onSignedIn={signedIn} sessionEnded={ended} />;
      return (
        <ErrorBoundary what="The dashboard">
          <SignedIn session={state.session} onSignedOut={signedOut} onSessionEnded={sessionEnded} />
        </ErrorBoundary>
      );
  }
}
