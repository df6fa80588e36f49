import { beforeAll, describe, expect, it } from 'vitest';
import { handler as updateTicketMetrics } from '../../functions/events/update-ticket-metrics.ts';
import type { Group } from '../../shared/domain/directory/group.ts';
import type { User } from '../../shared/domain/directory/user.ts';
import { type Audit, apiVia } from '../../shared/domain/tickets/ticket.ts';
import { ticketEventSchemas } from '../../shared/events/ticket-events.ts';
import { ticketEventsFromAudit } from '../../shared/events/ticket-events-from-audit.ts';
import { createGroup, deleteGroup } from '../../shared/use-cases/groups/manage-groups.ts';
import { createTicket } from '../../shared/use-cases/tickets/create-ticket.ts';
import { updateTicket } from '../../shared/use-cases/tickets/update-ticket.ts';
import { createUser } from '../../shared/use-cases/users/create-user.ts';
import { lambdaContext } from '../support/api-event.ts';
import { useTestTables } from '../support/dynamo.ts';
import { captureEmf } from '../support/emf.ts';
import { asFunction } from '../support/function-grants.ts';
import { ticketEventRecord } from '../support/sqs-event.ts';

useTestTables();

const NOW = '2026-03-02T10:00:00.000Z';
let agent: User;
let tier1: Group;
let tier2: Group;
const emf = captureEmf();

const caller = () => ({ userId: agent.id, role: agent.role, email: agent.email ?? '' });

/** The ticket.created or ticket.updated event the stream publisher derives from an audit (its first). */
const changeEventOf = (audit: Audit | undefined) => {
  const [event] = ticketEventsFromAudit(audit as Audit);
  if (!event) throw new Error('every audit stands for a ticket.created or ticket.updated event');
  const detailType = event.detailType as 'ticket.created' | 'ticket.updated';
  return { detailType, detail: ticketEventSchemas[detailType].parse(event.detail) };
};

const consume = async (detailType: string, detail: Record<string, unknown>) => {
  const record = ticketEventRecord(detailType, detail);
  expect(
    await asFunction('update-ticket-metrics', () =>
      updateTicketMetrics({ Records: [record] }, lambdaContext()),
    ),
  ).toEqual({
    batchItemFailures: [],
  });
};

const consumeAuditEvent = async (audit: Audit | undefined) => {
  const { detailType, detail } = changeEventOf(audit);
  await consume(detailType, detail);
};

const groupChangeIn = (audit: Audit | undefined) =>
  changeEventOf(audit).detail.changes.find((change) => change.field === 'group_id');

const ticketIn = async (groupId: number | null) =>
  await createTicket({
    caller: caller(),
    via: apiVia(),
    now: NOW,
    fields: { subject: 'Refund stuck', group_id: groupId },
    comment: { body: 'Please help' },
  });

const moveTo = (ticketId: number, groupId: number | null) =>
  updateTicket({ caller: caller(), ticketId, via: apiVia(), now: () => NOW, fields: { group_id: groupId } });

const transferLine = (fromGroup: string, toGroup: string) => ({
  _aws: {
    CloudWatchMetrics: [
      {
        Namespace: 'Relaydesk',
        Dimensions: [['service', 'from_group', 'to_group']],
        Metrics: [{ Name: 'TicketGroupTransfers', Unit: 'Count' }],
      },
    ],
  },
  service: 'relaydesk',
  from_group: fromGroup,
  to_group: toGroup,
  TicketGroupTransfers: 1,
});

beforeAll(async () => {
  agent = await createUser({ name: 'Aki', email: 'aki@escalation.test', role: 'agent' }, NOW);
  tier1 = await createGroup({ name: 'Tier 1' }, NOW);
  tier2 = await createGroup({ name: 'Tier 2' }, NOW);
});

describe('counting escalations from ticket changes', () => {
  it('counts a move from Tier 1 to Tier 2 once, by group name', async () => {
    const { ticket } = await ticketIn(tier1.id);
    const { audit } = await moveTo(ticket.id, tier2.id);

    await consumeAuditEvent(audit);

    expect(emf.lines()).toMatchObject([transferLine('Tier 1', 'Tier 2')]);
  });

  it('counts nothing for routing (a ticket created in a group, or given its first group) or unassignment', async () => {
    const created = await ticketIn(tier1.id);
    const routed = await ticketIn(null);
    const firstGroup = await moveTo(routed.ticket.id, tier2.id);
    const unassigned = await moveTo(created.ticket.id, null);

    const audits = [created.audit, firstGroup.audit, unassigned.audit];
    // Each of them does change the group: none is skipped for lack of a group_id change.
    expect(audits.map((audit) => groupChangeIn(audit))).toEqual([
      { field: 'group_id', previous: null, value: tier1.id },
      { field: 'group_id', previous: null, value: tier2.id },
      { field: 'group_id', previous: tier1.id, value: null },
    ]);
    for (const audit of audits) await consumeAuditEvent(audit);

    expect(emf.lines()).toEqual([]);
  });

  it('labels a deleted group by its name and a group whose record is gone by its id', async () => {
    const billing = await createGroup({ name: 'Billing' }, NOW);
    const { ticket } = await ticketIn(billing.id);
    const { audit } = await moveTo(ticket.id, tier2.id);
    await deleteGroup(billing.id, NOW);
    await consumeAuditEvent(audit);

    // No group is ever removed from the table; a hand-made event stands for one that was.
    const { detail } = changeEventOf(audit);
    await consume('ticket.updated', {
      ...detail,
      changes: [{ field: 'group_id', previous: 987_654, value: tier1.id }],
    });

    expect(emf.lines()).toMatchObject([transferLine('Billing', 'Tier 2'), transferLine('987654', 'Tier 1')]);
  });

  it('counts a redelivered transfer again: the metric is for trends, the audit is the record', async () => {
    const { ticket } = await ticketIn(tier2.id);
    const { audit } = await moveTo(ticket.id, tier1.id);

    await consumeAuditEvent(audit);
    await consumeAuditEvent(audit);

    expect(emf.lines()).toMatchObject([transferLine('Tier 2', 'Tier 1'), transferLine('Tier 2', 'Tier 1')]);
  });
});
