/**
 * GET /users/search (lookups only): an email address (`ann@example.com` or `email:ann@example.com`),
 * an external id (`external_id=` parameter or `external_id:x`), or a numeric user id. Free-text search
 * over names, notes and phones belongs to the search index (a later issue); any other query finds
 * nobody rather than guessing.
 */
import type { User } from '../../domain/directory/user.ts';
import { isValidEmail } from '../../domain/directory/user-policy.ts';
import { findUserByEmail, findUserByExternalId, getUser } from '../../store/directory/users.ts';

export type UserLookup =
  | { by: 'email'; value: string }
  | { by: 'external_id'; value: string }
  | { by: 'id'; value: number }
  | { by: 'unsupported'; value: string };

/** Reads a Zendesk user search query as one of the lookups we support. */
export const parseUserQuery = (query: string): UserLookup => {
  const text = query.trim().replace(/^"(.*)"$/, '$1');
  const keyword = /^(email|external_id|id):\s*"?([^"]+)"?$/i.exec(text);
  if (keyword?.[1] && keyword[2]) {
    const name = keyword[1].toLowerCase();
    const value = keyword[2].trim();
    if (name === 'id' && /^\d+$/.test(value)) return { by: 'id', value: Number(value) };
    if (name === 'email') return { by: 'email', value };
    if (name === 'external_id') return { by: 'external_id', value };
  }
  if (/^\d+$/.test(text)) return { by: 'id', value: Number(text) };
  if (isValidEmail(text)) return { by: 'email', value: text };
  return { by: 'unsupported', value: text };
};

export const findUsers = async (lookup: UserLookup): Promise<User[]> => {
  const found =
    lookup.by === 'email'
      ? await findUserByEmail(lookup.value)
      : lookup.by === 'external_id'
        ? await findUserByExternalId(lookup.value)
        : lookup.by === 'id'
          ? await getUser(lookup.value)
          : undefined;
  return found?.active ? [found] : [];
};
