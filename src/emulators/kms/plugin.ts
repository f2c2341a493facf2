/**
 * The KMS emulator (JSON 1.1, `X-Amz-Target: TrentService.<Operation>`): symmetric keys with
 * random 256-bit material on disk, AES-256-GCM ciphertext blobs that carry the key id, key
 * policies, aliases. Secrets Manager uses the in-process API below (`generateDataKey`,
 * `decrypt`), which the caller authorizes itself with kms:ViaService.
 */
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import type {
  Caller,
  Classified,
  DenyKind,
  EmulatorPlugin,
  PluginContext,
  ServiceRequest,
  ServiceResponse,
} from '../plugin.ts';
import { JSON_DENIALS } from '../common/json-denials.ts';
import { PluginState } from '../common/plugin-state.ts';
import {
  answerJson,
  jsonError,
  optionalNumber,
  optionalString,
  optionalStringMap,
  requiredString,
} from '../common/json-protocol.ts';
import { ServiceError } from '../common/service-error.ts';
import { blobKeyId, openBlob, sealBlob } from './ciphertext.ts';
import { classifyKms, type KeyResolver } from './classify.ts';
import { KmsKeyStore, type KeyRecord } from './key-store.ts';
import { awsManagedKeyPolicy, defaultKeyPolicy } from './policies.ts';

export interface KeyDefinition {
  /** Keep this id across boots (e.g. derived from the template's logical id); random if absent. */
  readonly keyId?: string;
  readonly alias?: string;
  readonly description?: string;
  readonly policy?: unknown;
}

const MAX_PLAINTEXT = 4096;

export class KmsEmulator implements EmulatorPlugin, KeyResolver {
  readonly service = 'kms';
  private readonly state = new PluginState('KMS', (dataDir) => new KmsKeyStore(dataDir));

  async start(ctx: PluginContext): Promise<void> {
    await this.state.start(ctx);
  }

  async stop(): Promise<void> {
    this.state.stop();
  }

  // ---- KeyResolver ----
  private prefix(): string {
    const { ctx } = this.state.running();
    return `arn:aws:kms:${ctx.region}:${ctx.accountId}`;
  }
  aliasArn(aliasName: string): string {
    return `${this.prefix()}:${aliasName}`;
  }
  nominalArn(keyId: string): string {
    if (keyId.startsWith('arn:')) return keyId;
    return keyId.startsWith('alias/') ? this.aliasArn(keyId) : `${this.prefix()}:key/${keyId}`;
  }
  /** Finds a key by id, key ARN, alias name or alias ARN. */
  findKey(reference: string): KeyRecord | undefined {
    const { store } = this.state.running();
    let ref = reference;
    const prefix = `${this.prefix()}:`;
    if (ref.startsWith('arn:')) {
      if (!ref.startsWith(prefix)) return undefined;
      ref = ref.slice(prefix.length);
      if (ref.startsWith('key/')) ref = ref.slice('key/'.length);
    }
    if (ref.startsWith('alias/')) {
      const alias = store.aliases.get(ref);
      return alias ? store.keys.get(alias.targetKeyId) : undefined;
    }
    return store.keys.get(ref);
  }
  keyArnOf(reference: string): string | undefined {
    return this.findKey(reference)?.arn;
  }

  classify(req: ServiceRequest): Classified {
    return classifyKms(req, this);
  }

  async handle(req: ServiceRequest, _caller: Caller): Promise<ServiceResponse> {
    return answerJson('1.1', req, 'TrentService', (operation, input) => this.dispatch(operation, input));
  }

  deny(kind: DenyKind, message: string, _req: ServiceRequest): ServiceResponse {
    return jsonError('1.1', JSON_DENIALS[kind], message);
  }

  error(code: string, message: string, status: number, _req: ServiceRequest): ServiceResponse {
    return jsonError('1.1', code, message, status);
  }

  resourcePolicy(arn: string): string | undefined {
    return this.state.store ? this.findKey(arn)?.policy : undefined;
  }

  private async dispatch(operation: string | undefined, input: Record<string, unknown>): Promise<unknown> {
    switch (operation) {
      case 'CreateKey':
        return { KeyMetadata: this.metadata(await this.createKey(input)) };
      case 'DescribeKey':
        return { KeyMetadata: this.metadata(this.requireKey(requiredString(input, 'KeyId'))) };
      case 'Encrypt':
        return this.encryptOp(input);
      case 'Decrypt':
        return this.decryptOp(input);
      case 'GenerateDataKey':
        return this.generateDataKeyOp(input, true);
      case 'GenerateDataKeyWithoutPlaintext':
        return this.generateDataKeyOp(input, false);
      case 'GetKeyPolicy':
        return { Policy: this.requireKey(requiredString(input, 'KeyId')).policy, PolicyName: 'default' };
      case 'PutKeyPolicy':
        return this.putKeyPolicy(input);
      case 'ListKeys':
        return this.listKeys(input);
      case 'CreateAlias':
        return this.createAlias(input, false);
      case 'UpdateAlias':
        return this.createAlias(input, true);
      case 'DeleteAlias':
        return this.deleteAlias(input);
      case 'ListAliases':
        return this.listAliases(input);
      default:
        throw new ServiceError('UnknownOperationException', '', 400);
    }
  }

  private requireKey(reference: string): KeyRecord {
    const key = this.findKey(reference);
    if (!key) {
      if (reference.includes('alias/'))
        throw new ServiceError(
          'NotFoundException',
          `Alias ${this.nominalArn(reference.replace(/^arn:.*?:(alias\/)/, '$1'))} is not found.`,
        );
      throw new ServiceError('NotFoundException', `Key '${this.nominalArn(reference)}' does not exist`);
    }
    if (!key.enabled) throw new ServiceError('DisabledException', `${key.arn} is disabled.`);
    return key;
  }

  private metadata(key: KeyRecord): Record<string, unknown> {
    const { ctx } = this.state.running();
    return {
      AWSAccountId: ctx.accountId,
      KeyId: key.keyId,
      Arn: key.arn,
      CreationDate: key.creationDate,
      Enabled: key.enabled,
      Description: key.description,
      KeyUsage: key.keyUsage,
      KeyState: key.enabled ? 'Enabled' : 'Disabled',
      Origin: 'AWS_KMS',
      KeyManager: key.keyManager,
      CustomerMasterKeySpec: key.keySpec,
      KeySpec: key.keySpec,
      EncryptionAlgorithms: ['SYMMETRIC_DEFAULT'],
      MultiRegion: false,
    };
  }

  private async createKey(
    input: Record<string, unknown>,
    keyId: string = randomUUID(),
    manager: KeyRecord['keyManager'] = 'CUSTOMER',
  ): Promise<KeyRecord> {
    const { store, ctx } = this.state.running();
    const keySpec =
      optionalString(input, 'KeySpec') ??
      optionalString(input, 'CustomerMasterKeySpec') ??
      'SYMMETRIC_DEFAULT';
    const keyUsage = optionalString(input, 'KeyUsage') ?? 'ENCRYPT_DECRYPT';
    if (keySpec !== 'SYMMETRIC_DEFAULT' || keyUsage !== 'ENCRYPT_DECRYPT') {
      throw new ServiceError(
        'UnsupportedOperationException',
        `This emulator supports only SYMMETRIC_DEFAULT ENCRYPT_DECRYPT keys, not ${keySpec} ${keyUsage}.`,
      );
    }
    const policy = optionalString(input, 'Policy') ?? defaultKeyPolicy(ctx.accountId);
    validatePolicy(policy);
    const key: KeyRecord = {
      keyId,
      arn: `${this.prefix()}:key/${keyId}`,
      material: randomBytes(32).toString('base64'),
      policy,
      description: optionalString(input, 'Description') ?? '',
      creationDate: Math.floor(Date.now() / 1000),
      enabled: true,
      keyManager: manager,
      keyUsage: 'ENCRYPT_DECRYPT',
      keySpec: 'SYMMETRIC_DEFAULT',
    };
    await store.putKey(key);
    return key;
  }

  private encryptOp(input: Record<string, unknown>): unknown {
    const key = this.requireKey(requiredString(input, 'KeyId'));
    const plaintext = Buffer.from(requiredString(input, 'Plaintext'), 'base64');
    if (plaintext.length < 1 || plaintext.length > MAX_PLAINTEXT) {
      throw new ServiceError(
        'ValidationException',
        "1 validation error detected: Value at 'plaintext' failed to satisfy constraint: Member must have length less than or equal to 4096",
      );
    }
    const blob = sealBlob(
      key.keyId,
      Buffer.from(key.material, 'base64'),
      plaintext,
      optionalStringMap(input, 'EncryptionContext'),
    );
    return {
      CiphertextBlob: blob.toString('base64'),
      KeyId: key.arn,
      EncryptionAlgorithm: 'SYMMETRIC_DEFAULT',
    };
  }

  private decryptOp(input: Record<string, unknown>): unknown {
    const blob = Buffer.from(requiredString(input, 'CiphertextBlob'), 'base64');
    const { key, plaintext } = this.decrypt(blob, optionalStringMap(input, 'EncryptionContext'));
    const requested = optionalString(input, 'KeyId');
    if (requested !== undefined && this.findKey(requested)?.keyId !== key.keyId) {
      throw new ServiceError(
        'IncorrectKeyException',
        'The key ID in the request does not identify a CMK that can perform this operation.',
      );
    }
    return {
      KeyId: key.arn,
      Plaintext: plaintext.toString('base64'),
      EncryptionAlgorithm: 'SYMMETRIC_DEFAULT',
    };
  }

  private generateDataKeyOp(input: Record<string, unknown>, withPlaintext: boolean): unknown {
    const spec = optionalString(input, 'KeySpec');
    const count = optionalNumber(input, 'NumberOfBytes');
    if ((spec === undefined) === (count === undefined)) {
      throw new ServiceError('ValidationException', 'Please specify either number of bytes or key spec.');
    }
    const bytes = spec === 'AES_256' ? 32 : spec === 'AES_128' ? 16 : count;
    if (bytes === undefined || !Number.isInteger(bytes) || bytes < 1 || bytes > 1024) {
      throw new ServiceError(
        'ValidationException',
        `1 validation error detected: Value '${spec ?? count}' at 'keySpec' failed to satisfy constraint`,
      );
    }
    const result = this.generateDataKey(
      requiredString(input, 'KeyId'),
      optionalStringMap(input, 'EncryptionContext'),
      bytes,
    );
    return {
      CiphertextBlob: result.ciphertextBlob.toString('base64'),
      ...(withPlaintext ? { Plaintext: result.plaintext.toString('base64') } : {}),
      KeyId: result.keyArn,
    };
  }

  private async putKeyPolicy(input: Record<string, unknown>): Promise<unknown> {
    const { store } = this.state.running();
    const key = this.requireKey(requiredString(input, 'KeyId'));
    const policy = requiredString(input, 'Policy');
    validatePolicy(policy);
    await store.putKey({ ...key, policy });
    return {};
  }

  private listKeys(input: Record<string, unknown>): unknown {
    const { store } = this.state.running();
    const all = [...store.keys.values()].sort((a, b) => (a.keyId < b.keyId ? -1 : 1));
    const { page, next } = paginate(all, optionalNumber(input, 'Limit'), optionalString(input, 'Marker'));
    return {
      Keys: page.map((k) => ({ KeyId: k.keyId, KeyArn: k.arn })),
      Truncated: next !== undefined,
      ...(next ? { NextMarker: next } : {}),
    };
  }

  private async createAlias(input: Record<string, unknown>, update: boolean): Promise<unknown> {
    const { store } = this.state.running();
    const aliasName = requiredString(input, 'AliasName');
    if (!/^alias\/[a-zA-Z0-9/_-]+$/.test(aliasName)) {
      throw new ServiceError(
        'ValidationException',
        `1 validation error detected: Value '${aliasName}' at 'aliasName' failed to satisfy constraint: Member must satisfy regular expression pattern: ^alias/[a-zA-Z0-9/_-]+$`,
      );
    }
    if (aliasName.startsWith('alias/aws/')) throw new ServiceError('NotAuthorizedException', '');
    const key = this.requireKey(requiredString(input, 'TargetKeyId'));
    const existing = store.aliases.get(aliasName);
    if (update && !existing)
      throw new ServiceError('NotFoundException', `Alias ${this.aliasArn(aliasName)} is not found.`);
    if (!update && existing)
      throw new ServiceError(
        'AlreadyExistsException',
        `An alias with the name ${this.aliasArn(aliasName)} already exists`,
      );
    const now = Math.floor(Date.now() / 1000);
    await store.putAlias({
      aliasName,
      targetKeyId: key.keyId,
      creationDate: existing?.creationDate ?? now,
      lastUpdatedDate: now,
    });
    return {};
  }

  private async deleteAlias(input: Record<string, unknown>): Promise<unknown> {
    const { store } = this.state.running();
    const aliasName = requiredString(input, 'AliasName');
    if (!store.aliases.has(aliasName))
      throw new ServiceError('NotFoundException', `Alias ${this.aliasArn(aliasName)} is not found.`);
    await store.deleteAlias(aliasName);
    return {};
  }

  private listAliases(input: Record<string, unknown>): unknown {
    const { store } = this.state.running();
    const keyFilter = optionalString(input, 'KeyId');
    const keyId = keyFilter === undefined ? undefined : this.requireKey(keyFilter).keyId;
    const all = [...store.aliases.values()]
      .filter((a) => keyId === undefined || a.targetKeyId === keyId)
      .sort((a, b) => (a.aliasName < b.aliasName ? -1 : 1));
    const { page, next } = paginate(all, optionalNumber(input, 'Limit'), optionalString(input, 'Marker'));
    return {
      Aliases: page.map((a) => ({
        AliasName: a.aliasName,
        AliasArn: this.aliasArn(a.aliasName),
        TargetKeyId: a.targetKeyId,
        CreationDate: a.creationDate,
        LastUpdatedDate: a.lastUpdatedDate,
      })),
      Truncated: next !== undefined,
      ...(next ? { NextMarker: next } : {}),
    };
  }

  // ---- in-process API (Secrets Manager) ----

  /** A fresh data key under `keyReference`: its plaintext and its ciphertext blob. */
  generateDataKey(
    keyReference: string,
    context?: Readonly<Record<string, string>>,
    bytes = 32,
  ): { keyArn: string; plaintext: Buffer; ciphertextBlob: Buffer } {
    const key = this.requireKey(keyReference);
    const plaintext = randomBytes(bytes);
    return {
      keyArn: key.arn,
      plaintext,
      ciphertextBlob: sealBlob(key.keyId, Buffer.from(key.material, 'base64'), plaintext, context),
    };
  }

  /** Decrypts a blob with the key it names. InvalidCiphertextException as KMS answers. */
  decrypt(blob: Buffer, context?: Readonly<Record<string, string>>): { key: KeyRecord; plaintext: Buffer } {
    const keyId = blobKeyId(blob);
    const key = keyId === undefined ? undefined : this.findKey(keyId);
    const plaintext = key ? openBlob(blob, Buffer.from(key.material, 'base64'), context) : undefined;
    if (!key || !plaintext) throw new ServiceError('InvalidCiphertextException', '');
    if (!key.enabled) throw new ServiceError('DisabledException', `${key.arn} is disabled.`);
    return { key, plaintext };
  }

  /** The key a ciphertext blob names (for authorizing a Decrypt before doing it). */
  keyArnOfBlob(blob: Buffer): string | undefined {
    const keyId = blobKeyId(blob);
    return keyId === undefined ? undefined : this.keyArnOf(keyId);
  }

  /** `alias/aws/<service>`: created on first use, as AWS does for AWS managed keys. */
  async awsManagedKey(service: string): Promise<string> {
    const { store, ctx } = this.state.running();
    const aliasName = `alias/aws/${service}`;
    const existing = this.findKey(aliasName);
    if (existing) return existing.arn;
    const key = await this.createKey(
      {
        Description: `Default key that protects my ${service} data when no other key is defined`,
        Policy: awsManagedKeyPolicy(service, ctx.accountId, ctx.region),
      },
      randomUUID(),
      'AWS',
    );
    const now = Math.floor(Date.now() / 1000);
    await store.putAlias({ aliasName, targetKeyId: key.keyId, creationDate: now, lastUpdatedDate: now });
    return key.arn;
  }

  /** AWS::KMS::Alias at boot: points `aliasName` at the key (created or moved). */
  async ensureAlias(aliasName: string, keyReference: string): Promise<void> {
    const { store } = this.state.running();
    const key = this.requireKey(keyReference);
    const existing = store.aliases.get(aliasName);
    if (existing?.targetKeyId === key.keyId) return;
    const now = Math.floor(Date.now() / 1000);
    await store.putAlias({
      aliasName,
      targetKeyId: key.keyId,
      creationDate: existing?.creationDate ?? now,
      lastUpdatedDate: now,
    });
  }

  /** Boot-time creation from the template; idempotent when `keyId` is given (see stableKeyId). */
  async ensureKey(definition: KeyDefinition): Promise<string> {
    const { store, ctx } = this.state.running();
    if (definition.keyId !== undefined && !/^[0-9a-f-]{36}$/.test(definition.keyId)) {
      // The ciphertext blob stores 36 ASCII characters of key id (a UUID's shape).
      throw new Error(`KMS key id must be 36 characters of 0-9, a-f and '-' (a UUID): '${definition.keyId}'`);
    }
    const policy =
      definition.policy === undefined
        ? undefined
        : typeof definition.policy === 'string'
          ? definition.policy
          : JSON.stringify(definition.policy);
    let key = definition.keyId === undefined ? undefined : store.keys.get(definition.keyId);
    if (key) {
      if (policy !== undefined && policy !== key.policy) {
        validatePolicy(policy);
        key = { ...key, policy };
        await store.putKey(key);
      }
    } else {
      key = await this.createKey(
        { Description: definition.description, Policy: policy ?? defaultKeyPolicy(ctx.accountId) },
        definition.keyId ?? randomUUID(),
      );
    }
    if (definition.alias !== undefined) {
      const now = Math.floor(Date.now() / 1000);
      const existing = store.aliases.get(definition.alias);
      if (existing?.targetKeyId !== key.keyId) {
        await store.putAlias({
          aliasName: definition.alias,
          targetKeyId: key.keyId,
          creationDate: existing?.creationDate ?? now,
          lastUpdatedDate: now,
        });
      }
    }
    return key.arn;
  }
}

/** A UUID-shaped key id derived from a seed (e.g. the template's logical id): same seed, same key. */
export function stableKeyId(seed: string): string {
  const hex = createHash('sha256').update(seed).digest('hex');
  const variant = ((parseInt(hex[16], 16) & 0x3) | 0x8).toString(16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

function validatePolicy(policy: string): void {
  try {
    const parsed = JSON.parse(policy) as unknown;
    if (typeof parsed === 'object' && parsed !== null && 'Statement' in parsed) return;
  } catch {
    // fall through
  }
  throw new ServiceError(
    'MalformedPolicyDocumentException',
    'The new key policy will not allow you to update the key policy in the future.',
  );
}

function paginate<T>(
  all: readonly T[],
  limit: number | undefined,
  marker: string | undefined,
): { page: T[]; next?: string } {
  const start = marker === undefined ? 0 : Number(Buffer.from(marker, 'base64').toString('utf8')) || 0;
  const size = Math.min(Math.max(limit ?? 100, 1), 1000);
  const page = all.slice(start, start + size);
  const next =
    start + size < all.length ? Buffer.from(String(start + size), 'utf8').toString('base64') : undefined;
  return { page, next };
}
