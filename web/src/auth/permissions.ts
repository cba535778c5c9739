// What each role may do, as the server's internal/access decides it (README, People). The UI hides what a role
// cannot use; the server stays the authority and refuses with FORBIDDEN whatever slips through.
import type { Role } from './session';

export type Action =
  | 'campaigns.manage' // create, pause, resume, sync
  | 'content.manage' // generate, edit, publish, reject
  | 'organization.manage' // settings, members, invitations, API keys, tracking key
  | 'owners.manage';

const rank: Record<Role, number> = { VIEWER: 0, MARKETER: 1, ADMIN: 2, OWNER: 3 };

const needs: Record<Action, Role> = {
  'campaigns.manage': 'MARKETER',
  'content.manage': 'MARKETER',
  'organization.manage': 'ADMIN',
  'owners.manage': 'OWNER',
};

export function can(role: Role | null | undefined, action: Action): boolean {
  return role != null && rank[role] >= rank[needs[action]];
}

/** The roles a person of role may hand out in invitations and API keys (only an OWNER makes an OWNER). */
export function grantableRoles(role: Role): Role[] {
  const all: Role[] = ['OWNER', 'ADMIN', 'MARKETER', 'VIEWER'];
  return all.filter((r) => rank[r] <= rank[role] && (r !== 'OWNER' || role === 'OWNER'));
}
