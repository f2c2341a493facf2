/**
 * The Secrets Manager emulator (JSON 1.1, `X-Amz-Target: secretsmanager.<Operation>`).
 * Values are envelope-encrypted through the KMS emulator under the secret's key; every KMS use
 * on a caller's behalf is first put to `authorizeKms` (the gateway evaluates the key policy with
 * kms:ViaService = secretsmanager.<region>.amazonaws.com).
 */
import { randomInt, randomUUID } from 'node:crypto';
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
  optionalBoolean,
  optionalNumber,
  optionalString,
  requiredString,
} from '../common/json-protocol.ts';
import { ServiceError } from '../common/service-error.ts';
import type { KmsEmulator } from '../kms/plugin.ts';
import { classifySecretsManager, type SecretResolver } from './classify.ts';
import { encryptionContext, openValue, sealValue, type SealedValue } from './envelope.ts';
import {
  generateSecretString,
  randomPassword,
  type GenerateSecretString,
  type PasswordOptions,
} from './password.ts';
import { SecretStore, type SecretRecord, type SecretVersion } from './secret-store.ts';

const AWS_MANAGED_KEY_ALIAS = 'alias/aws/secretsmanager';

export interface KmsUseRequest {
  readonly action: 'kms:GenerateDataKey' | 'kms:Decrypt';
  readonly keyArn: string;
  readonly caller: Caller;
  /** `secretsmanager.<region>.amazonaws.com`, the value of kms:ViaService. */
  readonly viaService: string;
  readonly encryptionContext: Readonly<Record<string, string>>;
}

export type KmsAuthorization =
  { readonly allowed: true } | { readonly allowed: false; readonly message?: string };
export type AuthorizeKms = (request: KmsUseRequest) => KmsAuthorization | Promise<KmsAuthorization>;

export interface SecretDefinition {
  readonly name: string;
  readonly description?: string;
  readonly kmsKeyId?: string;
  readonly secretString?: string;
  readonly generateSecretString?: GenerateSecretString;
  readonly policy?: unknown;
  readonly tags?: ReadonlyArray<{ Key: string; Value: string }>;
  /** Keep this exact ARN (e.g. the one the template's references resolved to); random suffix if absent. */
  readonly arn?: string;
}

const CURRENT = 'AWSCURRENT';
const PREVIOUS = 'AWSPREVIOUS';
const SUFFIX_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
const NAME_PATTERN = /^[A-Za-z0-9/_+=.@-]{1,512}$/;
const allowAll: AuthorizeKms = () => ({ allowed: true });
const now = (): number => Date.now() / 1000;

/** Who uses KMS when the twin itself creates secrets at boot: authorization is skipped. */
const SYSTEM: Caller = { principalArn: 'twin-bootstrap', accountId: '' };

export class SecretsManagerEmulator implements EmulatorPlugin, SecretResolver {
  readonly service = 'secretsmanager';
  private readonly state = new PluginState('Secrets Manager', (dataDir) => new SecretStore(dataDir));

  constructor(
    private readonly kms: KmsEmulator,
    private readonly authorizeKms: AuthorizeKms = allowAll,
  ) {}

  async start(ctx: PluginContext): Promise<void> {
    await this.state.start(ctx);
  }

  async stop(): Promise<void> {
    this.state.stop();
  }

  // ---- SecretResolver ----
  nominalArn(name: string): string {
    const { ctx } = this.state.running();
    return `arn:aws:secretsmanager:${ctx.region}:${ctx.accountId}:secret:${name}-??????`;
  }
  /** By name, full ARN, or partial ARN (the ARN without its `-XXXXXX` suffix). */
  find(secretId: string): SecretRecord | undefined {
    const { store } = this.state.running();
    if (!secretId.startsWith('arn:')) return store.byName(secretId);
    const exact = store.byArn.get(secretId);
    if (exact) return exact;
    for (const secret of store.byArn.values()) if (secret.arn.slice(0, -7) === secretId) return secret;
    return undefined;
  }
  resolve(secretId: string): { arn: string; tags: SecretRecord['tags'] } | undefined {
    return this.find(secretId);
  }

  classify(req: ServiceRequest): Classified {
    return classifySecretsManager(req, this);
  }

  async handle(req: ServiceRequest, caller: Caller): Promise<ServiceResponse> {
    return answerJson('1.1', req, 'secretsmanager', (operation, input) =>
      this.dispatch(operation, input, caller),
    );
  }

  deny(kind: DenyKind, message: string, _req: ServiceRequest): ServiceResponse {
    return jsonError('1.1', JSON_DENIALS[kind], message);
  }

  error(code: string, message: string, status: number, _req: ServiceRequest): ServiceResponse {
    return jsonError('1.1', code, message, status);
  }

  resourcePolicy(arn: string): string | undefined {
    return this.state.store ? this.find(arn)?.policy : undefined;
  }

  private async dispatch(
    operation: string | undefined,
    input: Record<string, unknown>,
    caller: Caller,
  ): Promise<unknown> {
    switch (operation) {
      case 'CreateSecret':
        return this.createSecret(input, caller);
      case 'GetSecretValue':
        return this.getSecretValue(input, caller);
      case 'PutSecretValue':
        return this.putSecretValue(input, caller);
      case 'UpdateSecret':
        return this.updateSecret(input, caller);
      case 'DescribeSecret':
        return this.describe(this.live(requiredString(input, 'SecretId'), true));
      case 'ListSecrets':
        return this.listSecrets(input);
      case 'DeleteSecret':
        return this.deleteSecret(input);
      case 'RestoreSecret':
        return this.restoreSecret(input);
      case 'GetResourcePolicy':
        return this.getResourcePolicy(input);
      case 'PutResourcePolicy':
        return this.putResourcePolicy(input);
      case 'DeleteResourcePolicy':
        return this.deleteResourcePolicy(input);
      case 'GetRandomPassword':
        return { RandomPassword: randomPassword(passwordOptions(input)) };
      default:
        throw new ServiceError('UnknownOperationException', '', 400);
    }
  }

  /** The secret, purging it first if its scheduled deletion has passed. */
  private live(secretId: string, allowScheduled = false): SecretRecord {
    const { store } = this.state.running();
    const secret = this.find(secretId);
    if (!secret)
      throw new ServiceError('ResourceNotFoundException', "Secrets Manager can't find the specified secret.");
    if (secret.deletionDate !== undefined && secret.deletionDate <= now()) {
      void store.remove(secret.arn);
      throw new ServiceError('ResourceNotFoundException', "Secrets Manager can't find the specified secret.");
    }
    if (secret.deletedDate !== undefined && !allowScheduled) {
      throw new ServiceError(
        'InvalidRequestException',
        "You can't perform this operation on the secret because it was marked for deletion.",
      );
    }
    return secret;
  }

  private newArn(name: string): string {
    const { ctx } = this.state.running();
    const suffix = Array.from({ length: 6 }, () => SUFFIX_ALPHABET[randomInt(SUFFIX_ALPHABET.length)]).join(
      '',
    );
    return `arn:aws:secretsmanager:${ctx.region}:${ctx.accountId}:secret:${name}-${suffix}`;
  }

  /**
   * The KmsKeyId to keep, or undefined for the AWS managed key aws/secretsmanager: no value, an
   * empty string (UpdateSecret's way back to it), or the key's alias by name or ARN. AWS creates
   * that key on first use and DescribeSecret then omits KmsKeyId (docs/emulator-semantics.md).
   */
  private customerKeyId(kmsKeyId: string | undefined): string | undefined {
    if (kmsKeyId === undefined || kmsKeyId === '' || kmsKeyId === AWS_MANAGED_KEY_ALIAS) return undefined;
    const { ctx } = this.state.running();
    const aliasArn = `arn:aws:kms:${ctx.region}:${ctx.accountId}:${AWS_MANAGED_KEY_ALIAS}`;
    return kmsKeyId === aliasArn ? undefined : kmsKeyId;
  }

  private async keyArnFor(kmsKeyId: string | undefined): Promise<string> {
    if (kmsKeyId === undefined) return this.kms.awsManagedKey('secretsmanager');
    const arn = this.kms.keyArnOf(kmsKeyId);
    if (!arn) {
      throw new ServiceError(
        'EncryptionFailure',
        "Secrets Manager can't encrypt the protected secret text using the provided KMS key. Check that the KMS key is available, enabled, and not in an invalid state.",
      );
    }
    return arn;
  }

  private async askKms(
    action: KmsUseRequest['action'],
    keyArn: string,
    caller: Caller,
    context: Record<string, string>,
  ): Promise<void> {
    if (caller === SYSTEM) return;
    const { ctx } = this.state.running();
    const verdict = await this.authorizeKms({
      action,
      keyArn,
      caller,
      viaService: `secretsmanager.${ctx.region}.amazonaws.com`,
      encryptionContext: context,
    });
    if (!verdict.allowed)
      throw new ServiceError('AccessDeniedException', verdict.message ?? 'Access to KMS is not allowed');
  }

  private async seal(
    secretArn: string,
    versionId: string,
    kmsKeyId: string | undefined,
    value: Buffer,
    kind: SealedValue['kind'],
    caller: Caller,
  ): Promise<SealedValue> {
    const keyArn = await this.keyArnFor(kmsKeyId);
    const context = encryptionContext(secretArn, versionId);
    await this.askKms('kms:GenerateDataKey', keyArn, caller, context);
    const dataKey = this.kms.generateDataKey(keyArn, context);
    try {
      return sealValue(dataKey.plaintext, dataKey.keyArn, dataKey.ciphertextBlob, value, kind);
    } finally {
      dataKey.plaintext.fill(0);
    }
  }

  private async unseal(
    secret: SecretRecord,
    versionId: string,
    caller: Caller,
  ): Promise<{ value: Buffer; kind: SealedValue['kind'] }> {
    const sealed = secret.versions[versionId].sealed;
    const context = encryptionContext(secret.arn, versionId);
    await this.askKms('kms:Decrypt', sealed.keyArn, caller, context);
    let dataKey: Buffer;
    try {
      dataKey = this.kms.decrypt(Buffer.from(sealed.encryptedDataKey, 'base64'), context).plaintext;
    } catch {
      throw new ServiceError(
        'DecryptionFailure',
        "Secrets Manager can't decrypt the protected secret text using the provided KMS key.",
      );
    }
    try {
      return { value: openValue(dataKey, sealed), kind: sealed.kind };
    } finally {
      dataKey.fill(0);
    }
  }

  private async createSecret(
    input: Record<string, unknown>,
    caller: Caller,
    fixedArn?: string,
  ): Promise<unknown> {
    const { store } = this.state.running();
    const name = requiredString(input, 'Name');
    if (!NAME_PATTERN.test(name))
      throw new ServiceError(
        'ValidationException',
        `Invalid name. Must be a valid name containing alphanumeric characters, or any of the following: -/_+=.@!`,
      );
    const existing = store.byName(name);
    if (existing && existing.deletionDate !== undefined && existing.deletionDate <= now())
      await store.remove(existing.arn);
    else if (existing?.deletedDate !== undefined) {
      throw new ServiceError(
        'InvalidRequestException',
        "You can't create this secret because a secret with this name is already scheduled for deletion.",
      );
    } else if (existing) {
      throw new ServiceError(
        'ResourceExistsException',
        `The operation failed because the secret ${name} already exists.`,
      );
    }
    const value = secretValueOf(input);
    const versionId = optionalString(input, 'ClientRequestToken') ?? randomUUID();
    const kmsKeyId = this.customerKeyId(optionalString(input, 'KmsKeyId'));
    const arn = fixedArn ?? this.newArn(name);
    const created = now();
    const versions: Record<string, SecretVersion> = {};
    if (value)
      versions[versionId] = {
        stages: [CURRENT],
        createdDate: created,
        sealed: await this.seal(arn, versionId, kmsKeyId, value.bytes, value.kind, caller),
      };
    const tags = Array.isArray(input.Tags)
      ? (input.Tags as Array<{ Key: string; Value: string }>).map((t) => ({
          Key: String(t.Key),
          Value: String(t.Value),
        }))
      : [];
    await store.put({
      name,
      arn,
      description: optionalString(input, 'Description'),
      kmsKeyId,
      createdDate: created,
      lastChangedDate: created,
      tags,
      versions,
    });
    return { ARN: arn, Name: name, ...(value ? { VersionId: versionId } : {}) };
  }

  private versionFor(secret: SecretRecord, versionId: string | undefined, stage: string | undefined): string {
    if (versionId !== undefined) {
      const version = secret.versions[versionId];
      if (!version || (stage !== undefined && !version.stages.includes(stage))) {
        throw new ServiceError(
          'ResourceNotFoundException',
          `Secrets Manager can't find the specified secret value for VersionId: ${versionId}`,
        );
      }
      return versionId;
    }
    const wanted = stage ?? CURRENT;
    const found = Object.entries(secret.versions).find(([, v]) => v.stages.includes(wanted));
    if (!found)
      throw new ServiceError(
        'ResourceNotFoundException',
        `Secrets Manager can't find the specified secret value for staging label: ${wanted}`,
      );
    return found[0];
  }

  private async getSecretValue(input: Record<string, unknown>, caller: Caller): Promise<unknown> {
    const { store } = this.state.running();
    const secret = this.live(requiredString(input, 'SecretId'));
    const versionId = this.versionFor(
      secret,
      optionalString(input, 'VersionId'),
      optionalString(input, 'VersionStage'),
    );
    const { value, kind } = await this.unseal(secret, versionId, caller);
    const today = Math.floor(now() / 86400) * 86400;
    if (secret.lastAccessedDate !== today) await store.put({ ...secret, lastAccessedDate: today });
    const version = secret.versions[versionId];
    return {
      ARN: secret.arn,
      Name: secret.name,
      VersionId: versionId,
      ...(kind === 'string'
        ? { SecretString: value.toString('utf8') }
        : { SecretBinary: value.toString('base64') }),
      VersionStages: version.stages,
      CreatedDate: version.createdDate,
    };
  }

  /**
   * Description and KmsKeyId change in place; a new value becomes a new AWSCURRENT version (as
   * PutSecretValue). Existing versions stay under the key they were sealed with (AWS re-encrypts
   * the staged versions under a new key; we keep each version's own key, so reads still work).
   */
  private async updateSecret(input: Record<string, unknown>, caller: Caller): Promise<unknown> {
    const { store } = this.state.running();
    const secret = this.live(requiredString(input, 'SecretId'));
    const description = optionalString(input, 'Description');
    const givenKey = optionalString(input, 'KmsKeyId');
    const kmsKeyId = givenKey === undefined ? secret.kmsKeyId : this.customerKeyId(givenKey);
    if (givenKey !== undefined) await this.keyArnFor(kmsKeyId);
    await store.put({
      ...secret,
      ...(description !== undefined ? { description } : {}),
      kmsKeyId,
      lastChangedDate: now(),
    });
    if (secretValueOf(input) === undefined) return { ARN: secret.arn, Name: secret.name };
    const { VersionId } = (await this.putSecretValue(
      {
        SecretId: secret.arn,
        SecretString: input.SecretString,
        SecretBinary: input.SecretBinary,
        ClientRequestToken: input.ClientRequestToken,
      },
      caller,
    )) as { VersionId: string };
    return { ARN: secret.arn, Name: secret.name, VersionId };
  }

  private async putSecretValue(input: Record<string, unknown>, caller: Caller): Promise<unknown> {
    const { store } = this.state.running();
    const secret = this.live(requiredString(input, 'SecretId'));
    const value = secretValueOf(input);
    if (!value)
      throw new ServiceError(
        'InvalidRequestException',
        'You must provide either SecretString or SecretBinary.',
      );
    const versionId = optionalString(input, 'ClientRequestToken') ?? randomUUID();
    const stagesInput = input.VersionStages;
    const stages = Array.isArray(stagesInput) ? stagesInput.map(String) : [CURRENT];
    const existing = secret.versions[versionId];
    if (existing) {
      // Same token + same value is an idempotent retry; anything else would modify a version.
      const current = await this.unseal(secret, versionId, caller);
      if (!current.value.equals(value.bytes) || current.kind !== value.kind) {
        throw new ServiceError(
          'ResourceExistsException',
          "You can't modify an existing version, you can only create a new version.",
        );
      }
      return { ARN: secret.arn, Name: secret.name, VersionId: versionId, VersionStages: existing.stages };
    }
    const sealed = await this.seal(secret.arn, versionId, secret.kmsKeyId, value.bytes, value.kind, caller);
    const versions: Record<string, SecretVersion> = {};
    const previousCurrent = Object.entries(secret.versions).find(([, v]) => v.stages.includes(CURRENT))?.[0];
    for (const [id, version] of Object.entries(secret.versions)) {
      // A label lives on one version: move the requested ones here; AWSPREVIOUS follows AWSCURRENT.
      let kept = version.stages.filter((s) => !stages.includes(s));
      if (stages.includes(CURRENT)) {
        kept = kept.filter((s) => s !== PREVIOUS);
        if (id === previousCurrent) kept.push(PREVIOUS);
      }
      versions[id] = { ...version, stages: kept };
    }
    versions[versionId] = { stages, createdDate: now(), sealed };
    await store.put({ ...secret, versions, lastChangedDate: now() });
    return { ARN: secret.arn, Name: secret.name, VersionId: versionId, VersionStages: stages };
  }

  private describe(secret: SecretRecord): Record<string, unknown> {
    const versionIdsToStages: Record<string, readonly string[]> = {};
    for (const [id, version] of Object.entries(secret.versions))
      if (version.stages.length > 0) versionIdsToStages[id] = version.stages;
    return {
      ARN: secret.arn,
      Name: secret.name,
      ...(secret.description !== undefined ? { Description: secret.description } : {}),
      ...(secret.kmsKeyId !== undefined ? { KmsKeyId: secret.kmsKeyId } : {}),
      LastChangedDate: secret.lastChangedDate,
      ...(secret.lastAccessedDate !== undefined ? { LastAccessedDate: secret.lastAccessedDate } : {}),
      ...(secret.deletedDate !== undefined ? { DeletedDate: secret.deletedDate } : {}),
      ...(secret.tags.length > 0 ? { Tags: secret.tags } : {}),
      VersionIdsToStages: versionIdsToStages,
      CreatedDate: secret.createdDate,
    };
  }

  private listSecrets(input: Record<string, unknown>): unknown {
    const { store } = this.state.running();
    const includeDeleted = optionalBoolean(input, 'IncludePlannedDeletion') ?? false;
    const filters = Array.isArray(input.Filters)
      ? (input.Filters as Array<{ Key?: unknown; Values?: unknown }>)
      : [];
    const matches = (secret: SecretRecord): boolean =>
      filters.every((filter) => {
        const values = Array.isArray(filter.Values) ? filter.Values.map(String) : [];
        return values.some((raw) => {
          const negate = raw.startsWith('!');
          const value = negate ? raw.slice(1) : raw;
          const fields = filterFields(secret, String(filter.Key));
          const hit = fields.some((f) => f.toLowerCase().startsWith(value.toLowerCase()));
          return negate ? !hit : hit;
        });
      });
    const descending = optionalString(input, 'SortOrder') === 'desc';
    const all = [...store.byArn.values()]
      .filter((s) => s.deletionDate === undefined || s.deletionDate > now())
      .filter((s) => includeDeleted || s.deletedDate === undefined)
      .filter(matches)
      .sort((a, b) => (a.createdDate - b.createdDate) * (descending ? -1 : 1));
    const start = Number(optionalString(input, 'NextToken') ?? 0) || 0;
    const size = Math.min(Math.max(optionalNumber(input, 'MaxResults') ?? 100, 1), 100);
    const page = all.slice(start, start + size);
    return {
      SecretList: page.map((s) => {
        const { VersionIdsToStages, ...rest } = this.describe(s);
        return { ...rest, SecretVersionsToStages: VersionIdsToStages };
      }),
      ...(start + size < all.length ? { NextToken: String(start + size) } : {}),
    };
  }

  private async deleteSecret(input: Record<string, unknown>): Promise<unknown> {
    const { store } = this.state.running();
    const secret = this.live(requiredString(input, 'SecretId'), true);
    const force = optionalBoolean(input, 'ForceDeleteWithoutRecovery') ?? false;
    const window = optionalNumber(input, 'RecoveryWindowInDays');
    if (force && window !== undefined) {
      throw new ServiceError(
        'InvalidParameterException',
        "You can't use ForceDeleteWithoutRecovery in conjunction with RecoveryWindowInDays.",
      );
    }
    if (window !== undefined && (!Number.isInteger(window) || window < 7 || window > 30)) {
      throw new ServiceError(
        'InvalidParameterException',
        'The RecoveryWindowInDays value must be between 7 and 30 days (inclusive).',
      );
    }
    if (secret.deletedDate !== undefined && !force) {
      throw new ServiceError(
        'InvalidRequestException',
        "You can't perform this operation on the secret because it was already scheduled for deletion.",
      );
    }
    const deleted = now();
    if (force) {
      await store.remove(secret.arn);
      return { ARN: secret.arn, Name: secret.name, DeletionDate: deleted };
    }
    const deletionDate = deleted + (window ?? 30) * 86400;
    await store.put({ ...secret, deletedDate: deleted, deletionDate });
    return { ARN: secret.arn, Name: secret.name, DeletionDate: deletionDate };
  }

  private async restoreSecret(input: Record<string, unknown>): Promise<unknown> {
    const { store } = this.state.running();
    const secret = this.live(requiredString(input, 'SecretId'), true);
    const { deletedDate: _d, deletionDate: _dd, ...rest } = secret;
    await store.put(rest);
    return { ARN: secret.arn, Name: secret.name };
  }

  private getResourcePolicy(input: Record<string, unknown>): unknown {
    const secret = this.live(requiredString(input, 'SecretId'), true);
    return {
      ARN: secret.arn,
      Name: secret.name,
      ...(secret.policy !== undefined ? { ResourcePolicy: secret.policy } : {}),
    };
  }

  private async putResourcePolicy(input: Record<string, unknown>): Promise<unknown> {
    const { store } = this.state.running();
    const secret = this.live(requiredString(input, 'SecretId'));
    const policy = requiredString(input, 'ResourcePolicy');
    validatePolicy(policy);
    await store.put({ ...secret, policy });
    return { ARN: secret.arn, Name: secret.name };
  }

  private async deleteResourcePolicy(input: Record<string, unknown>): Promise<unknown> {
    const { store } = this.state.running();
    const secret = this.live(requiredString(input, 'SecretId'));
    const { policy: _p, ...rest } = secret;
    await store.put(rest);
    return { ARN: secret.arn, Name: secret.name };
  }

  /** AWS::SecretsManager::ResourcePolicy at boot: attaches (or replaces) a secret's policy. */
  async ensureSecretPolicy(secretId: string, policy: unknown): Promise<void> {
    const { store } = this.state.running();
    const text = typeof policy === 'string' ? policy : JSON.stringify(policy);
    validatePolicy(text);
    const secret = this.live(secretId);
    if (secret.policy !== text) await store.put({ ...secret, policy: text });
  }

  /**
   * Boot-time creation from the template. An existing secret keeps its value (a generated
   * password is generated once); its policy is updated when the definition has one.
   */
  async ensureSecret(definition: SecretDefinition): Promise<string> {
    const { store } = this.state.running();
    const policy =
      definition.policy === undefined
        ? undefined
        : typeof definition.policy === 'string'
          ? definition.policy
          : JSON.stringify(definition.policy);
    if (policy !== undefined) validatePolicy(policy);
    const existing = store.byName(definition.name);
    if (existing && existing.deletedDate === undefined) {
      if (policy !== undefined && policy !== existing.policy) await store.put({ ...existing, policy });
      return existing.arn;
    }
    if (existing) await store.remove(existing.arn);
    const value =
      definition.secretString ??
      (definition.generateSecretString ? generateSecretString(definition.generateSecretString) : undefined);
    const created = (await this.createSecret(
      {
        Name: definition.name,
        Description: definition.description,
        KmsKeyId: definition.kmsKeyId,
        SecretString: value,
        Tags: definition.tags ? [...definition.tags] : undefined,
      },
      SYSTEM,
      definition.arn,
    )) as { ARN: string };
    if (policy !== undefined) {
      const secret = store.byArn.get(created.ARN);
      if (secret) await store.put({ ...secret, policy });
    }
    return created.ARN;
  }
}

function secretValueOf(
  input: Record<string, unknown>,
): { bytes: Buffer; kind: SealedValue['kind'] } | undefined {
  const text = optionalString(input, 'SecretString');
  const binary = optionalString(input, 'SecretBinary');
  if (text !== undefined && binary !== undefined) {
    throw new ServiceError(
      'InvalidParameterException',
      "You can't specify both a binary secret value and a string secret value in the same secret.",
    );
  }
  if (text !== undefined) return { bytes: Buffer.from(text, 'utf8'), kind: 'string' };
  if (binary !== undefined) return { bytes: Buffer.from(binary, 'base64'), kind: 'binary' };
  return undefined;
}

function passwordOptions(input: Record<string, unknown>): PasswordOptions {
  return {
    PasswordLength: optionalNumber(input, 'PasswordLength'),
    ExcludeCharacters: optionalString(input, 'ExcludeCharacters'),
    ExcludeNumbers: optionalBoolean(input, 'ExcludeNumbers'),
    ExcludePunctuation: optionalBoolean(input, 'ExcludePunctuation'),
    ExcludeUppercase: optionalBoolean(input, 'ExcludeUppercase'),
    ExcludeLowercase: optionalBoolean(input, 'ExcludeLowercase'),
    IncludeSpace: optionalBoolean(input, 'IncludeSpace'),
    RequireEachIncludedType: optionalBoolean(input, 'RequireEachIncludedType'),
  };
}

function filterFields(secret: SecretRecord, key: string): string[] {
  switch (key) {
    case 'name':
      return [secret.name];
    case 'description':
      return secret.description !== undefined ? [secret.description] : [];
    case 'tag-key':
      return secret.tags.map((t) => t.Key);
    case 'tag-value':
      return secret.tags.map((t) => t.Value);
    case 'all':
      return [
        secret.name,
        ...(secret.description !== undefined ? [secret.description] : []),
        ...secret.tags.flatMap((t) => [t.Key, t.Value]),
      ];
    default:
      return [];
  }
}

function validatePolicy(policy: string): void {
  try {
    const parsed = JSON.parse(policy) as unknown;
    if (typeof parsed === 'object' && parsed !== null && 'Statement' in parsed) return;
  } catch {
    // fall through
  }
  throw new ServiceError('MalformedPolicyDocumentException', 'This resource policy contains a syntax error.');
}
