// The dashboard of a signed-in person: one Relay environment per organization, the shell around the screens.
import { Suspense, lazy, useEffect, useState, type ComponentType } from 'react';
import { RelayEnvironmentProvider, graphql, useLazyLoadQuery } from 'react-relay';
import { signOut, type Role, type Session } from '../auth/session';
import { ErrorBoundary } from '../components/ErrorBoundary';
import { Link } from '../components/Link';
import { LiveIndicator } from '../components/LiveIndicator';
import { Loading } from '../components/Loading';
import { matchPath, useLocation } from '../lib/router';
import { createAppEnvironment, type AppEnvironment } from '../relay/environment';
import { errorMessage } from '../relay/errors';
import type { LiveState } from '../relay/live';
import { ViewerContext, type Viewer } from './viewer';
import type { SignedInViewerQuery } from './__generated__/SignedInViewerQuery.graphql';

// Each screen is its own chunk: the first page loads only what it shows.
const screens: { pattern: string; title: string; nav?: string; load: () => Promise<{ default: ComponentType<{ params: Record<string, string> }> }> }[] = [
  { pattern: '/', title: 'Overview', nav: 'Overview', load: () => import('../screens/Overview') },
  { pattern: '/attribution', title: 'Attribution', nav: 'Attribution', load: () => import('../screens/Attribution') },
  { pattern: '/campaigns', title: 'Campaigns', nav: 'Campaigns', load: () => import('../screens/Campaigns') },
  { pattern: '/campaigns/:id', title: 'Campaign', load: () => import('../screens/CampaignDetail') },
  { pattern: '/content', title: 'Content', nav: 'Content', load: () => import('../screens/Content') },
  { pattern: '/events', title: 'Events', nav: 'Events', load: () => import('../screens/Events') },
  { pattern: '/settings', title: 'Settings', nav: 'Settings', load: () => import('../screens/Settings') },
];
const lazyScreens = new Map(screens.map((s) => [s.pattern, lazy(s.load)]));

const ORG_KEY = 'mos.organization';

/** The organization to open: the one chosen last in this browser while still a member, else the first. */
function initialOrganization(session: Session): string {
  const saved = window.localStorage.getItem(ORG_KEY);
  return session.organizations.find((o) => o.id === saved)?.id ?? session.organizations[0]?.id ?? '';
}

interface Props {
  session: Session;
  onSignedOut: () => void;
  onSessionEnded: () => void;
}

export function SignedIn({ session, onSignedOut, onSessionEnded }: Props) {
  const [orgId, setOrgId] = useState(() => initialOrganization(session));
  const [env, setEnv] = useState<AppEnvironment | null>(null);
  const [live, setLive] = useState<LiveState>('connecting');

  useEffect(() => {
    setLive('connecting');
    const created = createAppEnvironment({ organizationId: orgId, onSessionEnded, onLiveState: setLive });
    setEnv(created);
    return () => created.dispose();
  }, [orgId, onSessionEnded]);

  const switchTo = (id: string) => {
    window.localStorage.setItem(ORG_KEY, id);
    setOrgId(id);
  };

  if (!orgId) {
    return (
      <main className="centered">
        <div className="panel" role="alert">
          <h1>No organization</h1>
          <p>You do not belong to any organization. Ask an administrator for an invitation.</p>
        </div>
      </main>
    );
  }
  if (!env || env.organizationId !== orgId) return <Loading />;
  return (
    <RelayEnvironmentProvider environment={env.environment} key={orgId}>
      <Suspense
        fallback={
          <main className="centered">
            <Loading />
          </main>
        }
      >
        <Shell live={live} onSwitch={switchTo} onSignedOut={onSignedOut} />
      </Suspense>
    </RelayEnvironmentProvider>
  );
}

function Shell({ live, onSwitch, onSignedOut }: { live: LiveState; onSwitch: (id: string) => void; onSignedOut: () => void }) {
  const data = useLazyLoadQuery<SignedInViewerQuery>(
    graphql`
      query SignedInViewerQuery {
        viewer {
          role
          user {
            id
            email
            name
          }
          organization {
            id
            name
            trackingKey
            currency
            timezone
            attributionWindowDays
          }
          organizations {
            id
            name
          }
        }
      }
    `,
    {},
    { fetchPolicy: 'store-and-network' },
  );
  const { path } = useLocation();
  const [signOutError, setSignOutError] = useState<string | null>(null);
  const viewer: Viewer = { organization: data.viewer.organization, user: data.viewer.user ?? null, role: data.viewer.role as Role, live };
  const route = screens.find((s) => matchPath(s.pattern, path));
  const Screen = route && lazyScreens.get(route.pattern);
  const params = route ? (matchPath(route.pattern, path) ?? {}) : {};

  useEffect(() => {
    document.title = `${route?.title ?? 'Not found'} · MarketingOS`;
  }, [route]);

  async function leave() {
    try {
      await signOut();
      onSignedOut();
    } catch (err) {
      setSignOutError(errorMessage(err));
    }
  }

  return (
    <ViewerContext.Provider value={viewer}>
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <header className="topbar">
        <span className="brand">MarketingOS</span>
        <label className="org-switcher">
          <span className="visually-hidden">Organization</span>
          <select value={viewer.organization.id} onChange={(e) => onSwitch(e.target.value)}>
            {data.viewer.organizations.map((o) => (
              <option key={o.id} value={o.id}>
                {o.name}
              </option>
            ))}
          </select>
        </label>
        <LiveIndicator state={live} />
        <span className="who">
          {viewer.user?.name} <span className="role-badge">{viewer.role.toLowerCase()}</span>
        </span>
        <button type="button" onClick={leave}>
          Sign out
        </button>
        {signOutError && (
          <span className="form-error" role="alert">
            {signOutError}
          </span>
        )}
      </header>
      <nav className="sidenav" aria-label="Main">
        <ul>
          {screens
            .filter((s) => s.nav)
            .map((s) => {
              const current = s.pattern === '/' ? path === '/' : path.startsWith(s.pattern);
              return (
                <li key={s.pattern}>
                  <Link to={s.pattern} aria-current={current ? 'page' : undefined}>
                    {s.nav}
                  </Link>
                </li>
              );
            })}
        </ul>
      </nav>
      <main id="main" className="content" tabIndex={-1}>
        <ErrorBoundary key={path} what={route?.title ?? 'This screen'}>
          <Suspense fallback={<Loading />}>
            {Screen ? (
              <Screen params={params} />
            ) : (
              <div className="panel">
                <h1>Not found</h1>
                <p>
                  There is no page at {path}. <Link to="/">Go to the overview</Link>.
                </p>
              </div>
            )}
          </Suspense>
        </ErrorBoundary>
      </main>
    </ViewerContext.Provider>
  );
}
