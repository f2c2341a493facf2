/**
 * The shipped table of AWS service prefixes (`aws-prefixes.json`): the managed prefix lists that
 * gateway endpoints route to, and a public address for every other service hostname.
 */
import { readFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { type Cidr, formatIpv4, parseCidr, cidrSize } from './ipv4.ts';

/** An AWS-managed prefix list such as `com.amazonaws.us-east-1.s3` (pl-63a5400a). */
export interface AwsPrefixList {
  readonly id: string;
  /** e.g. `com.amazonaws.us-east-1.s3` */
  readonly name: string;
  readonly service: string;
  readonly region: string;
  readonly cidrs: readonly Cidr[];
}

interface PrefixFile {
  prefixLists: Record<string, Record<string, { id: string; cidrs: string[] }>>;
  otherServices: { regionBlocks: Record<string, string>; fallbackBlock: string };
}

const file = JSON.parse(readFileSync(new URL('./aws-prefixes.json', import.meta.url), 'utf8')) as PrefixFile;

const lists: AwsPrefixList[] = [];
for (const [region, services] of Object.entries(file.prefixLists)) {
  for (const [service, entry] of Object.entries(services)) {
    lists.push({
      id: entry.id,
      name: `com.amazonaws.${region}.${service}`,
      service,
      region,
      cidrs: entry.cidrs.map((text) => parseCidr(text) as Cidr),
    });
  }
}

const byServiceRegion = new Map(lists.map((list) => [`${list.region}/${list.service}`, list]));

/** Every shipped AWS-managed prefix list. */
export const AWS_PREFIX_LISTS: readonly AwsPrefixList[] = lists;

/** The managed prefix list of a gateway-endpoint service (s3, dynamodb) in a Region, if shipped. */
export function awsPrefixList(service: string, region: string): AwsPrefixList | undefined {
  return byServiceRegion.get(`${region}/${service}`);
}

/**
 * A stable public address for `host`, a hostname of `service` in `region`: inside the service's
 * prefix list when it has one (so that gateway-endpoint routes match it exactly as on AWS),
 * otherwise inside a representative AWS block of the Region.
 */
export function publicServiceAddress(service: string, region: string, host: string): string {
  const list = awsPrefixList(service, region);
  const block = list
    ? list.cidrs[0]
    : (parseCidr(file.otherServices.regionBlocks[region] ?? file.otherServices.fallbackBlock) as Cidr);
  const offset = hashToInt(host) % Math.max(1, cidrSize(block) - 2);
  return formatIpv4(block.network + 1 + offset);
}

function hashToInt(text: string): number {
  return createHash('sha256').update(text).digest().readUInt32BE(0);
}
