/**
 * `npm run synth`'s script, run as users run it (a child process, offline, timed), once for this
 * file; then the four bundles it produced are loaded and invoked as Lambda would, with SDK v3
 * resolved from node_modules (as the runtime provides it) and AWS calls sent to a local stub.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { APIGatewayProxyResult } from 'aws-lambda';
import { templatePath } from '../../infra/bin/synth.ts';
import { verifyAuthorization, type PaymentAuthorization } from '../../services/payment/authorize.ts';

// Inside the repository so that the bundles' external `@aws-sdk/*` imports resolve from node_modules.
mkdirSync('node_modules/.cache', { recursive: true });
const outdir = resolve(mkdtempSync(join('node_modules/.cache', 'securecart-synth-')));
after(() => rmSync(outdir, { recursive: true, force: true }));

const started = performance.now();
// No AWS configuration at all: the stack is environment-agnostic and does no lookups.
const env = {
  PATH: process.env.PATH ?? '',
  HOME: outdir,
  AWS_CONFIG_FILE: join(outdir, 'no-config'),
  AWS_SHARED_CREDENTIALS_FILE: join(outdir, 'no-credentials'),
};
const run = spawnSync(process.execPath, ['--import', 'tsx', 'infra/bin/synth.ts', outdir], {
  encoding: 'utf8',
  env,
});
const seconds = (performance.now() - started) / 1000;

interface Template {
  Resources: Record<
    string,
    { Type: string; Properties?: { Code?: { S3Key?: string } }; Metadata?: Record<string, string> }
  >;
}
const template = (): Template => JSON.parse(readFileSync(templatePath(outdir), 'utf8')) as Template;

/** The bundle directory of the service's function: `asset.<hash>` where its S3Key is `<hash>.zip`. */
function bundleOf(service: string): string {
  const fn = Object.entries(template().Resources).find(
    ([logicalId, r]) =>
      r.Type === 'AWS::Lambda::Function' && logicalId.startsWith(`Services${service}Function`),
  )?.[1];
  const key = fn?.Properties?.Code?.S3Key;
  if (!key?.endsWith('.zip')) assert.fail(`no bundle for ${service}`);
  return join(outdir, `asset.${key.slice(0, -'.zip'.length)}`);
}

type Handler = (event: unknown) => Promise<APIGatewayProxyResult>;
async function loadHandler(service: string): Promise<Handler> {
  const module = (await import(pathToFileURL(join(bundleOf(service), 'index.mjs')).href)) as {
    handler: Handler;
  };
  return module.handler;
}

test('templatePath names <outdir>/SecureCart.template.json (default cdk.out)', () => {
  assert.equal(templatePath(), join('cdk.out', 'SecureCart.template.json'));
  assert.equal(templatePath('/tmp/x'), '/tmp/x/SecureCart.template.json');
});

test('the synth script writes the template offline and prints its path, in under a minute', () => {
  assert.equal(run.status, 0, run.stderr);
  assert.equal(run.stdout.trim().split('\n').at(-1), templatePath(outdir));
  const types = new Set(Object.values(template().Resources).map((r) => r.Type));
  for (const type of [
    'AWS::EC2::VPC',
    'AWS::EC2::VPCEndpoint',
    'AWS::Lambda::Function',
    'AWS::ApiGateway::RestApi',
  ]) {
    assert.ok(types.has(type), type);
  }
  assert.ok(seconds < 60, `synth took ${seconds.toFixed(1)} s`);
  console.log(`synth took ${seconds.toFixed(1)} s`);
});

test('the bundles are ESM (.mjs) with the createRequire banner and SDK v3 left external', () => {
  for (const service of ['Product', 'Order', 'Payment', 'Database']) {
    const code = readFileSync(join(bundleOf(service), 'index.mjs'), 'utf8');
    assert.ok(
      code.startsWith(
        "import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);",
      ),
      service,
    );
    assert.match(
      code,
      /from"@aws-sdk\/(client|lib)-[a-z-]+"/,
      `${service} imports the runtime-provided SDK v3`,
    );
    assert.doesNotMatch(
      code,
      /class SecretsManagerClient|class DynamoDBClient|class S3Client/,
      `${service} bundles the SDK`,
    );
  }
});

// A stand-in for Secrets Manager's JSON 1.1 API, enough for GetSecretValue.
let secretsManager: Server;
const providerKey = 'provider-key-for-the-bundle-test';
before(async () => {
  secretsManager = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk: Buffer) => (body += chunk.toString()));
    request.on('end', () => {
      const target = request.headers['x-amz-target'];
      const { SecretId } = JSON.parse(body) as { SecretId: string };
      response.setHeader('content-type', 'application/x-amz-json-1.1');
      response.end(
        target === 'secretsmanager.GetSecretValue'
          ? JSON.stringify({ ARN: SecretId, Name: 'key', SecretString: providerKey, VersionId: 'v1' })
          : JSON.stringify({ __type: 'InvalidRequestException', message: String(target) }),
      );
    });
  });
  await new Promise<void>((done) => secretsManager.listen(0, '127.0.0.1', done));
  Object.assign(process.env, {
    AWS_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: 'AKIDBUNDLETEST',
    AWS_SECRET_ACCESS_KEY: 'bundle-test-secret',
    AWS_ENDPOINT_URL_SECRETS_MANAGER: `http://127.0.0.1:${(secretsManager.address() as AddressInfo).port}`,
    SECRET_ARN: 'arn:aws:secretsmanager:us-east-1:111122223333:secret:provider-key-AbCdEf',
    TABLE_NAME: 'orders-or-products',
    PRODUCTS_TABLE_NAME: 'products',
    BUCKET_NAME: 'images',
    PRIVATE_API_URL: 'https://a1b2c3d4e5.execute-api.us-east-1.amazonaws.com/prod/',
  });
});
after(() => secretsManager?.close());

test('the payment bundle runs: reads the key from Secrets Manager and signs the authorization', async () => {
  const handler = await loadHandler('Payment');
  const request = { orderId: 'o-1', customerId: 'cust-ada', amount: 4900, currency: 'USD' };
  const result = await handler({
    httpMethod: 'POST',
    resource: '/payments',
    body: JSON.stringify(request),
    isBase64Encoded: false,
  });
  assert.equal(result.statusCode, 200, result.body);
  const authorization = JSON.parse(result.body) as PaymentAuthorization;
  assert.equal(authorization.status, 'AUTHORIZED');
  assert.equal(verifyAuthorization(authorization, providerKey), true);
});

test('the product, order and database bundles load (pg via createRequire) and answer without AWS calls', async () => {
  const cases: [string, unknown][] = [
    ['Product', { httpMethod: 'GET', resource: '/products/{id}', pathParameters: { id: 'not valid!' } }],
    ['Order', { httpMethod: 'GET', resource: '/orders/{id}', pathParameters: { id: 'not valid!' } }],
    ['Database', { httpMethod: 'GET', resource: '/customers/{id}', pathParameters: { id: 'not valid!' } }],
  ];
  for (const [service, event] of cases) {
    const result = await (await loadHandler(service))(event);
    assert.equal(result.statusCode, 400, `${service}: ${result.body}`);
  }
});
