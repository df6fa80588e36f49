/**
 * What a failed survey send means. SES throttling (the account's sending rate, or its daily quota) is
 * never a reason to give up: the survey waits and is tried again, with the same backoff as webhook
 * calls. Any other failure is retried a bounded number of times, then the survey is given up on.
 */
import { MAX_DELIVERY_ATTEMPTS, retryDelaySeconds } from '../webhooks/delivery-policy.ts';

const THROTTLING_NAMES = new Set(['Throttling', 'ThrottlingException', 'TooManyRequestsException']);

/** SES v1 answers `Throttling` ("Maximum sending rate exceeded" / "Daily message quota exceeded"). */
export const isThrottling = (error: unknown): boolean => {
  if (!(error instanceof Error)) return false;
  const status = (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
  return THROTTLING_NAMES.has(error.name) || status === 429;
};

export type SendFailureVerdict = { retryInSeconds: number; throttled: boolean } | { giveUp: true };

export const verdictForSendFailure = (error: unknown, attempt: number): SendFailureVerdict => {
  const throttled = isThrottling(error);
  if (!throttled && attempt >= MAX_DELIVERY_ATTEMPTS) return { giveUp: true };
  return { retryInSeconds: retryDelaySeconds(attempt), throttled };
};
