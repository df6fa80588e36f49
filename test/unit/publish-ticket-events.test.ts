import { marshall } from '@aws-sdk/util-dynamodb';
import type { DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { createPublishTicketEventsHandler } from '../../functions/events/publish-ticket-events.ts';
import { planNewTicket, planTicketChange } from '../../shared/domain/tickets/plan-ticket-write.ts';
import { type Audit, apiVia } from '../../shared/domain/tickets/ticket.ts';
import type { EventBus, OutgoingEvent } from '../../shared/events/event-bus.ts';
import { ticketEventSchemas } from '../../shared/events/ticket-events.ts';

const context = (auditId: number) => ({
  auditId,
  now: '2026-11-25T10:00:00.000Z',
  actorId: 1,
  via: apiVia(),
});
const created = planNewTicket(
  {
    id: 7,
    requester_id: 2,
    submitter_id: 1,
    subject: 'Hi',
    comment: { body: 'Hello', public: true, author_id: 2, authorIsEndUser: true },
  },
  context(50),
);
const updated = planTicketChange(
  created.ticket,
  { priority: 'high', comment: { body: 'note', public: false, author_id: 1, authorIsEndUser: false } },
  context(51),
) as { audit: Audit };

let sequence = 0;
const record = (
  item: Record<string, unknown>,
  eventName: 'INSERT' | 'MODIFY' = 'INSERT',
): DynamoDBRecord => ({
  eventName,
  dynamodb: {
    SequenceNumber: String(++sequence),
    // biome-ignore lint/suspicious/noExplicitAny: aws-lambda's AttributeValue type differs nominally from the SDK's
    NewImage: marshall(item, { removeUndefinedValues: true }) as any,
  },
});
const auditRecord = (audit: Audit) =>
  record({ ...audit, pk: `TICKET#${audit.ticket_id}`, sk: `AUDIT#${audit.id}` });

class RecordingBus implements EventBus {
  published: OutgoingEvent[] = [];
  failOnCall: number | undefined;
  private calls = 0;
  async publish(events: readonly OutgoingEvent[]) {
    if (++this.calls === this.failOnCall) throw new Error('bus down');
    this.published.push(...events);
  }
}

describe('the ticket event publisher (outbox)', () => {
  it('turns a creation audit into ticket.created and comment.added, valid against the event schemas', async () => {
    const bus = new RecordingBus();
    const result = await createPublishTicketEventsHandler({ bus })({ Records: [auditRecord(created.audit)] });
    expect(result.batchItemFailures).toEqual([]);
    expect(bus.published.map((event) => event.detailType)).toEqual(['ticket.created', 'comment.added']);
    for (const event of bus.published) {
      const schema = ticketEventSchemas[event.detailType as keyof typeof ticketEventSchemas];
      expect(schema.safeParse(event.detail).success).toBe(true);
    }
    expect(bus.published[1]?.detail).toMatchObject({ ticket_id: 7, public: true });
  });

  it('turns an update audit into ticket.updated with only the changed fields', async () => {
    const bus = new RecordingBus();
    await createPublishTicketEventsHandler({ bus })({ Records: [auditRecord(updated.audit)] });
    expect(bus.published[0]).toMatchObject({
      detailType: 'ticket.updated',
      detail: { changes: [{ field: 'priority', previous: null, value: 'high' }] },
    });
    expect(bus.published[1]).toMatchObject({ detailType: 'comment.added', detail: { public: false } });
  });

  it("publishes a trigger's mail-only audit as notification.requested alone: the ticket did not change", async () => {
    const mailed = planTicketChange(
      created.ticket,
      {
        notices: [
          {
            type: 'Notification',
            subject: 'Received',
            body: 'We got it',
            recipients: [2],
            via: { channel: 'rule', source: { from: { id: 3, title: 'Ack' }, to: {}, rel: 'trigger' } },
          },
        ],
      },
      context(52),
    ) as { audit: Audit };
    const bus = new RecordingBus();
    await createPublishTicketEventsHandler({ bus })({ Records: [auditRecord(mailed.audit)] });
    expect(bus.published.map((event) => event.detailType)).toEqual(['notification.requested']);
  });

  it('ignores ticket, comment and metrics items and modifications', async () => {
    const bus = new RecordingBus();
    const event: DynamoDBStreamEvent = {
      Records: [
        record({ ...created.ticket, pk: 'TICKET#7', sk: 'TICKET' }),
        record({ pk: 'TICKET#7', sk: 'COMMENT#1', body: 'x' }),
        record({ ...created.audit, pk: 'TICKET#7', sk: 'AUDIT#50' }, 'MODIFY'),
      ],
    };
    await createPublishTicketEventsHandler({ bus })(event);
    expect(bus.published).toEqual([]);
  });

  it('reports the first record it could not publish, so it and everything after it are retried', async () => {
    const bus = new RecordingBus();
    bus.failOnCall = 2;
    const first = auditRecord(created.audit);
    const second = auditRecord(updated.audit);
    const result = await createPublishTicketEventsHandler({ bus })({ Records: [first, second] });
    expect(result.batchItemFailures).toEqual([{ itemIdentifier: second.dynamodb?.SequenceNumber }]);
    expect(bus.published.map((event) => event.detailType)).toEqual(['ticket.created', 'comment.added']);
  });
});
