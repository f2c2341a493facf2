/**
 * The cloud model: typed entities built from a loaded template. Every map is keyed by logical id
 * (or, for what AWS creates implicitly, `<Vpc>/MainRouteTable`, `<Vpc>/DefaultSecurityGroup`,
 * `<Vpc>/DefaultNetworkAcl`).
 */
import type { Template } from '../cloudformation/types.ts';
import type { AddressBook } from './addresses.ts';
import type { ApiMethod, ApiResource, ApiStage, RestApi } from './api-gateway.ts';
import type { ModelIssue } from './context.ts';
import type { Table } from './dynamodb.ts';
import type { Key } from './kms.ts';
import type { Bucket } from './s3.ts';
import type { Secret } from './secrets-manager.ts';
import type { Topic } from './sns.ts';
import type { Queue } from './sqs.ts';
import type { Instance } from './ec2-instance.ts';
import type { EcsService } from './ecs.ts';
import type { InstanceProfile, ManagedPolicy, Role } from './iam.ts';
import type { LambdaFunction } from './lambda.ts';
import type { NatGateway } from './nat-gateway.ts';
import type { NetworkAcl } from './network-acl.ts';
import type { ManagedPrefixList } from './prefix-list.ts';
import type { Database } from './rds.ts';
import type { RouteTable } from './route-table.ts';
import type { SecurityGroup } from './security-group.ts';
import type { VpcEndpoint } from './vpc-endpoint.ts';
import type { InternetGateway, Subnet, Vpc } from './vpc.ts';
import type { WebAcl, WebAclAssociation } from './wafv2.ts';
import type { Workload } from './workloads.ts';

export interface Model {
  readonly template: Template;
  readonly region: string;
  readonly accountId: string;
  readonly partition: string;

  readonly vpcs: Map<string, Vpc>;
  readonly subnets: Map<string, Subnet>;
  readonly routeTables: Map<string, RouteTable>;
  readonly internetGateways: Map<string, InternetGateway>;
  readonly natGateways: Map<string, NatGateway>;
  readonly vpcEndpoints: Map<string, VpcEndpoint>;
  readonly securityGroups: Map<string, SecurityGroup>;
  readonly networkAcls: Map<string, NetworkAcl>;
  readonly prefixLists: Map<string, ManagedPrefixList>;

  readonly roles: Map<string, Role>;
  readonly managedPolicies: Map<string, ManagedPolicy>;
  readonly instanceProfiles: Map<string, InstanceProfile>;
  readonly buckets: Map<string, Bucket>;
  readonly tables: Map<string, Table>;
  readonly secrets: Map<string, Secret>;
  readonly keys: Map<string, Key>;
  /** SQS queues with their queue policies. */
  readonly queues: Map<string, Queue>;
  /** SNS topics with their topic policies. */
  readonly topics: Map<string, Topic>;
  readonly restApis: Map<string, RestApi>;
  readonly apiResources: Map<string, ApiResource>;
  readonly apiMethods: Map<string, ApiMethod>;
  readonly stages: ApiStage[];
  /** AWS WAF web ACLs and what they protect. */
  readonly webAcls: Map<string, WebAcl>;
  readonly webAclAssociations: WebAclAssociation[];
  readonly databases: Map<string, Database>;
  readonly functions: Map<string, LambdaFunction>;
  readonly instances: Map<string, Instance>;
  readonly ecsServices: Map<string, EcsService>;

  /** Everything that sends traffic, in template order. */
  readonly workloads: Workload[];
  readonly workloadsById: Map<string, Workload>;
  /** Private address → what holds it (endpoint ENI, database, workload, NAT gateway). */
  readonly addresses: AddressBook;
  /** What could not be modelled (unresolved references, outside-template ids…), never fatal. */
  readonly issues: ModelIssue[];
}
