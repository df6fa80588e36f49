/**
 * Account-level API tokens, as in Zendesk: any active user authenticates with `email/token:TOKEN`.
 * Only a SHA-256 hash of each token is stored; the token itself is shown once, at creation.
 */
import { createHash, randomBytes } from 'node:crypto';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { NotFoundError } from '../../domain/errors.ts';
import { allocateId } from '../counters.ts';
import { documentClient } from '../dynamo.ts';
import { fromItem, toItem } from '../items.ts';
import { type Page, type PageRequest, queryPage } from '../pagination.ts';
import { physicalTableName } from '../tables.ts';
import { writeTransaction } from '../transactions.ts';
import { claimItem, claimKey, releaseItem } from '../unique-claims.ts';

export interface ApiToken {
  id: number;
  description: string;
  token_hash: string;
  /** The last four characters, so admins can tell tokens apart without seeing them. */
  token_hint: string;
  created_by: number | null;
  created_at: string;
}

const table = () => physicalTableName('directory');
const TOKEN_HASH = 'API_TOKEN_HASH';
const tokenKey = (id: number) => ({ pk: `API_TOKEN#${id}`, sk: 'API_TOKEN' });

export const hashToken = (token: string): string => createHash('sha256').update(token, 'utf8').digest('hex');

/** 240 bits of randomness: far beyond guessing, so a fast hash is the right way to store it. */
export const generateToken = (): string => randomBytes(30).toString('base64url');

export const createApiToken = async (input: {
  description: string;
  createdBy: number | null;
  now: string;
  /** A token chosen by the operator (RELAYDESK_ADMIN_TOKEN); otherwise one is generated. */
  token?: string;
}): Promise<{ apiToken: ApiToken; token: string }> => {
  const token = input.token ?? generateToken();
  const apiToken: ApiToken = {
    id: await allocateId('directory', 'api_token'),
    description: input.description,
    token_hash: hashToken(token),
    token_hint: token.slice(-4),
    created_by: input.createdBy,
    created_at: input.now,
  };
  await writeTransaction([
    {
      label: 'token',
      item: {
        Put: {
          TableName: table(),
          Item: toItem(apiToken, { ...tokenKey(apiToken.id), kind: 'api_token' }, { id: apiToken.id }),
          ConditionExpression: 'attribute_not_exists(pk)',
        },
      },
    },
    { label: 'token_hash', item: claimItem(table(), TOKEN_HASH, apiToken.token_hash, apiToken.id) },
  ]);
  return { apiToken, token };
};

export const isActiveToken = async (token: string): Promise<boolean> => {
  const claim = await documentClient().send(
    new GetCommand({ TableName: table(), Key: claimKey(TOKEN_HASH, hashToken(token)) }),
  );
  return claim.Item !== undefined;
};

export const revokeApiToken = async (id: number): Promise<void> => {
  const stored = await documentClient().send(new GetCommand({ TableName: table(), Key: tokenKey(id) }));
  if (!stored.Item) throw new NotFoundError();
  const apiToken = fromItem<ApiToken>(stored.Item);
  await writeTransaction([
    { label: 'token', item: { Delete: { TableName: table(), Key: tokenKey(id) } } },
    { label: 'token_hash', item: releaseItem(table(), TOKEN_HASH, apiToken.token_hash, id) },
  ]);
};

export const listApiTokens = (page: PageRequest): Promise<Page<ApiToken>> =>
  queryPage(
    {
      tableName: table(),
      indexName: 'byKind',
      partitionKeyName: 'kind',
      partitionKeyValue: 'api_token',
      sortKeyName: 'id',
    },
    page,
    (item) => fromItem<ApiToken>(item),
  );
