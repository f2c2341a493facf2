/**
 * The decision logic, following AWS's documented evaluation order:
 *  1. an explicit Deny in any applicable policy wins;
 *  2. SCPs (for IAM principals), every VPC endpoint policy on the path, permission boundaries and
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
  /** The principal's permissions boundary. */
  boundaries?: readonly CompiledPolicy[];
  session?: CompiledPolicy | null;
  /** Set for execute-api requests: how the method authorizes. Defaults to IAM authorization. */
  apiGateway?: ApiGatewayOptions;
}

interface Scan {
  allow: boolean;
  deny: boolean;
  /** Best principal match among matching Allow statements (resource and endpoint policies). */
  allowUser: boolean;
  allowRole: boolean;
  allowAccount: boolean;
}

const KIND_ORDER: PolicyKind[] = ['identity', 'resource', 'endpoint', 'scp', 'boundary', 'session'];

function newScan(): Scan {
  return { allow: false, deny: false, allowUser: false, allowRole: false, allowAccount: false };
}

interface Prepared {
  action: string;
  resource: string;
  arn: ParsedArn | undefined;
  principal: RequestPrincipal;
  ctx: RequestContext;
  hasBoundary: boolean;
}

function scanPolicy(policy: CompiledPolicy, req: Prepared, scan: Scan, matched: MatchedStatement[]): void {
  for (const s of policy.statements) {
    if (!s.matchAction(req.action)) continue;
    if (!s.matchResource(req.resource, req.arn, req.ctx)) continue;
    let how: PrincipalMatch = 'any';
    if (s.principal) {
      if (s.notPrincipal) {
        // A Deny with NotPrincipal always applies to principals that have a permissions boundary.
        const boundaryQuirk = s.effect === 'Deny' && req.hasBoundary;
        if (!boundaryQuirk && s.principal.excludes(req.principal)) continue;
      } else {
        how = s.principal.match(req.principal);
        if (how === 'none') continue;
      }
    }
    if (s.condition && !s.condition(req.ctx)) continue;
    matched.push(
      s.sid === undefined
        ? { policy: policy.name, statement: s.index, effect: s.effect }
        : { policy: policy.name, statement: s.index, sid: s.sid, effect: s.effect },
    );
    if (s.effect === 'Deny') scan.deny = true;
    else {
      scan.allow = true;
      if (how === 'user' || how === 'session') scan.allowUser = true;
      else if (how === 'account') scan.allowAccount = true;
      else scan.allowRole = true;
    }
  }
}

function scanAll(
  policies: readonly CompiledPolicy[] | undefined,
  req: Prepared,
  matched: MatchedStatement[],
): Scan {
  const scan = newScan();
  if (policies) for (const p of policies) scanPolicy(p, req, scan, matched);
  return scan;
}

const ANONYMOUS: RequestPrincipal = { raw: 'anonymous', type: 'anonymous' };

/** Decides one request against the policy sets. */
export function evaluate(request: AuthorizationRequest, sets: PolicySets): Decision {
  const arn = parseArn(request.resource);
  const isApi = sets.apiGateway !== undefined || arn?.service === 'execute-api';
  const noAuth = isApi && sets.apiGateway?.authorization === 'none';
  // With no authorization API Gateway does not know who calls: the caller is anonymous.
  const principal = noAuth ? ANONYMOUS : parseRequestPrincipal(request.principal);
  const req: Prepared = {
    action: request.action.toLowerCase(),
    resource: request.resource,
    arn,
    principal,
    ctx: normalizeContext(request.context),
    hasBoundary: (sets.boundaries?.length ?? 0) > 0,
  };
  const isIamPrincipal = principal.type !== 'service' && principal.type !== 'anonymous';
  const resourceAccount = request.resourceAccount ?? (arn?.account || undefined);
  const sameAccount = resourceAccount === undefined || resourceAccount === principal.account;
  const isKms = arn?.service === 'kms';

  const matched: MatchedStatement[] = [];
  const identity = scanAll(isIamPrincipal && !noAuth ? sets.identity : undefined, req, matched);
  const resource = scanAll(sets.resource ? [sets.resource] : undefined, req, matched);
  const endpointScans = (sets.endpoints ?? []).map((p) => scanAll([p], req, matched));
  const scp = scanAll(isIamPrincipal ? sets.scps : undefined, req, matched);
  const boundary = scanAll(isIamPrincipal ? sets.boundaries : undefined, req, matched);
  const session = scanAll(isIamPrincipal && sets.session ? [sets.session] : undefined, req, matched);

  const denied = new Set<PolicyKind>();
  if (identity.deny) denied.add('identity');
  if (resource.deny) denied.add('resource');
  if (endpointScans.some((s) => s.deny)) denied.add('endpoint');
  if (scp.deny) denied.add('scp');
  if (boundary.deny) denied.add('boundary');
  if (session.deny) denied.add('session');
  if (denied.size > 0)
    return { decision: 'explicit-deny', blockedBy: KIND_ORDER.filter((k) => denied.has(k)), matched };

  const blocked = new Set<PolicyKind>();
  // Gates: every one that applies must allow.
  if (isIamPrincipal && (sets.scps?.length ?? 0) > 0 && !scp.allow) blocked.add('scp');
  if (endpointScans.some((s) => !s.allow)) blocked.add('endpoint');

  const boundaryOk = !isIamPrincipal || !req.hasBoundary || boundary.allow;
  const sessionOk = !isIamPrincipal || !sets.session || session.allow;
  const limits = (): void => {
    if (!boundaryOk) blocked.add('boundary');
    if (!sessionOk) blocked.add('session');
  };

  // Identity side (the account root user needs no identity policy in its own account).
  const identityApplies = isIamPrincipal && !noAuth;
  const identityAllow = identityApplies && (identity.allow || (principal.type === 'root' && sameAccount));
  const identityGrant = identityAllow && boundaryOk && sessionOk;
  const failIdentity = (): void => {
    if (!identityAllow) blocked.add('identity');
    else limits();
  };

  // Resource side.
  const hasResourcePolicy = !!sets.resource;
  const resourceDirect = resource.allowUser;
  const resourceLimited = resource.allowRole;
  const resourceGrantSame = resourceDirect || (resourceLimited && boundaryOk && sessionOk);
  const resourceAnyAllow = resource.allow;

  let granted: boolean;
  if (isKms) {
    // The key policy is required; identity policies count only when it delegates to the account.
    if (!hasResourcePolicy) {
      granted = false;
      blocked.add('resource');
    } else if (sameAccount) {
      const viaIdentity = identityGrant && resource.allowAccount;
      granted = resourceGrantSame || viaIdentity;
      if (!granted) {
        if (resourceLimited) limits();
        if (resource.allowAccount) failIdentity();
        else blocked.add('resource');
      }
    } else {
      granted = identityGrant && resourceAnyAllow;
      if (!granted) {
        if (!identityGrant) failIdentity();
        if (!resourceAnyAllow) blocked.add('resource');
      }
    }
  } else if (noAuth || !isIamPrincipal) {
    granted = resourceDirect || resourceLimited;
    if (!granted) blocked.add('resource');
  } else if (sameAccount) {
    granted = identityGrant || resourceGrantSame;
    if (!granted) {
      // A role-ARN grant in the resource policy came closest: only the boundary/session stopped it.
      if (resourceLimited) limits();
      else {
        if (identityApplies) failIdentity();
        if (hasResourcePolicy && !resource.allow) blocked.add('resource');
      }
    }
  } else {
    granted = identityGrant && resourceAnyAllow;
    if (!granted) {
      if (!identityGrant) failIdentity();
      if (!resourceAnyAllow) blocked.add('resource');
    }
  }
  if (isApi && sets.apiGateway?.private && !hasResourcePolicy) {
    granted = false;
    blocked.add('resource');
  }

  if (granted && blocked.size === 0) return { decision: 'allowed', blockedBy: [], matched };
  return { decision: 'implicit-deny', blockedBy: KIND_ORDER.filter((k) => blocked.has(k)), matched };
}
