/**
 * Services beyond the emulated ones, through the twin with real SDK v3 clients: STS
 * GetCallerIdentity answers who a set of credentials is; a service the twin does not run
 * (CloudWatch over the query protocol — a signed `Action=ListMetrics` form, parsed as an SDK parses a query error — and
 * over JSON 1.0 with its real SDK) gets a 501 NotImplemented its client can parse — but only once the network
 * path lets the call out: from a subnet without a NAT gateway or an endpoint it is reset, its flow
 * record shows packets that left and never came back, and the audit event names the route table.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { GetCallerIdentityCommand, AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import http from 'node:http';
import { Sha256 } from '@aws-crypto/sha256-js';
import { SignatureV4 } from '@smithy/signature-v4';
import { CloudWatchClient, ListMetricsCommand } from '@aws-sdk/client-cloudwatch';
import { cbor } from '@smithy/core/cbor';
import { readAuditLog } from '../../src/twin/audit-log.ts';
import { readFlowLogs } from '../../src/twin/flow-log-reader.ts';
import type { Twin } from '../../src/twin/twin.ts';
import { notEmulated, wireProtocolOf } from '../../src/twin/unemulated-service.ts';
import type { ServiceRequest } from '../../src/emulators/plugin.ts';
import { lambdaRole, recordingTwin, vpcFunction } from './template-twin.ts';

/**
 * `Isolated` runs in a subnet with no route out; `Natted` in a subnet whose default route goes to a
 * NAT gateway in a public subnet (internet gateway): the way the seed says not to reach AWS.
 */
const TEMPLATE = `
Resources:
  Vpc: {Type: AWS::EC2::VPC, Properties: {CidrBlock: 10.0.0.0/16}}
  Igw: {Type: AWS::EC2::InternetGateway}
  IgwAttachment: {Type: AWS::EC2::VPCGatewayAttachment, Properties: {VpcId: !Ref Vpc, InternetGatewayId: !Ref Igw}}
  PublicSubnet: {Type: AWS::EC2::Subnet, Properties: {VpcId: !Ref Vpc, CidrBlock: 10.0.0.0/24, AvailabilityZone: us-east-1a}}
  PublicRoutes: {Type: AWS::EC2::RouteTable, Properties: {VpcId: !Ref Vpc}}
  PublicDefault: {Type: AWS::EC2::Route, Properties: {RouteTableId: !Ref PublicRoutes, DestinationCidrBlock: 0.0.0.0/0, GatewayId: !Ref Igw}}
  PublicAssociation: {Type: AWS::EC2::SubnetRouteTableAssociation, Properties: {SubnetId: !Ref PublicSubnet, RouteTableId: !Ref PublicRoutes}}
  NatIp: {Type: AWS::EC2::EIP, Properties: {Domain: vpc}}
  Nat: {Type: AWS::EC2::NatGateway, Properties: {SubnetId: !Ref PublicSubnet, AllocationId: !GetAtt NatIp.AllocationId}}
  NattedSubnet: {Type: AWS::EC2::Subnet, Properties: {VpcId: !Ref Vpc, CidrBlock: 10.0.1.0/24, AvailabilityZone: us-east-1a}}
  NattedRoutes: {Type: AWS::EC2::RouteTable, Properties: {VpcId: !Ref Vpc}}
  NattedDefault: {Type: AWS::EC2::Route, Properties: {RouteTableId: !Ref NattedRoutes, DestinationCidrBlock: 0.0.0.0/0, NatGatewayId: !Ref Nat}}
  NattedAssociation: {Type: AWS::EC2::SubnetRouteTableAssociation, Properties: {SubnetId: !Ref NattedSubnet, RouteTableId: !Ref NattedRoutes}}
  IsolatedSubnet: {Type: AWS::EC2::Subnet, Properties: {VpcId: !Ref Vpc, CidrBlock: 10.0.2.0/24, AvailabilityZone: us-east-1a}}
  IsolatedRoutes: {Type: AWS::EC2::RouteTable, Properties: {VpcId: !Ref Vpc}}
  IsolatedAssociation: {Type: AWS::EC2::SubnetRouteTableAssociation, Properties: {SubnetId: !Ref IsolatedSubnet, RouteTableId: !Ref IsolatedRoutes}}
  FlowLogs:
    Type: AWS::EC2::FlowLog
    Properties: {ResourceId: !Ref Vpc, ResourceType: VPC, TrafficType: ALL, LogDestinationType: s3, LogDestination: 'arn:aws:s3:::flow-archive'}
  FnSg: {Type: AWS::EC2::SecurityGroup, Properties: {GroupDescription: fn, VpcId: !Ref Vpc}}${lambdaRole()}${vpcFunction('Natted', 'NattedSubnet')}${vpcFunction('Isolated', 'IsolatedSubnet')}
`;

let twin: Twin;
const { records } = recordingTwin(TEMPLATE, 'twin-unemulated-', {
  started(started) {
    twin = started;
  },
});

type Where = 'internet' | 'Natted' | 'Isolated';

/** SDK client options acting as the Natted function's role, at `where`'s entry. */
function clientOptions(where: Where, secret?: string, keyId?: string) {
  const w = twin.state.workloads.Natted;
  return {
    region: twin.state.region,
    endpoint: where === 'internet' ? twin.state.internet.endpoint : twin.state.workloads[where].endpoint,
    maxAttempts: 1,
    credentials: {
      accessKeyId: keyId ?? w.accessKeyId,
      secretAccessKey: secret ?? w.secretAccessKey,
      sessionToken: w.sessionToken,
    },
  };
}

describe('STS GetCallerIdentity', () => {
  it('answers the caller: the session ARN, its account and its AROA user id — the one the audit log shows', async () => {
    const sts = new STSClient(clientOptions('internet'));
    const who = await sts.send(new GetCallerIdentityCommand({}));
    const session = twin.state.workloads.Natted;
    assert.equal(who.Account, twin.state.account);
    assert.match(who.Arn ?? '', /^arn:aws:sts::\d{12}:assumed-role\/[^/]+\/[^/]+$/);
    assert.equal(who.Arn?.split('/')[1], session.roleArn.split('/').at(-1));
    assert.match(who.UserId ?? '', /^AROA[A-Z0-9]{17}:[^:]+$/);
    assert.equal(who.UserId?.split(':')[1], who.Arn?.split('/').at(-1));
    assert.equal(records.at(-1)?.outcome, 'allowed');
    assert.equal(records.at(-1)?.operation, 'GetCallerIdentity');
    twin.recorder.flush();
    const event = readAuditLog(twin.state.auditLog).at(-1);
    assert.equal(event?.eventName, 'GetCallerIdentity');
    assert.equal(event?.userIdentity.principalId, who.UserId);
  });

  const refusals: Array<{ name: string; secret?: string; keyId?: string; code: string; status: number }> = [
    { name: 'a wrong secret key', secret: 'x'.repeat(40), code: 'SignatureDoesNotMatch', status: 403 },
    {
      name: 'an unknown access key',
      keyId: 'ASIAUNKNOWNUNKNOWN12',
      code: 'InvalidClientTokenId',
      status: 403,
    },
  ];
  for (const r of refusals) {
    it(`refuses ${r.name} with ${r.code} ${r.status}`, async () => {
      const sts = new STSClient(clientOptions('internet', r.secret, r.keyId));
      const error = await sts.send(new GetCallerIdentityCommand({})).catch((e: unknown) => e);
      assert.equal((error as Error).name, r.code);
      assert.equal((error as { $metadata: { httpStatusCode: number } }).$metadata.httpStatusCode, r.status);
    });
  }

  it('answers the actions it does not emulate with 501 NotImplemented', async () => {
    const sts = new STSClient(clientOptions('internet'));
    const error = await sts
      .send(new AssumeRoleCommand({ RoleArn: twin.state.workloads.Natted.roleArn, RoleSessionName: 's' }))
      .catch((e: unknown) => e);
    assert.equal((error as Error).name, 'NotImplemented');
    assert.equal((error as { $metadata: { httpStatusCode: number } }).$metadata.httpStatusCode, 501);
  });
});

/**
 * CloudWatch's query protocol (`Action=ListMetrics&Version=2010-08-01`, form-encoded, SigV4 for
 * `monitoring`), sent as any query client sends it; an `<ErrorResponse>` answer becomes the error
 * a query SDK raises (name = `<Code>`, `$metadata.httpStatusCode`).
 */
async function cloudWatchQuery(where: Where): Promise<unknown> {
  const options = clientOptions(where);
  const url = new URL(options.endpoint);
  const body = 'Action=ListMetrics&Version=2010-08-01';
  const signer = new SignatureV4({
    service: 'monitoring',
    region: options.region,
    credentials: options.credentials,
    sha256: Sha256,
  });
  const signed = await signer.sign({
    method: 'POST',
    protocol: 'http:',
    hostname: url.hostname,
    port: Number(url.port),
    path: '/',
    headers: {
      host: url.host,
      'content-type': 'application/x-www-form-urlencoded; charset=utf-8',
      'content-length': String(Buffer.byteLength(body)),
    },
    body,
  });
  const { status, text } = await new Promise<{ status: number; text: string }>((resolve, reject) => {
    const req = http.request(
      { method: 'POST', hostname: url.hostname, port: url.port, path: '/', headers: signed.headers },
      (res) => {
        let data = '';
        res.on('data', (chunk: Buffer) => (data += chunk.toString('utf8')));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, text: data }));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
  const code = /<Code>([^<]*)<\/Code>/.exec(text)?.[1];
  if (code === undefined) return text;
  const error = new Error(/<Message>([^<]*)<\/Message>/.exec(text)?.[1] ?? '');
  error.name = code;
  throw Object.assign(error, { $metadata: { httpStatusCode: status } });
}

describe('the network path comes first, for every service', () => {
  const calls: Array<{ label: string; service: string; call: (where: Where) => Promise<unknown> }> = [
    {
      label: 'sts',
      service: 'sts',
      call: (where) => new STSClient(clientOptions(where)).send(new GetCallerIdentityCommand({})),
    },
    { label: 'monitoring (query)', service: 'monitoring', call: cloudWatchQuery },
    {
      label: 'monitoring (JSON 1.0)',
      service: 'monitoring',
      call: (where) => new CloudWatchClient(clientOptions(where)).send(new ListMetricsCommand({})),
    },
  ];
  for (const c of calls) {
    it(`${c.label} from an isolated subnet: connection reset, unanswered egress, a blocked audit event`, async () => {
      const error = await c.call('Isolated').catch((e: unknown) => e);
      assert.ok(error instanceof Error);
      assert.match(String((error as { code?: string }).code ?? error.message), /ECONNRESET|socket hang up/);
      const record = records.at(-1);
      assert.equal(record?.service, c.service);
      assert.equal(record?.outcome, 'blocked');
      assert.match(record?.blockedBy ?? '', /route-table .*no route/);
      twin.recorder.flush();
      twin.recorder.flush();
      const rows = readFlowLogs(twin.state.flowLogs, twin.state.auditLog, { workload: 'Isolated' });
      const toService = rows.filter((row) => String(row.record.dstport) === '443');
      assert.ok(
        toService.length > 0,
        `an egress record to port 443: ${JSON.stringify(rows.map((r) => r.record))}`,
      );
      // No route: the packets left the ENI and nothing came back.
      assert.ok(!rows.some((row) => String(row.record.srcport) === '443'));
      const event = readAuditLog(twin.state.auditLog).at(-1);
      assert.equal(event?.eventSource, `${c.service}.amazonaws.com`);
      assert.equal(event?.errorCode, 'ConnectionReset');
    });
  }

  it('sts through the NAT gateway: answered, over the NAT route', async () => {
    const who = await new STSClient(clientOptions('Natted')).send(new GetCallerIdentityCommand({}));
    assert.equal(who.Account, twin.state.account);
    assert.equal(records.at(-1)?.route, 'nat-gateway');
  });

  for (const c of calls.filter((c) => c.service !== 'sts')) {
    for (const where of ['Natted', 'internet'] as const) {
      it(`${c.label} from ${where}: arrives, and 501 NotImplemented parses in its client`, async () => {
        const error = await c.call(where).catch((e: unknown) => e);
        assert.equal((error as Error).name, 'NotImplemented', String(error));
        assert.match((error as Error).message, new RegExp(`does not emulate ${c.service}:`));
        assert.equal((error as { $metadata: { httpStatusCode: number } }).$metadata.httpStatusCode, 501);
        const record = records.at(-1);
        assert.equal(record?.service, c.service);
        assert.equal(record?.route, where === 'internet' ? 'internet' : 'nat-gateway');
        assert.equal(record?.outcome, 'refused');
      });
    }
  }

  it('a wrong signature to a service the twin does not run is still refused as a signature error', async () => {
    const cloudwatch = new CloudWatchClient(clientOptions('internet', 'y'.repeat(40)));
    const error = await cloudwatch.send(new ListMetricsCommand({})).catch((e: unknown) => e);
    assert.equal((error as Error).name, 'InvalidSignatureException');
    assert.equal(records.at(-1)?.service, 'monitoring');
    assert.equal(records.at(-1)?.outcome, 'refused');
  });
});

describe('wire protocols of the NotImplemented answer', () => {
  const request = (headers: Record<string, string>, body = '', path = '/'): ServiceRequest => ({
    method: 'POST',
    url: new URL(`http://127.0.0.1${path}`),
    headers,
    body: Buffer.from(body),
  });
  it('rpc-v2-cbor: a CBOR map with __type and message', () => {
    const req = request(
      { 'smithy-protocol': 'rpc-v2-cbor', 'content-type': 'application/cbor' },
      '',
      '/service/GraniteServiceVersion20100801/operation/ListMetrics',
    );
    assert.equal(wireProtocolOf(req), 'cbor');
    const response = notEmulated('monitoring', 'ListMetrics', req);
    const decoded = cbor.deserialize(response.body as Buffer) as Record<string, string>;
    assert.equal(decoded.__type, 'NotImplemented');
    assert.match(decoded.message, /monitoring:ListMetrics/);
    assert.equal(response.status, 501);
  });
  const shapes: Array<{ headers: Record<string, string>; body?: string; protocol: string }> = [
    { headers: { 'x-amz-target': 'GraniteServiceVersion20100801.ListMetrics' }, protocol: 'json' },
    {
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'Action=ListMetrics&Version=2010-08-01',
      protocol: 'query',
    },
    { headers: { 'content-type': 'application/json' }, protocol: 'rest-json' },
    { headers: {}, protocol: 'rest-xml' },
  ];
  for (const s of shapes) {
    it(`${s.protocol}: recognized from ${JSON.stringify(s.headers)}`, () => {
      assert.equal(wireProtocolOf(request(s.headers, s.body)), s.protocol);
    });
  }
});
