/** One webhook call (all attempts of it) as the invocations API lists it. */
export type InvocationStatus = 'success' | 'retrying' | 'failed';

export interface Invocation {
  /** Stable across attempts: the ticket, audit and `External` event that asked for the call. */
  id: string;
  webhook_id: string;
  ticket_id: number;
  status: InvocationStatus;
  attempts: number;
  /** The last attempt's HTTP status, or null when it got none (network failure, refused address). */
  status_code: number | null;
  /** Why the last attempt failed, when it did. */
  error: string | null;
  latency_ms: number | null;
  created_at: string;
  updated_at: string;
}

export const invocationIdOf = (event: { ticket_id: number; audit_id: number; event_id: number }): string =>
  `${event.ticket_id}-${event.audit_id}-${event.event_id}`;
