/**
 * Resource-policy holders the policy engine needs: S3 buckets (+ AWS::S3::BucketPolicy),
 * DynamoDB tables (+ ResourcePolicy), Secrets Manager secrets (+ AWS::SecretsManager::ResourcePolicy)
 * and KMS keys (+ KeyPolicy). Policies stay raw JSON.
 */
import type { BuildContext } from './context.ts';
import { logicalIdOf, obj, str } from './refs.ts';
import { parsePolicy } from './vpc-endpoint.ts';

export interface Bucket {
  readonly logicalId: string;
  readonly name: string;
  readonly arn: string;
  policy?: unknown;
  policySource?: string;
}

export interface Table {
  readonly logicalId: string;
  readonly name: string;
  readonly arn?: string;
  readonly resourcePolicy?: unknown;
}

export interface Secret {
  readonly logicalId: string;
  readonly arn: string;
  readonly name?: string;
  readonly kmsKeyId?: string;
  resourcePolicy?: unknown;
  resourcePolicySource?: string;
}

export interface Key {
  readonly logicalId: string;
  readonly keyId: string;
  readonly arn?: string;
  readonly policy?: unknown;
  readonly enableKeyRotation: boolean;
}

export interface DataStores {
  readonly buckets: Map<string, Bucket>;
  readonly tables: Map<string, Table>;
  readonly secrets: Map<string, Secret>;
  readonly keys: Map<string, Key>;
}

export function buildDataStores(ctx: BuildContext): DataStores {
  const partition = ctx.template.partition;
  const buckets = new Map<string, Bucket>();
  for (const resource of ctx.ofType('AWS::S3::Bucket')) {
    const name = resource.physicalId;
    buckets.set(resource.logicalId, {
      logicalId: resource.logicalId,
      name,
      arn: str(resource.attributes.Arn) ?? `arn:${partition}:s3:::${name}`,
    });
  }
  for (const resource of ctx.ofType('AWS::S3::BucketPolicy')) {
    const bucket = buckets.get(
      logicalIdOf(ctx.index('bucket').ref(resource.properties.Bucket, 'Bucket')) ?? '',
    );
    if (!bucket) {
      ctx.issue(resource.logicalId, 'policy of a bucket outside the template: kept unattached');
      continue;
    }
    bucket.policy = parsePolicy(resource.properties.PolicyDocument);
    bucket.policySource = resource.logicalId;
  }

  const tables = new Map<string, Table>();
  for (const resource of ctx.ofType('AWS::DynamoDB::Table', 'AWS::DynamoDB::GlobalTable')) {
    tables.set(resource.logicalId, {
      logicalId: resource.logicalId,
      name: resource.physicalId,
      arn: str(resource.attributes.Arn),
      resourcePolicy: parsePolicy(obj(resource.properties.ResourcePolicy)?.PolicyDocument),
    });
  }

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

  const keys = new Map<string, Key>();
  for (const resource of ctx.ofType('AWS::KMS::Key')) {
    keys.set(resource.logicalId, {
      logicalId: resource.logicalId,
      keyId: str(resource.attributes.KeyId) ?? resource.physicalId,
      arn: str(resource.attributes.Arn),
      policy: parsePolicy(resource.properties.KeyPolicy),
      enableKeyRotation:
        resource.properties.EnableKeyRotation === true || resource.properties.EnableKeyRotation === 'true',
    });
  }
  return { buckets, tables, secrets, keys };
}
