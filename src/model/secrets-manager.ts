/**
 * Secrets Manager secrets and their resource policies (AWS::SecretsManager::ResourcePolicy).
 */
import type { BuildContext } from './context.ts';
import { logicalIdOf, str } from './refs.ts';
import { parsePolicy } from './vpc-endpoint.ts';

export interface Secret {
  readonly logicalId: string;
  /** What Ref returns for a secret: its ARN. */
  readonly arn: string;
  readonly name?: string;
  readonly kmsKeyId?: string;
  resourcePolicy?: unknown;
  resourcePolicySource?: string;
}

export function buildSecrets(ctx: BuildContext): Map<string, Secret> {
  const secrets = new Map<string, Secret>();
  for (const resource of ctx.ofType('AWS::SecretsManager::Secret')) {
    secrets.set(resource.logicalId, {
      logicalId: resource.logicalId,
      arn: str(resource.attributes.Id) ?? resource.physicalId,
      name: str(resource.properties.Name),
      kmsKeyId: str(resource.properties.KmsKeyId),
    });
  }
  for (const resource of ctx.ofType('AWS::SecretsManager::ResourcePolicy')) {
    const secret = secrets.get(
      logicalIdOf(ctx.index('secret').ref(resource.properties.SecretId, 'SecretId')) ?? '',
    );
    if (!secret) {
      ctx.issue(resource.logicalId, 'resource policy of a secret outside the template: kept unattached');
      continue;
    }
    secret.resourcePolicy = parsePolicy(resource.properties.ResourcePolicy);
    secret.resourcePolicySource = resource.logicalId;
  }
  return secrets;
}
