/**
 * Every policy document of a template with the resource it belongs to (whose line a finding
 * points at): identity policies of roles, managed policies, resource policies of buckets, secrets,
 * tables, keys and REST APIs, and VPC endpoint policies.
 */
import type { Model } from '../model/index.ts';

export type PolicyPlace = 'identity' | 'resource' | 'endpoint';

export interface PolicyEntry {
  /** Logical id of the resource that defines the document (for its line). */
  readonly owner: string;
  /** A readable name: `FnRole/Policies/data`, `ImagesPolicy`, `S3Endpoint`. */
  readonly name: string;
  readonly place: PolicyPlace;
  readonly document: unknown;
}

export function policyInventory(model: Model): PolicyEntry[] {
  const entries: PolicyEntry[] = [];
  const seen = new Set<string>();
  const add = (entry: PolicyEntry): void => {
    if (entry.document === undefined || seen.has(entry.name)) return;
    seen.add(entry.name);
    entries.push(entry);
  };
  for (const role of model.roles.values()) {
    for (const policy of [...role.inlinePolicies, ...role.managedPolicies]) {
      add({
        owner: policy.source.split('/')[0],
        name: policy.source,
        place: 'identity',
        document: policy.document,
      });
    }
  }
  for (const policy of model.managedPolicies.values()) {
    add({ owner: policy.logicalId, name: policy.logicalId, place: 'identity', document: policy.document });
  }
  for (const bucket of model.buckets.values()) {
    const owner = bucket.policySource ?? bucket.logicalId;
    add({ owner, name: owner, place: 'resource', document: bucket.policy });
  }
  for (const secret of model.secrets.values()) {
    const owner = secret.resourcePolicySource ?? secret.logicalId;
    add({ owner, name: owner, place: 'resource', document: secret.resourcePolicy });
  }
  for (const table of model.tables.values()) {
    add({
      owner: table.logicalId,
      name: `${table.logicalId}/ResourcePolicy`,
      place: 'resource',
      document: table.resourcePolicy,
    });
  }
  for (const key of model.keys.values()) {
    add({
      owner: key.logicalId,
      name: `${key.logicalId}/KeyPolicy`,
      place: 'resource',
      document: key.policy,
    });
  }
  for (const api of model.restApis.values()) {
    add({ owner: api.logicalId, name: `${api.logicalId}/Policy`, place: 'resource', document: api.policy });
  }
  for (const endpoint of model.vpcEndpoints.values()) {
    add({
      owner: endpoint.logicalId,
      name: `${endpoint.logicalId}/PolicyDocument`,
      place: 'endpoint',
      document: endpoint.policyDocument,
    });
  }
  return entries;
}
