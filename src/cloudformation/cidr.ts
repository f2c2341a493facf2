/**
 * `Fn::Cidr [ipBlock, count, cidrBits]`: `count` consecutive blocks of prefix length
 * (32 − cidrBits) for IPv4 or (128 − cidrBits) for IPv6, starting at the network address of
 * `ipBlock`. Example from the AWS docs: ['192.168.0.0/24', 6, 5] → six /27s from 192.168.0.0.
 * Returns a message instead of throwing, so the caller can name the file and pointer.
 */
export function cidrBlocks(ipBlock: string, count: number, cidrBits: number): string[] | string {
  const slash = ipBlock.indexOf('/');
  if (slash < 0) return `"${ipBlock}" is not a CIDR block`;
  const address = ipBlock.slice(0, slash);
  const prefix = Number(ipBlock.slice(slash + 1));
  const ipv6 = address.includes(':');
  const width = ipv6 ? 128 : 32;
  const base = ipv6 ? parseIpv6(address) : parseIpv4(address);
  if (base === undefined || !Number.isInteger(prefix) || prefix < 0 || prefix > width) {
    return `"${ipBlock}" is not a CIDR block`;
  }
  if (!Number.isInteger(count) || count < 1 || count > 256) return `count ${count} is outside 1–256`;
  if (!Number.isInteger(cidrBits) || cidrBits < 0 || cidrBits > width)
    return `cidrBits ${cidrBits} is invalid`;
  const newPrefix = width - cidrBits;
  if (newPrefix < prefix) {
    return `cidrBits ${cidrBits} gives /${newPrefix}, larger than the block /${prefix}`;
  }
  const available = 1n << BigInt(newPrefix - prefix);
  if (BigInt(count) > available) {
    return `${ipBlock} holds only ${available} blocks of /${newPrefix}, ${count} asked`;
  }
  const bitsWide = BigInt(width);
  const hostMask = (1n << (bitsWide - BigInt(prefix))) - 1n;
  const network = base & ~hostMask & ((1n << bitsWide) - 1n);
  const step = 1n << BigInt(cidrBits);
  const blocks: string[] = [];
  for (let i = 0n; i < BigInt(count); i++) {
    const start = network + i * step;
    blocks.push(`${ipv6 ? formatIpv6(start) : formatIpv4(start)}/${newPrefix}`);
  }
  return blocks;
}

function parseIpv4(text: string): bigint | undefined {
  const parts = text.split('.');
  if (parts.length !== 4) return undefined;
  let value = 0n;
  for (const part of parts) {
    if (!/^\d{1,3}$/.test(part) || Number(part) > 255) return undefined;
    value = (value << 8n) | BigInt(Number(part));
  }
  return value;
}

function formatIpv4(value: bigint): string {
  return [24n, 16n, 8n, 0n].map((shift) => String((value >> shift) & 255n)).join('.');
}

function parseIpv6(text: string): bigint | undefined {
  const halves = text.split('::');
  if (halves.length > 2) return undefined;
  const head = halves[0] ? halves[0].split(':') : [];
  const tail = halves.length === 2 && halves[1] ? halves[1].split(':') : [];
  const missing = 8 - head.length - tail.length;
  if (halves.length === 1 ? missing !== 0 : missing < 1) return undefined;
  const groups = [...head, ...Array<string>(halves.length === 2 ? missing : 0).fill('0'), ...tail];
  let value = 0n;
  for (const group of groups) {
    if (!/^[0-9a-fA-F]{1,4}$/.test(group)) return undefined;
    value = (value << 16n) | BigInt(parseInt(group, 16));
  }
  return value;
}

/** RFC 5952 text: lowercase, leading zeros dropped, the longest run of ≥2 zero groups as `::`. */
function formatIpv6(value: bigint): string {
  const groups: number[] = [];
  for (let shift = 112n; shift >= 0n; shift -= 16n) groups.push(Number((value >> shift) & 0xffffn));
  let bestStart = -1;
  let bestLength = 1;
  for (let i = 0; i < 8;) {
    if (groups[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLength) {
      bestStart = i;
      bestLength = j - i;
    }
    i = j;
  }
  const hex = groups.map((g) => g.toString(16));
  if (bestStart < 0) return hex.join(':');
  return `${hex.slice(0, bestStart).join(':')}::${hex.slice(bestStart + bestLength).join(':')}`;
}
