/**
 * First start of an account: the admin who runs it, an API token for that admin, and the support
 * tiers every later routing rule refers to (Tier 1, Tier 2, Tier 3), then the default content
 * (default-content.ts). Later starts change nothing.
 */
import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { nowTimestamp } from '../domain/clock.ts';
import { buildGroup } from '../domain/directory/group.ts';
import { buildUser, nameFromEmail, normalizeEmail } from '../domain/directory/user.ts';
import { createApiToken } from '../store/directory/api-tokens.ts';
import { allocateGroupId, createGroup } from '../store/directory/groups.ts';
import { allocateUserId, createUser, findUserByEmail } from '../store/directory/users.ts';
import { documentClient } from '../store/dynamo.ts';
import { physicalTableName } from '../store/tables.ts';
import { DEFAULT_CONTENT, type SeedContext } from './default-content.ts';

const SEEDED_MARKER = { pk: 'ACCOUNT', sk: 'SEEDED' };
export const SEEDED_GROUPS = ['Tier 1', 'Tier 2', 'Tier 3'] as const;

export interface SeedResult {
  firstStart: boolean;
  adminEmail: string;
  /** Only on the first start: the token is stored hashed and can never be shown again. */
  adminToken?: string;
}

export const seedAccount = async (input: {
  adminEmail: string;
  adminToken?: string;
}): Promise<SeedResult> => {
  const table = physicalTableName('directory');
  const adminEmail = normalizeEmail(input.adminEmail);
  const marker = await documentClient().send(new GetCommand({ TableName: table, Key: SEEDED_MARKER }));
  if (marker.Item) return { firstStart: false, adminEmail: String(marker.Item.admin_email) };

  const now = nowTimestamp();
  const admin =
    (await findUserByEmail(adminEmail)) ??
    (await createUser(
      buildUser(
        { name: nameFromEmail(adminEmail), email: adminEmail, role: 'admin', verified: true },
        await allocateUserId(),
        now,
      ),
    ));
  const { token } = await createApiToken({
    description: 'Created on first start',
    createdBy: admin.id,
    now,
    ...(input.adminToken ? { token: input.adminToken } : {}),
  });
  const groupIds = {} as SeedContext['groupIds'];
  for (const [index, name] of SEEDED_GROUPS.entries()) {
    const group = await createGroup(
      buildGroup(
        { name, default: index === 0, description: `Support ${name}` },
        await allocateGroupId(),
        now,
      ),
    );
    groupIds[name] = group.id;
  }
  for (const seedStep of DEFAULT_CONTENT) await seedStep({ adminId: admin.id, groupIds, now });
  await documentClient().send(
    new PutCommand({ TableName: table, Item: { ...SEEDED_MARKER, admin_email: adminEmail, seeded_at: now } }),
  );
  return { firstStart: true, adminEmail, adminToken: token };
};
