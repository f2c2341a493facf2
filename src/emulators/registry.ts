/**
 * The explicit list of emulator plugins the twin runs, and how a request finds its plugin.
 * (API Gateway, Lambda — its runtime and its Invoke API, `lambda-api/plugin.ts`, which needs the
 * runtime and the template's permissions — and RDS live beside these and are registered by
 * `src/twin/twin.ts`.)
 */
import { join } from 'node:path';
import type { EmulatorPlugin, ServiceRequest } from './plugin.ts';
import { DynamoDbEmulator } from './dynamodb/plugin.ts';
import { KmsEmulator } from './kms/plugin.ts';
import { S3Emulator } from './s3/plugin.ts';
import { SecretsManagerEmulator, type AuthorizeKms } from './secretsmanager/plugin.ts';
import { SnsEmulator } from './sns/plugin.ts';
import { SqsEmulator } from './sqs/plugin.ts';
import { StsEmulator } from './sts/plugin.ts';

export interface Emulators {
  readonly s3: S3Emulator;
  readonly dynamodb: DynamoDbEmulator;
  readonly kms: KmsEmulator;
  readonly secretsmanager: SecretsManagerEmulator;
  readonly sts: StsEmulator;
  readonly sqs: SqsEmulator;
  readonly sns: SnsEmulator;
  /** In start order: KMS before Secrets Manager, which encrypts through it. */
  readonly all: readonly EmulatorPlugin[];
}

export interface EmulatorOptions {
  /** Called before Secrets Manager uses a KMS key on a caller's behalf; default: allow. */
  readonly authorizeKms?: AuthorizeKms;
}

export function createEmulators(options: EmulatorOptions = {}): Emulators {
  const s3 = new S3Emulator();
  const dynamodb = new DynamoDbEmulator();
  const kms = new KmsEmulator();
  const secretsmanager = new SecretsManagerEmulator(kms, options.authorizeKms);
  const sts = new StsEmulator();
  const sqs = new SqsEmulator();
  // SNS delivers into SQS: started after it, stopped before it.
  const sns = new SnsEmulator();
  return {
    s3,
    dynamodb,
    kms,
    secretsmanager,
    sts,
    sqs,
    sns,
    all: [kms, secretsmanager, s3, dynamodb, sts, sqs, sns],
  };
}

/** Starts every plugin with its own folder `<dataDir>/<service>/`. */
export async function startEmulators(
  emulators: Emulators,
  dataDir: string,
  region: string,
  accountId: string,
): Promise<void> {
  for (const plugin of emulators.all)
    await plugin.start({ dataDir: join(dataDir, plugin.service), region, accountId });
}

export async function stopEmulators(emulators: Emulators): Promise<void> {
  for (const plugin of [...emulators.all].reverse()) await plugin.stop();
}

/** JSON protocols name their service in X-Amz-Target; everything else here is S3 (REST-XML). */
const TARGET_PREFIXES: ReadonlyArray<readonly [string, string]> = [
  ['DynamoDB_', 'dynamodb'],
  ['secretsmanager.', 'secretsmanager'],
  ['TrentService.', 'kms'],
  ['AmazonSQS.', 'sqs'],
];

/** The signing name a request is for: X-Amz-Target first, then the SigV4 credential scope, else S3. */
export function serviceOfRequest(req: ServiceRequest): string {
  const target = req.headers['x-amz-target'];
  if (target !== undefined) {
    const found = TARGET_PREFIXES.find(([prefix]) => target.startsWith(prefix));
    if (found) return found[1];
  }
  const credential = /Credential=[^/]+\/\d{8}\/[^/]+\/([^/]+)\//.exec(
    req.headers['authorization'] ?? '',
  )?.[1];
  if (credential !== undefined) return credential;
  const presigned = req.url.searchParams.get('X-Amz-Credential')?.split('/')[3];
  return presigned ?? 's3';
}

export function pluginForRequest(
  plugins: readonly EmulatorPlugin[],
  req: ServiceRequest,
): EmulatorPlugin | undefined {
  const service = serviceOfRequest(req);
  return plugins.find((p) => p.service === service);
}
