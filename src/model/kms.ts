/**
 * KMS keys and their key policies, kept as raw JSON.
 */
import type { BuildContext } from './context.ts';
import { bool, str } from './refs.ts';
import { parsePolicy } from './vpc-endpoint.ts';

export interface Key {
  readonly logicalId: string;
  readonly keyId: string;
  readonly arn?: string;
  readonly policy?: unknown;
  /** @default false */
  readonly enableKeyRotation: boolean;
}

export function buildKeys(ctx: BuildContext): Map<string, Key> {
  const keys = new Map<string, Key>();
  for (const resource of ctx.ofType('AWS::KMS::Key')) {
    keys.set(resource.logicalId, {
      logicalId: resource.logicalId,
      keyId: str(resource.attributes.KeyId) ?? resource.physicalId,
      arn: str(resource.attributes.Arn),
      policy: parsePolicy(resource.properties.KeyPolicy),
      enableKeyRotation: bool(resource.properties.EnableKeyRotation) ?? false,
    });
  }
  return keys;
}
