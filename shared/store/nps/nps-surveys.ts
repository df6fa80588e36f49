/**
 * NPS surveys, and the send queue in front of SES. A survey waiting to be mailed carries
 * `kind = nps_outbox` and `gsi_updated = when it may next be tried`, so the deliverer reads due surveys
 * from the byUpdated index in time order. Taking one is a conditional update that moves its due time
 * forward by a lease (SQS's visibility timeout, in DynamoDB): a crashed attempt is retried once the
 * lease ends, and two deliverers never hold the same survey. Sent or given-up surveys leave the index.
 */
import { GetCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { allocateId } from '../counters.ts';
import { documentClient, isConditionFailure } from '../dynamo.ts';
import { physicalTableName } from '../tables.ts';
import type { TransactItem } from '../transactions.ts';

const table = () => physicalTableName('tickets');
const OUTBOX_KIND = 'nps_outbox';

export const npsSurveyKey = (surveyId: number) => ({ pk: `NPS_SURVEY#${surveyId}`, sk: 'SURVEY' });

export type NpsSurveyStatus = 'queued' | 'sent' | 'failed' | 'skipped';

export interface NpsSurvey {
  id: number;
  user_id: number;
  status: NpsSurveyStatus;
  created_at: string;
  /** Links stop working, and answers stop changing, after this instant. */
  expires_at: string;
  attempts: number;
  sent_at: string | null;
  last_error: string | null;
}

export const allocateSurveyId = () => allocateId('tickets', 'nps_survey');

/** A new survey, due for sending now; conditional so a retried selection never overwrites one. */
export const queuedSurveyItem = (survey: NpsSurvey): TransactItem => ({
  Put: {
    TableName: table(),
    Item: { ...survey, ...npsSurveyKey(survey.id), kind: OUTBOX_KIND, gsi_updated: survey.created_at },
    ConditionExpression: 'attribute_not_exists(pk)',
  },
});

export const getSurvey = async (surveyId: number): Promise<NpsSurvey | undefined> => {
  const result = await documentClient().send(
    new GetCommand({ TableName: table(), Key: npsSurveyKey(surveyId) }),
  );
  if (!result.Item) return undefined;
  const { pk: _pk, sk: _sk, kind: _kind, gsi_updated: _due, ...survey } = result.Item;
  return survey as NpsSurvey;
};

export interface DueSurvey {
  surveyId: number;
  dueAt: string;
}

/** Surveys whose due time has come, oldest first. */
export const listDueSurveys = async (now: string, limit: number): Promise<DueSurvey[]> => {
  const result = await documentClient().send(
    new QueryCommand({
      TableName: table(),
      IndexName: 'byUpdated',
      KeyConditionExpression: 'kind = :kind AND gsi_updated <= :now',
      ExpressionAttributeValues: { ':kind': OUTBOX_KIND, ':now': now },
      ProjectionExpression: 'id, gsi_updated',
      Limit: limit,
    }),
  );
  return (result.Items ?? []).map((item) => ({ surveyId: Number(item.id), dueAt: String(item.gsi_updated) }));
};

/** Takes the survey until `leaseUntil`, if it is still queued and due when we read it. */
export const leaseSurvey = async (due: DueSurvey, leaseUntil: string): Promise<NpsSurvey | undefined> => {
  try {
    const result = await documentClient().send(
      new UpdateCommand({
        TableName: table(),
        Key: npsSurveyKey(due.surveyId),
        UpdateExpression: 'SET gsi_updated = :lease, attempts = attempts + :one',
        ConditionExpression: 'kind = :kind AND gsi_updated = :due',
        ExpressionAttributeValues: {
          ':lease': leaseUntil,
          ':one': 1,
          ':kind': OUTBOX_KIND,
          ':due': due.dueAt,
        },
        ReturnValues: 'ALL_NEW',
      }),
    );
    const { pk: _pk, sk: _sk, kind: _kind, gsi_updated: _lease, ...survey } = result.Attributes ?? {};
    return survey as NpsSurvey;
  } catch (error) {
    if (isConditionFailure(error)) return undefined;
    throw error;
  }
};

/** Sent, skipped or given up: out of the queue for good. */
export const settleSurvey = async (
  surveyId: number,
  outcome: { status: Exclude<NpsSurveyStatus, 'queued'>; at: string; error?: string },
): Promise<void> => {
  await documentClient().send(
    new UpdateCommand({
      TableName: table(),
      Key: npsSurveyKey(surveyId),
      UpdateExpression:
        'SET #status = :status, sent_at = :sent, last_error = :error REMOVE kind, gsi_updated',
      ExpressionAttributeNames: { '#status': 'status' },
      ExpressionAttributeValues: {
        ':status': outcome.status,
        ':sent': outcome.status === 'sent' ? outcome.at : null,
        ':error': outcome.error ?? null,
      },
    }),
  );
};

/** Back in the queue, due again at `retryAt`. */
export const retrySurveyAt = async (surveyId: number, retryAt: string, error: string): Promise<void> => {
  await documentClient().send(
    new UpdateCommand({
      TableName: table(),
      Key: npsSurveyKey(surveyId),
      UpdateExpression: 'SET gsi_updated = :retry, last_error = :error',
      ConditionExpression: 'kind = :kind',
      ExpressionAttributeValues: { ':retry': retryAt, ':error': error, ':kind': OUTBOX_KIND },
    }),
  );
};
