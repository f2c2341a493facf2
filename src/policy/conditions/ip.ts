/**
 * IpAddress / NotIpAddress: policy values are IPv4 or IPv6 addresses or CIDR ranges (RFC 4632).
 * A context value that is not an IP address matches nothing.
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html#Conditions_IPAddress
 */
import type { OperatorSpec } from './operator.ts';

interface Address {
  v6: boolean;
  /** 32 bits for IPv4, 128 for IPv6. */
  value: bigint;
}

function parseV4(text: string): bigint | undefined {
  const parts = text.split('.');
  if (parts.length !== 4) return undefined;
  let n = 0n;
  for (const p of parts) {
    if (!/^\d{1,3}$/.test(p)) return undefined;
    const b = Number(p);
    if (b > 255) return undefined;
    n = (n << 8n) | BigInt(b);
  }
  return n;
}

function parseV6(text: string): bigint | undefined {
  let head = text;
  let tailV4: bigint | undefined;
  // An embedded IPv4 tail (::ffff:1.2.3.4) counts for the last 32 bits.
  const lastColon = text.lastIndexOf(':');
  if (text.slice(lastColon + 1).includes('.')) {
    tailV4 = parseV4(text.slice(lastColon + 1));
    if (tailV4 === undefined) return undefined;
    head = `${text.slice(0, lastColon + 1)}0:0`;
  }
  const halves = head.split('::');
  if (halves.length > 2) return undefined;
  const left = halves[0] ? halves[0].split(':') : [];
  const right = halves.length === 2 && halves[1] ? halves[1].split(':') : [];
  const missing = 8 - left.length - right.length;
  if (halves.length === 1 ? missing !== 0 : missing < 1) return undefined;
  const groups = [...left, ...Array<string>(halves.length === 2 ? missing : 0).fill('0'), ...right];
  let n = 0n;
  for (const g of groups) {
    if (!/^[0-9a-fA-F]{1,4}$/.test(g)) return undefined;
    n = (n << 16n) | BigInt(parseInt(g, 16));
  }
  if (tailV4 !== undefined) n = (n & ~0xffffffffn) | tailV4;
  return n;
}

/** Parses an IPv4 or IPv6 address. */
export function parseIp(text: string): Address | undefined {
  const t = text.trim();
  if (t.includes(':')) {
    const value = parseV6(t);
    return value === undefined ? undefined : { v6: true, value };
  }
  const value = parseV4(t);
  return value === undefined ? undefined : { v6: false, value };
}

interface Range {
  v6: boolean;
  network: bigint;
  mask: bigint;
}

/** Parses `a.b.c.d`, `a.b.c.d/n`, `x::y` or `x::y/n` into a range. */
export function parseCidr(text: string): Range | undefined {
  const [addr, bits, extra] = text.trim().split('/');
  if (extra !== undefined) return undefined;
  const ip = parseIp(addr);
  if (!ip) return undefined;
  const width = ip.v6 ? 128 : 32;
  if (bits !== undefined && !/^\d{1,3}$/.test(bits)) return undefined;
  const prefix = bits === undefined ? width : Number(bits);
  if (prefix > width) return undefined;
  const all = (1n << BigInt(width)) - 1n;
  const mask = prefix === 0 ? 0n : (all << BigInt(width - prefix)) & all;
  return { v6: ip.v6, network: ip.value & mask, mask };
}

export const IP_OPERATORS: OperatorSpec[] = ['IpAddress', 'NotIpAddress'].map((name) => ({
  name,
  negated: name === 'NotIpAddress',
  build(values: readonly string[]) {
    const ranges = values.map((v) => {
      const r = parseCidr(v);
      if (!r) throw new Error(`"${v}" is not an IP address or CIDR range`);
      return r;
    });
    return (v: string) => {
      const ip = parseIp(v);
      if (!ip) return false;
      for (const r of ranges) if (r.v6 === ip.v6 && (ip.value & r.mask) === r.network) return true;
      return false;
    };
  },
}));
