/**
 * Secrets Manager request → `secretsmanager:<Operation>` on the secret ARN, with the request's
 * condition keys. A secret that does not exist yet (CreateSecret, or a wrong name) is named
 * `…:secret:<name>-??????`, so `<name>-*` patterns in policies match as they would on AWS.
 * https://docs.aws.amazon.com/service-authorization/latest/reference/list_awssecretsmanager.html
 */
import type { Classified, ServiceRequest } from '../plugin.ts';
import { parseJsonObject, targetOperation } from '../common/json-protocol.ts';

export interface SecretResolver {
  /** The secret a SecretId names (name, full ARN or partial ARN), if it exists. */
  resolve(secretId: string): { arn: string; tags: ReadonlyArray<{ Key: string; Value: string }> } | undefined;
  nominalArn(name: string): string;
}

const ACCOUNT_LEVEL = new Set(['ListSecrets', 'GetRandomPassword', 'BatchGetSecretValue']);

const KEY_MEMBERS: ReadonlyArray<readonly [string, string]> = [
  ['SecretId', 'secretsmanager:SecretId'],
  ['Name', 'secretsmanager:Name'],
  ['Description', 'secretsmanager:Description'],
  ['KmsKeyId', 'secretsmanager:KmsKeyId'],
  ['VersionId', 'secretsmanager:VersionId'],
  ['VersionStage', 'secretsmanager:VersionStage'],
  ['ForceDeleteWithoutRecovery', 'secretsmanager:ForceDeleteWithoutRecovery'],
  ['RecoveryWindowInDays', 'secretsmanager:RecoveryWindowInDays'],
  ['BlockPublicPolicy', 'secretsmanager:BlockPublicPolicy'],
];

export function classifySecretsManager(req: ServiceRequest, secrets: SecretResolver): Classified {
  const operation = targetOperation(req, 'secretsmanager') ?? 'Unknown';
  let input: Record<string, unknown> = {};
  try {
    input = parseJsonObject(req.body);
  } catch {
    // handle() reports the SerializationException.
  }
  const action = `secretsmanager:${operation}`;
  const serviceKeys: Record<string, string | string[]> = {};
  for (const [member, key] of KEY_MEMBERS) {
    const value = input[member];
    if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean')
      serviceKeys[key] = String(value);
  }
  let resource = '*';
  let tags: ReadonlyArray<{ Key: string; Value: string }> = [];
  const secretId = typeof input.SecretId === 'string' ? input.SecretId : undefined;
  if (operation === 'CreateSecret' && typeof input.Name === 'string') {
    resource = secrets.nominalArn(input.Name);
    if (Array.isArray(input.Tags)) {
      tags = input.Tags.filter(
        (t): t is { Key: string; Value: string } =>
          typeof t === 'object' && t !== null && typeof (t as { Key?: unknown }).Key === 'string',
      );
      serviceKeys['aws:TagKeys'] = tags.map((t) => t.Key);
      for (const tag of tags) serviceKeys[`aws:RequestTag/${tag.Key}`] = String(tag.Value);
    }
  } else if (secretId !== undefined && !ACCOUNT_LEVEL.has(operation)) {
    const found = secrets.resolve(secretId);
    resource = found?.arn ?? (secretId.startsWith('arn:') ? secretId : secrets.nominalArn(secretId));
    for (const tag of found?.tags ?? []) serviceKeys[`secretsmanager:ResourceTag/${tag.Key}`] = tag.Value;
  }
  const isSecret = resource !== '*';
  return {
    service: 'secretsmanager',
    operation,
    actions: [action],
    resources: [resource],
    checks: [{ action, resource }],
    resourceOwner: isSecret ? 'secret' : undefined,
    policyArns: isSecret ? [resource] : [],
    serviceKeys,
  };
}
