/**
 * The twin end to end, in-process: SecureCart's synthesized template, an ephemeral internet port,
 * a temp data dir, and real SDK v3 clients acting as each workload through twin.json.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import http from 'node:http';
import { GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { DynamoDBClient, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { startTwin, type Twin } from '../../src/twin/twin.ts';
import { castOf, runDemo, signedApiCall, type DemoCast } from '../../src/twin/demo.ts';
import { readAuditLog } from '../../src/twin/audit-log.ts';
import { parseFlowRecord, parseLogFormat } from '../../src/network/flow-log-format.ts';
import { readFlowLogs } from '../../src/twin/flow-log-reader.ts';
import type { RequestRecord } from '../../src/twin/recorder.ts';
import type { TwinWorkloadState } from '../../src/twin/twin-state.ts';
import { synthesize, templatePath } from '../../infra/bin/synth.ts';

const TEMPLATE = existsSync(templatePath('cdk.out')) ? templatePath('cdk.out') : synthesize('cdk.out');

let twin: Twin;
let dataDir: string;
let cast: DemoCast;
const records: RequestRecord[] = [];

const creds = (w: TwinWorkloadState) => ({
  accessKeyId: w.accessKeyId,
  secretAccessKey: w.secretAccessKey,
  sessionToken: w.sessionToken,
});
const s3As = (w: TwinWorkloadState, endpoint = w.endpoint) =>
  new S3Client({
    region: twin.state.region,
    endpoint,
    forcePathStyle: true,
    credentials: creds(w),
    maxAttempts: 1,
  });
const smAs = (w: TwinWorkloadState) =>
  new SecretsManagerClient({
    region: twin.state.region,
    endpoint: w.endpoint,
    credentials: creds(w),
    maxAttempts: 1,
  });
const endpointId = (service: string) =>
  [...twin.model.vpcEndpoints.values()].find((e) => e.service === service)?.physicalId;
const lastRecord = () => records.at(-1);

before(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'twin-test-'));
  twin = await startTwin({ templateFile: TEMPLATE, dataDir, port: 0 });
  twin.recorder.onRecord((record) => records.push(record));
  cast = castOf(twin.state);
});

after(async () => {
  await twin?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('twin.json', () => {
  it('follows the contract: internet entry, workloads with entries and session credentials, APIs, resources', () => {
    const state = JSON.parse(readFileSync(join(dataDir, 'twin.json'), 'utf8')) as typeof twin.state;
    assert.match(state.internet.endpoint, /^http:\/\/127\.0\.0\.1:\d+$/);
    assert.equal(Object.keys(state.workloads).length, 4);
    for (const w of Object.values(state.workloads)) {
      assert.match(w.endpoint, /^http:\/\/127\.0\.0\.1:\d+$/);
      assert.match(w.accessKeyId, /^ASIA[A-Z2-7]{16}$/);
      assert.ok(w.secretAccessKey.length >= 40 && w.sessionToken);
      assert.match(w.roleArn, /^arn:aws:iam::\d{12}:role\//);
    }
    assert.deepEqual(
      Object.values(state.apis)
        .map((a) => a.private)
        .sort(),
      [false, true],
    );
    assert.equal(
      state.resources[Object.keys(state.resources).find((k) => k.startsWith('DataProducts')) ?? ''].type,
      'AWS::DynamoDB::Table',
    );
    assert.ok(existsSync(state.flowLogs) && state.auditLog.endsWith('.jsonl'));
  });
});

describe('use cases through the endpoint the seed names', () => {
  const cases: Array<{ name: string; service: string; trafficPath: string; run: () => Promise<unknown> }> = [
    {
      name: 'product service → S3 image via the S3 gateway endpoint',
      service: 's3',
      trafficPath: '7',
      run: () =>
        s3As(twin.state.workloads[cast.product]).send(
          new GetObjectCommand({
            Bucket: twin.state.workloads[cast.product].environment.BUCKET_NAME,
            Key: 'images/p-tee.png',
          }),
        ),
    },
    {
      name: 'order service → DynamoDB order via the DynamoDB gateway endpoint',
      service: 'dynamodb',
      trafficPath: '7',
      run: () => {
        const order = twin.state.workloads[cast.order];
        const ddb = new DynamoDBClient({
          region: twin.state.region,
          endpoint: order.endpoint,
          credentials: creds(order),
          maxAttempts: 1,
        });
        return ddb.send(
          new PutItemCommand({ TableName: order.environment.TABLE_NAME, Item: { orderId: { S: 'it-1' } } }),
        );
      },
    },
    {
      name: 'payment service → API key via the Secrets Manager interface endpoint',
      service: 'secretsmanager',
      trafficPath: '1',
      run: () =>
        smAs(twin.state.workloads[cast.payment]).send(
          new GetSecretValueCommand({ SecretId: twin.state.workloads[cast.payment].environment.SECRET_ARN }),
        ),
    },
    {
      name: 'order service → private API via the execute-api interface endpoint',
      service: 'execute-api',
      trafficPath: '1',
      run: async () => {
        const order = twin.state.workloads[cast.order];
        const reply = await signedApiCall(
          order.endpoint,
          `${twin.state.apis[cast.privateApi].invokeUrl}customers/cust-alan`,
          'GET',
          twin.state.region,
          creds(order),
        );
        assert.equal(reply.status, 200, reply.text);
        assert.equal((JSON.parse(reply.text) as { name: string }).name, 'Alan Turing');
      },
    },
  ];
  for (const c of cases) {
    it(c.name, async () => {
      await c.run();
      const record = lastRecord();
      assert.equal(record?.outcome, 'allowed');
      assert.equal(record?.endpointId, endpointId(c.service));
      // The audit event carries the endpoint; the flow records name the traffic path.
      twin.recorder.flush();
      twin.recorder.flush();
      const events = readAuditLog(twin.state.auditLog);
      assert.equal(events.at(-1)?.vpcEndpointId, endpointId(c.service));
      // CloudTrail's requestID is the id the service answered with.
      assert.match(record?.requestId ?? '', /^[0-9A-Za-z-]{16,}$/);
      assert.equal(events.at(-1)?.requestID, record?.requestId);
      const egress = record?.flowRecords.find(
        (r) => r['flow-direction'] === 'egress' && r.action === 'ACCEPT',
      );
      assert.equal(String(egress?.['traffic-path']), c.trafficPath);
    });
  }

  it('storefront → public API from the internet (products listed from DynamoDB by the product Lambda)', async () => {
    const res = await fetch(`${twin.state.apis[cast.publicApi].url}products`);
    assert.equal(res.status, 200);
    const body = (await res.json()) as { products: Array<{ productId: string }> };
    assert.ok(body.products.some((p) => p.productId === 'p-mug'));
  });
});

describe('threats fail as AWS would', () => {
  it('product credentials from the internet → AccessDenied from the bucket policy (no aws:SourceVpce)', async () => {
    const product = twin.state.workloads[cast.product];
    await assert.rejects(
      s3As(product, twin.state.internet.endpoint).send(
        new GetObjectCommand({ Bucket: product.environment.BUCKET_NAME, Key: 'images/p-mug.png' }),
      ),
      (error: Error & { Code?: string }) => {
        assert.equal(error.name, 'AccessDenied');
        assert.match(
          error.message,
          /^User: arn:aws:sts::\d{12}:assumed-role\/.+ is not authorized to perform: s3:GetObject on resource: ".+" with an explicit deny in a resource-based policy$/,
        );
        return true;
      },
    );
    assert.equal(lastRecord()?.route, 'internet');
  });

  it('product service → payment API key: blocked by the Secrets Manager endpoint SG (connection reset, REJECT record)', async () => {
    const product = twin.state.workloads[cast.product];
    await assert.rejects(
      smAs(product).send(
        new GetSecretValueCommand({ SecretId: twin.state.workloads[cast.payment].environment.SECRET_ARN }),
      ),
      /ECONNRESET|socket hang up/,
    );
    const record = lastRecord();
    assert.equal(record?.outcome, 'blocked');
    assert.match(
      record?.blockedBy ?? '',
      /^security-group-ingress EndpointsSecretsManagerEndpointSecurityGroup/,
    );
    assert.ok(record?.flowRecords.some((r) => r.action === 'REJECT'));
  });

  it('product service writing to S3: its identity policy grants GetObject only → AccessDenied (implicit, identity)', async () => {
    const product = twin.state.workloads[cast.product];
    await assert.rejects(
      s3As(product).send(
        new PutObjectCommand({ Bucket: product.environment.BUCKET_NAME, Key: 'x.txt', Body: 'x' }),
      ),
      (error: Error) =>
        /because no (identity-based|VPC endpoint) policy allows the s3:PutObject action$/.test(error.message),
    );
    // The packets flowed: the IAM denial still logs ACCEPT.
    assert.ok(lastRecord()?.flowRecords.every((r) => r.action === 'ACCEPT'));
  });

  it('the private API from the internet → 403 Forbidden', async () => {
    const res = await fetch(`${twin.state.apis[cast.privateApi].url}customers/cust-ada`);
    assert.equal(res.status, 403);
    assert.deepEqual(await res.json(), { message: 'Forbidden' });
  });

  it('the public API from inside the VPC (private DNS on the execute-api endpoint) → 403 Forbidden', async () => {
    const order = twin.state.workloads[cast.order];
    const publicApi = twin.state.apis[cast.publicApi];
    const reply = await signedApiCall(
      order.endpoint,
      `${publicApi.invokeUrl}products`,
      'GET',
      twin.state.region,
      creds(order),
    );
    assert.equal(reply.status, 403);
    assert.equal(lastRecord()?.route, 'interface-endpoint');
  });

  it('a forged signature → SignatureDoesNotMatch', async () => {
    const product = twin.state.workloads[cast.product];
    const forged = new S3Client({
      region: twin.state.region,
      endpoint: product.endpoint,
      forcePathStyle: true,
      maxAttempts: 1,
      credentials: { ...creds(product), secretAccessKey: 'x'.repeat(40) },
    });
    await assert.rejects(
      forged.send(new GetObjectCommand({ Bucket: product.environment.BUCKET_NAME, Key: 'images/p-mug.png' })),
      { name: 'SignatureDoesNotMatch' },
    );
  });

  it("the storefront's order model: a body without items is 400 Invalid request body, and the order service never runs", async () => {
    const before = records.length;
    const res = await fetch(`${twin.state.apis[cast.publicApi].url}orders`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ orderId: 'no-items', customerId: 'cust-ada' }),
    });
    assert.equal(res.status, 400);
    assert.deepEqual(await res.json(), { message: 'Invalid request body' });
    const during = records.slice(before);
    assert.deepEqual(
      during.map((r) => `${r.service} ${r.outcome}`),
      ['execute-api refused'],
      'one refused API call, no call by the order service behind it',
    );
  });

  it('a Signature Version 2 presigned URL → 400 InvalidRequest, as S3 answers for buckets created after June 2020', async () => {
    const product = twin.state.workloads[cast.product];
    const url =
      `${product.endpoint}/${product.environment.BUCKET_NAME}/images/p-mug.png` +
      `?AWSAccessKeyId=${product.accessKeyId}&Expires=${Math.floor(Date.now() / 1000) + 600}&Signature=abc%3D`;
    const res = await fetch(url);
    const body = await res.text();
    assert.equal(res.status, 400);
    assert.match(
      body,
      /<Code>InvalidRequest<\/Code><Message>The authorization mechanism you have provided is not supported\. Please use AWS4-HMAC-SHA256\.<\/Message>/,
    );
    assert.equal(lastRecord()?.outcome, 'refused');
  });

  it('bad input never kills the server: garbage gets the service error shape, the next request works', async () => {
    const product = twin.state.workloads[cast.product];
    const status = await new Promise<number>((resolve, reject) => {
      const req = http.request(
        `${product.endpoint}/`,
        {
          method: 'POST',
          headers: { 'x-amz-target': 'DynamoDB_20120810.GetItem', authorization: 'AWS4-HMAC-SHA256 garbage' },
        },
        (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        },
      );
      req.on('error', reject);
      req.end('{not json');
    });
    assert.equal(status, 400);
    // STS from an isolated subnet with no STS endpoint never leaves the VPC (and is still audited).
    const sts = new STSClient({
      region: twin.state.region,
      endpoint: product.endpoint,
      credentials: creds(product),
      maxAttempts: 1,
    });
    await assert.rejects(sts.send(new GetCallerIdentityCommand({})));
    assert.equal(lastRecord()?.service, 'sts');
    assert.equal(lastRecord()?.outcome, 'blocked');
    await s3As(product).send(
      new GetObjectCommand({ Bucket: product.environment.BUCKET_NAME, Key: 'images/p-mug.png' }),
    );
  });
});

describe('the scripted demo', () => {
  it('every outcome is the expected one', async () => {
    const rows = await runDemo(twin);
    assert.equal(rows.length, 12);
    for (const row of rows)
      assert.ok(
        row.ok,
        `${row.step}: expected ${JSON.stringify(row.expected)}, got ${JSON.stringify(row.actual)}`,
      );
  });
});

describe('the logs', () => {
  it("flow-log lines parse as AWS's format (the template's LogFormat), one file per ENI", () => {
    const fields = parseLogFormat(readFileSync(join(twin.state.flowLogs, 'log-format.txt'), 'utf8').trim());
    assert.equal(fields.length, 29);
    const files = readdirSync(twin.state.flowLogs).filter((f) => f.endsWith('.log'));
    assert.ok(files.length >= 4);
    for (const file of files) {
      for (const line of readFileSync(join(twin.state.flowLogs, file), 'utf8').trim().split('\n')) {
        const record = parseFlowRecord(line, fields);
        assert.equal(record.version, '5');
        assert.equal(`${record['interface-id']}.log`, file);
        assert.match(record.action ?? '', /^(ACCEPT|REJECT)$/);
        assert.match(record.srcaddr ?? '', /^\d+\.\d+\.\d+\.\d+$/);
      }
    }
  });

  it('every request produced exactly one audit event', () => {
    twin.recorder.flush();
    const events = readAuditLog(twin.state.auditLog);
    assert.equal(events.length, records.length);
    assert.equal(new Set(events.map((e) => e.eventID)).size, events.length);
  });

  it('flow-logs joins a REJECT with who tried what and which rule stopped it', () => {
    twin.recorder.flush();
    const rejects = readFlowLogs(twin.state.flowLogs, twin.state.auditLog, { action: 'REJECT' });
    assert.ok(rejects.length >= 1);
    const first = rejects[0];
    assert.equal(first.ownerKind, 'endpoint');
    assert.equal(first.event?.eventName, 'GetSecretValue');
    assert.match(String(first.event?.userIdentity.arn), /assumed-role\/.*Product/);
    assert.match(first.event?.errorMessage ?? '', /no ingress rule/);
  });
});
