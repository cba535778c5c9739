import { describe, expect, it } from 'vitest';
import { can, grantableRoles } from './permissions';

describe('can', () => {
  it.each([
    ['VIEWER', 'campaigns.manage', false],
    ['MARKETER', 'campaigns.manage', true],
    ['MARKETER', 'organization.manage', false],
    ['ADMIN', 'organization.manage', true],
    ['ADMIN', 'owners.manage', false],
    ['OWNER', 'owners.manage', true],
  ] as const)('%s %s: %s', (role, action, want) => {
    expect(can(role, action)).toBe(want);
  });
  it('nobody without a role', () => {
    expect(can(null, 'content.manage')).toBe(false);
  });
});

describe('grantableRoles', () => {
  it('an ADMIN hands out up to ADMIN; only an OWNER makes an OWNER', () => {
    expect(grantableRoles('ADMIN')).toEqual(['ADMIN', 'MARKETER', 'VIEWER']);
    expect(grantableRoles('OWNER')).toEqual(['OWNER', 'ADMIN', 'MARKETER', 'VIEWER']);
  });
});
