/**
 * Compiled policies, each compiled once: identity policies per role, endpoint policies per
 * endpoint, and resource policies by document text — a policy changed through the API
 * (PutBucketPolicy, PutResourcePolicy…) has new text and is compiled on first use.
 */
import type { Model } from '../model/index.ts';
import { compilePolicy, defaultEndpointPolicy, type CompiledPolicy } from '../policy/index.ts';
import type { PolicyKind } from '../policy/index.ts';
import { isPublicPolicy } from '../policy/public-policy.ts';

export class PolicyCache {
  private readonly byOwner = new Map<PolicyKind, Map<string, Map<string, CompiledPolicy>>>();
  private readonly identity = new Map<string, CompiledPolicy[]>();
  private readonly endpoints = new Map<string, CompiledPolicy>();
  private readonly fullAccess = defaultEndpointPolicy();

  private readonly publicPolicies = new Map<string, boolean>();

  constructor(private readonly model: Model) {}

  /** Whether S3 considers a bucket policy public (by text: it may change at run time). */
  isPublic(policyText: string): boolean {
    let isPublic = this.publicPolicies.get(policyText);
    if (isPublic === undefined) {
      isPublic = isPublicPolicy(JSON.parse(policyText));
      this.publicPolicies.set(policyText, isPublic);
    }
    return isPublic;
  }

  /** A resource-based policy by its JSON text (cached by text). */
  resource(text: string, name: string): CompiledPolicy {
    return this.compiled(text, name, 'resource');
  }

  /** The identity policies of a role (inline + customer managed in the template). */
  identityOf(roleLogicalId: string | undefined): CompiledPolicy[] {
    if (!roleLogicalId) return [];
    const cached = this.identity.get(roleLogicalId);
    if (cached) return cached;
    const role = this.model.roles.get(roleLogicalId);
    const policies = role
      ? [...role.inlinePolicies, ...role.managedPolicies]
          .filter((p) => p.document !== undefined)
          .map((p) => this.compiled(JSON.stringify(p.document), p.source, 'identity'))
      : [];
    this.identity.set(roleLogicalId, policies);
    return policies;
  }

  /** The endpoint's policy; AWS's default (full access) when it has no PolicyDocument. */
  endpoint(endpointLogicalId: string): CompiledPolicy {
    const cached = this.endpoints.get(endpointLogicalId);
    if (cached) return cached;
    const document = this.model.vpcEndpoints.get(endpointLogicalId)?.policyDocument;
    const policy =
      document === undefined
        ? this.fullAccess
        : this.compiled(JSON.stringify(document), endpointLogicalId, 'endpoint');
    this.endpoints.set(endpointLogicalId, policy);
    return policy;
  }

  private compiled(text: string, name: string, kind: PolicyKind): CompiledPolicy {
    // Keyed by kind, then name, then text: concatenating the whole document (or even kind and
    // name) into one key cost a string built and hashed on every request.
    let byName = this.byOwner.get(kind);
    if (!byName) {
      byName = new Map();
      this.byOwner.set(kind, byName);
    }
    let byText = byName.get(name);
    if (!byText) {
      byText = new Map();
      byName.set(name, byText);
    }
    let policy = byText.get(text);
    if (!policy) {
      policy = compilePolicy(text, name, kind);
      byText.set(text, policy);
    }
    return policy;
  }
}
