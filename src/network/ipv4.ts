/**
 * IPv4 addresses and CIDR blocks as unsigned 32-bit integers, so that matching is arithmetic
 * (the tracer does millions of these per second).
 */

/** A parsed IPv4 CIDR block. `network` is already masked. */
export interface Cidr {
  readonly text: string;
  readonly network: number;
  readonly mask: number;
  readonly length: number;
}

/** Parses dotted-quad text; undefined when it is not an IPv4 address. (Hand-rolled: it is on the hot path.) */
export function parseIpv4(text: string): number | undefined {
  let value = 0;
  let octet = 0;
  let digits = 0;
  let dots = 0;
  for (let i = 0; i < text.length; i += 1) {
    const code = text.charCodeAt(i);
    if (code === 46) {
      if (digits === 0 || dots === 3) return undefined;
      value = value * 256 + octet;
      octet = 0;
      digits = 0;
      dots += 1;
    } else if (code >= 48 && code <= 57 && digits < 3) {
      octet = octet * 10 + (code - 48);
      digits += 1;
      if (octet > 255) return undefined;
    } else {
      return undefined;
    }
  }
  if (dots !== 3 || digits === 0) return undefined;
  return (value * 256 + octet) >>> 0;
}

export function formatIpv4(value: number): string {
  return [value >>> 24, (value >>> 16) & 255, (value >>> 8) & 255, value & 255].join('.');
}

export function maskOf(length: number): number {
  return length === 0 ? 0 : (0xffffffff << (32 - length)) >>> 0;
}

/** Parses `a.b.c.d/n`; undefined for IPv6 or malformed text. */
export function parseCidr(text: string): Cidr | undefined {
  const slash = text.indexOf('/');
  if (slash < 0) return undefined;
  const address = parseIpv4(text.slice(0, slash));
  const lengthText = text.slice(slash + 1);
  if (address === undefined || !/^\d{1,2}$/.test(lengthText)) return undefined;
  const length = Number(lengthText);
  if (length > 32) return undefined;
  const mask = maskOf(length);
  return { text, network: (address & mask) >>> 0, mask, length };
}

export function cidrContains(cidr: Cidr, address: number): boolean {
  return (address & cidr.mask) >>> 0 === cidr.network;
}

/** The number of addresses in the block. */
export function cidrSize(cidr: Cidr): number {
  return 2 ** (32 - cidr.length);
}

/** True for RFC 1918 / shared / link-local space: never reachable over the internet. */
export function isPrivateAddress(address: number): boolean {
  return PRIVATE_BLOCKS.some((block) => cidrContains(block, address));
}

const PRIVATE_BLOCKS: readonly Cidr[] = [
  '10.0.0.0/8',
  '172.16.0.0/12',
  '192.168.0.0/16',
  '100.64.0.0/10',
  '169.254.0.0/16',
].map((text) => parseCidr(text) as Cidr);
