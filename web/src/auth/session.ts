// The sign-in routes of the server (README, People): REST, so that the session cookie and single sign-on
// redirects work as browsers expect. GraphQL is used only once signed in.
import { ApiError, api } from '../lib/http';

export type Role = 'OWNER' | 'ADMIN' | 'MARKETER' | 'VIEWER';

export interface SessionUser {
  id: string;
  email: string;
  name: string;
}

export interface SessionOrganization {
  id: string;
  name: string;
  role: Role;
}

export interface Session {
  user: SessionUser;
  organizations: SessionOrganization[];
}

export interface Providers {
  password: boolean;
  sso: boolean;
}

/** Who is signed in, or null when nobody is (401). */
export async function currentSession(): Promise<Session | null> {
  try {
    return await api<Session>('/api/auth/session');
  } catch (e) {
    if (e instanceof ApiError && e.status === 401) return null;
    throw e;
  }
}

export function signIn(email: string, password: string): Promise<Session> {
  return api<Session>('/api/auth/login', { method: 'POST', body: { email, password } });
}

export function signOut(): Promise<void> {
  return api<void>('/api/auth/logout', { method: 'POST', body: {} });
}

export function providers(): Promise<Providers> {
  return api<Providers>('/api/auth/providers');
}

export function acceptInvitation(token: string, name: string, password: string): Promise<Session> {
  return api<Session>('/api/auth/invitations/accept', { method: 'POST', body: { token, name, password } });
}

/** The address that starts single sign-on and comes back to returnPath. */
export function ssoLoginURL(returnPath: string): string {
  return `/api/auth/oidc/login?return=${encodeURIComponent(returnPath)}`;
}

/** What the callback's ?sso_error=CODE means, in words (README, Single sign-on). */
export function ssoErrorMessage(code: string): string {
  switch (code) {
    case 'SSO_DENIED':
      return 'The identity provider did not let you in.';
    case 'SSO_UNAVAILABLE':
      return 'Single sign-on is unavailable right now. Try again in a moment.';
    case 'EMAIL_NOT_VERIFIED':
      return 'Your identity provider does not vouch for a verified e-mail address.';
    case 'NOT_INVITED':
      return 'Your e-mail address has no invitation to any organization. Ask an administrator to invite you.';
    case 'SSO_ACCOUNT_CONFLICT':
      return 'Your e-mail address is linked to another account at your identity provider.';
    default:
      return 'Single sign-on failed. Please try again.';
  }
}
