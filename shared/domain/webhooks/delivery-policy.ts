/**
 * What one delivery attempt's result means, and when to try again. A 2xx delivered the call; 429,
 * 5xx and network failures are worth retrying with exponential backoff; a redirect is never followed
 * (it could point anywhere, including inside our network) and, like any other 4xx, ends the call.
 */
export const MAX_DELIVERY_ATTEMPTS = 8;
export const DELIVERY_TIMEOUT_MS = 10_000;
const FIRST_RETRY_SECONDS = 30;
const LONGEST_RETRY_SECONDS = 30 * 60;
/** Invocations and delivery claims are kept this long (Zendesk shows seven days of invocations). */
export const INVOCATION_RETENTION_SECONDS = 7 * 24 * 3600;

export type AttemptVerdict = 'delivered' | 'retry' | 'give_up';

export const verdictForStatus = (statusCode: number): AttemptVerdict => {
  if (statusCode >= 200 && statusCode < 300) return 'delivered';
  if (statusCode === 408 || statusCode === 429 || statusCode >= 500) return 'retry';
  return 'give_up';
};

/** Seconds before attempt `attempt + 1`: 30 s, 60 s, 2 min, … capped at 30 min (about an hour over all eight attempts). */
export const retryDelaySeconds = (attempt: number): number =>
  Math.min(FIRST_RETRY_SECONDS * 2 ** Math.max(0, attempt - 1), LONGEST_RETRY_SECONDS);

/** A retryable failure on the last allowed attempt ends the call. */
export const finalVerdict = (verdict: AttemptVerdict, attempt: number): AttemptVerdict =>
  verdict === 'retry' && attempt >= MAX_DELIVERY_ATTEMPTS ? 'give_up' : verdict;
