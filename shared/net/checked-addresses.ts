/**
 * Resolves a webhook endpoint's host at send time and checks every address it resolves to against the
 * address policy. Any refused address refuses the whole host: a name that resolves to one public and
 * one private address must not let the connection pick the private one.
 */
import { lookup } from 'node:dns/promises';
import {
  type AddressPolicyOptions,
  type AddressRefusal,
  addressRefusal,
  isIpAddress,
} from './address-policy.ts';

export interface ResolvedAddress {
  address: string;
  family: 4 | 6;
}

/** `dns.lookup` with `all: true` (the system resolver, as a connection would use); injectable in tests. */
export type ResolveHost = (host: string) => Promise<readonly ResolvedAddress[]>;

export const systemResolver: ResolveHost = async (host) =>
  (await lookup(host, { all: true, verbatim: true })).map(({ address, family }) => ({
    address,
    family: family === 6 ? 6 : 4,
  }));

/** The host, or one of its addresses, is one a webhook must not reach. */
export class AddressRefusedError extends Error {
  constructor(
    readonly host: string,
    readonly address: string,
    readonly refusal: AddressRefusal | 'unresolved',
  ) {
    super(`Refused to connect to ${host} (${address}): ${refusal.replace(/_/g, ' ')}`);
  }
}

/** URL hosts write IPv6 in brackets; the policy and the resolver want the bare address. */
export const bareHost = (hostname: string): string => hostname.replace(/^\[(.*)\]$/, '$1');

export const checkedAddresses = async (
  hostname: string,
  policy: AddressPolicyOptions,
  resolve: ResolveHost = systemResolver,
): Promise<ResolvedAddress[]> => {
  const host = bareHost(hostname);
  const addresses: readonly ResolvedAddress[] = isIpAddress(host)
    ? [{ address: host, family: host.includes(':') ? 6 : 4 }]
    : await resolve(host);
  if (addresses.length === 0) throw new AddressRefusedError(host, '-', 'unresolved');
  for (const { address } of addresses) {
    const refusal = addressRefusal(address, policy);
    if (refusal) throw new AddressRefusedError(host, address, refusal);
  }
  return [...addresses];
};
