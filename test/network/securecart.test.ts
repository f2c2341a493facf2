/**
 * SecureCart's own template: every service reaches exactly what the seed says it needs, through
 * the endpoint the seed names, and nothing else on the network. (IAM and resource policies
 * narrow further; that is src/policy's job.)
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { loadTemplate } from '../../src/cloudformation/load.ts';
import { type Model, buildModel } from '../../src/model/index.ts';
import { type TraceTarget, trace } from '../../src/network/index.ts';

const templateFile = fileURLToPath(new URL('../../cdk.out/SecureCart.template.json', import.meta.url));

async function loadSecureCart(): Promise<Model | string> {
  if (!existsSync(templateFile)) {
    try {
      const { synthesize } = (await import('../../infra/bin/synth.ts')) as {
        synthesize: (outdir?: string) => string;
      };
      synthesize(fileURLToPath(new URL('../../cdk.out', import.meta.url)));
    } catch (error) {
      return `cdk.out/SecureCart.template.json is missing and synthesize() failed: ${(error as Error).message}`;
    }
  }
  return buildModel(loadTemplate(templateFile));
}

const loaded = await loadSecureCart();
const skip = typeof loaded === 'string' ? loaded : false;

/** The workload whose logical id contains `name` (CDK adds a hash suffix). */
function workload(model: Model, name: string): string {
  const found = model.workloads.find((w) => w.logicalId.includes(name));
  assert.ok(found, `no workload named like ${name}: ${model.workloads.map((w) => w.logicalId).join(', ')}`);
  return found.logicalId;
}

function endpointOf(model: Model, service: string): string {
  const found = [...model.vpcEndpoints.values()].find((endpoint) => endpoint.service === service);
  assert.ok(found, `no ${service} endpoint`);
  return found.logicalId;
}

function apiOf(model: Model, type: string): string {
  const found = [...model.restApis.values()].find((api) => api.endpointTypes.includes(type));
  assert.ok(found, `no ${type} API`);
  return found.logicalId;
}

type Expect =
  | { route: 'gateway-endpoint' | 'interface-endpoint' | 'local'; via: (model: Model) => string }
  | { blocked: string };

const GATEWAY = (service: string): Expect => ({
  route: 'gateway-endpoint',
  via: (m) => endpointOf(m, service),
});
const INTERFACE = (service: string): Expect => ({
  route: 'interface-endpoint',
  via: (m) => endpointOf(m, service),
});

/** Rows: service × target → expectation. */
const MATRIX: Array<[string, string, (model: Model) => TraceTarget, Expect]> = [
  ['Product', 's3', () => ({ service: 's3' }), GATEWAY('s3')],
  ['Product', 'dynamodb', () => ({ service: 'dynamodb' }), GATEWAY('dynamodb')],
  ['Product', 'secretsmanager', () => ({ service: 'secretsmanager' }), { blocked: 'security-group-ingress' }],
  [
    'Product',
    'private API',
    (m) => ({ resource: apiOf(m, 'PRIVATE') }),
    { blocked: 'security-group-ingress' },
  ],
  ['Order', 'dynamodb', () => ({ service: 'dynamodb' }), GATEWAY('dynamodb')],
  // The gateway services' SGs allow 443 to 0.0.0.0/0 by design (prefix-list ids are unknown offline),
  // so S3 is reachable on the network from the order service; its IAM role and the endpoint policy deny it.
  ['Order', 's3 (network only; IAM denies)', () => ({ service: 's3' }), GATEWAY('s3')],
  ['Order', 'private API', (m) => ({ resource: apiOf(m, 'PRIVATE') }), INTERFACE('execute-api')],
  [
    'Order',
    'public API (private DNS sends it to the endpoint)',
    (m) => ({ resource: apiOf(m, 'REGIONAL') }),
    { blocked: 'api-gateway' },
  ],
  ['Order', 'secretsmanager', () => ({ service: 'secretsmanager' }), { blocked: 'security-group-ingress' }],
  ['Payment', 'secretsmanager', () => ({ service: 'secretsmanager' }), INTERFACE('secretsmanager')],
  ['Payment', 's3', () => ({ service: 's3' }), { blocked: 'security-group-egress' }],
  ['Payment', 'dynamodb', () => ({ service: 'dynamodb' }), { blocked: 'security-group-egress' }],
  [
    'Payment',
    'private API',
    (m) => ({ resource: apiOf(m, 'PRIVATE') }),
    { blocked: 'security-group-egress' },
  ],
  ['Database', 'secretsmanager', () => ({ service: 'secretsmanager' }), INTERFACE('secretsmanager')],
  [
    'Database',
    'the RDS database',
    (m) => ({ resource: [...m.databases.keys()][0] }),
    { route: 'local', via: (m) => [...m.databases.keys()][0] },
  ],
  ['Database', 's3', () => ({ service: 's3' }), { blocked: 'security-group-egress' }],
];

describe('SecureCart template: each service reaches exactly what it needs', { skip }, () => {
  const model = loaded as Model;
  for (const [service, what, target, expect] of MATRIX) {
    it(`${service} → ${what}: ${'blocked' in expect ? `blocked by ${expect.blocked}` : expect.route}`, () => {
      const path = trace(model, workload(model, `${service}Function`), target(model));
      if ('blocked' in expect) {
        assert.equal(path.reachable, false, 'expected a block');
        assert.equal(path.blockedBy?.component, expect.blocked, path.blockedBy?.reason);
      } else {
        assert.equal(path.reachable, true, path.blockedBy?.reason);
        assert.equal(path.route, expect.route);
        assert.equal(path.via, expect.via(model));
      }
    });
  }

  it('no service reaches anything over the internet: KMS, STS and any public host have no route', () => {
    for (const w of model.workloads) {
      for (const target of [{ service: 'kms' }, { service: 'sts' }, { ip: '8.8.8.8' }]) {
        const path = trace(model, w.logicalId, target);
        assert.equal(path.reachable, false, `${w.logicalId} → ${JSON.stringify(target)}: ${path.route}`);
      }
    }
  });

  it('only the database service reaches the database', () => {
    const database = [...model.databases.keys()][0];
    for (const w of model.workloads) {
      const path = trace(model, w.logicalId, { resource: database });
      assert.equal(
        path.reachable,
        w.logicalId.includes('DatabaseFunction'),
        `${w.logicalId}: ${path.blockedBy?.reason}`,
      );
    }
  });

  it('the interface endpoints resolve through private DNS (enableDnsSupport and enableDnsHostnames on)', () => {
    const path = trace(model, workload(model, 'PaymentFunction'), { service: 'secretsmanager' });
    assert.match(path.hops[0].detail, /private DNS of interface endpoint/);
    assert.equal(path.hops[0].result, 'pass');
  });
});
