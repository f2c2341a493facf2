/**
 * `buildModel(template)`: one pass per resource family, in dependency order, then the
 * deterministic private addresses.
 */
import type { Template } from '../cloudformation/types.ts';
import { AddressBook } from './addresses.ts';
import { buildApiGateway } from './api-gateway.ts';
import { BuildContext } from './context.ts';
import { buildTables } from './dynamodb.ts';
import { buildKeys } from './kms.ts';
import { buildBuckets } from './s3.ts';
import { buildSecrets } from './secrets-manager.ts';
import { buildTopics } from './sns.ts';
import { buildQueues } from './sqs.ts';
import { buildInstances } from './ec2-instance.ts';
import { buildEcsServices } from './ecs.ts';
import { buildIam } from './iam.ts';
import { buildFunctions } from './lambda.ts';
import type { Model } from './model.ts';
import { buildNatGateways } from './nat-gateway.ts';
import { buildNetworkAcls } from './network-acl.ts';
import { buildPrefixLists } from './prefix-list.ts';
import { buildDatabases } from './rds.ts';
import { logicalIdOf } from './refs.ts';
import { buildRouteTables } from './route-table.ts';
import { buildSecurityGroups } from './security-group.ts';
import { addGatewayEndpointRoutes, buildVpcEndpoints } from './vpc-endpoint.ts';
import { buildInternetGateways, buildSubnets, buildVpcs } from './vpc.ts';
import { buildWorkloads } from './workloads.ts';
import { buildWaf } from './wafv2.ts';

export function buildModel(template: Template): Model {
  const ctx = new BuildContext(template);
  const vpcs = buildVpcs(ctx);
  const subnets = buildSubnets(ctx);
  const internetGateways = buildInternetGateways(ctx, vpcs);
  const natGateways = buildNatGateways(ctx);
  const prefixLists = buildPrefixLists(ctx);
  const securityGroups = buildSecurityGroups(ctx, vpcs);
  const networkAcls = buildNetworkAcls(ctx, vpcs, subnets);
  const vpcEndpoints = buildVpcEndpoints(ctx, vpcs);
  const routeTables = buildRouteTables(ctx, vpcs, subnets);
  addGatewayEndpointRoutes(vpcEndpoints, routeTables);

  const { roles, managedPolicies, instanceProfiles } = buildIam(ctx);
  const buckets = buildBuckets(ctx);
  const tables = buildTables(ctx);
  const secrets = buildSecrets(ctx);
  const keys = buildKeys(ctx);
  const queues = buildQueues(ctx);
  const topics = buildTopics(ctx);
  const { restApis, apiResources, apiMethods, stages } = buildApiGateway(ctx);
  const { webAcls, webAclAssociations } = buildWaf(ctx);
  const databases = buildDatabases(ctx);
  const functions = buildFunctions(ctx);
  const instances = buildInstances(ctx);
  const ecsServices = buildEcsServices(ctx);
  const workloads = buildWorkloads(
    { subnets, vpcs },
    functions,
    instances,
    ecsServices,
    roles,
    instanceProfiles,
  );

  // Deterministic addresses: fixed ones first, then NAT gateways, endpoint ENIs, databases, workloads.
  const addresses = new AddressBook([...subnets.values()].map((subnet) => [subnet.logicalId, subnet.cidr]));
  for (const workload of workloads) {
    if (workload.privateIp && workload.subnets[0])
      addresses.reserve(workload.privateIp, {
        kind: 'workload',
        workload: workload.logicalId,
        subnet: workload.subnets[0],
      });
  }
  for (const nat of natGateways.values()) {
    const subnet = logicalIdOf(nat.subnet);
    if (subnet)
      nat.privateIp = addresses.allocate(subnet, { kind: 'nat-gateway', natGateway: nat.logicalId, subnet });
  }
  for (const endpoint of vpcEndpoints.values()) {
    for (const eni of endpoint.enis) {
      if (!eni.subnet) continue;
      eni.availabilityZone = subnets.get(eni.subnet)?.availabilityZone;
      eni.privateIp = addresses.allocate(eni.subnet, {
        kind: 'endpoint-eni',
        endpoint: endpoint.logicalId,
        eniId: eni.id,
        subnet: eni.subnet,
      });
    }
  }
  for (const database of databases.values()) {
    const subnet = database.subnets.map(logicalIdOf).find((key) => key !== undefined && subnets.has(key));
    if (!subnet) continue;
    database.subnet = subnet;
    database.privateIp = addresses.allocate(subnet, {
      kind: 'database',
      database: database.logicalId,
      subnet,
    });
  }
  for (const workload of workloads) {
    const subnet = workload.subnets[0];
    if (!subnet || !subnets.has(subnet)) continue;
    workload.availabilityZone = subnets.get(subnet)?.availabilityZone;
    workload.privateIp ??= addresses.allocate(subnet, {
      kind: 'workload',
      workload: workload.logicalId,
      subnet,
    });
  }

  return {
    template,
    region: template.region,
    accountId: template.accountId,
    partition: template.partition,
    vpcs,
    subnets,
    routeTables,
    internetGateways,
    natGateways,
    vpcEndpoints,
    securityGroups,
    networkAcls,
    prefixLists,
    roles,
    managedPolicies,
    instanceProfiles,
    buckets,
    tables,
    secrets,
    keys,
    queues,
    topics,
    restApis,
    apiResources,
    apiMethods,
    stages,
    webAcls,
    webAclAssociations,
    databases,
    functions,
    instances,
    ecsServices,
    workloads,
    workloadsById: new Map(workloads.map((workload) => [workload.logicalId, workload])),
    addresses,
    issues: ctx.issues,
  };
}
