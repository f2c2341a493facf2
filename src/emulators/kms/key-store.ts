/**
 * KMS keys and aliases on disk under `<dataDir>/kms/`: `keys/<keyId>.json` holds each key's
 * metadata, policy and its random 256-bit material; `aliases.json` the alias table.
 * Kept in memory too, so classification (which resolves aliases to keys) does no I/O.
 */
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { readJsonIfExists, writeJsonDurable } from '../common/durable-file.ts';

export interface KeyRecord {
  readonly keyId: string;
  readonly arn: string;
  /** base64 of 32 random bytes. */
  readonly material: string;
  readonly policy: string;
  readonly description: string;
  /** Epoch seconds. */
  readonly creationDate: number;
  readonly enabled: boolean;
  readonly keyManager: 'CUSTOMER' | 'AWS';
  readonly keyUsage: 'ENCRYPT_DECRYPT';
  readonly keySpec: 'SYMMETRIC_DEFAULT';
}

export interface AliasRecord {
  readonly aliasName: string;
  readonly targetKeyId: string;
  readonly creationDate: number;
  readonly lastUpdatedDate: number;
}

export class KmsKeyStore {
  readonly keys = new Map<string, KeyRecord>();
  readonly aliases = new Map<string, AliasRecord>();

  constructor(private readonly root: string) {}

  async load(): Promise<void> {
    const files = await readdir(join(this.root, 'keys')).catch(() => [] as string[]);
    for (const file of files.filter((f) => f.endsWith('.json') && !f.startsWith('.'))) {
      const key = (await readJsonIfExists(join(this.root, 'keys', file))) as KeyRecord | undefined;
      if (key) this.keys.set(key.keyId, key);
    }
    const aliases = ((await readJsonIfExists(join(this.root, 'aliases.json'))) ?? []) as AliasRecord[];
    for (const alias of aliases) this.aliases.set(alias.aliasName, alias);
  }

  async putKey(key: KeyRecord): Promise<void> {
    await writeJsonDurable(join(this.root, 'keys', `${key.keyId}.json`), key);
    this.keys.set(key.keyId, key);
  }

  async putAlias(alias: AliasRecord): Promise<void> {
    const next = new Map(this.aliases).set(alias.aliasName, alias);
    await writeJsonDurable(join(this.root, 'aliases.json'), [...next.values()]);
    this.aliases.set(alias.aliasName, alias);
  }

  async deleteAlias(aliasName: string): Promise<void> {
    const next = new Map(this.aliases);
    next.delete(aliasName);
    await writeJsonDurable(join(this.root, 'aliases.json'), [...next.values()]);
    this.aliases.delete(aliasName);
  }
}
