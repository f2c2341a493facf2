/**
 * Deterministic private IPs. AWS picks addresses at random; the model picks them in a fixed
 * order (NAT gateways, endpoint ENIs, databases, workloads — each in template order) from the
 * first usable address of each subnet (AWS reserves the first four and the last one).
 */
import { type Cidr, cidrSize, formatIpv4, parseCidr } from '../network/ipv4.ts';

/** What holds a private address, so that the tracer can tell what a local-route packet reaches. */
export type AddressHolder =
  | {
      readonly kind: 'endpoint-eni';
      readonly endpoint: string;
      readonly eniId: string;
      readonly subnet: string;
    }
  | { readonly kind: 'database'; readonly database: string; readonly subnet: string }
  | { readonly kind: 'workload'; readonly workload: string; readonly subnet: string }
  | { readonly kind: 'nat-gateway'; readonly natGateway: string; readonly subnet: string };

const RESERVED_AT_START = 4;
const RESERVED_AT_END = 1;

export class AddressBook {
  readonly holders = new Map<string, AddressHolder>();
  private readonly next = new Map<string, number>();
  private readonly cidrs = new Map<string, Cidr | undefined>();

  constructor(subnetCidrs: Iterable<[string, string | undefined]>) {
    for (const [subnet, cidr] of subnetCidrs) this.cidrs.set(subnet, cidr ? parseCidr(cidr) : undefined);
  }

  /** Records an address the template fixes (EC2 PrivateIpAddress). */
  reserve(address: string, holder: AddressHolder): void {
    this.holders.set(address, holder);
  }

  /** The next free address of the subnet; undefined when its CIDR is unknown or it is full. */
  allocate(subnet: string, holder: AddressHolder): string | undefined {
    const cidr = this.cidrs.get(subnet);
    if (!cidr) return undefined;
    let offset = this.next.get(subnet) ?? RESERVED_AT_START;
    const last = cidrSize(cidr) - RESERVED_AT_END;
    while (offset < last) {
      const address = formatIpv4(cidr.network + offset);
      offset += 1;
      if (!this.holders.has(address)) {
        this.next.set(subnet, offset);
        this.holders.set(address, holder);
        return address;
      }
    }
    this.next.set(subnet, offset);
    return undefined;
  }

  holderOf(address: string): AddressHolder | undefined {
    return this.holders.get(address);
  }
}
