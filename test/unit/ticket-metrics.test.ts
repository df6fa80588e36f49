import { describe, expect, it } from 'vitest';
import { calendarClock } from '../../shared/domain/sla/business-clock.ts';
import { type Audit, type AuditEvent, apiVia, type Ticket } from '../../shared/domain/tickets/ticket.ts';
import { computeTicketMetrics } from '../../shared/domain/tickets/ticket-metrics.ts';

const REQUESTER = 2;
const AGENT = 3;
const at = (minutes: number) => new Date(Date.UTC(2026, 10, 25, 9, 0) + minutes * 60_000).toISOString();

let nextAuditId = 1;
const audit = (minutes: number, authorId: number, events: AuditEvent[]): Audit => ({
  id: nextAuditId++,
  ticket_id: 1,
  author_id: authorId,
  created_at: at(minutes),
  via: apiVia(),
  metadata: { system: {}, custom: {} },
  events,
});
const status = (value: string, previous?: string): AuditEvent =>
  previous === undefined
    ? { id: 0, type: 'Create', field_name: 'status', value }
    : { id: 0, type: 'Change', field_name: 'status', value, previous_value: previous };
const comment = (authorId: number, isPublic = true): AuditEvent => ({
  id: 0,
  type: 'Comment',
  author_id: authorId,
  body: 'x',
  html_body: 'x',
  plain_body: 'x',
  public: isPublic,
  attachments: [],
  audit_id: 0,
});

const ticket = { id: 1, requester_id: REQUESTER, assignee_id: AGENT, created_at: at(0) } as Ticket;
const isAgent = (id: number) => id === AGENT;

const history = (): Audit[] => [
  audit(0, REQUESTER, [comment(REQUESTER), status('new')]),
  audit(10, AGENT, [
    comment(AGENT, false),
    status('open', 'new'),
    { id: 0, type: 'Change', field_name: 'assignee_id', value: AGENT, previous_value: null },
  ]),
  audit(30, AGENT, [comment(AGENT), status('pending', 'open')]),
  audit(90, REQUESTER, [comment(REQUESTER), status('open', 'pending')]),
  audit(100, AGENT, [comment(AGENT), status('solved', 'open')]),
  audit(200, REQUESTER, [comment(REQUESTER), status('open', 'solved')]),
  audit(260, AGENT, [status('solved', 'open')]),
];

describe('ticket metrics', () => {
  const audits = history();
  const metrics = computeTicketMetrics(ticket, audits, isAgent, calendarClock.between);

  it('remembers the newest audit it was computed from', () => {
    expect(metrics.computed_from_audit_id).toBe(audits.at(-1)?.id);
  });

  it('counts public agent replies, not internal notes or the opening comment', () => {
    expect(metrics.replies).toBe(2);
  });

  it('measures first reply time to the first public agent comment', () => {
    expect(metrics.reply_time_in_minutes).toEqual({ calendar: 30, business: 30 });
  });

  it("counts business minutes in the ticket's schedule", () => {
    // A schedule open only during the ticket's first hour.
    const firstHourOnly = (from: string, to: string) =>
      Math.max(
        0,
        Math.min(Date.parse(to), Date.parse(at(60))) - Math.max(Date.parse(from), Date.parse(at(0))),
      ) / 60_000;
    const business = computeTicketMetrics(ticket, audits, isAgent, firstHourOnly);
    expect(business.reply_time_in_minutes).toEqual({ calendar: 30, business: 30 });
    expect(business.full_resolution_time_in_minutes).toEqual({ calendar: 260, business: 60 });
    // Requester waits 0-10, 10-30 inside the hour; 90-100 and 200-260 outside it.
    expect(business.requester_wait_time_in_minutes).toEqual({ calendar: 100, business: 30 });
    expect(business.agent_wait_time_in_minutes).toEqual({ calendar: 60, business: 30 });
  });

  it('counts a reopen from solved', () => {
    expect(metrics.reopens).toBe(1);
  });

  it('measures first and full resolution', () => {
    expect(metrics.first_resolution_time_in_minutes.calendar).toBe(100);
    expect(metrics.full_resolution_time_in_minutes.calendar).toBe(260);
    expect(metrics.solved_at).toBe(at(260));
  });

  it('splits waiting between the requester (new/open/hold) and the agent (pending)', () => {
    // new 0-10, open 10-30, open 90-100, open 200-260 → 10 + 20 + 10 + 60
    expect(metrics.requester_wait_time_in_minutes.calendar).toBe(100);
    expect(metrics.agent_wait_time_in_minutes.calendar).toBe(60);
  });

  it('records assignment and who updated last', () => {
    expect(metrics).toMatchObject({
      initially_assigned_at: at(10),
      assigned_at: at(10),
      assignee_stations: 1,
      requester_updated_at: at(200),
      assignee_updated_at: at(260),
      latest_comment_added_at: at(200),
    });
  });

  it('gives the same metrics for the same history, however often it is computed', () => {
    expect(computeTicketMetrics(ticket, audits, isAgent, calendarClock.between)).toEqual(
      computeTicketMetrics(ticket, audits, isAgent, calendarClock.between),
    );
  });
});
