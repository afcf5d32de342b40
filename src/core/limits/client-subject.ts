// Who a per-client limit counts: one IPv4 address, or one IPv6 network. An IPv6 user is
// usually handed a whole /64 (or more), so counting single IPv6 addresses would give one
// machine 2^64 fresh quotas.

import { isIP } from 'node:net';

export interface ClientSubjectOptions {
  /** Prefix length that groups IPv6 clients; 128 counts each address on its own. */
  ipv6Subnet?: number;
}

/**
 * The subject of per-client limits for the address `ip`: an IPv4 address as it is, an IPv6
 * address as its network at `ipv6Subnet` bits in canonical form with the length
 * (`'2001:db8:1:2::/64'`), and an IPv4-mapped IPv6 address (`::ffff:192.0.2.1`, what a
 * dual-stack socket reports for IPv4 peers) as its IPv4 address. Anything that is not an IP
 * address is returned unchanged.
 *
 * `clientSubject('2001:DB8:1:2:aaaa::1')` → `'2001:db8:1:2::/64'`;
 * `clientSubject('::ffff:192.0.2.1')` → `'192.0.2.1'`.
 */
export function clientSubject(ip: string, { ipv6Subnet = 64 }: ClientSubjectOptions = {}): string {
  if (isIP(ip) !== 6) return ip;
  // A zone (`fe80::1%eth0`) names the local interface, not the client.
  const groups = ipv6Groups(ip.replace(/%.*$/, ''));
  if (groups === null) return ip;
  // Mapped addresses are IPv4 clients: masking them as IPv6 would put every IPv4 client in
  // one bucket (their first 80 bits are all zero).
  if (groups.slice(0, 5).every((g) => g === 0) && groups[5] === 0xffff) {
    const [hi = 0, lo = 0] = groups.slice(6);
    return [hi >> 8, hi & 0xff, lo >> 8, lo & 0xff].join('.');
  }
  const masked = groups.map((group, i) => {
    const bits = Math.min(16, Math.max(0, ipv6Subnet - 16 * i));
    return group & ((0xffff << (16 - bits)) & 0xffff);
  });
  return `${canonicalIpv6(masked.map((g) => g.toString(16)).join(':'))}/${ipv6Subnet}`;
}

// The WHATWG URL parser validates an IPv6 address and prints it in the RFC 5952 form
// (lower case, longest run of zero groups as `::`, an IPv4 tail as two hex groups); it throws
// for what is not an IPv6 address.
function canonicalIpv6(address: string): string {
  return new URL(`http://[${address}]/`).hostname.slice(1, -1);
}

// The eight 16-bit groups of an IPv6 address, or null when it does not parse.
function ipv6Groups(address: string): number[] | null {
  let canonical: string;
  try {
    canonical = canonicalIpv6(address);
  } catch {
    return null;
  }
  const [head = '', tail] = canonical.split('::');
  const part = (s: string) => (s === '' ? [] : s.split(':'));
  const left = part(head);
  const right = tail === undefined ? [] : part(tail);
  const zeros = Array<string>(8 - left.length - right.length).fill('0');
  return [...left, ...zeros, ...right].map((g) => parseInt(g, 16));
}
