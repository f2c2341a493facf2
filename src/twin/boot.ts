/**
 * Boot: creates the template's resources in the local emulators, as CloudFormation would create
 * them on AWS — KMS keys (+ key policies), secrets (generated values; SecretTargetAttachment adds
 * the database's connection fields), buckets (+ bucket policies), tables, queues (+ queue policies),
 * REST API definitions and Lambda function definitions. Every step is idempotent: existing data survives a restart.
 */
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import type { Template } from '../cloudformation/types.ts';
import type { Model } from '../model/index.ts';
import type { Emulators } from '../emulators/registry.ts';
import type { Caller } from '../emulators/plugin.ts';
import type { TableDefinition } from '../emulators/dynamodb/plugin.ts';
import type {
  ApiKeyDef,
  MethodDef,
  ResourceDef,
  RestApiDef,
  WebAclDef,
} from '../emulators/apigateway/index.ts';
import { webAclPlan } from './web-acl-plan.ts';
import { apiKeyPlan, type ApiKeyPlan } from './api-key-plan.ts';
import { methodValidation } from './api-validation-plan.ts';
import { mockIntegrationPlan } from './mock-integration-plan.ts';
import { methodAuthorizer } from './authorizer-plan.ts';
import { notRunWarnings } from './not-run.ts';
import { queuePlans } from './queue-plan.ts';
import { topicPlans } from './topic-plan.ts';
import type { GenerateSecretString } from '../emulators/secretsmanager/password.ts';
import { callJson } from './internal-request.ts';
import { UserError } from '../cli/user-error.ts';
import { isUnresolved } from '../cloudformation/unresolved.ts';
import { expressionText } from './dynamic-reference.ts';

/** The caller the twin uses for its own control-plane calls at boot (never a workload). */
export function bootCaller(accountId: string): Caller {
  return { principalArn: `arn:aws:iam::${accountId}:root`, accountId };
}

/** A Lambda function the twin will run, before its entry and credentials are known. */
export interface FunctionPlan {
  readonly logicalId: string;
  readonly functionName: string;
  readonly arn: string;
  /** The code's folder; empty when the code is inline (`inlineSource`). */
  readonly codeDir: string;
  /** Node.js source given inline in the template (Code.ZipFile, SAM InlineCode). */
  readonly inlineSource?: string;
  readonly handler: string;
  readonly runtime: string;
  readonly memoryMb: number;
  readonly timeoutSec: number;
  readonly env: Record<string, string>;
}

/** The PostgreSQL database behind an AWS::RDS::DBInstance. */
export interface DatabasePlan {
  readonly logicalId: string;
  /** Endpoint.Address from the template: the hostname workloads connect to. */
  readonly address: string;
  readonly port: number;
  readonly dbName: string;
  readonly username: string;
  readonly password: string;
}

export interface ResourceEntry {
  readonly type: string;
  readonly physicalId: string;
  readonly arn?: string;
}

export interface BootResult {
  readonly apis: RestApiDef[];
  /** The template's API keys, with their values (for twin.json). */
  readonly apiKeys: readonly ApiKeyDef[];
  readonly functions: FunctionPlan[];
  readonly databases: DatabasePlan[];
  readonly resources: Record<string, ResourceEntry>;
  /** What could not be created, with the reason (never fatal). */
  readonly warnings: string[];
}

const SECRET_ARN = /^arn:[^:]+:secretsmanager:[^:]+:\d{12}:secret:(.+)-[A-Za-z0-9]{6}$/;

function str(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

function record(value: unknown): Record<string, unknown> | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : undefined;
}

/** The secret name behind a full secret ARN (the ARN ends in `-` + 6 random characters). */
export function secretNameOfArn(arn: string): string {
  return SECRET_ARN.exec(arn)?.[1] ?? arn;
}

/**
 * Creates one resource of the template; a refusal (an invalid name, a key that does not exist…)
 * stops the boot with the template, the resource and the service's own message, not a stack trace.
 */
async function creating<T>(template: Template, logicalId: string, create: () => Promise<T>): Promise<T> {
  try {
    return await create();
  } catch (error) {
    if (error instanceof UserError) throw error;
    const said = (error instanceof Error ? error.message : String(error)).replace(/([^.])$/, '$1.');
    const type = template.resources[logicalId]?.type ?? 'resource';
    throw new UserError(
      `the twin cannot create this ${type}: ${said} Fix the resource's properties (or the parameters they use: --param Key=Value).`,
      { file: template.file, logicalId },
    );
  }
}

export async function bootResources(
  template: Template,
  model: Model,
  emulators: Emulators,
): Promise<BootResult> {
  const warnings: string[] = [];
  // A parameter with no value stays a token; the twin runs on stand-ins where it is used.
  for (const value of Object.values(template.parameters))
    if (isUnresolved(value)) warnings.push(`${value.reason}; the twin uses stand-ins where it appears`);
  const resources: Record<string, ResourceEntry> = {};
  const caller = bootCaller(model.accountId);
  const smHost = `secretsmanager.${model.region}.amazonaws.com`;

  for (const key of model.keys.values()) {
    const keyId = /^[0-9a-f-]{36}$/.test(key.keyId) ? key.keyId : undefined;
    const props = template.resources[key.logicalId]?.properties ?? {};
    const arn = await creating(template, key.logicalId, () =>
      emulators.kms.ensureKey({ keyId, policy: key.policy, description: str(props.Description) }),
    );
    resources[key.logicalId] = { type: 'AWS::KMS::Key', physicalId: key.keyId, arn };
  }

  for (const secret of model.secrets.values()) {
    const props = template.resources[secret.logicalId]?.properties ?? {};
    const generate = record(props.GenerateSecretString) as GenerateSecretString | undefined;
    const arn = await creating(template, secret.logicalId, () =>
      emulators.secretsmanager.ensureSecret({
        name: secret.name ?? secretNameOfArn(secret.arn),
        arn: SECRET_ARN.test(secret.arn) ? secret.arn : undefined,
        description: str(props.Description),
        kmsKeyId: secret.kmsKeyId,
        secretString: str(props.SecretString),
        generateSecretString: generate,
        policy: secret.resourcePolicy,
      }),
    );
    resources[secret.logicalId] = { type: 'AWS::SecretsManager::Secret', physicalId: arn, arn };
  }

  const readSecret = async (secretId: string): Promise<string | undefined> => {
    const out = await callJson(
      emulators.secretsmanager,
      caller,
      'secretsmanager.GetSecretValue',
      { SecretId: secretId },
      smHost,
    );
    return str(out.SecretString);
  };

  // SecretTargetAttachment: AWS adds the instance's connection fields to the secret's JSON.
  for (const attachment of Object.values(template.resources).filter(
    (r) => r.type === 'AWS::SecretsManager::SecretTargetAttachment',
  )) {
    const secretId = str(attachment.properties.SecretId);
    const targetLogicalId = template.byPhysicalId.get(str(attachment.properties.TargetId) ?? '');
    const database = model.databases.get(targetLogicalId ?? '');
    if (!secretId || !database) {
      warnings.push(`${attachment.logicalId}: secret or target outside the template; not attached`);
      continue;
    }
    const text = await readSecret(secretId);
    const value = record(JSON.parse(text ?? '{}')) ?? {};
    const dbProps = template.resources[database.logicalId]?.properties ?? {};
    const wanted = {
      engine: database.engine ?? 'postgres',
      host: database.address,
      port: database.port,
      dbname: str(dbProps.DBName),
      dbInstanceIdentifier: template.resources[database.logicalId]?.physicalId,
    };
    if (Object.entries(wanted).some(([k, v]) => v !== undefined && value[k] !== v)) {
      const merged = {
        ...value,
        ...Object.fromEntries(Object.entries(wanted).filter(([, v]) => v !== undefined)),
      };
      await callJson(
        emulators.secretsmanager,
        caller,
        'secretsmanager.PutSecretValue',
        { SecretId: secretId, SecretString: JSON.stringify(merged) },
        smHost,
      );
    }
  }

  for (const bucket of model.buckets.values()) {
    await creating(template, bucket.logicalId, () =>
      emulators.s3.ensureBucket({
        name: bucket.name,
        publicAccessBlock: {
          BlockPublicAcls: bucket.blockPublicAcls,
          IgnorePublicAcls: bucket.ignorePublicAcls,
          BlockPublicPolicy: bucket.blockPublicPolicy,
          RestrictPublicBuckets: bucket.restrictPublicBuckets,
        },
        objectOwnership: bucket.objectOwnership,
        accessControl: bucket.accessControl,
      }),
    );
    const { policy, policySource } = bucket;
    if (policy !== undefined)
      await creating(template, policySource ?? bucket.logicalId, () =>
        emulators.s3.ensureBucketPolicy(bucket.name, policy),
      );
    resources[bucket.logicalId] = { type: 'AWS::S3::Bucket', physicalId: bucket.name, arn: bucket.arn };
  }

  for (const table of model.tables.values()) {
    const props = template.resources[table.logicalId]?.properties ?? {};
    const definition = {
      TableName: table.name,
      KeySchema: props.KeySchema,
      AttributeDefinitions: props.AttributeDefinitions,
      BillingMode: str(props.BillingMode),
      ProvisionedThroughput: props.ProvisionedThroughput,
      GlobalSecondaryIndexes: props.GlobalSecondaryIndexes,
      LocalSecondaryIndexes: props.LocalSecondaryIndexes,
      ResourcePolicy: table.resourcePolicy,
    } as TableDefinition;
    const arn = await creating(template, table.logicalId, () => emulators.dynamodb.ensureTable(definition));
    resources[table.logicalId] = { type: 'AWS::DynamoDB::Table', physicalId: table.name, arn };
  }

  // Queues (+ queue policies); a redrive policy names its dead-letter queue by ARN, looked up when used.
  for (const queue of queuePlans(template, warnings)) {
    const { arn } = await creating(template, queue.logicalId, () =>
      emulators.sqs.ensureQueue(queue.definition),
    );
    resources[queue.logicalId] = { type: 'AWS::SQS::Queue', physicalId: queue.url, arn };
  }

  // Topics (+ subscriptions, topic policies); a subscription names its queue or function by ARN.
  for (const topic of topicPlans(template, warnings)) {
    const { arn } = await creating(template, topic.logicalId, () =>
      Promise.resolve(emulators.sns.ensureTopic(topic.definition)),
    );
    resources[topic.logicalId] = { type: 'AWS::SNS::Topic', physicalId: arn, arn };
  }

  const databases: DatabasePlan[] = [];
  for (const database of model.databases.values()) {
    const props = template.resources[database.logicalId]?.properties ?? {};
    if (!/postgres/.test(database.engine ?? '')) {
      warnings.push(
        `${database.logicalId}: engine ${database.engine ?? '?'} is not run by the twin (PostgreSQL only)`,
      );
      continue;
    }
    const username = await resolveDynamic(expressionText(props.MasterUsername, template), readSecret);
    const password = await resolveDynamic(expressionText(props.MasterUserPassword, template), readSecret);
    if (!username || !password || !database.address) {
      warnings.push(
        `${database.logicalId}: master credentials or endpoint address unknown; database not started`,
      );
      continue;
    }
    databases.push({
      logicalId: database.logicalId,
      address: database.address,
      port: database.port,
      dbName: str(props.DBName) ?? 'postgres',
      username,
      password,
    });
    resources[database.logicalId] = {
      type: 'AWS::RDS::DBInstance',
      physicalId: template.resources[database.logicalId]?.physicalId ?? database.logicalId,
      arn: str(template.resources[database.logicalId]?.attributes.DBInstanceArn),
    };
  }

  const firewalls = webAclPlan(model);
  warnings.push(...firewalls.warnings);
  const keys = apiKeyPlan(template, model);
  warnings.push(...keys.warnings);
  const apis = restApiDefs(template, model, firewalls.byStage, keys, warnings);
  for (const api of apis) resources[api.logicalId] = { type: 'AWS::ApiGateway::RestApi', physicalId: api.id };

  const functions = functionPlans(template, model, warnings);
  warnings.push(...notRunWarnings(template, model));
  for (const fn of functions)
    resources[fn.logicalId] = { type: 'AWS::Lambda::Function', physicalId: fn.functionName, arn: fn.arn };
  return { apis, apiKeys: keys.keys, functions, databases, resources, warnings };
}

const DYNAMIC_SECRET =
  /^\{\{resolve:secretsmanager:(.+?)(?::SecretString(?::([^:}]*))?(?::([^:}]*))?(?::([^:}]*))?)?\}\}$/;

/**
 * Resolves a `{{resolve:secretsmanager:<id>:SecretString:<json-key>::}}` dynamic reference (as
 * CloudFormation does at deploy) against the local secrets; a plain string is returned as is.
 * https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/dynamic-references-secretsmanager.html
 */
export async function resolveDynamic(
  value: string | undefined,
  readSecret: (id: string) => Promise<string | undefined>,
): Promise<string | undefined> {
  if (value === undefined) return undefined;
  const match = DYNAMIC_SECRET.exec(value);
  if (!match) return value;
  const [, secretId, jsonKey] = match;
  const text = await readSecret(secretId);
  if (text === undefined || !jsonKey) return text;
  const field = record(JSON.parse(text))?.[jsonKey];
  return field === undefined ? undefined : String(field);
}

/** REST APIs as the API Gateway emulator takes them. */
function restApiDefs(
  template: Template,
  model: Model,
  webAclsByStage: ReadonlyMap<string, WebAclDef>,
  keys: ApiKeyPlan,
  warnings: string[],
): RestApiDef[] {
  const defs: RestApiDef[] = [];
  for (const api of model.restApis.values()) {
    const props = template.resources[api.logicalId]?.properties ?? {};
    const paths = new Map<string, { id: string; methods: MethodDef[] }>();
    paths.set('/', { id: api.rootResourceId ?? 'root', methods: [] });
    for (const resource of model.apiResources.values()) {
      if (resource.api.kind !== 'resource' || resource.api.logicalId !== api.logicalId || !resource.path)
        continue;
      paths.set(resource.path, {
        id: resource.resourceId ?? template.resources[resource.logicalId]?.physicalId ?? resource.logicalId,
        methods: [],
      });
    }
    for (const method of model.apiMethods.values()) {
      if (method.api.kind !== 'resource' || method.api.logicalId !== api.logicalId || !method.path) continue;
      const target =
        method.targetFunction?.kind === 'resource'
          ? model.functions.get(method.targetFunction.logicalId)
          : undefined;
      // A method synthesized from an OpenAPI document or a SAM event has no template resource: the model carries it all.
      const methodProps = method.synthesized ? {} : (template.resources[method.logicalId]?.properties ?? {});
      paths.get(method.path)?.methods.push({
        httpMethod: method.httpMethod.toUpperCase(),
        authorizationType: method.authorizationType,
        apiKeyRequired:
          method.apiKeyRequired ??
          (methodProps.ApiKeyRequired === true || methodProps.ApiKeyRequired === 'true'),
        integration: {
          type: method.integrationType ?? 'MOCK',
          functionArn: target?.arn,
          credentials: method.integrationCredentials ?? str(record(methodProps.Integration)?.Credentials),
          mock:
            method.integrationType === 'MOCK' ? mockIntegrationPlan(template, method, warnings) : undefined,
        },
        validation: method.synthesized ? undefined : methodValidation(template, method.logicalId, warnings),
        authorizer: methodAuthorizer(
          template,
          model,
          method.logicalId,
          method.authorizationType,
          warnings,
          method.authorizer,
        ),
      });
    }
    const resources: ResourceDef[] = [...paths.entries()].map(([path, r]) => ({
      id: r.id,
      path,
      methods: r.methods,
    }));
    const apiStages = model.stages.filter(
      (s) => s.api.kind === 'resource' && s.api.logicalId === api.logicalId,
    );
    const stages = apiStages.map((s) => s.stageName);
    const webAcls = Object.fromEntries(
      stages.flatMap((stage) => {
        const acl = webAclsByStage.get(`${api.id} ${stage}`);
        return acl ? [[stage, acl]] : [];
      }),
    );
    const stageThrottles = Object.fromEntries(
      apiStages.filter((s) => s.throttles.length > 0).map((s) => [s.stageName, s.throttles]),
    );
    const endpointType = (api.endpointTypes[0] ?? 'EDGE') as RestApiDef['endpointType'];
    defs.push({
      logicalId: api.logicalId,
      id: api.id,
      name: api.name ?? api.logicalId,
      endpointType,
      vpcEndpointIds: api.vpcEndpointIds
        .map((ref) => (ref.kind === 'unresolved' ? '' : ref.physicalId))
        .filter(Boolean),
      policy: record(api.policy),
      stages: [...new Set(stages)],
      stageThrottles,
      webAcls,
      resources,
      binaryMediaTypes: Array.isArray(props.BinaryMediaTypes)
        ? (props.BinaryMediaTypes as string[])
        : undefined,
      ...keys.forApi(api.id),
    });
  }
  return defs;
}

/** Where a function's code is: CDK asset metadata, else the asset named by its S3 key, else a SAM CodeUri. */
function codeDirOf(
  template: Template,
  fn: Model['functions'] extends Map<string, infer F> ? F : never,
): string | undefined {
  const base = dirname(resolve(template.file));
  const candidates = [
    fn.code.assetPath,
    fn.code.s3Key ? `asset.${fn.code.s3Key.replace(/\.zip$/, '')}` : undefined,
    fn.code.codeUri,
  ];
  for (const candidate of candidates) {
    if (!candidate) continue;
    const dir = resolve(base, candidate);
    if (existsSync(dir)) return dir;
  }
  return undefined;
}

function functionPlans(template: Template, model: Model, warnings: string[]): FunctionPlan[] {
  const plans: FunctionPlan[] = [];
  for (const fn of model.functions.values()) {
    const codeDir = codeDirOf(template, fn);
    const inlineSource = codeDir ? undefined : fn.code.zipFile;
    if (
      !fn.runtime?.startsWith('nodejs') ||
      (!codeDir && inlineSource === undefined) ||
      !fn.handler ||
      !fn.arn
    ) {
      const why = !fn.runtime?.startsWith('nodejs')
        ? `runtime ${fn.runtime ?? '?'}: the twin runs Node.js handlers only`
        : !codeDir && inlineSource === undefined
          ? 'code not found locally'
          : 'no handler';
      warnings.push(`${fn.logicalId}: not run by the twin (${why})`);
      continue;
    }
    const env: Record<string, string> = {};
    for (const [name, value] of Object.entries(fn.environment)) {
      if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean')
        env[name] = String(value);
      else warnings.push(`${fn.logicalId}: environment variable ${name} is unresolved; left out`);
    }
    // TLS to RDS is not emulated (see docs/twin.md): a function that asks for it gets a plain connection.
    if (env.DB_SSL !== undefined) env.DB_SSL = 'disable';
    plans.push({
      logicalId: fn.logicalId,
      functionName: fn.name,
      arn: fn.arn,
      codeDir: codeDir ?? '',
      inlineSource,
      handler: fn.handler,
      runtime: fn.runtime,
      memoryMb: fn.memorySize,
      timeoutSec: fn.timeout,
      env,
    });
  }
  return plans;
}

/** The directory for twin-generated files of one function (its wrapper module). */
export function functionWorkDir(dataDir: string, logicalId: string): string {
  return join(dataDir, 'lambda', logicalId);
}
