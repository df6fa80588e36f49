/**
 * What a rule sees when it runs: the ticket now and before the update, the update itself, the people
 * and organization involved and, for automations and views, the clock. Callers gather it; the engine
 * reads only.
 */
import type { User } from '../directory/user.ts';
import type { Channel, Ticket } from '../tickets/ticket.ts';

export const SATISFACTION_SCORES = [
  'offered',
  'unoffered',
  'good',
  'bad',
  'good_with_comment',
  'bad_with_comment',
] as const;
export type SatisfactionScore = (typeof SATISFACTION_SCORES)[number];

/** The ticket fields rules read and write; form and satisfaction live beside the ticket record. */
export interface RuleTicket
  extends Pick<
    Ticket,
    | 'id'
    | 'subject'
    | 'status'
    | 'priority'
    | 'type'
    | 'requester_id'
    | 'assignee_id'
    | 'group_id'
    | 'organization_id'
    | 'tags'
    | 'custom_fields'
    | 'collaborator_ids'
    | 'via'
  > {
  ticket_form_id?: number | null;
  satisfaction_score?: SatisfactionScore;
  /** Absent where the caller's ticket predates SLA breach handling: not breached. */
  sla_breached?: boolean;
}

export type UpdateType = 'Create' | 'Change';

export interface RuleComment {
  /** Plain text of the comment made in this update. */
  body: string;
  public: boolean;
}

export interface RuleUser {
  id: number;
  role: User['role'];
  user_fields: Record<string, unknown>;
}

export interface RuleOrganization {
  id: number;
  organization_fields: Record<string, unknown>;
}

/** Times (ISO 8601) "hours since" conditions measure from; a missing one makes its conditions false. */
export interface TicketClock {
  now: string;
  /** When the ticket last entered each status (metrics compute the same instants). */
  statusEnteredAt: Partial<Record<'new' | 'open' | 'pending' | 'solved' | 'closed', string>>;
  created_at: string;
  updated_at: string;
  assigned_at?: string | null;
  requester_updated_at?: string | null;
  assignee_updated_at?: string | null;
}

export interface RuleContext {
  ticket: RuleTicket;
  /** The ticket before this update; absent on create (every field was "nothing" before). */
  previous?: RuleTicket | undefined;
  /** Absent for automations, which run on no update. */
  updateType?: UpdateType | undefined;
  /** The channel of this update (`current_via_id`), as opposed to the ticket's creation channel. */
  updateVia?: Channel | undefined;
  comment?: RuleComment | undefined;
  requester?: RuleUser | undefined;
  organization?: RuleOrganization | undefined;
  /** The updater; absent for automations. */
  currentUser?: Pick<RuleUser, 'id' | 'role'> | undefined;
  reopens?: number | undefined;
  clock?: TicketClock | undefined;
}
