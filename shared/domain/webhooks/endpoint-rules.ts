/**
 * What an endpoint URL must look like, checked when a webhook is saved and again before every call
 * (a webhook saved under another policy must not slip through). Host names are resolved and checked
 * only at send time (shared/net/checked-addresses.ts); here only literal addresses can be judged.
 */
import { type AddressPolicyOptions, addressRefusal, isIpAddress } from '../../net/address-policy.ts';

const LOOPBACK_NAMES = new Set(['localhost', 'localhost.']);

const bare = (hostname: string) => hostname.replace(/^\[(.*)\]$/, '$1');

const isLoopbackHost = (host: string): boolean =>
  LOOPBACK_NAMES.has(host.toLowerCase()) ||
  (isIpAddress(host) &&
    addressRefusal(host, { allowLoopback: false }) === 'loopback' &&
    addressRefusal(host, { allowLoopback: true }) === undefined);

/** Why `endpoint` may not be called, or undefined when it may. */
export const endpointProblem = (endpoint: string, policy: AddressPolicyOptions): string | undefined => {
  if (!URL.canParse(endpoint)) return 'is not a valid URL';
  const url = new URL(endpoint);
  if (url.username || url.password) return 'must not contain credentials; use authentication';
  const host = bare(url.hostname);
  if (url.protocol === 'http:') {
    return policy.allowLoopback && isLoopbackHost(host)
      ? undefined
      : 'must use https (plain http is allowed only for loopback receivers in the local runtime)';
  }
  if (url.protocol !== 'https:') return 'must use https';
  if (isLoopbackHost(host)) return policy.allowLoopback ? undefined : 'must not point at this machine';
  if (isIpAddress(host) && addressRefusal(host, policy)) return 'must not point at a private address';
  return undefined;
};
