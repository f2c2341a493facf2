/**
 * KMS request → `kms:<Operation>` on the key ARN. Aliases are resolved to their key (the key
 * policy is what governs); Decrypt finds the key inside the ciphertext blob.
 * https://docs.aws.amazon.com/service-authorization/latest/reference/list_awskeymanagementservice.html
 */
import type { AuthorizationCheck, Classified, ServiceRequest } from '../plugin.ts';
import {
  optionalString,
  optionalStringMap,
  parseJsonObject,
  targetOperation,
} from '../common/json-protocol.ts';
import { blobKeyId } from './ciphertext.ts';

export interface KeyResolver {
  /** The key ARN for a key id, key ARN, alias name or alias ARN; undefined when unknown. */
  keyArnOf(keyId: string): string | undefined;
  /** The ARN a reference would have, known or not (for authorization of unknown keys). */
  nominalArn(keyId: string): string;
  aliasArn(aliasName: string): string;
}

/** Operations that act on no particular key. */
const ACCOUNT_LEVEL = new Set(['CreateKey', 'ListKeys', 'ListAliases', 'GenerateRandom']);

export function classifyKms(req: ServiceRequest, keys: KeyResolver): Classified {
  const operation = targetOperation(req, 'TrentService') ?? 'Unknown';
  let input: Record<string, unknown> = {};
  try {
    input = parseJsonObject(req.body);
  } catch {
    // handle() reports the SerializationException; classification still names the operation.
  }
  const str = (member: string): string | undefined => {
    try {
      return optionalString(input, member);
    } catch {
      return undefined;
    }
  };
  const action = `kms:${operation}`;
  const checks: AuthorizationCheck[] = [];
  const serviceKeys: Record<string, string | string[]> = {};
  const keyRef =
    operation === 'CreateAlias' || operation === 'UpdateAlias' ? str('TargetKeyId') : str('KeyId');
  let keyArn: string | undefined;
  if (operation === 'Decrypt' && keyRef === undefined) {
    const blob = Buffer.from(str('CiphertextBlob') ?? '', 'base64');
    const embedded = blobKeyId(blob);
    if (embedded !== undefined) keyArn = keys.keyArnOf(embedded) ?? keys.nominalArn(embedded);
  } else if (keyRef !== undefined) {
    keyArn = keys.keyArnOf(keyRef) ?? keys.nominalArn(keyRef);
    if (keyRef.startsWith('alias/') || keyRef.includes(':alias/'))
      serviceKeys['kms:RequestAlias'] = keyRef.replace(/^arn:[^:]+:kms:[^:]*:\d*:/, '');
  }
  if (operation === 'CreateAlias' || operation === 'UpdateAlias' || operation === 'DeleteAlias') {
    const aliasName = str('AliasName');
    if (aliasName !== undefined) checks.push({ action, resource: keys.aliasArn(aliasName) });
    if (operation === 'DeleteAlias' && aliasName !== undefined) keyArn = keys.keyArnOf(aliasName);
  }
  if (keyArn !== undefined) checks.push({ action, resource: keyArn });
  else if (ACCOUNT_LEVEL.has(operation) || checks.length === 0) checks.push({ action, resource: '*' });

  let context: Record<string, string> | undefined;
  try {
    context = optionalStringMap(input, 'EncryptionContext');
  } catch {
    context = undefined;
  }
  if (context) {
    serviceKeys['kms:EncryptionContextKeys'] = Object.keys(context);
    for (const [k, v] of Object.entries(context)) serviceKeys[`kms:EncryptionContext:${k}`] = v;
  }
  for (const [member, key] of [
    ['KeySpec', 'kms:KeySpec'],
    ['KeyUsage', 'kms:KeyUsage'],
    ['EncryptionAlgorithm', 'kms:EncryptionAlgorithm'],
  ] as const) {
    const value = str(member);
    if (value !== undefined && operation === 'CreateKey') serviceKeys[key] = value;
    else if (value !== undefined && member === 'EncryptionAlgorithm') serviceKeys[key] = value;
  }
  if (operation === 'Encrypt' || operation === 'Decrypt')
    serviceKeys['kms:EncryptionAlgorithm'] ??= 'SYMMETRIC_DEFAULT';
  const keyArns = checks.map((c) => c.resource).filter((r) => r.includes(':key/'));
  return {
    service: 'kms',
    operation,
    actions: [action],
    resources: [...new Set(checks.map((c) => c.resource))],
    checks,
    resourceOwner: keyArns.length > 0 ? 'key' : undefined,
    policyArns: [...new Set(keyArns)],
    serviceKeys,
  };
}
