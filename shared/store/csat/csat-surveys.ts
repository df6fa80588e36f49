/**
 * One record per ticket solve that may get a CSAT survey, in the ticket's partition (the purge of a
 * deleted ticket removes it too): `CSAT_SURVEY#<solve audit id>`. It is the survey's state machine
 * (scheduled → sending → sent | skipped, or cancelled by a reopen), the claim that makes one survey per
 * solve even under redelivery, and, once offered, the row the CSAT summary counts: `kind = csat_offer`
 * with `gsi_updated = <offered_at>#…` on the byUpdated index, with the segment snapshot and the score.
 */
import { GetCommand, PutCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { RatedScore } from '../../domain/csat/satisfaction.ts';
import type { Ticket } from '../../domain/tickets/ticket.ts';
import { documentClient, isConditionFailure } from '../dynamo.ts';
import { physicalTableName } from '../tables.ts';
import { ticketPartition } from '../tickets/tickets.ts';
import type { LabelledItem } from '../transactions.ts';

const table = () => physicalTableName('tickets');
export const CSAT_OFFER_KIND = 'csat_offer';
const pad = (id: number) => String(id).padStart(15, '0');
const surveyKey = (ticketId: number, solveAuditId: number) => ({
  pk: ticketPartition(ticketId),
  sk: `CSAT_SURVEY#${pad(solveAuditId)}`,
});
const offerOrder = (offeredAt: string, ticketId: number, solveAuditId: number) =>
  `${offeredAt}#${pad(ticketId)}#${pad(solveAuditId)}`;

export type CsatSurveyState = 'scheduled' | 'cancelled' | 'sending' | 'sent' | 'skipped';

export interface CsatSurvey {
  ticket_id: number;
  solve_audit_id: number;
  state?: CsatSurveyState;
  due_at?: string;
  skip_reason?: string;
  offered_at?: string;
  group_id?: number | null;
  assignee_id?: number | null;
  organization_id?: number | null;
  score?: RatedScore;
}

/** Records a solve's survey as scheduled; a redelivered solve finds it there and changes nothing. */
export const recordScheduledSurvey = async (
  ticketId: number,
  solveAuditId: number,
  dueAt: string,
): Promise<void> => {
  try {
    await documentClient().send(
      new PutCommand({
        TableName: table(),
        Item: {
          ...surveyKey(ticketId, solveAuditId),
          ticket_id: ticketId,
          solve_audit_id: solveAuditId,
          state: 'scheduled',
          due_at: dueAt,
        },
        ConditionExpression: 'attribute_not_exists(pk)',
      }),
    );
  } catch (error) {
    if (!isConditionFailure(error)) throw error;
  }
};

export const getSurvey = async (ticketId: number, solveAuditId: number): Promise<CsatSurvey | undefined> => {
  const result = await documentClient().send(
    new GetCommand({ TableName: table(), Key: surveyKey(ticketId, solveAuditId) }),
  );
  return result.Item as CsatSurvey | undefined;
};

/** Surveys of the ticket still waiting for their timer (normally at most one). */
export const scheduledSurveys = async (ticketId: number): Promise<CsatSurvey[]> => {
  const result = await documentClient().send(
    new QueryCommand({
      TableName: table(),
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
      FilterExpression: '#state = :scheduled',
      ExpressionAttributeNames: { '#state': 'state' },
      ExpressionAttributeValues: {
        ':pk': ticketPartition(ticketId),
        ':prefix': 'CSAT_SURVEY#',
        ':scheduled': 'scheduled',
      },
    }),
  );
  return (result.Items ?? []) as CsatSurvey[];
};

const moveState = async (
  ticketId: number,
  solveAuditId: number,
  update: { set: string; condition: string; values: Record<string, unknown> },
): Promise<boolean> => {
  try {
    await documentClient().send(
      new UpdateCommand({
        TableName: table(),
        Key: surveyKey(ticketId, solveAuditId),
        UpdateExpression: `SET ${update.set}`,
        ConditionExpression: update.condition,
        ExpressionAttributeNames: { '#state': 'state' },
        ExpressionAttributeValues: update.values,
      }),
    );
    return true;
  } catch (error) {
    if (isConditionFailure(error)) return false;
    throw error;
  }
};

export const cancelScheduledSurvey = (ticketId: number, solveAuditId: number): Promise<boolean> =>
  moveState(ticketId, solveAuditId, {
    set: '#state = :cancelled',
    condition: '#state = :scheduled',
    values: { ':cancelled': 'cancelled', ':scheduled': 'scheduled' },
  });

/**
 * Takes the right to send this solve's survey: from scheduled (or no record, when the solve's event
 * was not processed yet), or from a sender whose lease ran out (it crashed mid-send). False when the
 * survey was sent, skipped, cancelled, or another run is sending it now.
 */
export const claimSurvey = (
  ticketId: number,
  solveAuditId: number,
  nowMs: number,
  leaseUntilMs: number,
): Promise<boolean> =>
  moveState(ticketId, solveAuditId, {
    set: '#state = :sending, lease_until = :lease, ticket_id = :ticket, solve_audit_id = :solve',
    condition:
      'attribute_not_exists(#state) OR #state = :scheduled OR (#state = :sending AND lease_until < :now)',
    values: {
      ':sending': 'sending',
      ':scheduled': 'scheduled',
      ':lease': leaseUntilMs,
      ':now': nowMs,
      ':ticket': ticketId,
      ':solve': solveAuditId,
    },
  });

/** Releases a claim without sending, so the queue's retry can take it again at once. */
export const releaseSurveyClaim = (ticketId: number, solveAuditId: number): Promise<boolean> =>
  moveState(ticketId, solveAuditId, {
    set: '#state = :scheduled',
    condition: '#state = :sending',
    values: { ':scheduled': 'scheduled', ':sending': 'sending' },
  });

export const markSurveySkipped = (ticketId: number, solveAuditId: number, reason: string): Promise<boolean> =>
  moveState(ticketId, solveAuditId, {
    set: '#state = :skipped, skip_reason = :reason, ticket_id = :ticket, solve_audit_id = :solve',
    condition: 'attribute_not_exists(#state) OR #state IN (:scheduled, :sending)',
    values: {
      ':skipped': 'skipped',
      ':reason': reason,
      ':scheduled': 'scheduled',
      ':sending': 'sending',
      ':ticket': ticketId,
      ':solve': solveAuditId,
    },
  });

type Segment = Pick<Ticket, 'group_id' | 'assignee_id' | 'organization_id'>;

/**
 * The offer, as the summary counts it: on the offers index at `offeredAt`, with the ticket's segment
 * then. Every attribute is set only if absent, so a rating that arrived first keeps its own snapshot.
 */
const offerAttributes = (ticketId: number, solveAuditId: number, offeredAt: string, segment: Segment) => ({
  set: [
    '#kind = :kind',
    'ticket_id = :ticket',
    'solve_audit_id = :solve',
    'offered_at = if_not_exists(offered_at, :at)',
    'gsi_updated = if_not_exists(gsi_updated, :order)',
    'group_id = if_not_exists(group_id, :group)',
    'assignee_id = if_not_exists(assignee_id, :assignee)',
    'organization_id = if_not_exists(organization_id, :organization)',
  ],
  values: {
    ':kind': CSAT_OFFER_KIND,
    ':ticket': ticketId,
    ':solve': solveAuditId,
    ':at': offeredAt,
    ':order': offerOrder(offeredAt, ticketId, solveAuditId),
    ':group': segment.group_id,
    ':assignee': segment.assignee_id,
    ':organization': segment.organization_id,
  },
});

export const markSurveySent = async (
  ticket: Ticket,
  solveAuditId: number,
  offeredAt: string,
): Promise<void> => {
  const offer = offerAttributes(ticket.id, solveAuditId, offeredAt, ticket);
  await documentClient().send(
    new UpdateCommand({
      TableName: table(),
      Key: surveyKey(ticket.id, solveAuditId),
      UpdateExpression: `SET #state = :sent, ${offer.set.join(', ')} REMOVE lease_until`,
      ExpressionAttributeNames: { '#state': 'state', '#kind': 'kind' },
      ExpressionAttributeValues: { ...offer.values, ':sent': 'sent' },
    }),
  );
};

/**
 * For the rating's transaction: the solve's offer carries the score. A rating without a survey (the
 * API, or an answer before the timer fired) counts as offered when it was rated.
 */
export const offerScoreWrite = (
  ticket: Ticket,
  solveAuditId: number,
  score: RatedScore,
  ratedAt: string,
): LabelledItem => {
  const offer = offerAttributes(ticket.id, solveAuditId, ratedAt, ticket);
  return {
    label: 'csat_offer',
    item: {
      Update: {
        TableName: table(),
        Key: surveyKey(ticket.id, solveAuditId),
        UpdateExpression: `SET score = :score, ${offer.set.join(', ')}`,
        ExpressionAttributeNames: { '#kind': 'kind' },
        ExpressionAttributeValues: { ...offer.values, ':score': score },
      },
    },
  };
};

/** Offers made in [from, to] (ISO instants), read from the byUpdated index: one item per offer. */
export const offersBetween = async (from: string, to: string): Promise<CsatSurvey[]> => {
  const offers: CsatSurvey[] = [];
  let startKey: Record<string, unknown> | undefined;
  do {
    const result = await documentClient().send(
      new QueryCommand({
        TableName: table(),
        IndexName: 'byUpdated',
        KeyConditionExpression: '#kind = :kind AND gsi_updated BETWEEN :from AND :to',
        ExpressionAttributeNames: { '#kind': 'kind' },
        // `~` sorts after the `#…` suffix, so an offer at exactly `to` is included.
        ExpressionAttributeValues: { ':kind': CSAT_OFFER_KIND, ':from': from, ':to': `${to}~` },
        ExclusiveStartKey: startKey,
      }),
    );
    offers.push(...((result.Items ?? []) as CsatSurvey[]));
    startKey = result.LastEvaluatedKey;
  } while (startKey);
  return offers;
};
