/**
 * The decision logic, following AWS's documented evaluation order:
 *  1. an explicit Deny in any applicable policy wins;
 *  2. SCPs (for IAM principals), RCPs (for resources of the services RCPs cover, whoever calls),
 *     every VPC endpoint policy on the path, permission boundaries and
 *     session policies must allow (each is a gate: absent = not applicable);
 *  3. same account: an identity-policy allow OR a resource-policy allow grants; cross-account: both
 *     are needed. A resource policy that names the principal's account delegates to IAM and grants
 *     nothing by itself in the same account. A resource-policy grant that names the IAM user or the
 *     assumed-role session ARN is not limited by a boundary's or session policy's implicit deny; a grant
 *     to the role ARN (or `*`) is.
 *  4. KMS: the key policy is required; identity policies count only if the key policy allows the account
 *     (the root delegation statement).
 *  5. API Gateway: with no authorization only the resource policy can allow; private APIs need one.
 * Sources for each rule are listed in docs/policy-semantics.md.
 */
import type { Decision, MatchedStatement, PolicyKind } from './explain.ts';
import type { CompiledPolicy } from './compile.ts';
import type { RawContext, RequestContext } from './request-context.ts';
import { normalizeContext } from './request-context.ts';
import type { ParsedArn } from './arn.ts';
import { parseArn } from './arn.ts';
import type { PrincipalMatch, RequestPrincipal } from './principal.ts';
import { parseRequestPrincipal } from './principal.ts';
import type { ApiGatewayOptions } from './api-gateway.ts';

/** One request to authorize. `context` holds the condition keys (see buildContext). */
export interface AuthorizationRequest {
  /** IAM/STS ARN, service principal (`lambda.amazonaws.com`) or `anonymous`. */
  principal: string;
  action: string;
  resource: string;
  /** Account that owns the resource; defaults to the resource ARN's account (S3 ARNs have none). */
  resourceAccount?: string;
  context?: RawContext;
}

/** The policies that apply to a request. Absent entries do not apply. */
export interface PolicySets {
  identity?: readonly CompiledPolicy[];
  resource?: CompiledPolicy | null;
  /** Policies of the VPC endpoints the request passes through. Absent = not through an endpoint. */
  endpoints?: readonly CompiledPolicy[];
  /** SCPs that apply to the principal's account; any one allowing is enough, any Deny wins. */
  scps?: readonly CompiledPolicy[];
  /**
   * RCPs that apply to the resource's account; any one allowing is enough (RCPFullAWSAccess), any
   * Deny wins. They count only for resources of the services in RCP_SERVICES.
   */
  rcps?: readonly CompiledPolicy[];
  /** The principal's permissions boundary. */
  boundaries?: readonly CompiledPolicy[];
  session?: CompiledPolicy | null;
  /** Set for execute-api requests: how the method authorizes. Defaults to IAM authorization. */
  apiGateway?: ApiGatewayOptions;
}

/** Bits describing what matched in one policy kind. */
const ALLOW = 1;
const DENY = 2;
/** An Allow whose principal named the IAM user or the assumed-role session exactly. */
const ALLOW_USER = 4;
/** An Allow through the role ARN, `*`, a service or another exact principal. */
const ALLOW_ROLE = 8;
/** An Allow through an account principal (delegation to the account's IAM policies). */
const ALLOW_ACCOUNT = 16;

const KIND_BITS: [PolicyKind, number][] = [
  ['identity', 1],
  ['resource', 2],
  ['endpoint', 4],
  ['scp', 8],
  ['rcp', 64],
  ['boundary', 16],
  ['session', 32],
];
const IDENTITY = 1;
const RESOURCE = 2;
const ENDPOINT = 4;
const SCP = 8;
const RCP = 64;
const BOUNDARY = 16;
const SESSION = 32;

function kinds(mask: number): PolicyKind[] {
  const out: PolicyKind[] = [];
  for (const [kind, bit] of KIND_BITS) if (mask & bit) out.push(kind);
  return out;
}

interface Prepared {
  action: string;
  resource: string;
  arn: ParsedArn | undefined;
  principal: RequestPrincipal;
  ctx: RequestContext;
  hasBoundary: boolean;
}

function scanPolicy(policy: CompiledPolicy, req: Prepared, matched: MatchedStatement[]): number {
  let bits = 0;
  const statements = policy.statementsForAction(req.action);
  for (let i = 0; i < statements.length; i++) {
    const s = statements[i];
    if (!s.matchResource(req.resource, req.arn, req.ctx)) continue;
    let how: PrincipalMatch = 'any';
    if (s.principal !== undefined) {
      if (s.notPrincipal) {
        // A Deny with NotPrincipal always applies to principals that have a permissions boundary.
        if (!(s.effect === 'Deny' && req.hasBoundary) && s.principal.excludes(req.principal)) continue;
      } else {
        how = s.principal.match(req.principal);
        if (how === 'none') continue;
      }
    }
    if (s.condition !== undefined && !s.condition(req.ctx)) continue;
    matched.push(s.matched);
    if (s.effect === 'Deny') bits |= DENY;
    else if (how === 'user' || how === 'session') bits |= ALLOW | ALLOW_USER;
    else if (how === 'account') bits |= ALLOW | ALLOW_ACCOUNT;
    else bits |= ALLOW | ALLOW_ROLE;
  }
  return bits;
}

function scanAll(
  policies: readonly CompiledPolicy[] | undefined,
  req: Prepared,
  matched: MatchedStatement[],
): number {
  let bits = 0;
  if (policies) for (let i = 0; i < policies.length; i++) bits |= scanPolicy(policies[i], req, matched);
  return bits;
}

const ANONYMOUS: RequestPrincipal = { raw: 'anonymous', type: 'anonymous' };

/** Lowered actions: a workload asks for the same few actions on every request. */
const loweredActions = new Map<string, string>();
const LOWERED_ACTIONS_LIMIT = 10_000;

function lowerAction(action: string): string {
  let lower = loweredActions.get(action);
  if (lower === undefined) {
    if (loweredActions.size >= LOWERED_ACTIONS_LIMIT) loweredActions.clear();
    lower = action.toLowerCase();
    loweredActions.set(action, lower);
  }
  return lower;
}

/**
 * The services whose resources RCPs cover (IAM prefixes). At launch (December 2024): S3, STS, KMS,
 * SQS, Secrets Manager; added since: ECR and OpenSearch Serverless (June 2025), Cognito and
 * CloudWatch Logs (January 2026). Sources in docs/policy-semantics.md.
 */
const RCP_SERVICES: ReadonlySet<string> = new Set([
  's3',
  'sts',
  'kms',
  'sqs',
  'secretsmanager',
  'ecr',
  'aoss',
  'cognito-idp',
  'cognito-identity',
  'logs',
]);

/** Whether RCPs take part: the resource (or, for `*`, the action) belongs to a service they cover. */
function rcpCovers(arn: ParsedArn | undefined, action: string): boolean {
  if (arn !== undefined) return RCP_SERVICES.has(arn.service);
  const colon = action.indexOf(':');
  return RCP_SERVICES.has((colon < 0 ? action : action.slice(0, colon)).toLowerCase());
}

/**
 * RCPs do not restrict service-linked roles. Their names start with `AWSServiceRoleFor` (and their
 * path is `/aws-service-role/`), which is what a session ARN still shows.
 */
function isServiceLinkedRole(principal: RequestPrincipal): boolean {
  return (
    principal.roleName?.startsWith('AWSServiceRoleFor') === true ||
    principal.raw.includes(':role/aws-service-role/')
  );
}

/**
 * Decides one request against the policy sets. `ctx` is the request's context as the conditions
 * read it (normalized from `request.context` when absent; DecisionMemo passes one that notes reads).
 */
export function evaluate(
  request: AuthorizationRequest,
  sets: PolicySets,
  ctx: RequestContext = normalizeContext(request.context),
): Decision {
  const arn = parseArn(request.resource);
  const isApi = sets.apiGateway !== undefined || arn?.service === 'execute-api';
  const noAuth = isApi && sets.apiGateway?.authorization === 'none';
  // With no authorization API Gateway does not know who calls: the caller is anonymous.
  const principal = noAuth ? ANONYMOUS : parseRequestPrincipal(request.principal);
  const req: Prepared = {
    action: lowerAction(request.action),
    resource: request.resource,
    arn,
    principal,
    ctx,
    hasBoundary: sets.boundaries !== undefined && sets.boundaries.length > 0,
  };
  const isIamPrincipal = principal.type !== 'service' && principal.type !== 'anonymous';
  const resourceAccount = request.resourceAccount ?? (arn?.account || undefined);
  const sameAccount = resourceAccount === undefined || resourceAccount === principal.account;
  const isKms = arn?.service === 'kms';

  const matched: MatchedStatement[] = [];
  const identity = isIamPrincipal && !noAuth ? scanAll(sets.identity, req, matched) : 0;
  const resource = sets.resource ? scanPolicy(sets.resource, req, matched) : 0;
  let endpointDeny = false;
  let endpointAllowAll = true;
  if (sets.endpoints) {
    for (const p of sets.endpoints) {
      const bits = scanPolicy(p, req, matched);
      if (bits & DENY) endpointDeny = true;
      if (!(bits & ALLOW)) endpointAllowAll = false;
    }
  }
  const scp = isIamPrincipal ? scanAll(sets.scps, req, matched) : 0;
  const rcpApplies =
    sets.rcps !== undefined &&
    sets.rcps.length > 0 &&
    rcpCovers(arn, request.action) &&
    !isServiceLinkedRole(principal);
  const rcp = rcpApplies ? scanAll(sets.rcps, req, matched) : 0;
  const boundary = isIamPrincipal ? scanAll(sets.boundaries, req, matched) : 0;
  const session = isIamPrincipal && sets.session ? scanPolicy(sets.session, req, matched) : 0;

  const denied =
    (identity & DENY ? IDENTITY : 0) |
    (resource & DENY ? RESOURCE : 0) |
    (endpointDeny ? ENDPOINT : 0) |
    (scp & DENY ? SCP : 0) |
    (rcp & DENY ? RCP : 0) |
    (boundary & DENY ? BOUNDARY : 0) |
    (session & DENY ? SESSION : 0);
  if (denied !== 0) return { decision: 'explicit-deny', blockedBy: kinds(denied), matched };

  let blocked = 0;
  // Gates: every one that applies must allow.
  if (isIamPrincipal && sets.scps !== undefined && sets.scps.length > 0 && !(scp & ALLOW)) blocked |= SCP;
  if (rcpApplies && !(rcp & ALLOW)) blocked |= RCP;
  if (!endpointAllowAll) blocked |= ENDPOINT;

  const boundaryOk = !isIamPrincipal || !req.hasBoundary || (boundary & ALLOW) !== 0;
  const sessionOk = !isIamPrincipal || !sets.session || (session & ALLOW) !== 0;
  const limitsBits = (boundaryOk ? 0 : BOUNDARY) | (sessionOk ? 0 : SESSION);

  // Identity side (the account root user needs no identity policy in its own account).
  const identityApplies = isIamPrincipal && !noAuth;
  const identityAllow =
    identityApplies && ((identity & ALLOW) !== 0 || (principal.type === 'root' && sameAccount));
  const identityGrant = identityAllow && boundaryOk && sessionOk;
  const identityFailure = identityAllow ? limitsBits : IDENTITY;

  // Resource side.
  const hasResourcePolicy = !!sets.resource;
  const resourceDirect = (resource & ALLOW_USER) !== 0;
  const resourceLimited = (resource & ALLOW_ROLE) !== 0;
  const resourceAccountGrant = (resource & ALLOW_ACCOUNT) !== 0;
  const resourceAnyAllow = (resource & ALLOW) !== 0;
  const resourceGrantSame = resourceDirect || (resourceLimited && boundaryOk && sessionOk);

  let granted: boolean;
  if (isKms) {
    // The key policy is required; identity policies count only when it delegates to the account.
    if (!hasResourcePolicy) {
      granted = false;
      blocked |= RESOURCE;
    } else if (sameAccount) {
      granted = resourceGrantSame || (identityGrant && resourceAccountGrant);
      if (!granted) {
        if (resourceLimited) blocked |= limitsBits;
        blocked |= resourceAccountGrant ? identityFailure : RESOURCE;
      }
    } else {
      granted = identityGrant && resourceAnyAllow;
      if (!granted) blocked |= (identityGrant ? 0 : identityFailure) | (resourceAnyAllow ? 0 : RESOURCE);
    }
  } else if (noAuth || !isIamPrincipal) {
    granted = resourceDirect || resourceLimited;
    if (!granted) blocked |= RESOURCE;
  } else if (sameAccount) {
    granted = identityGrant || resourceGrantSame;
    if (!granted) {
      // A role-ARN grant in the resource policy came closest: only the boundary/session stopped it.
      if (resourceLimited) blocked |= limitsBits;
      else
        blocked |=
          (identityApplies ? identityFailure : 0) | (hasResourcePolicy && !resourceAnyAllow ? RESOURCE : 0);
    }
  } else {
    granted = identityGrant && resourceAnyAllow;
    if (!granted) blocked |= (identityGrant ? 0 : identityFailure) | (resourceAnyAllow ? 0 : RESOURCE);
  }
  if (isApi && sets.apiGateway?.private && !hasResourcePolicy) {
    granted = false;
    blocked |= RESOURCE;
  }

  if (granted && blocked === 0) return { decision: 'allowed', blockedBy: [], matched };
  return { decision: 'implicit-deny', blockedBy: kinds(blocked), matched };
}
