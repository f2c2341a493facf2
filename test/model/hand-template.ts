/**
 * Builds a loaded `Template` by hand (properties already resolved to physical ids), so model
 * tests do not depend on the loader.
 */
import type { ResourceInstance, Template } from '../../src/cloudformation/types.ts';

export interface HandResource {
  readonly type: string;
  readonly properties?: Record<string, unknown>;
  readonly physicalId?: string;
  readonly attributes?: Record<string, unknown>;
  readonly metadata?: unknown;
}

export function handTemplate(resources: Record<string, HandResource>, region = 'us-east-1'): Template {
  const instances: Record<string, ResourceInstance> = {};
  const byPhysicalId = new Map<string, string>();
  for (const [logicalId, resource] of Object.entries(resources)) {
    const physicalId = resource.physicalId ?? `${logicalId.toLowerCase()}-id`;
    instances[logicalId] = {
      logicalId,
      type: resource.type,
      properties: resource.properties ?? {},
      physicalId,
      attributes: resource.attributes ?? {},
      dependsOn: [],
      metadata: resource.metadata,
    };
    byPhysicalId.set(physicalId, logicalId);
    for (const value of Object.values(resource.attributes ?? {}))
      if (typeof value === 'string') byPhysicalId.set(value, logicalId);
  }
  return {
    file: 'hand.json',
    region,
    accountId: '123456789012',
    partition: 'aws',
    urlSuffix: 'amazonaws.com',
    stackName: 'Hand',
    parameters: {},
    resources: instances,
    skipped: [],
    outputs: {},
    unresolved: [],
    unsupportedTypes: [],
    byPhysicalId,
  };
}

/** A token as the loader leaves it for values it cannot know. */
export const UNRESOLVED = {
  __unresolved: true,
  intrinsic: 'Fn::ImportValue',
  expression: { 'Fn::ImportValue': 'x' },
  reason: 'imports are not known',
};
