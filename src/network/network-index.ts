/**
 * What the tracer precomputes once per model (and caches): compiled security groups, NACLs and
 * route tables, prefix-list CIDRs, interface endpoints by (VPC, service, Region), APIs by id and
 * databases by hostname. A trace then does only map lookups and short scans.
 */
import type { Model } from '../model/index.ts';
import type { Database } from '../model/rds.ts';
import type { RestApi } from '../model/api-gateway.ts';
import type { VpcEndpoint } from '../model/vpc-endpoint.ts';
import { AWS_PREFIX_LISTS } from './aws-prefixes.ts';
import { type Cidr, cidrContains, parseCidr } from './ipv4.ts';
import { type CompiledAcl, compileNetworkAcl } from './network-acls.ts';
import { type CompiledRouteTable, compileRouteTable } from './routing.ts';
import { type CompiledGroup, compileSecurityGroups } from './security-groups.ts';

export class NetworkIndex {
  readonly securityGroups: Map<string, CompiledGroup>;
  private readonly acls = new Map<string, CompiledAcl>();
  private readonly routeTables = new Map<string, CompiledRouteTable>();
  private readonly prefixLists = new Map<string, readonly Cidr[]>();
  private readonly interfaceEndpoints = new Map<string, VpcEndpoint[]>();
  readonly endpointsByPhysicalId = new Map<string, VpcEndpoint>();
  readonly apisById = new Map<string, RestApi>();
  readonly databasesByHost = new Map<string, Database>();
  /** Resolutions by (VPC, AZ, name, port): DNS answers do not change within one model. */
  readonly resolutions = new Map<string, unknown>();

  constructor(readonly model: Model) {
    this.securityGroups = compileSecurityGroups(model);
    for (const list of AWS_PREFIX_LISTS) this.prefixLists.set(list.id, list.cidrs);
    for (const list of model.prefixLists.values()) {
      const cidrs = list.cidrs.map(parseCidr).filter((cidr): cidr is Cidr => cidr !== undefined);
      this.prefixLists.set(list.physicalId, cidrs);
      this.prefixLists.set(list.logicalId, cidrs);
    }
    for (const endpoint of model.vpcEndpoints.values()) {
      this.endpointsByPhysicalId.set(endpoint.physicalId, endpoint);
      if (endpoint.type !== 'Interface' || !endpoint.service || endpoint.vpc.kind !== 'resource') continue;
      const key = endpointKey(endpoint.vpc.logicalId, endpoint.service, endpoint.serviceRegion ?? '');
      const list = this.interfaceEndpoints.get(key);
      if (list) list.push(endpoint);
      else this.interfaceEndpoints.set(key, [endpoint]);
    }
    for (const api of model.restApis.values()) this.apisById.set(api.id.toLowerCase(), api);
    for (const database of model.databases.values())
      if (database.address) this.databasesByHost.set(database.address.toLowerCase(), database);
  }

  /** Interface endpoints of `service` (in `region`) in a VPC. */
  interfaceEndpointsFor(vpc: string, service: string, region: string): readonly VpcEndpoint[] {
    return this.interfaceEndpoints.get(endpointKey(vpc, service, region)) ?? [];
  }

  prefixListCidrs(id: string): readonly Cidr[] | undefined {
    return this.prefixLists.get(id);
  }

  prefixListContains = (id: string, address: number): boolean =>
    (this.prefixLists.get(id) ?? []).some((cidr) => cidrContains(cidr, address));

  acl(key: string): CompiledAcl | undefined {
    let compiled = this.acls.get(key);
    if (!compiled) {
      const acl = this.model.networkAcls.get(key);
      if (!acl) return undefined;
      compiled = compileNetworkAcl(acl);
      this.acls.set(key, compiled);
    }
    return compiled;
  }

  routeTable(key: string): CompiledRouteTable | undefined {
    let compiled = this.routeTables.get(key);
    if (!compiled) {
      const table = this.model.routeTables.get(key);
      if (!table) return undefined;
      compiled = compileRouteTable(table, (id) => this.prefixLists.get(id));
      this.routeTables.set(key, compiled);
    }
    return compiled;
  }
}

function endpointKey(vpc: string, service: string, region: string): string {
  return `${vpc}|${service}|${region}`;
}

const cache = new WeakMap<Model, NetworkIndex>();

/** The index of a model, built on first use. */
export function networkIndex(model: Model): NetworkIndex {
  let index = cache.get(model);
  if (!index) {
    index = new NetworkIndex(model);
    cache.set(model, index);
  }
  return index;
}
