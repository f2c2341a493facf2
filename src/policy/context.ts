/**
 * The context builder: from the facts of one request (who, what, and which network path it took) to
 * exactly the condition keys AWS puts in the request context — no more, so that a policy testing a
 * key AWS would not set behaves as it would on AWS (missing key).
 * Sources: https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html
 */
import { createHash } from 'node:crypto';
import { parseArn } from './arn.ts';
import { isoSeconds } from './iso-seconds.ts';
import { parseRequestPrincipal } from './principal.ts';

export type PathKind =
  'gateway-endpoint' | 'interface-endpoint' | 'nat-gateway' | 'internet-gateway' | 'outside-vpc' | 'local';

export interface NetworkPathFacts {
  kind: PathKind;
  vpcEndpointId?: string;
  /** Account that owns the endpoint (for aws:VpceAccount). */
  vpcEndpointAccount?: string;
  /** Organization of the endpoint's owner, when it belongs to one (aws:VpceOrgID). */
  vpcEndpointOrgId?: string;
  /** Organization paths of the endpoint's owner (aws:VpceOrgPaths). */
  vpcEndpointOrgPaths?: string[];
  vpcId?: string;
  /** Private IP of the caller inside the VPC (aws:VpcSourceIp). */
  vpcSourceIp?: string;
  /** Public IP the service sees on internet paths (aws:SourceIp). */
  publicSourceIp?: string;
}

export interface RequestFacts {
  /** IAM user, role, assumed-role session or root ARN of the caller. */
  principalArn: string;
  principalAccount: string;
  /** For a session: its role's full ARN (with path). Derived from the session ARN when absent. */
  principalRoleArn?: string;
  /** The unique id (AIDA…/AROA…). A stable synthetic one is derived when absent. */
  principalId?: string;
  principalTags?: Record<string, string>;
  /** Service prefix, e.g. `s3`, `dynamodb`, `secretsmanager`, `kms`, `execute-api`. */
  service: string;
  action: string;
  resource: string;
  /** Region of the request; defaults to the resource ARN's region. */
  region?: string;
  secureTransport: boolean;
  now: Date;
  path: NetworkPathFacts;
  /** Service principal acting on the caller's behalf (forward access session), e.g. `secretsmanager.amazonaws.com`. */
  viaService?: string;
  serviceKeys?: Readonly<Record<string, string | readonly string[]>>;
}

export type BuiltContext = Record<string, string | string[]>;

/**
 * Services that set aws:VpceAccount / aws:VpceOrgPaths (identical lists) — from the IAM global
 * condition keys page. Not Secrets Manager, not execute-api.
 */
export const VPCE_ACCOUNT_SERVICES: ReadonlySet<string> = new Set([
  'apprunner',
  'discovery',
  'athena',
  'servicediscovery',
  'applicationinsights',
  'cloudformation',
  'comprehendmedical',
  'compute-optimizer',
  'ecr',
  'ecs',
  'kinesisanalytics',
  'route53',
  'datasync',
  'dynamodb',
  'ebs',
  'scheduler',
  'firehose',
  'gamelift',
  'medical-imaging',
  'healthlake',
  'omics',
  'iam',
  'iotfleetwise',
  'iotwireless',
  'kms',
  'lambda',
  'payment-cryptography',
  'polly',
  'acm-pca',
  'rbin',
  'rekognition',
  'servicequotas',
  's3',
  'shield',
  'storagegateway',
  'ssm-contacts',
  'textract',
  'transcribe',
  'transfer',
]);

/** Services that set aws:VpceOrgID (a longer list on the same page). */
export const VPCE_ORG_ID_SERVICES: ReadonlySet<string> = new Set([
  ...VPCE_ACCOUNT_SERVICES,
  'b2bi',
  'cognito-identity',
  'dms',
  'ds-data',
  'identitystore',
  'iottwinmaker',
  'cassandra',
  'network-firewall',
  'sms-voice',
  'pricing',
  'ses',
  'sqs',
  'workmail',
]);

/** The session ARN a role's credentials act as, e.g. a Lambda function running with its execution role. */
export function assumedRoleSessionArn(roleArn: string, sessionName: string): string {
  const m = /^arn:([^:]+):iam::(\d{12}):role\/(?:.*\/)?([^/]+)$/.exec(roleArn);
  if (!m) throw new Error(`"${roleArn}" is not an IAM role ARN`);
  return `arn:${m[1]}:sts::${m[2]}:assumed-role/${m[3]}/${sessionName}`;
}

const syntheticIds = new Map<string, string>();
const SYNTHETIC_ID_LIMIT = 10_000;

function syntheticId(prefix: string, seed: string): string {
  // Memoized: the twin asks for the same few principals on every request.
  const key = `${prefix}${seed}`;
  let id = syntheticIds.get(key);
  if (id === undefined) {
    const hex = createHash('sha256').update(seed).digest('hex').toUpperCase();
    id = prefix + hex.replace(/[^A-Z0-9]/g, '').slice(0, 17);
    if (syntheticIds.size >= SYNTHETIC_ID_LIMIT) syntheticIds.clear();
    syntheticIds.set(key, id);
  }
  return id;
}

/** aws:CurrentTime and aws:EpochTime of one second, kept until the clock moves on. */
let clockSecond = Number.NaN;
let clockKeys = { currentTime: '', epochTime: '' };

function timeKeys(now: Date): { currentTime: string; epochTime: string } {
  const second = Math.floor(now.getTime() / 1000);
  if (second !== clockSecond) {
    clockSecond = second;
    clockKeys = {
      currentTime: isoSeconds(now),
      epochTime: String(second),
    };
  }
  return clockKeys;
}

/** The principal's condition keys, derived once per principal (the twin asks for a handful). */
interface PrincipalKeys {
  /** The facts they were derived from, besides the principal ARN (the memo key). */
  readonly account: string;
  readonly roleArn: string | undefined;
  readonly principalId: string | undefined;
  /** aws:PrincipalArn; undefined for an anonymous caller ("Anonymous requests do not include this key"). */
  readonly arn: string | undefined;
  /** aws:PrincipalAccount: the account, or `anonymous` for an anonymous caller. */
  readonly principalAccount: string;
  readonly type: string | undefined;
  readonly userid: string | undefined;
  readonly username: string | undefined;
}

const principalKeysMemo = new Map<string, PrincipalKeys>();
const PRINCIPAL_KEYS_LIMIT = 10_000;

/** The facts a principal's keys derive from. */
type PrincipalFacts = Pick<
  RequestFacts,
  'principalArn' | 'principalAccount' | 'principalRoleArn' | 'principalId'
>;

/**
 * aws:userid of a caller: what policies compare, what STS GetCallerIdentity reports as UserId and
 * what CloudTrail shows as userIdentity.principalId (`AROA…:session` for an assumed role).
 */
export function callerUserId(principalArn: string, accountId: string, roleArn?: string): string | undefined {
  return principalKeys({ principalArn, principalAccount: accountId, principalRoleArn: roleArn }).userid;
}

function principalKeys(facts: PrincipalFacts): PrincipalKeys {
  let keys = principalKeysMemo.get(facts.principalArn);
  if (
    keys === undefined ||
    keys.account !== facts.principalAccount ||
    keys.roleArn !== facts.principalRoleArn ||
    keys.principalId !== facts.principalId
  ) {
    if (principalKeysMemo.size >= PRINCIPAL_KEYS_LIMIT) principalKeysMemo.clear();
    keys = derivePrincipalKeys(facts);
    principalKeysMemo.set(facts.principalArn, keys);
  }
  return keys;
}

function derivePrincipalKeys(facts: PrincipalFacts): PrincipalKeys {
  const principal = parseRequestPrincipal(facts.principalArn);
  const partition = /^arn:([^:]+):/.exec(facts.principalArn)?.[1] ?? 'aws';
  const lastSegment = facts.principalArn.slice(facts.principalArn.lastIndexOf('/') + 1);
  const derived = (
    arn: string,
    type: string | undefined,
    userid: string | undefined,
    username?: string,
  ): PrincipalKeys => ({
    account: facts.principalAccount,
    roleArn: facts.principalRoleArn,
    principalId: facts.principalId,
    arn,
    principalAccount: facts.principalAccount,
    type,
    userid,
    username,
  });
  switch (principal.type) {
    case 'anonymous':
      return { ...derived('', undefined, undefined), arn: undefined, principalAccount: 'anonymous' };
    case 'assumed-role': {
      const roleArn =
        facts.principalRoleArn ??
        `arn:${partition}:iam::${facts.principalAccount}:role/${principal.roleName}`;
      return derived(
        roleArn,
        'AssumedRole',
        `${facts.principalId ?? syntheticId('AROA', roleArn)}:${lastSegment}`,
      );
    }
    case 'role':
      return derived(
        facts.principalArn,
        'AssumedRole',
        `${facts.principalId ?? syntheticId('AROA', facts.principalArn)}:session`,
      );
    case 'user':
      return derived(
        facts.principalArn,
        'User',
        facts.principalId ?? syntheticId('AIDA', facts.principalArn),
        lastSegment,
      );
    case 'root':
      return derived(facts.principalArn, 'Account', facts.principalAccount);
    case 'federated-user':
      return derived(facts.principalArn, 'FederatedUser', `${facts.principalAccount}:${lastSegment}`);
    default:
      return derived(facts.principalArn, undefined, undefined);
  }
}

/** kms:ViaService of the last (service, region) asked for: one pair per twin. */
let viaServiceOf = { service: '', region: '', value: '' };

function kmsViaService(service: string, region: string): string {
  if (viaServiceOf.service !== service || viaServiceOf.region !== region) {
    viaServiceOf = {
      service,
      region,
      value: `${service.replace(/\.amazonaws\.com$/, '')}.${region}.amazonaws.com`,
    };
  }
  return viaServiceOf.value;
}

/** Builds the request context AWS would evaluate for these facts. */
export function buildContext(facts: RequestFacts): BuiltContext {
  const ctx: BuiltContext = {};

  // Principal properties.
  const principal = principalKeys(facts);
  ctx['aws:PrincipalAccount'] = principal.principalAccount;
  if (principal.arn !== undefined) ctx['aws:PrincipalArn'] = principal.arn;
  if (principal.type !== undefined) ctx['aws:PrincipalType'] = principal.type;
  if (principal.userid !== undefined) ctx['aws:userid'] = principal.userid;
  if (principal.username !== undefined) ctx['aws:username'] = principal.username;
  const tags = facts.principalTags;
  if (tags !== undefined) for (const tag of Object.keys(tags)) ctx[`aws:PrincipalTag/${tag}`] = tags[tag];

  // Request properties.
  ctx['aws:SecureTransport'] = facts.secureTransport ? 'true' : 'false';
  const time = timeKeys(facts.now);
  ctx['aws:CurrentTime'] = time.currentTime;
  ctx['aws:EpochTime'] = time.epochTime;
  const region = facts.region ?? (parseArn(facts.resource)?.region || undefined);
  if (region) ctx['aws:RequestedRegion'] = region;
  ctx['aws:ViaAWSService'] = facts.viaService ? 'true' : 'false';
  if (facts.viaService) {
    ctx['aws:CalledVia'] = [facts.viaService];
    if (facts.service === 'kms' && region) {
      ctx['kms:ViaService'] = kmsViaService(facts.viaService, region);
    }
  }

  // Network properties. A service acting on the caller's behalf does not carry the VPC keys along.
  const path = facts.path;
  const throughEndpoint = path.kind === 'gateway-endpoint' || path.kind === 'interface-endpoint';
  if (throughEndpoint && !facts.viaService) {
    if (path.vpcEndpointId) ctx['aws:SourceVpce'] = path.vpcEndpointId;
    if (path.vpcId) ctx['aws:SourceVpc'] = path.vpcId;
    if (path.vpcSourceIp) ctx['aws:VpcSourceIp'] = path.vpcSourceIp;
    if (path.vpcEndpointAccount && VPCE_ACCOUNT_SERVICES.has(facts.service))
      ctx['aws:VpceAccount'] = path.vpcEndpointAccount;
    if (path.vpcEndpointOrgId && VPCE_ORG_ID_SERVICES.has(facts.service))
      ctx['aws:VpceOrgID'] = path.vpcEndpointOrgId;
    if (path.vpcEndpointOrgPaths && VPCE_ACCOUNT_SERVICES.has(facts.service))
      ctx['aws:VpceOrgPaths'] = path.vpcEndpointOrgPaths.slice();
  }
  const publicPath =
    path.kind === 'nat-gateway' || path.kind === 'internet-gateway' || path.kind === 'outside-vpc';
  if (publicPath && path.publicSourceIp) ctx['aws:SourceIp'] = path.publicSourceIp;

  if (facts.serviceKeys)
    for (const key in facts.serviceKeys) {
      const value = facts.serviceKeys[key];
      ctx[key] = typeof value === 'string' ? value : value.slice();
    }
  return ctx;
}
