/**
 * Name resolution as a workload's VPC sees it. An interface endpoint with private DNS makes the
 * service's regional hostnames resolve to its ENIs — only when the VPC has both enableDnsSupport
 * and enableDnsHostnames — preferring the ENI in the caller's Availability Zone. Everything else
 * resolves to public addresses from the shipped AWS prefix table; RDS endpoints resolve to the
 * database's private address.
 */
import type { Model } from '../model/index.ts';
import type { RestApi } from '../model/api-gateway.ts';
import type { EndpointEni, VpcEndpoint } from '../model/vpc-endpoint.ts';
import type { Workload } from '../model/workloads.ts';
import { UserError } from '../cli/user-error.ts';
import { publicServiceAddress } from './aws-prefixes.ts';
import { executeApiHost, parseAwsHost, serviceHost } from './hostnames.ts';
import { parseIpv4 } from './ipv4.ts';
import type { NetworkIndex } from './network-index.ts';
import type { Hop, TraceTarget } from './path.ts';

/** The target after resolution. `address` is null when the name does not resolve. */
export interface Destination {
  readonly host: string | null;
  readonly address: string | null;
  readonly port: number;
  readonly service: string | null;
  readonly serviceRegion: string | null;
  readonly resource: string | null;
  readonly apiId?: string;
  readonly api?: RestApi;
  /** Set when the name resolved to an interface endpoint's ENI. */
  readonly endpoint?: VpcEndpoint;
  readonly eni?: EndpointEni;
  readonly dnsHop: Hop;
}

interface Named {
  host: string | null;
  address: string | null;
  port: number;
  resource: string | null;
}

/** Turns a service / host / IP / logical id into a name (and, for in-model resources, an address and port). */
export function nameTarget(model: Model, target: TraceTarget, port: number | undefined): Named {
  const region = model.region;
  const named = (
    host: string | null,
    address: string | null = null,
    resource: string | null = null,
    defaultPort = 443,
  ): Named => ({
    host,
    address,
    port: port ?? defaultPort,
    resource,
  });
  if (target.ip !== undefined) {
    if (parseIpv4(target.ip) === undefined) throw new UserError(`--to ${target.ip} is not an IPv4 address`);
    return named(null, target.ip);
  }
  if (target.host !== undefined) return named(target.host.toLowerCase());
  if (target.service !== undefined) return named(serviceHost(target.service.toLowerCase(), region));
  const id = target.resource ?? '';
  const database = model.databases.get(id);
  if (database) return named(database.address ?? null, database.privateIp ?? null, id, database.port);
  const api = model.restApis.get(id);
  if (api) return named(executeApiHost(api.id, region), null, id);
  const bucket = model.buckets.get(id);
  if (bucket) return named(`${bucket.name}.s3.${region}.amazonaws.com`, null, id);
  if (model.tables.has(id)) return named(serviceHost('dynamodb', region), null, id);
  if (model.secrets.has(id)) return named(serviceHost('secretsmanager', region), null, id);
  if (model.keys.has(id)) return named(serviceHost('kms', region), null, id);
  const workload = model.workloadsById.get(id);
  if (workload?.privateIp) return named(null, workload.privateIp, id);
  if (model.functions.has(id)) return named(serviceHost('lambda', region), null, id);
  throw new UserError(
    `--to ${id}: not a service, hostname, IPv4 address, or the logical id of a database, REST API, bucket, table, secret, key or workload in ${model.template.file}`,
    { file: model.template.file },
  );
}

/** Cached: every workload of one VPC and AZ sees the same answer for the same name. */
export function resolveDestination(
  model: Model,
  index: NetworkIndex,
  workload: Workload,
  named: Named,
): Destination {
  const key = `${workload.outsideVpc ? '' : (workload.vpc ?? '?')}|${workload.availabilityZone ?? ''}|${named.host ?? ''}|${named.address ?? ''}|${named.port}|${named.resource ?? ''}`;
  let destination = index.resolutions.get(key) as Destination | undefined;
  if (!destination) {
    destination = resolveUncached(model, index, workload, named);
    index.resolutions.set(key, destination);
  }
  return destination;
}

function resolveUncached(model: Model, index: NetworkIndex, workload: Workload, named: Named): Destination {
  const vpc = workload.vpc ? model.vpcs.get(workload.vpc) : undefined;
  const base = { port: named.port, resource: named.resource };
  const hop = (result: 'pass' | 'block', detail: string, resource: string | null = null): Hop => ({
    component: 'dns',
    resource,
    result,
    detail,
  });

  if (named.address !== null) {
    const what = named.host ? `${named.host} → ${named.address}` : `${named.address} (literal address)`;
    const isDatabase = named.resource !== null && model.databases.has(named.resource);
    return {
      ...base,
      host: named.host,
      address: named.address,
      service: isDatabase ? 'rds' : null,
      serviceRegion: null,
      dnsHop: hop('pass', what, named.resource),
    };
  }
  const host = named.host as string;
  const database = index.databasesByHost.get(host);
  if (database?.privateIp)
    return {
      ...base,
      host,
      address: database.privateIp,
      service: 'rds',
      serviceRegion: model.region,
      resource: database.logicalId,
      dnsHop: hop(
        'pass',
        `RDS endpoint ${host} → ${database.privateIp} (private address of ${database.logicalId})`,
        database.logicalId,
      ),
    };

  const parsed = parseAwsHost(host);
  if (!parsed)
    return {
      ...base,
      host,
      address: null,
      service: null,
      serviceRegion: null,
      dnsHop: hop(
        'block',
        `${host} does not resolve: not an AWS service hostname, and no modelled resource has it`,
      ),
    };
  const apiId = parsed.apiId;
  const api = apiId ? index.apisById.get(apiId) : undefined;
  const common = {
    ...base,
    host,
    service: parsed.service,
    serviceRegion: parsed.region,
    apiId,
    api,
    resource: named.resource ?? api?.logicalId ?? null,
  };

  // Endpoint-specific names (vpce-….<service>.<region>.vpce.amazonaws.com) always resolve to the ENIs.
  if (parsed.endpointId) {
    const endpoint = index.endpointsByPhysicalId.get(parsed.endpointId);
    const eni = endpoint ? pickEni(endpoint, workload.availabilityZone) : undefined;
    if (!endpoint || !eni?.privateIp)
      return {
        ...common,
        address: null,
        dnsHop: hop(
          'block',
          `${host}: endpoint ${parsed.endpointId} is not in the model (or its ENIs have no known address)`,
        ),
      };
    return {
      ...common,
      address: eni.privateIp,
      endpoint,
      eni,
      dnsHop: hop(
        'pass',
        `endpoint-specific name ${host} → ${eni.privateIp} (${endpoint.logicalId} ENI ${eni.id} in ${eni.availabilityZone ?? 'unknown AZ'})`,
        endpoint.logicalId,
      ),
    };
  }

  if (vpc) {
    const candidates = index
      .interfaceEndpointsFor(vpc.logicalId, parsed.service, parsed.region)
      .filter((endpoint) => endpoint.privateDnsEnabled);
    if (candidates.length > 0) {
      const endpoint = candidates[0];
      if (!vpc.enableDnsSupport || !vpc.enableDnsHostnames) {
        const address = publicServiceAddress(parsed.service, parsed.region, host);
        return {
          ...common,
          address,
          dnsHop: hop(
            'pass',
            `${endpoint.logicalId} has private DNS, but ${vpc.logicalId} has enableDnsSupport=${vpc.enableDnsSupport}, enableDnsHostnames=${vpc.enableDnsHostnames} (both must be true): ${host} resolves publicly → ${address}`,
            vpc.logicalId,
          ),
        };
      }
      const eni = pickEni(endpoint, workload.availabilityZone);
      if (!eni?.privateIp)
        return {
          ...common,
          address: null,
          endpoint,
          dnsHop: hop(
            'block',
            `${host} resolves to ${endpoint.logicalId}, whose ENIs have no known address (unresolved subnets or CIDRs)`,
            endpoint.logicalId,
          ),
        };
      const sameAz = eni.availabilityZone !== undefined && eni.availabilityZone === workload.availabilityZone;
      return {
        ...common,
        address: eni.privateIp,
        endpoint,
        eni,
        dnsHop: hop(
          'pass',
          `private DNS of interface endpoint ${endpoint.logicalId}: ${host} → ${eni.privateIp} (ENI ${eni.id} in ${eni.availabilityZone ?? 'unknown AZ'}${sameAz ? ', same AZ as the caller' : ''})`,
          endpoint.logicalId,
        ),
      };
    }
  }
  const address = publicServiceAddress(parsed.service, parsed.region, host);
  const why = vpc
    ? `no interface endpoint with private DNS for ${parsed.service} (${parsed.region}) in ${vpc.logicalId}`
    : 'outside any VPC';
  return {
    ...common,
    address,
    dnsHop: hop(
      'pass',
      `${why}: ${host} → ${address} (public ${parsed.service} address in ${parsed.region})`,
    ),
  };
}

/** The ENI in the caller's AZ when there is one, else the first with a known address. */
function pickEni(endpoint: VpcEndpoint, availabilityZone: string | undefined): EndpointEni | undefined {
  return (
    endpoint.enis.find(
      (eni) => eni.privateIp && availabilityZone && eni.availabilityZone === availabilityZone,
    ) ?? endpoint.enis.find((eni) => eni.privateIp)
  );
}
