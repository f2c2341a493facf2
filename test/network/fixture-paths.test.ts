/**
 * One fixture template per path kind and per way to be blocked (JSON and YAML), traced through
 * the real loader and model. Each row states the expected route, the endpoint/gateway used, or
 * the component that blocks.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { loadTemplate } from '../../src/cloudformation/load.ts';
import { buildModel } from '../../src/model/index.ts';
import { FLOW_LOG_FIELDS, type RouteKind, type TraceTarget, trace } from '../../src/network/index.ts';

const fixture = (name: string): string =>
  fileURLToPath(new URL(`../fixtures/templates/network/${name}`, import.meta.url));

interface Row {
  readonly name: string;
  readonly template: string;
  readonly parameters?: Record<string, string>;
  readonly from: string;
  readonly to: TraceTarget;
  readonly port?: number;
  readonly route?: RouteKind;
  readonly via?: string;
  /** When blocked: the component that blocks, and a fragment of its reason. */
  readonly blockedBy?: { component: string; reason: RegExp };
}

const ROWS: Row[] = [
  // Path kinds
  {
    name: 'gateway endpoint (S3)',
    template: 'gateway-endpoint.yaml',
    from: 'ProductFunction',
    to: { service: 's3' },
    route: 'gateway-endpoint',
    via: 'S3Endpoint',
  },
  {
    name: 'gateway endpoint, bucket-style hostname',
    template: 'gateway-endpoint.yaml',
    from: 'ProductFunction',
    to: { host: 'images.s3.us-east-1.amazonaws.com' },
    route: 'gateway-endpoint',
    via: 'S3Endpoint',
  },
  {
    name: 'interface endpoint (Secrets Manager)',
    template: 'interface-endpoint.json',
    from: 'PaymentFunction',
    to: { service: 'secretsmanager' },
    route: 'interface-endpoint',
    via: 'SecretsEndpoint',
  },
  {
    name: 'interface endpoint, private API',
    template: 'interface-endpoint.json',
    from: 'ProductFunction',
    to: { resource: 'PrivateApi' },
    route: 'interface-endpoint',
    via: 'ApiEndpoint',
  },
  {
    name: 'NAT gateway → internet gateway',
    template: 'nat-internet.yaml',
    from: 'PrivateFunction',
    to: { service: 'kms' },
    route: 'nat-gateway',
    via: 'NatGateway',
  },
  {
    name: 'internet gateway with a public IP',
    template: 'nat-internet.yaml',
    from: 'WebServer',
    to: { service: 's3' },
    route: 'internet-gateway',
    via: 'InternetGateway',
  },
  {
    name: 'local: RDS in the VPC',
    template: 'rds-local.json',
    from: 'DatabaseFunction',
    to: { resource: 'Database' },
    route: 'local',
    via: 'Database',
  },
  {
    name: 'outside the VPC to a public endpoint',
    template: 'rds-local.json',
    from: 'OutsideFunction',
    to: { service: 's3' },
    route: 'outside-vpc',
  },
  {
    name: 'NACL allows request and return traffic',
    template: 'network-acl.yaml',
    from: 'Function',
    to: { service: 's3' },
    route: 'gateway-endpoint',
    via: 'S3Endpoint',
  },

  // Ways to be blocked
  {
    name: 'no route (DynamoDB without an endpoint)',
    template: 'gateway-endpoint.yaml',
    from: 'ProductFunction',
    to: { service: 'dynamodb' },
    blockedBy: { component: 'route-table', reason: /no route in PrivateRouteTable/ },
  },
  {
    name: "wrong Region's gateway endpoint",
    template: 'gateway-endpoint.yaml',
    parameters: { EndpointRegion: 'us-west-2' },
    from: 'ProductFunction',
    to: { service: 's3' },
    blockedBy: { component: 'route-table', reason: /no route/ },
  },
  {
    name: 'SG egress (5432 not allowed)',
    template: 'rds-local.json',
    from: 'WebFunction',
    to: { resource: 'Database' },
    blockedBy: { component: 'security-group-egress', reason: /WebFnSg/ },
  },
  {
    name: 'endpoint SG ingress',
    template: 'interface-endpoint.json',
    from: 'ProductFunction',
    to: { service: 'secretsmanager' },
    blockedBy: { component: 'security-group-ingress', reason: /EndpointSg/ },
  },
  {
    name: 'NACL outbound deny',
    template: 'network-acl.yaml',
    parameters: { OutboundHttps: 'deny' },
    from: 'Function',
    to: { service: 's3' },
    blockedBy: { component: 'network-acl-outbound', reason: /rule 100 \(deny/ },
  },
  {
    name: 'NACL return traffic (ephemeral ports)',
    template: 'network-acl.yaml',
    parameters: { EphemeralFrom: '32768' },
    from: 'Function',
    to: { service: 's3' },
    blockedBy: { component: 'network-acl-inbound', reason: /ephemeral port 1024/ },
  },
  {
    name: 'private DNS off (default): public address, no route',
    template: 'interface-endpoint.json',
    parameters: { PrivateDns: 'false' },
    from: 'ProductFunction',
    to: { service: 'secretsmanager' },
    blockedBy: { component: 'route-table', reason: /no route/ },
  },
  {
    name: 'private DNS needs enableDnsHostnames',
    template: 'interface-endpoint.json',
    parameters: { DnsHostnames: 'false' },
    from: 'ProductFunction',
    to: { service: 'secretsmanager' },
    blockedBy: { component: 'route-table', reason: /no route/ },
  },
  {
    name: 'IGW without a public IP (VPC Lambda)',
    template: 'nat-internet.yaml',
    from: 'PublicSubnetFunction',
    to: { service: 'kms' },
    blockedBy: { component: 'internet-gateway', reason: /never has a public IP/ },
  },
  {
    name: 'Lambda outside the VPC to a private address',
    template: 'rds-local.json',
    from: 'OutsideFunction',
    to: { resource: 'Database' },
    blockedBy: { component: 'outside-vpc', reason: /cannot reach the private address/ },
  },
  {
    name: 'public API through an execute-api endpoint',
    template: 'interface-endpoint.json',
    from: 'ProductFunction',
    to: { resource: 'PublicApi' },
    blockedBy: { component: 'api-gateway', reason: /refuses public APIs/ },
  },
  {
    name: 'wrong port for the database',
    template: 'rds-local.json',
    from: 'DatabaseFunction',
    to: { resource: 'Database' },
    port: 3306,
    blockedBy: { component: 'security-group-egress', reason: /3306/ },
  },
  {
    name: 'unknown hostname',
    template: 'gateway-endpoint.yaml',
    from: 'ProductFunction',
    to: { host: 'example.com' },
    blockedBy: { component: 'dns', reason: /does not resolve/ },
  },
];

describe('trace: fixture templates', () => {
  for (const row of ROWS) {
    it(row.name, () => {
      const model = buildModel(loadTemplate(fixture(row.template), { parameters: row.parameters }));
      const path = trace(model, row.from, row.to, row.port, { now: 1_700_000_000 });
      for (const record of path.flowRecords) {
        assert.match(record['interface-id'], /^eni-0[0-9a-f]{16}$/);
        assert.deepEqual(Object.keys(record), [...FLOW_LOG_FIELDS]);
      }
      if (row.blockedBy) {
        assert.equal(path.reachable, false, JSON.stringify(path.hops, null, 1));
        assert.equal(path.route, 'none');
        assert.equal(path.blockedBy?.component, row.blockedBy.component, path.blockedBy?.reason);
        assert.match(path.blockedBy?.reason ?? '', row.blockedBy.reason);
        assert.equal(path.hops.at(-1)?.result, 'block');
        assert.equal(path.policyPath, null);
      } else {
        assert.equal(path.reachable, true, path.blockedBy?.reason);
        assert.equal(path.route, row.route);
        assert.equal(path.via, row.via ?? null);
        assert.equal(path.blockedBy, null);
        assert.ok(path.hops.every((hop) => hop.result === 'pass'));
        assert.equal(path.policyPath?.kind, row.route);
      }
    });
  }
});

describe('trace: what the policy engine and the flow logs see', () => {
  const load = (name: string, parameters?: Record<string, string>) =>
    buildModel(loadTemplate(fixture(name), { parameters }));

  it('gateway endpoint: aws:SourceVpce / SourceVpc / VpcSourceIp, traffic-path 7, S3 service tag', () => {
    const model = load('gateway-endpoint.yaml');
    const path = trace(model, 'ProductFunction', { service: 's3' }, 443, { now: 1_700_000_000 });
    assert.equal(path.endpointId, model.vpcEndpoints.get('S3Endpoint')?.physicalId);
    assert.match(path.endpointId ?? '', /^vpce-0[0-9a-f]{16}$/);
    assert.equal(path.vpcId, model.vpcs.get('Vpc')?.physicalId);
    assert.equal(path.sourceIp, path.from.privateIp);
    assert.equal(path.sourceIpKind, 'vpc');
    const egress = path.flowRecords.find((record) => record['flow-direction'] === 'egress');
    assert.equal(egress?.['traffic-path'], 7);
    assert.equal(egress?.['pkt-dst-aws-service'], 'S3');
    assert.equal(egress?.action, 'ACCEPT');
    assert.equal(egress?.dstport, 443);
    assert.equal(egress?.start, 1_700_000_000);
    assert.equal(
      path.flowRecords.find((record) => record['flow-direction'] === 'ingress')?.['traffic-path'],
      '-',
    );
  });

  it('interface endpoint: the ENI in the caller AZ, records on both ENIs with traffic-path 1', () => {
    const model = load('interface-endpoint.json');
    const path = trace(model, 'PaymentFunction', { service: 'secretsmanager' });
    const endpoint = model.vpcEndpoints.get('SecretsEndpoint');
    const eniInB = endpoint?.enis.find((eni) => eni.subnet === 'SubnetB');
    assert.equal(path.from.subnet, 'SubnetB');
    assert.equal(path.to.address, eniInB?.privateIp);
    assert.equal(path.endpointId, endpoint?.physicalId);
    assert.deepEqual(
      new Set(path.flowRecords.map((record) => record['interface-id'])),
      new Set([model.workloadsById.get('PaymentFunction')?.eniId, eniInB?.id]),
    );
    assert.ok(
      path.flowRecords
        .filter((record) => record['flow-direction'] === 'egress')
        .every((record) => record['traffic-path'] === 1),
    );
  });

  it('endpoint SG ingress block: the caller ENI accepts, the endpoint ENI rejects', () => {
    const path = trace(load('interface-endpoint.json'), 'ProductFunction', { service: 'secretsmanager' });
    assert.deepEqual(
      path.flowRecords.map((record) => [record['flow-direction'], record.action]),
      [
        ['egress', 'ACCEPT'],
        ['ingress', 'REJECT'],
      ],
    );
  });

  it('NACL blocks in the flow log: a denied request is REJECTed on egress; a denied response is ACCEPTed out and REJECTed in', () => {
    const request = trace(load('network-acl.yaml', { OutboundHttps: 'deny' }), 'Function', { service: 's3' });
    assert.deepEqual(
      request.flowRecords.map((record) => [record['flow-direction'], record.action]),
      [['egress', 'REJECT']],
    );
    const response = trace(load('network-acl.yaml', { EphemeralFrom: '32768' }), 'Function', {
      service: 's3',
    });
    assert.deepEqual(
      response.flowRecords.map((record) => [
        record['flow-direction'],
        record.action,
        record.srcport < record.dstport ? 'to-client' : 'to-server',
      ]),
      [
        ['egress', 'ACCEPT', 'to-server'],
        ['ingress', 'REJECT', 'to-client'],
      ],
    );
  });

  it('a peering route is reported as such, not followed, and not called reachable', () => {
    const path = trace(load('nat-internet.yaml'), 'PrivateFunction', { ip: '172.16.5.5' });
    assert.equal(path.reachable, false);
    assert.equal(path.route, 'vpc-peering');
    assert.equal(path.blockedBy?.component, 'vpc-peering');
    assert.match(path.blockedBy?.reason ?? '', /pcx-0123456789abcdef0.*not modelled/);
    assert.equal(path.policyPath, null);
  });

  it('NAT path: aws:SourceIp is the NAT public address, no endpoint; NAT ENI egress has traffic-path 8', () => {
    const model = load('nat-internet.yaml');
    const path = trace(model, 'PrivateFunction', { service: 'kms' });
    assert.equal(path.endpointId, null);
    assert.equal(path.vpcId, null);
    assert.equal(path.sourceIpKind, 'public');
    assert.equal(path.policyPath?.publicSourceIp, path.sourceIp);
    assert.ok(
      path.flowRecords.some(
        (record) => record['traffic-path'] === 8 && record['pkt-srcaddr'] === path.from.privateIp,
      ),
    );
  });

  it('outside the VPC: no endpoint, no VPC, no flow records', () => {
    const path = trace(load('rds-local.json'), 'OutsideFunction', { service: 'dynamodb' });
    assert.equal(path.endpointId, null);
    assert.equal(path.flowRecords.length, 0);
    assert.equal(path.from.vpc, null);
    assert.equal(path.policyPath?.kind, 'outside-vpc');
  });

  it('an RDS target defaults to its own port', () => {
    const path = trace(load('rds-local.json'), 'DatabaseFunction', { resource: 'Database' });
    assert.equal(path.to.port, 5432);
  });

  it('is deterministic: the same template traces to the same path', () => {
    const first = trace(
      load('interface-endpoint.json'),
      'PaymentFunction',
      { service: 'secretsmanager' },
      443,
      { now: 1 },
    );
    const second = trace(
      load('interface-endpoint.json'),
      'PaymentFunction',
      { service: 'secretsmanager' },
      443,
      { now: 1 },
    );
    assert.deepEqual(JSON.parse(JSON.stringify(first)), JSON.parse(JSON.stringify(second)));
    assert.ok(JSON.parse(JSON.stringify(first)).flowRecords.length > 0, 'JSON includes the flow records');
  });

  it('an unknown workload is bad input that lists the workloads', () => {
    assert.throws(
      () => trace(load('rds-local.json'), 'Nope', { service: 's3' }),
      /DatabaseFunction \(lambda\).*WebFunction/,
    );
  });
});
