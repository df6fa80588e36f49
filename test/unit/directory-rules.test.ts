import { describe, expect, it } from 'vitest';
import type { Role } from '../../infra/topology.ts';
import { buildGroup } from '../../shared/domain/directory/group.ts';
import { buildGroupMembership } from '../../shared/domain/directory/group-membership.ts';
import {
  applyOrganizationChanges,
  buildOrganization,
  normalizeDomainNames,
} from '../../shared/domain/directory/organization.ts';
import { buildUser, type User } from '../../shared/domain/directory/user.ts';
import {
  applyUserChanges,
  assertMayCreate,
  assertMayDelete,
  assertMayUpdate,
  assertMayView,
  changedFields,
  isValidEmail,
  type UserChanges,
} from '../../shared/domain/directory/user-policy.ts';
import { ForbiddenError, ValidationError } from '../../shared/domain/errors.ts';
import { normalizeTags } from '../../shared/domain/tags.ts';
import { parseUserQuery } from '../../shared/use-cases/users/find-users.ts';

const NOW = '2026-01-05T10:00:00Z';
const user = (id: number, role: Role): User =>
  buildUser({ name: `User ${id}`, email: `u${id}@example.com`, role }, id, NOW);
const actor = (id: number, role: Role) => ({ userId: id, role });

describe('who may create whom', () => {
  it.each([
    ['admin', 'admin', true],
    ['admin', 'agent', true],
    ['agent', 'end-user', true],
    ['agent', 'agent', false],
    ['agent', 'admin', false],
  ] as const)('%s creating a %s: allowed=%s', (actorRole, role, allowed) => {
    const attempt = () => assertMayCreate(actor(1, actorRole), role);
    if (allowed) expect(attempt).not.toThrow();
    else expect(attempt).toThrow(ForbiddenError);
  });

  it('lets the system (no actor) create anyone', () => {
    expect(() => assertMayCreate(undefined, 'admin')).not.toThrow();
  });
});

describe('who may update what', () => {
  const endUser = user(10, 'end-user');
  const agent = user(20, 'agent');
  const admin = user(30, 'admin');
  it.each<[string, { userId: number; role: Role }, User, UserChanges, boolean]>([
    ['end-user renames themselves', actor(10, 'end-user'), endUser, { name: 'New', phone: '1' }, true],
    ['end-user sends their role back unchanged', actor(10, 'end-user'), endUser, { role: 'end-user' }, true],
    ['end-user promotes themselves', actor(10, 'end-user'), endUser, { role: 'admin' }, false],
    ['end-user changes their email', actor(10, 'end-user'), endUser, { email: 'x@example.com' }, false],
    [
      'end-user sends their email back in another case',
      actor(10, 'end-user'),
      endUser,
      { email: 'U10@Example.com' },
      true,
    ],
    ['end-user renames someone else', actor(10, 'end-user'), agent, { name: 'x' }, false],
    ['agent edits an end-user', actor(20, 'agent'), endUser, { notes: 'n', tags: ['a'] }, true],
    ['agent changes an end-user role', actor(20, 'agent'), endUser, { role: 'agent' }, false],
    ['agent changes own role', actor(20, 'agent'), agent, { role: 'admin' }, false],
    ['agent edits an admin', actor(20, 'agent'), admin, { notes: 'n' }, false],
    ['admin changes a role', actor(30, 'admin'), agent, { role: 'end-user' }, true],
  ])('%s: allowed=%s', (_, who, target, changes, allowed) => {
    const attempt = () => assertMayUpdate(who, target, changes);
    if (allowed) expect(attempt).not.toThrow();
    else expect(attempt).toThrow(ForbiddenError);
  });

  it('end-users see only themselves; only admins delete, never themselves', () => {
    expect(() => assertMayView(actor(10, 'end-user'), { id: 10 })).not.toThrow();
    expect(() => assertMayView(actor(10, 'end-user'), { id: 11 })).toThrow(ForbiddenError);
    expect(() => assertMayView(actor(20, 'agent'), { id: 11 })).not.toThrow();
    expect(() => assertMayDelete(actor(20, 'agent'), { id: 11 })).toThrow(ForbiddenError);
    expect(() => assertMayDelete(actor(30, 'admin'), { id: 30 })).toThrow(ForbiddenError);
    expect(() => assertMayDelete(actor(30, 'admin'), { id: 11 })).not.toThrow();
  });
});

describe('applying user changes', () => {
  it('normalises email and tags, merges user_fields, and moves updated_at', () => {
    const before = { ...user(1, 'end-user'), user_fields: { plan: 'basic', region: 'eu' } };
    const after = applyUserChanges(
      before,
      { email: ' New@Example.COM ', tags: ['VIP', 'vip', 'two words'], user_fields: { plan: 'gold' } },
      '2026-02-01T00:00:00Z',
    );
    expect(after).toMatchObject({
      email: 'new@example.com',
      tags: ['vip', 'two', 'words'],
      user_fields: { plan: 'gold', region: 'eu' },
      updated_at: '2026-02-01T00:00:00Z',
      version: before.version,
    });
  });

  it('rejects a blank name and a malformed email', () => {
    expect(() => applyUserChanges(user(1, 'agent'), { name: '  ' }, NOW)).toThrow(ValidationError);
    expect(() => applyUserChanges(user(1, 'agent'), { email: 'nope' }, NOW)).toThrow(ValidationError);
  });

  it('counts only real differences as changes', () => {
    expect(changedFields(user(1, 'agent'), { name: 'User 1', role: 'agent', tags: [] })).toEqual([]);
  });

  it.each([
    ['ann@example.com', true],
    ['ann.lee+tag@sub.example.co.uk', true],
    ['ann@localhost', false],
    ['ann example.com', false],
    ['@example.com', false],
  ])('isValidEmail(%s) = %s', (email, valid) => {
    expect(isValidEmail(email)).toBe(valid);
  });
});

describe('organizations', () => {
  it('normalises domains (lower case, no duplicates) and rejects non-domains', () => {
    expect(normalizeDomainNames([' Example.COM', 'example.com', 'sub.example.org'])).toEqual([
      'example.com',
      'sub.example.org',
    ]);
    expect(() => normalizeDomainNames(['not a domain'])).toThrow(ValidationError);
    expect(() => normalizeDomainNames(['http://example.com'])).toThrow(ValidationError);
  });

  it('merges organization_fields and keeps fields not mentioned', () => {
    const organization = buildOrganization(
      { name: 'Acme', notes: 'n', organization_fields: { a: 1, b: 2 } },
      1,
      NOW,
    );
    const next = applyOrganizationChanges(organization, { organization_fields: { b: 3 } }, NOW);
    expect(next).toMatchObject({ name: 'Acme', notes: 'n', organization_fields: { a: 1, b: 3 } });
    expect(() => buildOrganization({ name: ' ' }, 2, NOW)).toThrow(ValidationError);
  });

  it('normalises tags', () => {
    expect(normalizeTags(['A b', 'a', ' '])).toEqual(['a', 'b']);
  });
});

describe('group memberships', () => {
  const group = buildGroup({ name: 'Tier 1' }, 7, NOW);
  it.each<[string, User | undefined, string]>([
    ['an end-user', user(1, 'end-user'), 'user_id'],
    ['a deleted agent', { ...user(2, 'agent'), active: false }, 'user_id'],
    ['nobody', undefined, 'user_id'],
  ])('refuses %s', (_, member, field) => {
    try {
      buildGroupMembership({ user: member, group, isFirstOfUser: true }, 1, NOW);
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(ValidationError);
      expect(Object.keys((error as ValidationError).details)).toEqual([field]);
    }
  });

  it('refuses a deleted group and makes a first membership the default', () => {
    expect(() =>
      buildGroupMembership(
        { user: user(3, 'agent'), group: { ...group, deleted: true }, isFirstOfUser: true },
        1,
        NOW,
      ),
    ).toThrow(ValidationError);
    expect(buildGroupMembership({ user: user(3, 'agent'), group, isFirstOfUser: true }, 1, NOW).default).toBe(
      true,
    );
    expect(
      buildGroupMembership({ user: user(3, 'agent'), group, isFirstOfUser: false }, 1, NOW).default,
    ).toBe(false);
  });
});

describe('user search queries', () => {
  it.each([
    ['ann@example.com', { by: 'email', value: 'ann@example.com' }],
    ['email:ann@example.com', { by: 'email', value: 'ann@example.com' }],
    ['external_id:"CRM 1"', { by: 'external_id', value: 'CRM 1' }],
    ['42', { by: 'id', value: 42 }],
    ['id:42', { by: 'id', value: 42 }],
    ['Ann Lee', { by: 'unsupported', value: 'Ann Lee' }],
  ])('reads %s', (query, lookup) => {
    expect(parseUserQuery(query)).toEqual(lookup);
  });
});
