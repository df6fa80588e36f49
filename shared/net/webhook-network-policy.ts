/**
 * The address policy of the place we run, from the environment: only the local runtime sets
 * RELAYDESK_ALLOW_LOOPBACK_WEBHOOKS=1, so receivers on this machine are reachable there and nowhere else.
 */
import type { AddressPolicyOptions } from './address-policy.ts';

export const ALLOW_LOOPBACK_VARIABLE = 'RELAYDESK_ALLOW_LOOPBACK_WEBHOOKS';

export const webhookNetworkPolicy = (
  env: Readonly<Record<string, string | undefined>> = process.env,
): AddressPolicyOptions => ({ allowLoopback: env[ALLOW_LOOPBACK_VARIABLE] === '1' });
