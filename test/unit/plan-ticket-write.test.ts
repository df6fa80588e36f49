import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../shared/domain/errors.ts';
import {
  planNewTicket,
  planTicketChange,
  planTicketDeletion,
  type RuleNoticeInput,
} from '../../shared/domain/tickets/plan-ticket-write.ts';
import { apiVia, type Ticket } from '../../shared/domain/tickets/ticket.ts';

const context = (auditId: number, now = '2026-11-25T10:00:00.000Z') => ({
  auditId,
  now,
  actorId: 1,
  via: apiVia(),
});
const comment = (
  body: string,
  extra: Partial<{ public: boolean; author_id: number; authorIsEndUser: boolean }> = {},
) => ({
  body,
  public: true,
  author_id: 2,
  authorIsEndUser: true,
  ...extra,
});

const newTicket = (): Ticket =>
  planNewTicket(
    {
      id: 10,
      requester_id: 2,
      submitter_id: 1,
      subject: 'Printer on fire',
      tags: ['Hardware', 'urgent  fire'],
      comment: comment('It burns'),
    },
    context(100),
  ).ticket;

describe('planning a new ticket', () => {
  it('records the first comment as the description and one audit of Create events', () => {
    const plan = planNewTicket(
      {
        id: 10,
        requester_id: 2,
        submitter_id: 1,
        subject: 'Printer on fire',
        priority: 'high',
        comment: comment('It burns'),
      },
      context(100),
    );
    expect(plan.ticket).toMatchObject({
      id: 10,
      status: 'new',
      description: 'It burns',
      is_public: true,
      version: 1,
    });
    expect(plan.comment).toMatchObject({ id: 100_001, audit_id: 100, public: true, author_id: 2 });
    expect(plan.audit.events[0]).toMatchObject({ type: 'Comment', id: 100_001 });
    expect(
      plan.audit.events.filter((e) => e.type === 'Create').map((e) => 'field_name' in e && e.field_name),
    ).toEqual(['subject', 'status', 'priority', 'requester_id']);
  });

  it('normalises tags to unique lower-case words', () => {
    expect(newTicket().tags).toEqual(['hardware', 'urgent', 'fire']);
  });

  it('makes a ticket opened with an internal note not public', () => {
    const plan = planNewTicket(
      { id: 1, requester_id: 2, submitter_id: 1, comment: comment('secret', { public: false }) },
      context(5),
    );
    expect(plan.ticket.is_public).toBe(false);
  });

  it('refuses a blank comment', () => {
    expect(() =>
      planNewTicket({ id: 1, requester_id: 2, submitter_id: 1, comment: comment('   ') }, context(5)),
    ).toThrow(ValidationError);
  });
});

describe('planning a ticket change', () => {
  it('records only what changed, with previous values', () => {
    const plan = planTicketChange(newTicket(), { priority: 'urgent', assignee_id: 3 }, context(200));
    expect(plan?.ticket).toMatchObject({ priority: 'urgent', assignee_id: 3, status: 'open', version: 2 });
    expect(plan?.audit.events).toEqual([
      { id: 200_001, type: 'Change', field_name: 'status', value: 'open', previous_value: 'new' },
      { id: 200_002, type: 'Change', field_name: 'priority', value: 'urgent', previous_value: null },
      { id: 200_003, type: 'Change', field_name: 'assignee_id', value: 3, previous_value: null },
    ]);
  });

  it('changes nothing (no audit, same updated_at) when the values are the same', () => {
    const ticket = newTicket();
    expect(
      planTicketChange(
        ticket,
        { subject: ticket.subject, tags: ['hardware', 'urgent', 'fire'] },
        context(201),
      ),
    ).toBeUndefined();
  });

  it("keeps updated_at (but moves the version) for an audit of only a rule's mail", () => {
    const ticket = newTicket();
    const notice: RuleNoticeInput = {
      type: 'Notification',
      subject: 'Received',
      body: 'We got it',
      recipients: [2],
      via: { channel: 'rule', source: { from: { id: 7, title: 'Ack' }, to: {}, rel: 'trigger' } },
    };
    const plan = planTicketChange(ticket, { notices: [notice] }, context(207, '2026-11-25T10:05:00.000Z'));
    expect(plan?.audit.events).toEqual([{ ...notice, id: 207_001 }]);
    expect(plan?.ticket).toMatchObject({ updated_at: ticket.updated_at, version: ticket.version + 1 });
  });

  it('adds and removes tags', () => {
    const plan = planTicketChange(
      newTicket(),
      { additional_tags: ['vip'], remove_tags: ['FIRE'] },
      context(202),
    );
    expect(plan?.ticket.tags).toEqual(['hardware', 'urgent', 'vip']);
  });

  it('reopens a solved ticket when the end-user comments publicly', () => {
    const solved = { ...newTicket(), assignee_id: 3, status: 'solved' as const };
    const plan = planTicketChange(solved, { comment: comment('Still broken') }, context(203));
    expect(plan?.ticket.status).toBe('open');
  });

  it('keeps a solved ticket solved when the end-user adds an internal note', () => {
    const solved = { ...newTicket(), assignee_id: 3, status: 'solved' as const };
    const plan = planTicketChange(solved, { comment: comment('note', { public: false }) }, context(204));
    expect(plan?.ticket.status).toBe('solved');
  });

  it('refuses any change to a closed ticket', () => {
    const closed = { ...newTicket(), assignee_id: 3, status: 'closed' as const };
    expect(() => planTicketChange(closed, { subject: 'x' }, context(205))).toThrow(
      /closed prevents ticket update/,
    );
  });

  it('merges custom field values by id and audits each change', () => {
    const ticket = { ...newTicket(), custom_fields: [{ id: 5, value: 'a' }] };
    const plan = planTicketChange(ticket, { custom_fields: [{ id: 6, value: true }] }, context(206));
    expect(plan?.ticket.custom_fields).toEqual([
      { id: 5, value: 'a' },
      { id: 6, value: true },
    ]);
    expect(plan?.audit.events).toEqual([
      { id: 206_001, type: 'Change', field_name: '6', value: true, previous_value: null },
    ]);
  });
});

describe('planning a deletion', () => {
  it('marks the ticket deleted and audits it', () => {
    const plan = planTicketDeletion(newTicket(), context(300, '2026-11-26T00:00:00.000Z'));
    expect(plan.ticket.deleted_at).toBe('2026-11-26T00:00:00.000Z');
    expect(plan.audit.events).toEqual([
      { id: 300_001, type: 'Change', field_name: 'deleted', value: true, previous_value: false },
    ]);
  });
});
