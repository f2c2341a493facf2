/**
 * The twin's small pure pieces, table-driven: AWS's denial wording, session credentials, dynamic
 * references, --since parsing, and the worker-side TCP redirect.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import { denialMessage } from '../../src/twin/denial-message.ts';
import { CredentialStore } from '../../src/twin/credentials.ts';
import { expressionText } from '../../src/twin/dynamic-reference.ts';
import { resolveDynamic, secretNameOfArn } from '../../src/twin/boot.ts';
import { parseSince } from '../../src/twin/flow-log-reader.ts';
import { connectionKey } from '../../src/twin/request-logs.ts';
import { CostMeter } from '../../src/twin/cost-meter.ts';
import type { Decision } from '../../src/policy/index.ts';
import type { Template } from '../../src/cloudformation/types.ts';
// @ts-expect-error plain JS module without types (it runs inside Lambda workers)
import { installTcpRedirect } from '../../src/twin/worker/tcp-redirect.mjs';

const ROLE_SESSION = 'arn:aws:sts::123456789012:assumed-role/ProductRole/product-fn';

describe('denial messages use AWS wording', () => {
  const decision = (kind: Decision['decision'], blockedBy: Decision['blockedBy']): Decision => ({
    decision: kind,
    blockedBy,
    matched: [],
  });
  const table: Array<[string, Decision, string, string]> = [
    [
      'explicit deny in a bucket policy (S3 quotes the ARN)',
      decision('explicit-deny', ['resource']),
      's3',
      `User: ${ROLE_SESSION} is not authorized to perform: s3:GetObject on resource: "arn:aws:s3:::b/k" with an explicit deny in a resource-based policy`,
    ],
    [
      'no identity policy allows',
      decision('implicit-deny', ['identity']),
      'secretsmanager',
      `User: ${ROLE_SESSION} is not authorized to perform: secretsmanager:GetSecretValue on resource: arn:aws:secretsmanager:us-east-1:123456789012:secret:s-AbCdEf because no identity-based policy allows the secretsmanager:GetSecretValue action`,
    ],
    [
      'endpoint policy named before identity when both fail',
      decision('implicit-deny', ['identity', 'endpoint']),
      'dynamodb',
      `User: ${ROLE_SESSION} is not authorized to perform: dynamodb:PutItem on resource: arn:aws:dynamodb:us-east-1:123456789012:table/t because no VPC endpoint policy allows the dynamodb:PutItem action`,
    ],
    [
      'explicit deny in an endpoint policy',
      decision('explicit-deny', ['endpoint']),
      'kms',
      `User: ${ROLE_SESSION} is not authorized to perform: kms:Decrypt on resource: arn:aws:kms:us-east-1:123456789012:key/k with an explicit deny in a VPC endpoint policy`,
    ],
  ];
  for (const [name, d, service, expected] of table) {
    it(name, () => {
      const action = expected.split('perform: ')[1].split(' ')[0];
      const resource = expected.split('on resource: ')[1].split(' ')[0].replace(/"/g, '');
      assert.equal(denialMessage(ROLE_SESSION, action, resource, d, service), expected);
    });
  }
});

describe('session credentials', () => {
  it('mints STS-shaped keys per workload, found by access key only', () => {
    const store = new CredentialStore('123456789012');
    const a = store.mint('Product', 'arn:aws:iam::123456789012:role/ProductRole', 'product-fn');
    const b = store.mint('Order', 'arn:aws:iam::123456789012:role/OrderRole', 'order-fn');
    assert.match(a.accessKeyId, /^ASIA[A-Z2-7]{16}$/);
    assert.notEqual(a.accessKeyId, b.accessKeyId);
    assert.equal(a.principalArn, ROLE_SESSION);
    assert.deepEqual(store.mint('Product', 'arn:aws:iam::123456789012:role/ProductRole', 'product-fn'), a);
    assert.equal(store.lookup(a.accessKeyId)?.sessionToken, a.sessionToken);
    assert.equal(store.workloadOfKey(b.accessKeyId), 'Order');
    assert.equal(store.lookup('ASIAUNKNOWNUNKNOWN00'), undefined);
  });
});

describe('dynamic references', () => {
  const template = {
    region: 'us-east-1',
    accountId: '123456789012',
    partition: 'aws',
    stackName: 'S',
    urlSuffix: 'amazonaws.com',
    parameters: {},
    resources: {
      Secret: {
        physicalId: 'arn:aws:secretsmanager:us-east-1:123456789012:secret:Db-Abc123-XyZ789',
        attributes: {},
      },
    },
  } as unknown as Template;
  const cases: Array<[string, unknown, string | undefined]> = [
    ['plain string', 'x', 'x'],
    [
      'Fn::Join with Ref',
      { 'Fn::Join': ['', ['{{resolve:secretsmanager:', { Ref: 'Secret' }, ':SecretString:username::}}']] },
      '{{resolve:secretsmanager:arn:aws:secretsmanager:us-east-1:123456789012:secret:Db-Abc123-XyZ789:SecretString:username::}}',
    ],
    [
      'Fn::Sub',
      { 'Fn::Sub': '{{resolve:secretsmanager:${Secret}:SecretString:password}}' },
      '{{resolve:secretsmanager:arn:aws:secretsmanager:us-east-1:123456789012:secret:Db-Abc123-XyZ789:SecretString:password}}',
    ],
    [
      'unresolved token wraps the expression',
      { __unresolved: true, expression: { Ref: 'Secret' } },
      'arn:aws:secretsmanager:us-east-1:123456789012:secret:Db-Abc123-XyZ789',
    ],
    ['unknown Ref', { Ref: 'Nope' }, undefined],
  ];
  for (const [name, expression, expected] of cases)
    it(name, () => assert.equal(expressionText(expression, template), expected));

  it('reads the JSON key of the secret', async () => {
    const read = async (id: string) =>
      id.endsWith('XyZ789') ? '{"username":"securecart","password":"p"}' : undefined;
    assert.equal(await resolveDynamic(cases[1][2], read), 'securecart');
    assert.equal(await resolveDynamic('literal', read), 'literal');
    assert.equal(
      secretNameOfArn('arn:aws:secretsmanager:us-east-1:123456789012:secret:Db-Abc123-XyZ789'),
      'Db-Abc123',
    );
  });
});

describe('--since', () => {
  const now = Date.UTC(2026, 0, 1, 12, 0, 0);
  const table: Array<[string, number | undefined]> = [
    ['15m', now / 1000 - 900],
    ['2h', now / 1000 - 7200],
    ['1767268800', 1767268800],
    ['2026-01-01T11:00:00Z', now / 1000 - 3600],
    ['yesterday', undefined],
  ];
  for (const [input, expected] of table) it(input, () => assert.equal(parseSince(input, now), expected));
});

describe('connection keys', () => {
  it('are the same for both directions', () => {
    const out = { srcaddr: '10.0.0.1', srcport: 1234, dstaddr: '10.0.0.9', dstport: 443 };
    const back = { srcaddr: '10.0.0.9', srcport: 443, dstaddr: '10.0.0.1', dstport: 1234 };
    assert.equal(connectionKey(out), connectionKey(back));
  });
});

describe('worker TCP redirect', () => {
  it('sends connections for the database hostname to the entry, in every connect() form', async () => {
    const server = net.createServer((socket) => socket.end('entry'));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as net.AddressInfo).port;
    installTcpRedirect({ 'db.example.rds.amazonaws.com:5432': { host: '127.0.0.1', port } });
    const read = (socket: net.Socket) =>
      new Promise<string>((resolve, reject) => {
        let text = '';
        socket.on('data', (d: Buffer) => (text += d.toString()));
        socket.on('end', () => resolve(text));
        socket.on('error', reject);
      });
    assert.equal(await read(net.connect(5432, 'DB.example.rds.amazonaws.com')), 'entry');
    assert.equal(await read(net.connect({ host: 'db.example.rds.amazonaws.com', port: 5432 })), 'entry');
    assert.equal(await read(new net.Socket().connect(5432, 'db.example.rds.amazonaws.com')), 'entry');
    await new Promise((resolve) => server.close(resolve));
  });
});

describe('cost meter', () => {
  it("prices bytes per route from the analyzer's table (interface endpoint $0.01/GB, gateway endpoint free)", () => {
    const meter = new CostMeter('us-east-1');
    meter.add('interface-endpoint', 'SecretsEndpoint', 1024 ** 3 / 2);
    meter.add('interface-endpoint', 'SecretsEndpoint', 1024 ** 3 / 2);
    meter.add('gateway-endpoint', 'S3Endpoint', 1024 ** 3);
    const rows = meter.report();
    const secrets = rows.find((r) => r.via === 'SecretsEndpoint');
    assert.equal(secrets?.requests, 2);
    assert.equal(secrets?.bytes, 1024 ** 3);
    assert.ok(Math.abs((secrets?.usd ?? 0) - 0.01) < 1e-12);
    assert.equal(rows.find((r) => r.via === 'S3Endpoint')?.usd, 0);
  });
});
