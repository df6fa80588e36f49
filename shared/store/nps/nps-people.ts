/**
 * Per-person NPS state in the tickets table, one item per end-user who ever interacted: when they last
 * interacted, when they were last surveyed, whether they unsubscribed. While a person may be surveyed
 * the item carries `kind = nps_candidate` and `gsi_updated = last interaction`, so the byUpdated index
 * (kind + time) lists exactly the people who interacted in a time range: the daily selection is one
 * range query, never a scan. Unsubscribing or bouncing removes those two attributes, which drops the
 * person from the index (sparse), so they are not even read again.
 */
import { GetCommand, QueryCommand, type QueryCommandOutput, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { NpsCandidate, SelectionWindow } from '../../domain/nps/nps-selection.ts';
import { documentClient, isConditionFailure } from '../dynamo.ts';
import { physicalTableName } from '../tables.ts';
import type { TransactItem } from '../transactions.ts';

const table = () => physicalTableName('tickets');
export const NPS_CANDIDATE_KIND = 'nps_candidate';

export const npsPersonKey = (userId: number) => ({ pk: `NPS_PERSON#${userId}`, sk: 'NPS_PERSON' });

export interface NpsPerson {
  user_id: number;
  last_interaction_at?: string;
  surveyed_at?: string;
  last_survey_id?: number;
  unsubscribed_at?: string;
  undeliverable_at?: string;
}

export const getNpsPerson = async (userId: number): Promise<NpsPerson | undefined> => {
  const result = await documentClient().send(
    new GetCommand({ TableName: table(), Key: npsPersonKey(userId) }),
  );
  return result.Item as NpsPerson | undefined;
};

/**
 * Moves the person's last interaction forward to `at` (never back: events arrive out of order) and
 * puts them in the candidate index, unless they unsubscribed. Returns whether anything changed.
 */
export const recordInteraction = async (userId: number, at: string): Promise<boolean> => {
  try {
    await documentClient().send(
      new UpdateCommand({
        TableName: table(),
        Key: npsPersonKey(userId),
        UpdateExpression: 'SET user_id = :user, last_interaction_at = :at, kind = :kind, gsi_updated = :at',
        ConditionExpression:
          'attribute_not_exists(unsubscribed_at) AND (attribute_not_exists(last_interaction_at) OR last_interaction_at < :at)',
        ExpressionAttributeValues: { ':user': userId, ':at': at, ':kind': NPS_CANDIDATE_KIND },
      }),
    );
    return true;
  } catch (error) {
    if (isConditionFailure(error)) return false;
    throw error;
  }
};

/** Everyone who interacted since the window's start and was not surveyed within its quiet period. */
export const listCandidates = async (window: SelectionWindow): Promise<NpsCandidate[]> => {
  const candidates: NpsCandidate[] = [];
  let startKey: Record<string, unknown> | undefined;
  do {
    const result: QueryCommandOutput = await documentClient().send(
      new QueryCommand({
        TableName: table(),
        IndexName: 'byUpdated',
        KeyConditionExpression: 'kind = :kind AND gsi_updated >= :since',
        // Surveyed recently: read (it is in the time range) but not returned; see the README's figures.
        FilterExpression: 'attribute_not_exists(surveyed_at) OR surveyed_at < :before',
        ProjectionExpression: 'user_id, last_interaction_at, surveyed_at',
        ExpressionAttributeValues: {
          ':kind': NPS_CANDIDATE_KIND,
          ':since': window.interactedSince,
          ':before': window.surveyedBefore,
        },
        ExclusiveStartKey: startKey,
      }),
    );
    for (const item of result.Items ?? []) {
      candidates.push({
        userId: Number(item.user_id),
        lastInteractionAt: String(item.last_interaction_at),
        surveyedAt: typeof item.surveyed_at === 'string' ? item.surveyed_at : undefined,
      });
    }
    startKey = result.LastEvaluatedKey;
  } while (startKey);
  return candidates;
};

/**
 * The claim that makes a survey once per person per quiet period, whoever runs the selection and
 * however often: written in the same transaction as the survey, and only if the person is still a
 * candidate and was not surveyed since `surveyedBefore`.
 */
export const surveyClaimItem = (
  userId: number,
  surveyId: number,
  now: string,
  surveyedBefore: string,
): TransactItem => ({
  Update: {
    TableName: table(),
    Key: npsPersonKey(userId),
    UpdateExpression: 'SET surveyed_at = :now, last_survey_id = :survey',
    ConditionExpression: 'kind = :kind AND (attribute_not_exists(surveyed_at) OR surveyed_at < :before)',
    ExpressionAttributeValues: {
      ':now': now,
      ':survey': surveyId,
      ':kind': NPS_CANDIDATE_KIND,
      ':before': surveyedBefore,
    },
  },
});

const leaveCandidates = async (userId: number, attribute: string, at: string, keepFirst: boolean) => {
  await documentClient().send(
    new UpdateCommand({
      TableName: table(),
      Key: npsPersonKey(userId),
      UpdateExpression: `SET user_id = :user, #at = ${keepFirst ? 'if_not_exists(#at, :at)' : ':at'} REMOVE kind, gsi_updated`,
      ExpressionAttributeNames: { '#at': attribute },
      ExpressionAttributeValues: { ':user': userId, ':at': at },
    }),
  );
};

/** For good: no later interaction puts the person back (recordInteraction's condition). */
export const unsubscribePerson = (userId: number, at: string): Promise<void> =>
  leaveCandidates(userId, 'unsubscribed_at', at, true);

/** Until their next interaction, when the address is checked again (it may have changed). */
export const markPersonUndeliverable = (userId: number, at: string): Promise<void> =>
  leaveCandidates(userId, 'undeliverable_at', at, false);
