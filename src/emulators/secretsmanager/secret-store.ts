/**
 * Secrets on disk under `<dataDir>/secretsmanager/secrets/<sha256(arn)>.json`: metadata, the
 * resource policy and every version's sealed value (see envelope.ts). Kept in memory as well.
 */
import { createHash } from 'node:crypto';
import { readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { fsyncDirectory, readJsonIfExists, writeJsonDurable } from '../common/durable-file.ts';
import type { SealedValue } from './envelope.ts';

export interface SecretVersion {
  readonly stages: readonly string[];
  /** Epoch seconds. */
  readonly createdDate: number;
  readonly sealed: SealedValue;
}

export interface SecretRecord {
  readonly name: string;
  readonly arn: string;
  readonly description?: string;
  /** The KmsKeyId the user gave, as given (DescribeSecret returns it); absent = aws/secretsmanager. */
  readonly kmsKeyId?: string;
  readonly createdDate: number;
  readonly lastChangedDate: number;
  /** Day granularity, as AWS reports it. */
  readonly lastAccessedDate?: number;
  readonly deletedDate?: number;
  /** When a scheduled deletion becomes final. */
  readonly deletionDate?: number;
  readonly tags: ReadonlyArray<{ readonly Key: string; readonly Value: string }>;
  readonly policy?: string;
  readonly versions: Readonly<Record<string, SecretVersion>>;
}

const fileOf = (arn: string): string => `${createHash('sha256').update(arn).digest('hex')}.json`;

export class SecretStore {
  readonly byArn = new Map<string, SecretRecord>();

  constructor(private readonly root: string) {}

  private dir(): string {
    return join(this.root, 'secrets');
  }

  async load(): Promise<void> {
    const files = await readdir(this.dir()).catch(() => [] as string[]);
    for (const file of files.filter((f) => f.endsWith('.json') && !f.startsWith('.'))) {
      const secret = (await readJsonIfExists(join(this.dir(), file))) as SecretRecord | undefined;
      if (secret) this.byArn.set(secret.arn, secret);
    }
  }

  byName(name: string): SecretRecord | undefined {
    for (const secret of this.byArn.values()) if (secret.name === name) return secret;
    return undefined;
  }

  async put(secret: SecretRecord): Promise<void> {
    await writeJsonDurable(join(this.dir(), fileOf(secret.arn)), secret);
    this.byArn.set(secret.arn, secret);
  }

  async remove(arn: string): Promise<void> {
    this.byArn.delete(arn);
    await rm(join(this.dir(), fileOf(arn)), { force: true });
    await fsyncDirectory(this.dir()).catch(() => undefined);
  }
}
