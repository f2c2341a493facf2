/**
 * "Any AWS SDK or CLI pointed at an entry with the matching credentials works": the real AWS CLI
 * (Python/botocore, Debian's `awscli`, installed by .ci/run) acting as SecureCart's workloads
 * through the twin's entries, with the same enforcement the JavaScript SDK meets.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { startTwin, type Twin } from '../../src/twin/twin.ts';
import type { TwinWorkloadState } from '../../src/twin/twin-state.ts';
import { synthesize, templatePath } from '../../infra/bin/synth.ts';

const run = promisify(execFile);
const AWS_CLI = ['/usr/bin/aws', '/bin/aws'].find((path) => existsSync(path));
const skip = AWS_CLI
  ? false
  : 'the AWS CLI is not installed (apt-get install -y awscli); .ci/run installs it';
const TEMPLATE = existsSync(templatePath('cdk.out')) ? templatePath('cdk.out') : synthesize('cdk.out');
const products = JSON.parse(readFileSync('fixtures/seed/products.json', 'utf8')) as { imageKey: string }[];

let twin: Twin;
let dir: string;

interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs `aws …` as a workload (its session credentials) against an entry of the twin. */
async function aws(as: TwinWorkloadState, endpoint: string, ...args: string[]): Promise<CliResult> {
  const env = {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: dir,
    AWS_CONFIG_FILE: join(dir, 'config'),
    AWS_SHARED_CREDENTIALS_FILE: join(dir, 'no-credentials'),
    AWS_ACCESS_KEY_ID: as.accessKeyId,
    AWS_SECRET_ACCESS_KEY: as.secretAccessKey,
    AWS_SESSION_TOKEN: as.sessionToken ?? '',
    AWS_DEFAULT_REGION: twin.state.region,
    AWS_EC2_METADATA_DISABLED: 'true',
    AWS_MAX_ATTEMPTS: '1',
    AWS_PAGER: '',
  };
  try {
    const { stdout, stderr } = await run(
      AWS_CLI!,
      ['--endpoint-url', endpoint, '--cli-read-timeout', '10', ...args],
      {
        env,
        timeout: 60_000,
      },
    );
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code?: number; stdout?: string; stderr?: string };
    return {
      code: typeof failed.code === 'number' ? failed.code : -1,
      stdout: failed.stdout ?? '',
      stderr: failed.stderr ?? '',
    };
  }
}

const workload = (name: string): TwinWorkloadState => {
  const found = Object.entries(twin.state.workloads).find(([id]) => id.includes(name));
  assert.ok(found, `no workload like ${name}`);
  return found[1];
};

describe('the AWS CLI acting as SecureCart workloads', { skip }, () => {
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'twin-cli-'));
    writeFileSync(join(dir, 'config'), '[default]\ns3 =\n    addressing_style = path\n');
    twin = await startTwin({ templateFile: TEMPLATE, dataDir: join(dir, 'data'), port: 0 });
  });

  after(async () => {
    await twin?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('product service reads a product image through its entry (S3 gateway endpoint)', async () => {
    const product = workload('Product');
    const out = join(dir, 'image.png');
    const result = await aws(
      product,
      product.endpoint,
      's3api',
      'get-object',
      '--bucket',
      product.environment.BUCKET_NAME,
      '--key',
      products[0].imageKey,
      out,
    );
    assert.equal(result.code, 0, result.stderr);
    assert.deepEqual(readFileSync(out), readFileSync(join('fixtures/seed', products[0].imageKey)));
  });

  it('the same credentials from the internet entry are denied by the bucket policy', async () => {
    const product = workload('Product');
    const result = await aws(
      product,
      twin.state.internet.endpoint,
      's3api',
      'get-object',
      '--bucket',
      product.environment.BUCKET_NAME,
      '--key',
      products[0].imageKey,
      join(dir, 'stolen.png'),
    );
    assert.notEqual(result.code, 0);
    assert.match(result.stderr, /AccessDenied/);
    assert.match(result.stderr, /explicit deny in a resource-based policy/);
  });

  it('order service reads the orders table (DynamoDB gateway endpoint)', async () => {
    const order = workload('Order');
    const result = await aws(
      order,
      order.endpoint,
      'dynamodb',
      'get-item',
      '--table-name',
      order.environment.TABLE_NAME,
      '--key',
      '{"orderId":{"S":"no-such-order"}}',
    );
    assert.equal(result.code, 0, result.stderr);
  });

  it('payment service reads its API key (Secrets Manager interface endpoint)', async () => {
    const payment = workload('Payment');
    const result = await aws(
      payment,
      payment.endpoint,
      'secretsmanager',
      'get-secret-value',
      '--secret-id',
      payment.environment.SECRET_ARN,
    );
    assert.equal(result.code, 0, result.stderr);
    assert.ok((JSON.parse(result.stdout) as { SecretString?: string }).SecretString, 'no SecretString');
  });

  it("product service asking for the payment key never gets an answer: the endpoint's SG resets it", async () => {
    const product = workload('Product');
    const result = await aws(
      product,
      product.endpoint,
      'secretsmanager',
      'get-secret-value',
      '--secret-id',
      workload('Payment').environment.SECRET_ARN,
    );
    assert.notEqual(result.code, 0);
    assert.doesNotMatch(result.stderr, /AccessDenied/, 'a network block is not an HTTP error body');
    assert.match(result.stderr, /Connection|connect|reset|closed/i);
  });

  it('a forged secret key is refused with the service error the CLI knows', async () => {
    const payment = { ...workload('Payment'), secretAccessKey: 'x'.repeat(40) };
    const result = await aws(
      payment,
      payment.endpoint,
      'secretsmanager',
      'get-secret-value',
      '--secret-id',
      payment.environment.SECRET_ARN,
    );
    assert.notEqual(result.code, 0);
    assert.match(result.stderr, /InvalidSignatureException|SignatureDoesNotMatch/);
  });
});
