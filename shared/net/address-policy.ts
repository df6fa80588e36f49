/**
 * Which network addresses a webhook may reach (SSRF protection). Only public unicast addresses pass:
 * private, loopback, link-local (incl. the 169.254.169.254 metadata service), CGNAT, unique-local,
 * multicast, broadcast, unspecified and reserved ranges are refused, also when written as IPv4-mapped
 * or IPv4-compatible IPv6. Range tables come from ipaddr.js so no CIDR arithmetic lives here.
 */
import ipaddr from 'ipaddr.js';

export interface AddressPolicyOptions {
  /** The local runtime lets webhooks reach receivers on this machine; AWS never does. */
  allowLoopback: boolean;
}

/** Why an address is refused, or undefined when a webhook may connect to it. */
export type AddressRefusal = 'not_an_address' | 'loopback' | 'not_public';

const IPV4_COMPATIBLE = ipaddr.IPv6.parseCIDR('::/96');

/** The address to judge: IPv6 forms that carry an IPv4 address are judged as that IPv4 address. */
const effectiveAddress = (address: ipaddr.IPv4 | ipaddr.IPv6): ipaddr.IPv4 | ipaddr.IPv6 => {
  if (address.kind() === 'ipv4') return address;
  const v6 = address as ipaddr.IPv6;
  if (v6.isIPv4MappedAddress()) return v6.toIPv4Address();
  // `::a.b.c.d` (deprecated IPv4-compatible) except `::` and `::1`, which have ranges of their own.
  const range = v6.range();
  if (v6.match(IPV4_COMPATIBLE) && range !== 'unspecified' && range !== 'loopback') {
    return v6.toIPv4Address();
  }
  return v6;
};

export const addressRefusal = (
  address: string,
  { allowLoopback }: AddressPolicyOptions,
): AddressRefusal | undefined => {
  if (!ipaddr.isValid(address)) return 'not_an_address';
  const range = effectiveAddress(ipaddr.parse(address)).range();
  if (range === 'unicast') return undefined;
  if (range === 'loopback') return allowLoopback ? undefined : 'loopback';
  return 'not_public';
};

/** True for a literal IP address (URL hosts may be one; IPv6 in URLs is bracketed, pass it unbracketed). */
export const isIpAddress = (host: string): boolean => ipaddr.isValid(host);
