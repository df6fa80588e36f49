/** One webhook call (all attempts of it) as the invocations API lists it. */
export type InvocationStatus = 'success' | 'retrying' | 'failed';

/** One attempt of a call, as the invocation attempts API shows it. */
export interface InvocationAttempt {
  /** 1 for the first attempt of the call, counting every delivery of its event. */
  number: number;
  status: 'success' | 'failed';
  /** The HTTP status the endpoint answered, or null when it got none. */
  status_code: number | null;
  error: string | null;
  /** From sending the request to its answer; null when nothing was sent. */
  latency_ms: number | null;
  attempted_at: string;
  completed_at: string;
}

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
  /** The last MAX_RECORDED_ATTEMPTS attempts, oldest first. */
  attempt_log: InvocationAttempt[];
}

/**
 * Attempts kept per call. Delivery stops after eight attempts and the queue after ten receives, so
 * this keeps every attempt in practice; the bound keeps the record small whatever happens.
 */
export const MAX_RECORDED_ATTEMPTS = 10;

/** Attempt n is kept in slot (n - 1) mod MAX_RECORDED_ATTEMPTS: a ring holding the last attempts. */
export const attemptSlot = (attemptNumber: number): number =>
  (Math.max(1, attemptNumber) - 1) % MAX_RECORDED_ATTEMPTS;

export const invocationIdOf = (event: { ticket_id: number; audit_id: number; event_id: number }): string =>
  `${event.ticket_id}-${event.audit_id}-${event.event_id}`;

/** The shape of every id `invocationIdOf` makes; anything else names no invocation. */
export const isInvocationId = (value: string): boolean => /^\d{1,16}-\d{1,16}-\d{1,16}$/.test(value);
