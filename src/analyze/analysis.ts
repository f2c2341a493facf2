/**
 * The analysis of one template: the model, every workload's grants, one traced path per
 * (workload, destination), and the access matrix (path × decision per granted action and
 * resource). Rules and the cost estimator read it; nothing here decides what is a finding.
 */
import { createHash } from 'node:crypto';
import type { Template } from '../cloudformation/types.ts';
import type { Model, Workload } from '../model/index.ts';
import {
  assumedRoleSessionArn,
  buildContext,
  compilePolicy,
  evaluate,
  DEFAULT_ENDPOINT_POLICY,
} from '../policy/index.ts';
import type { CompiledPolicy, PathKind, PolicySets } from '../policy/index.ts';
import { DATA_SERVICES } from './action-catalog.ts';
import { awsManagedPolicy } from './aws-managed-policies.ts';
import { logicalIdOf } from '../model/refs.ts';
import type { Role } from '../model/index.ts';
import { expandGrants, indexResources, type Grant, type TemplateResource } from './grants.ts';
import type { MatrixRow } from './result.ts';
import type { PriceTable } from './pricing/price-table.ts';
import type { TrafficProfile } from './pricing/traffic-profile.ts';
import { traceWorkload, type TracePath } from './trace-adapter.ts';

/** A traced destination of one workload: a service's regional host, or one API's host. */
export interface Flow {
  readonly workload: Workload;
  /** Service short name (s3, dynamodb, secretsmanager, execute-api, …). */
  readonly service: string;
  /** For execute-api: the API's logical id; undefined for a service's regional host. */
  readonly api?: string;
  readonly path: TracePath;
}

export interface Analysis {
  readonly file: string;
  readonly template: Template;
  readonly model: Model;
  readonly resources: readonly TemplateResource[];
  readonly grants: ReadonlyMap<string, readonly Grant[]>;
  readonly flows: readonly Flow[];
  readonly matrix: readonly MatrixRow[];
  readonly prices: PriceTable;
  readonly profile: TrafficProfile;
  /** Things the analysis could not decide (invalid policies, unknown roles), for the report. */
  readonly notes: readonly string[];
}

export interface AnalyzeOptions {
  readonly prices: PriceTable;
  readonly profile: TrafficProfile;
}

/** Actions a Lambda function's role grants that the Lambda service itself performs, not the code. */
const LAMBDA_SERVICE_PERFORMED = /^(logs|ec2|xray):/i;

/**
 * Actions authorized on a data connection to a target inside the VPC, not on a call to the
 * service's HTTPS endpoint: NFS mounts (EFS, S3 Files) and IAM database authentication.
 */
const NOT_AN_API_CALL = /^(elasticfilesystem:client|s3files:client|rds-db:connect$|dsql:dbconnect)/i;

/** A fixed clock so reports are reproducible (aws:CurrentTime). */
const ANALYSIS_TIME = new Date('2026-01-01T00:00:00Z');

export function analyze(file: string, template: Template, model: Model, options: AnalyzeOptions): Analysis {
  const notes: string[] = [];
  const resources = templateResources(model);
  const resourceIndex = indexResources(resources);
  // Roles are often shared by many workloads: expand each role's grants once.
  const grantsByRole = new Map<string, Grant[]>();
  const compiler = new PolicyCache(notes);
  const apiOptionsCache = new Map<string, NonNullable<PolicySets['apiGateway']>>();
  const apiOptionsOf = (apiLogicalId: string): NonNullable<PolicySets['apiGateway']> => {
    let options = apiOptionsCache.get(apiLogicalId);
    if (!options) apiOptionsCache.set(apiLogicalId, (options = apiOptions(model, apiLogicalId)));
    return options;
  };

  const grants = new Map<string, Grant[]>();
  const flows: Flow[] = [];
  const matrix: MatrixRow[] = [];
  for (const workload of model.workloads) {
    const identities = identitiesOf(model, workload);
    if (identities.length === 0 && workload.roleArn) {
      notes.push(
        `${workload.logicalId}: role ${workload.roleArn} is outside the template; its grants are unknown`,
      );
    }
    const flowByTarget = new Map<string, Flow>();
    const allGrants: Grant[] = [];
    for (const { role, purpose } of identities) {
      const policies = policiesOf(role);
      let roleGrants = grantsByRole.get(role.logicalId);
      if (!roleGrants) {
        notes.push(...unknownManagedPolicies(model, role));
        roleGrants = expandGrants(
          policies.map((policy) => policy.document),
          resourceIndex,
        );
        grantsByRole.set(role.logicalId, roleGrants);
      }
      let workloadGrants = roleGrants.filter((grant) => !NOT_AN_API_CALL.test(grant.action));
      if (workload.kind === 'lambda' || workload.kind === 'sam-function') {
        workloadGrants = workloadGrants.filter((grant) => !LAMBDA_SERVICE_PERFORMED.test(grant.action));
      }
      allGrants.push(...workloadGrants);
      if (workloadGrants.length === 0) continue;

      const identity = compiler.identity(role.logicalId, policies);
      const roleArn =
        (purpose === 'task' ? workload.roleArn : undefined) ??
        role.arn ??
        `arn:${model.partition}:iam::${model.accountId}:role/${role.name}`;
      const principalArn = assumedRoleSessionArn(roleArn, workload.logicalId);
      const principalId = roleIdOf(roleArn);
      // The keys depend on the caller and the path, not on the action: one context per destination.
      const contextByTarget = new Map<string, ReturnType<typeof buildContext>>();

      for (const grant of workloadGrants) {
        const api = grant.service === 'execute-api' ? (grant.resourceLogicalId ?? undefined) : undefined;
        const service = traceService(grant.action, grant.service);
        const targetKey = api ? `api:${api}` : service;
        let flow = flowByTarget.get(targetKey);
        if (!flow) {
          flow = {
            workload,
            service,
            api,
            path: traceWorkload(model, workload.logicalId, service, api),
          };
          flowByTarget.set(targetKey, flow);
          flows.push(flow);
        }
        const path = flow.path;
        const pathKind = toPathKind(path.route);
        const endpoint =
          path.route === 'gateway-endpoint' || path.route === 'interface-endpoint' ? path.via : null;
        let context = contextByTarget.get(targetKey);
        if (!context)
          contextByTarget.set(
            targetKey,
            (context = buildContext({
              principalArn,
              principalAccount: model.accountId,
              principalRoleArn: roleArn,
              principalId,
              service: grant.service,
              action: grant.action,
              resource: grant.resource,
              region: model.region,
              secureTransport: true,
              now: ANALYSIS_TIME,
              path: path.policyPath ?? {
                kind: pathKind,
                vpcEndpointId:
                  path.endpointId ?? (endpoint ? model.vpcEndpoints.get(endpoint)?.physicalId : undefined),
                vpcEndpointAccount: endpoint ? model.accountId : undefined,
                vpcId: path.vpcId,
                vpcSourceIp: endpoint ? (path.sourceIp ?? workload.privateIp) : undefined,
                publicSourceIp: endpoint ? undefined : path.sourceIp,
              },
            })),
          );
        const sets: PolicySets = {
          identity,
          resource: compiler.resourcePolicy(model, grant),
          ...(endpoint ? { endpoints: [compiler.endpoint(model, endpoint)] } : {}),
          ...(grant.service === 'execute-api' && grant.resourceLogicalId
            ? { apiGateway: apiOptionsOf(grant.resourceLogicalId) }
            : {}),
        };
        const decision = evaluate(
          {
            principal: principalArn,
            action: grant.action,
            resource: grant.resource,
            resourceAccount: model.accountId,
            context,
          },
          sets,
        );
        matrix.push({
          file,
          workload: workload.logicalId,
          role: role.logicalId,
          service: grant.service,
          action: grant.action,
          resource: grant.resource,
          resourceLogicalId: grant.resourceLogicalId,
          route: path.route,
          via: path.via ?? null,
          reachable: path.reachable,
          networkBlockedBy: path.blockedBy
            ? {
                component: path.blockedBy.component,
                resource: path.blockedBy.resource ?? null,
                reason: path.blockedBy.reason,
              }
            : null,
          decision: decision.decision,
          policyBlockedBy: decision.blockedBy,
          contextKeys: context,
        });
      }
    }
    grants.set(workload.logicalId, allGrants);
  }
  return {
    file,
    template,
    model,
    resources,
    grants,
    flows,
    matrix,
    notes,
    prices: options.prices,
    profile: options.profile,
  };
}

/**
 * The roles a workload's network interface makes calls as: its own role (Lambda execution role,
 * instance profile role, ECS task role) and, for ECS tasks, the task execution role, whose image
 * pulls and log writes leave through the task's ENI on Fargate.
 */
function identitiesOf(model: Model, workload: Workload): { role: Role; purpose: 'task' | 'execution' }[] {
  const identities: { role: Role; purpose: 'task' | 'execution' }[] = [];
  const own =
    (workload.roleLogicalId ? model.roles.get(workload.roleLogicalId) : undefined) ??
    samGeneratedRole(model, workload);
  if (own) identities.push({ role: own, purpose: 'task' });
  if (workload.kind === 'ecs') {
    const execution = model.roles.get(
      logicalIdOf(model.ecsServices.get(workload.logicalId)?.taskDefinition?.executionRole) ?? '',
    );
    if (execution && execution !== own) identities.push({ role: execution, purpose: 'execution' });
  }
  return identities;
}

/**
 * The role SAM generates for an AWS::Serverless::Function without `Role`, from its `Policies`:
 * inline documents (`{Statement: …}`) and AWS managed policy names or ARNs. SAM policy templates
 * (`S3ReadPolicy: {…}`) are not expanded.
 */
function samGeneratedRole(model: Model, workload: Workload): Role | undefined {
  if (workload.kind !== 'sam-function') return undefined;
  const fn = model.functions.get(workload.logicalId);
  if (!fn || fn.samPolicies === undefined) return undefined;
  const entries = Array.isArray(fn.samPolicies) ? fn.samPolicies : [fn.samPolicies];
  const inlinePolicies: { source: string; document: unknown }[] = [];
  const managedPolicyArns: string[] = [];
  entries.forEach((entry, index) => {
    if (typeof entry === 'string') {
      managedPolicyArns.push(
        entry.startsWith('arn:') ? entry : `arn:${model.partition}:iam::aws:policy/${entry}`,
      );
    } else if (typeof entry === 'object' && entry !== null && 'Statement' in entry) {
      inlinePolicies.push({ source: `${workload.logicalId}/Policies/${index}`, document: entry });
    }
  });
  const name = `${workload.logicalId}Role`;
  return {
    logicalId: name,
    name,
    arn: workload.roleArn ?? `arn:${model.partition}:iam::${model.accountId}:role/${name}`,
    assumeRolePolicy: undefined,
    inlinePolicies,
    managedPolicyArns,
    managedPolicies: [],
  };
}

const roleIds = new Map<string, string>();

/** A stable role id (`AROA…`, aws:userid's first half) per role ARN, hashed once rather than per request. */
function roleIdOf(roleArn: string): string {
  let id = roleIds.get(roleArn);
  if (!id) {
    id = `AROA${createHash('sha256').update(roleArn).digest('hex').toUpperCase().slice(0, 17)}`;
    roleIds.set(roleArn, id);
  }
  return id;
}

/** Notes for managed policies attached by ARN whose content neither the template nor the shipped table holds. */
function unknownManagedPolicies(model: Model, role: Role): string[] {
  const inTemplate = new Set(role.managedPolicies.map((policy) => policy.source));
  return role.managedPolicyArns
    .filter(
      (arn) =>
        !inTemplate.has(arn) && awsManagedPolicy(arn) === undefined && !model.template.byPhysicalId.has(arn),
    )
    .map(
      (arn) =>
        `${role.logicalId}: managed policy ${arn} is outside the template; its grants are not in the matrix`,
    );
}

/** A role's policy documents: inline, managed ones of the template, and known AWS managed policies. */
function policiesOf(role: Role): { source: string; document: unknown }[] {
  const policies: { source: string; document: unknown }[] = [...role.inlinePolicies, ...role.managedPolicies];
  for (const arn of role.managedPolicyArns) {
    const document = awsManagedPolicy(arn);
    if (document !== undefined) policies.push({ source: arn, document });
  }
  return policies;
}

/**
 * The endpoint service a call goes to. Mostly the action's prefix; ECR splits into the API
 * (`ecr.api`: GetAuthorizationToken) and the Docker registry (`ecr.dkr`: image and layer pulls).
 */
function traceService(action: string, service: string): string {
  if (service !== 'ecr') return service;
  return /^ecr:GetAuthorizationToken$/i.test(action) ? 'ecr.api' : 'ecr.dkr';
}

/** Every resource a grant can name: buckets, tables, secrets, keys, queues, topics, REST APIs. */
export function templateResources(model: Model): TemplateResource[] {
  const resources: TemplateResource[] = [];
  for (const bucket of model.buckets.values())
    resources.push({ logicalId: bucket.logicalId, kind: 's3-bucket', arn: bucket.arn });
  for (const table of model.tables.values()) {
    const arn =
      table.arn ?? `arn:${model.partition}:dynamodb:${model.region}:${model.accountId}:table/${table.name}`;
    resources.push({ logicalId: table.logicalId, kind: 'dynamodb-table', arn });
  }
  for (const secret of model.secrets.values())
    resources.push({ logicalId: secret.logicalId, kind: 'secret', arn: secret.arn });
  for (const key of model.keys.values()) {
    const arn = key.arn ?? `arn:${model.partition}:kms:${model.region}:${model.accountId}:key/${key.keyId}`;
    resources.push({ logicalId: key.logicalId, kind: 'kms-key', arn });
  }
  for (const queue of model.queues.values())
    if (queue.arn) resources.push({ logicalId: queue.logicalId, kind: 'sqs-queue', arn: queue.arn });
  for (const topic of model.topics.values())
    if (topic.arn) resources.push({ logicalId: topic.logicalId, kind: 'sns-topic', arn: topic.arn });
  for (const api of model.restApis.values()) {
    resources.push({ logicalId: api.logicalId, kind: 'api', arn: apiArn(model, api.id) });
  }
  return resources;
}

export function apiArn(model: Model, apiId: string): string {
  return `arn:${model.partition}:execute-api:${model.region}:${model.accountId}:${apiId}`;
}

function apiOptions(model: Model, apiLogicalId: string): NonNullable<PolicySets['apiGateway']> {
  const api = model.restApis.get(apiLogicalId);
  const methods = [...model.apiMethods.values()].filter(
    (method) => method.api.kind === 'resource' && method.api.logicalId === apiLogicalId,
  );
  const iam =
    methods.length === 0 || methods.some((method) => method.authorizationType.toUpperCase() === 'AWS_IAM');
  return {
    authorization: iam ? 'iam' : 'none',
    private: api?.endpointTypes.some((type) => type.toUpperCase() === 'PRIVATE') ?? false,
  };
}

function toPathKind(route: string): PathKind {
  switch (route) {
    case 'gateway-endpoint':
    case 'interface-endpoint':
    case 'nat-gateway':
    case 'internet-gateway':
    case 'outside-vpc':
    case 'local':
      return route;
    default:
      return 'local';
  }
}

/** Compiles each policy once; an invalid one is noted and left out (AWS would reject the stack). */
class PolicyCache {
  private readonly cache = new Map<string, CompiledPolicy | null>();
  private readonly identities = new Map<string, CompiledPolicy[]>();
  constructor(private readonly notes: string[]) {}

  private compile(
    key: string,
    document: unknown,
    name: string,
    kind: 'identity' | 'resource' | 'endpoint',
    apiArnPrefix?: string,
  ): CompiledPolicy | null {
    if (this.cache.has(key)) return this.cache.get(key) ?? null;
    let compiled: CompiledPolicy | null = null;
    try {
      compiled = compilePolicy(document, name, kind, apiArnPrefix ? { apiArn: apiArnPrefix } : {});
    } catch (error) {
      this.notes.push(`${name}: policy not evaluated (${(error as Error).message})`);
    }
    this.cache.set(key, compiled);
    return compiled;
  }

  identity(
    roleLogicalId: string,
    policies: readonly { source: string; document: unknown }[],
  ): CompiledPolicy[] {
    let compiled = this.identities.get(roleLogicalId);
    if (!compiled) {
      compiled = [];
      for (const policy of policies) {
        const result = this.compile(`identity:${policy.source}`, policy.document, policy.source, 'identity');
        if (result) compiled.push(result);
      }
      this.identities.set(roleLogicalId, compiled);
    }
    return compiled;
  }

  endpoint(model: Model, logicalId: string): CompiledPolicy {
    const document = model.vpcEndpoints.get(logicalId)?.policyDocument ?? DEFAULT_ENDPOINT_POLICY;
    // An endpoint policy that does not compile is left out of the decision as AWS's default would be.
    return (
      this.compile(`endpoint:${logicalId}`, document, logicalId, 'endpoint') ??
      (this.compile(
        'endpoint:<default>',
        DEFAULT_ENDPOINT_POLICY,
        'default-endpoint-policy',
        'endpoint',
      ) as CompiledPolicy)
    );
  }

  resourcePolicy(model: Model, grant: Grant): CompiledPolicy | null {
    const id = grant.resourceLogicalId;
    if (!id) return null;
    let document: unknown;
    let apiArnPrefix: string | undefined;
    if (model.buckets.has(id)) document = model.buckets.get(id)?.policy;
    else if (model.tables.has(id)) document = model.tables.get(id)?.resourcePolicy;
    else if (model.secrets.has(id)) document = model.secrets.get(id)?.resourcePolicy;
    else if (model.keys.has(id)) document = model.keys.get(id)?.policy ?? defaultKeyPolicy(model);
    else if (model.queues.has(id)) document = model.queues.get(id)?.policy;
    else if (model.topics.has(id)) document = model.topics.get(id)?.policy;
    else if (model.restApis.has(id)) {
      document = model.restApis.get(id)?.policy;
      apiArnPrefix = apiArn(model, model.restApis.get(id)?.id ?? id);
    }
    if (document === undefined) return null;
    return this.compile(`resource:${id}`, document, id, 'resource', apiArnPrefix);
  }
}

/** The key policy KMS gives a key created without one: the account's root (delegating to IAM). */
function defaultKeyPolicy(model: Model): unknown {
  return {
    Version: '2012-10-17',
    Statement: [
      {
        Effect: 'Allow',
        Principal: { AWS: `arn:${model.partition}:iam::${model.accountId}:root` },
        Action: 'kms:*',
        Resource: '*',
      },
    ],
  };
}

/** True for services whose calls the rules reason about (data services). */
export function isDataService(service: string): boolean {
  return DATA_SERVICES.has(service);
}
