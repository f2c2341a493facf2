/**
 * The authorize step: identity policies of the caller's role + the policy of the VPC endpoint the
 * path used (AWS's full-access default when it has none) + the resource's own policy, evaluated
 * with the context keys the path gives (aws:SourceVpce, aws:SourceIp…). The same engine decides
 * the analyzer's matrix rows.
 */
import type { AuthorizationCheck, Caller, Classified, EmulatorPlugin } from '../emulators/plugin.ts';
import type { KmsAuthorization, KmsUseRequest } from '../emulators/secretsmanager/plugin.ts';
import { buildContext, DecisionMemo, type Decision, type NetworkPathFacts } from '../policy/index.ts';
import type { ApiGatewayOptions } from '../policy/index.ts';
import type { CompiledPolicy } from '../policy/index.ts';
import { denialMessage } from './denial-message.ts';
import type { PolicyCache } from './policy-cache.ts';

/** The principal of an unsigned request (S3 evaluates it; policies grant it with "*"). */
export const ANONYMOUS = 'anonymous';

/** Who is asking, once SigV4 verification succeeded (or the anonymous caller, for S3). */
export interface Principal {
  readonly principalArn: string;
  readonly accountId: string;
  readonly roleArn?: string;
  readonly roleLogicalId?: string;
}

export interface Verdict {
  readonly allowed: boolean;
  readonly decision?: Decision;
  /** The check that failed. */
  readonly failed?: AuthorizationCheck;
  readonly message?: string;
}

interface RequestScope {
  readonly principal: Principal;
  readonly facts: NetworkPathFacts;
  readonly endpoint?: string;
}

/**
 * The request behind each Caller object handed to a plugin, for decisions the service makes on
 * the caller's behalf (KMS via Secrets Manager): the plugin passes the same object back.
 * (Not AsyncLocalStorage: its async hooks cost every promise of the hot path.)
 */
const requestOfCaller = new WeakMap<Caller, RequestScope>();

export class Authorizer {
  /** Workloads repeat the same requests: a decision is reused when re-evaluating could not differ. */
  private readonly decisions = new DecisionMemo();

  constructor(
    private readonly policies: PolicyCache,
    private readonly region: string,
  ) {}

  /** Remembers which request a Caller object (given to a plugin) stands for. */
  bind<C extends Caller>(caller: C, scope: RequestScope): C {
    requestOfCaller.set(caller, scope);
    return caller;
  }

  /** Decides every (action, resource) pair of a classified service request; the first refusal wins. */
  authorize(
    plugin: EmulatorPlugin,
    classified: Classified,
    principal: Principal,
    facts: NetworkPathFacts,
    endpointLogicalId: string | null,
    apiGateway?: ApiGatewayOptions,
  ): Verdict {
    const identity = this.policies.identityOf(principal.roleLogicalId);
    const endpoints = endpointLogicalId ? [this.policies.endpoint(endpointLogicalId)] : undefined;
    const now = new Date();
    for (const check of classified.checks) {
      const policyArn = policyArnFor(check.resource, classified.policyArns);
      const text = policyArn ? plugin.resourcePolicy(policyArn) : undefined;
      const resource: CompiledPolicy | null = text
        ? this.policies.resource(text, policyArn ?? 'resource-policy')
        : null;
      if (
        principal.principalArn === ANONYMOUS &&
        text &&
        policyArn &&
        plugin.restrictsPublicAccess?.(policyArn) === true &&
        this.policies.isPublic(text)
      ) {
        return {
          allowed: false,
          failed: check,
          message: `User: ${ANONYMOUS} is not authorized to perform: ${check.action} on resource: "${check.resource}" because Block Public Access (RestrictPublicBuckets) keeps everyone outside the account from a bucket whose policy is public`,
        };
      }
      const context = buildContext({
        principalArn: principal.principalArn,
        principalAccount: principal.accountId,
        principalRoleArn: principal.roleArn,
        service: serviceOf(check.action),
        action: check.action,
        resource: check.resource,
        region: this.region,
        // The loopback entries stand in for the services' HTTPS endpoints (TLS is not emulated).
        secureTransport: true,
        now,
        path: facts,
        serviceKeys: classified.serviceKeys,
      });
      const decision = this.decisions.evaluate(
        { principal: principal.principalArn, action: check.action, resource: check.resource, context },
        { identity, resource, endpoints, apiGateway },
      );
      if (decision.decision !== 'allowed') {
        return {
          allowed: false,
          decision,
          failed: check,
          message: denialMessage(
            principal.principalArn,
            check.action,
            check.resource,
            decision,
            classified.service,
          ),
        };
      }
    }
    return { allowed: true };
  }

  /**
   * Secrets Manager's use of a KMS key on the caller's behalf: the key policy (+ the caller's
   * identity policies when the key policy delegates to the account) with kms:ViaService set.
   */
  authorizeKms(kms: EmulatorPlugin, request: KmsUseRequest, bootPrincipal: string): KmsAuthorization {
    if (request.caller.principalArn === bootPrincipal) return { allowed: true };
    const scope = requestOfCaller.get(request.caller);
    const principal = scope?.principal ?? {
      principalArn: request.caller.principalArn,
      accountId: request.caller.accountId,
    };
    const text = kms.resourcePolicy(request.keyArn);
    const resource = text ? this.policies.resource(text, request.keyArn) : null;
    const context = buildContext({
      principalArn: principal.principalArn,
      principalAccount: principal.accountId,
      principalRoleArn: principal.roleArn,
      service: 'kms',
      action: request.action,
      resource: request.keyArn,
      region: this.region,
      secureTransport: true,
      now: new Date(),
      path: scope?.facts ?? { kind: 'local' },
      viaService: 'secretsmanager.amazonaws.com',
      serviceKeys: { 'kms:EncryptionContextKeys': Object.keys(request.encryptionContext) },
    });
    const decision = this.decisions.evaluate(
      { principal: principal.principalArn, action: request.action, resource: request.keyArn, context },
      { identity: this.policies.identityOf(principal.roleLogicalId), resource },
    );
    if (decision.decision === 'allowed') return { allowed: true };
    return {
      allowed: false,
      message: `Access to KMS is not allowed. ${denialMessage(principal.principalArn, request.action, request.keyArn, decision, 'kms')}`,
    };
  }
}

/** The longest policy-holder ARN that the checked resource belongs to (a bucket for its objects). */
function policyArnFor(resource: string, policyArns: readonly string[]): string | undefined {
  let best: string | undefined;
  for (const arn of policyArns) {
    // `resource` is the holder itself, or starts with it followed by '/' or ':' (no string built).
    const next = resource.charCodeAt(arn.length);
    const owns =
      (resource.length === arn.length || next === SLASH || next === COLON) &&
      resource.lastIndexOf(arn, 0) === 0;
    if (owns && (best === undefined || arn.length > best.length)) best = arn;
  }
  return best;
}

const SLASH = '/'.charCodeAt(0);
const COLON = ':'.charCodeAt(0);

/** The service prefix of an IAM action (`s3` of `s3:GetObject`). */
function serviceOf(action: string): string {
  const colon = action.indexOf(':');
  return colon < 0 ? action : action.slice(0, colon);
}
