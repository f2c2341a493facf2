/**
 * The twin's per-request authorization, timed decision by decision on SecureCart's own template:
 * the exact calls the gateway makes (Authorizer.authorize with the twin's PolicyCache, the
 * memoized NetworkPaths facts and the emulators' own classifiers; Authorizer.authorizeKms for the
 * key-policy check Secrets Manager asks for), plus the same decision split into buildContext and
 * evaluate (called the way src/twin/authorize.ts calls them).
 *
 * The same run measures a baseline: src/policy and the twin's authorizer files (authorize.ts,
 * policy-cache.ts, denial-message.ts) as they were at a git revision (default: the commit before
 * the speed work), written to a temp dir, so the authorize step is all that differs. Baseline and current rounds alternate, so load from
 * other processes on the shared box hits both alike: read the ratio. Before timing, both must
 * give identical verdicts and decisions.
 *
 *   node --import tsx bench/authorize.ts [--rounds 21] [--iterations 4000] [--baseline <rev>|none]
 *
 * Prints µs per decision (median over rounds, CPU time of this process) per kind.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { loadTemplate } from '../src/cloudformation/load.ts';
import { buildModel, type Model } from '../src/model/index.ts';
import * as currentPolicy from '../src/policy/index.ts';
import * as currentAuthorize from '../src/twin/authorize.ts';
import * as currentCache from '../src/twin/policy-cache.ts';
import type { Principal } from '../src/twin/authorize.ts';
import { NetworkPaths, type NetworkPath } from '../src/twin/network-paths.ts';
import { stackNameOf } from '../src/twin/twin.ts';
import { classifyS3 } from '../src/emulators/s3/classify.ts';
import { classifyDynamoDb } from '../src/emulators/dynamodb/classify.ts';
import { classifySecretsManager } from '../src/emulators/secretsmanager/classify.ts';
import type { Caller, Classified, EmulatorPlugin, ServiceRequest } from '../src/emulators/plugin.ts';
import type { KmsUseRequest } from '../src/emulators/secretsmanager/plugin.ts';
import type { CompiledPolicy, RequestFacts } from '../src/policy/index.ts';

const arg = (name: string, fallback: string): string => {
  const at = process.argv.indexOf(`--${name}`);
  return at >= 0 ? (process.argv[at + 1] ?? fallback) : fallback;
};
const ROUNDS = Number(arg('rounds', '21'));
const ITERATIONS = Number(arg('iterations', '4000'));
/** The last commit before the policy engine's allocation work (src/policy as the twin bench profiled it). */
const BASELINE = arg('baseline', '6d91cf1df6fa04288a3f048f7ea91c7c9f197928');
const TEMPLATE = 'cdk.out/SecureCart.template.json';
const HTTPS_PORT = 443;
const ROOT = fileURLToPath(new URL('..', import.meta.url));
/** The twin files the authorizer needs besides src/policy (type-only imports are erased). */
const TWIN_FILES = ['src/twin/authorize.ts', 'src/twin/policy-cache.ts', 'src/twin/denial-message.ts'];

interface Engine {
  policy: typeof currentPolicy;
  authorize: typeof currentAuthorize;
  cache: typeof currentCache;
}

/** src/policy and the twin's authorizer files at `rev`, in a temp dir; undefined without git. */
async function loadBaseline(rev: string): Promise<Engine | undefined> {
  if (rev === 'none') return undefined;
  const dir = mkdtempSync(join(tmpdir(), 'authorize-baseline-'));
  try {
    const files = execFileSync('git', ['ls-tree', '-r', '--name-only', rev, 'src/policy'], {
      cwd: ROOT,
      encoding: 'utf8',
    })
      .split('\n')
      .filter((f) => f.endsWith('.ts'));
    for (const file of files) {
      mkdirSync(dirname(join(dir, file)), { recursive: true });
      writeFileSync(join(dir, file), execFileSync('git', ['show', `${rev}:${file}`], { cwd: ROOT }));
    }
    for (const file of TWIN_FILES) {
      mkdirSync(dirname(join(dir, file)), { recursive: true });
      writeFileSync(join(dir, file), execFileSync('git', ['show', `${rev}:${file}`], { cwd: ROOT }));
    }
    const load = (file: string) => import(pathToFileURL(join(dir, file)).href);
    return {
      policy: (await load('src/policy/index.ts')) as typeof currentPolicy,
      authorize: (await load('src/twin/authorize.ts')) as typeof currentAuthorize,
      cache: (await load('src/twin/policy-cache.ts')) as typeof currentCache,
    };
  } catch (error) {
    console.log(`baseline ${rev} unavailable (${String(error).split('\n')[0]}): current code only`);
    return undefined;
  } finally {
    // Modules are loaded: the files are no longer needed.
    rmSync(dir, { recursive: true, force: true });
  }
}

if (!existsSync(TEMPLATE)) {
  console.error(`bench/authorize: ${TEMPLATE} is missing; run \`npm run synth\` first`);
  process.exit(2);
}
const template = loadTemplate(TEMPLATE, { stackName: stackNameOf(TEMPLATE) });
const model = buildModel(template);
const region = model.region;

function only<T>(values: Iterable<T>, test: (v: T) => boolean, what: string): T {
  for (const v of values) if (test(v)) return v;
  throw new Error(`bench/authorize: no ${what} in ${TEMPLATE}`);
}
const productFn = only(model.workloads, (w) => /ProductFunction/.test(w.logicalId), 'product function');
const paymentFn = only(model.workloads, (w) => /PaymentFunction/.test(w.logicalId), 'payment function');
const images = only(model.buckets.values(), (b) => /ProductImages/.test(b.logicalId), 'images bucket');
const products = only(model.tables.values(), (t) => /Products/.test(t.logicalId), 'products table');
const secret = only(model.secrets.values(), (s) => /PaymentProviderKey/.test(s.logicalId), 'provider secret');
const key = only(
  model.keys.values(),
  (k) => k.arn !== undefined && k.arn === keyArnOf(secret.kmsKeyId),
  'key',
);

function keyArnOf(kmsKeyId: string | undefined): string | undefined {
  if (kmsKeyId === undefined) return undefined;
  if (kmsKeyId.startsWith('arn:')) return kmsKeyId;
  for (const k of model.keys.values()) if (k.keyId === kmsKeyId) return k.arn;
  return undefined;
}

/** The principal the gateway derives from a workload's credentials (see CredentialStore.mint). */
function principalOf(workload: Model['workloads'][number]): Principal {
  if (!workload.roleArn) throw new Error(`bench/authorize: ${workload.logicalId} has no role`);
  const functionName = template.resources[workload.logicalId]?.physicalId ?? workload.logicalId;
  return {
    principalArn: currentPolicy.assumedRoleSessionArn(workload.roleArn, functionName),
    accountId: model.accountId,
    roleArn: workload.roleArn,
    roleLogicalId: workload.roleLogicalId,
  };
}

const policyText = (document: unknown): string | undefined =>
  document === undefined ? undefined : typeof document === 'string' ? document : JSON.stringify(document);

/** Stands in for an emulator plugin: the authorizer only asks it for resource policies. */
function policyHolder(service: string, policies: Record<string, string | undefined>): EmulatorPlugin {
  const unused = (): never => {
    throw new Error('bench/authorize: not an emulator');
  };
  return {
    service,
    start: unused,
    stop: unused,
    classify: unused,
    handle: unused,
    deny: unused,
    error: unused,
    resourcePolicy: (arn: string) => policies[arn],
  };
}

function request(method: string, url: string, headers: Record<string, string>, body = ''): ServiceRequest {
  return { method, url: new URL(url), headers, body: Buffer.from(body) };
}

// --- The requests, classified by the emulators' own classifiers ---------------------------------
const paths = new NetworkPaths(model);
const tableArn = products.arn ?? `arn:aws:dynamodb:${region}:${model.accountId}:table/${products.name}`;

interface Kind {
  name: string;
  principal: Principal;
  path: NetworkPath;
  plugin: EmulatorPlugin;
  classified: Classified;
}

const kinds: Kind[] = [
  {
    name: 's3:GetObject (product, gateway endpoint, bucket policy)',
    principal: principalOf(productFn),
    path: paths.from(productFn.logicalId, { service: 's3' }, HTTPS_PORT),
    plugin: policyHolder('s3', { [images.arn]: policyText(images.policy) }),
    classified: classifyS3(
      request('GET', `http://${images.name}.s3.${region}.amazonaws.com/products/p-001.jpg`, {
        host: `${images.name}.s3.${region}.amazonaws.com`,
      }),
    ),
  },
  {
    name: 'dynamodb:GetItem (product, gateway endpoint, table policy)',
    principal: principalOf(productFn),
    path: paths.from(productFn.logicalId, { service: 'dynamodb' }, HTTPS_PORT),
    plugin: policyHolder('dynamodb', { [tableArn]: policyText(products.resourcePolicy) }),
    classified: classifyDynamoDb(
      request(
        'POST',
        `http://dynamodb.${region}.amazonaws.com/`,
        { 'x-amz-target': 'DynamoDB_20120810.GetItem', 'content-type': 'application/x-amz-json-1.0' },
        JSON.stringify({ TableName: products.name, Key: { productId: { S: 'p-001' } } }),
      ),
      {
        tableArn: (name) => tableArn.replace(/[^/]+$/, name),
        partitionKeyOf: (name) => (name === products.name ? 'productId' : undefined),
      },
    ),
  },
  {
    name: 'secretsmanager:GetSecretValue (payment, interface endpoint, secret policy)',
    principal: principalOf(paymentFn),
    path: paths.from(paymentFn.logicalId, { service: 'secretsmanager' }, HTTPS_PORT),
    plugin: policyHolder('secretsmanager', { [secret.arn]: policyText(secret.resourcePolicy) }),
    classified: classifySecretsManager(
      request(
        'POST',
        `http://secretsmanager.${region}.amazonaws.com/`,
        { 'x-amz-target': 'secretsmanager.GetSecretValue', 'content-type': 'application/x-amz-json-1.1' },
        JSON.stringify({ SecretId: secret.arn }),
      ),
      {
        resolve: (id) => (id === secret.arn ? { arn: secret.arn, tags: [] } : undefined),
        nominalArn: (name) => `arn:aws:secretsmanager:${region}:${model.accountId}:secret:${name}-??????`,
      },
    ),
  },
];
const KMS_NAME = 'kms:Decrypt (key policy, kms:ViaService; per GetSecretValue)';
const kmsPlugin = policyHolder('kms', { [key.arn ?? '']: policyText(key.policy) });
const payment = kinds[2];
const encryptionContext = { SecretARN: secret.arn, SecretVersionId: '00000000-0000-4000-8000-000000000001' };
/** Not a workload's principal: the authorizer lets the twin's own boot calls through unchecked. */
const BOOT = `arn:aws:iam::${model.accountId}:root-boot`;

/** One timed thing: returns a value that must not change while it is timed. */
interface Timed {
  group: string;
  name: string;
  run: () => unknown;
}

/** Everything timed, built on one engine (current or baseline). */
function timedOn(engine: Engine): Timed[] {
  const policies = new engine.cache.PolicyCache(model);
  const authorizer = new engine.authorize.Authorizer(policies, region);
  // The KMS check: Secrets Manager decrypting the secret for the payment service, with the
  // original request's scope bound to the Caller object as the gateway binds it.
  const kmsRequest: KmsUseRequest = {
    action: 'kms:Decrypt',
    keyArn: key.arn ?? '',
    caller: authorizer.bind(
      { principalArn: payment.principal.principalArn, accountId: model.accountId } satisfies Caller,
      { principal: payment.principal, facts: payment.path.facts },
    ),
    viaService: `secretsmanager.${region}.amazonaws.com`,
    encryptionContext,
  };
  const out: Timed[] = kinds.map((k) => ({
    group: 'Authorizer (the twin: buildContext + evaluate + policy lookups)',
    name: k.name,
    run: () => authorizer.authorize(k.plugin, k.classified, k.principal, k.path.facts, k.path.via),
  }));
  out.push({
    group: out[0].group,
    name: KMS_NAME,
    run: () => authorizer.authorizeKms(kmsPlugin, kmsRequest, BOOT),
  });

  // The same decisions split in two, with the facts and policy sets authorize.ts builds.
  interface Split {
    name: string;
    facts: RequestFacts;
    identity: CompiledPolicy[];
    resource: CompiledPolicy | null;
    endpoints: CompiledPolicy[] | undefined;
  }
  const splits: Split[] = kinds.map((k) => {
    const check = k.classified.checks[0];
    const text = k.plugin.resourcePolicy(k.classified.policyArns[0] ?? '');
    return {
      name: k.name,
      facts: {
        principalArn: k.principal.principalArn,
        principalAccount: k.principal.accountId,
        principalRoleArn: k.principal.roleArn,
        service: check.action.split(':')[0],
        action: check.action,
        resource: check.resource,
        region,
        secureTransport: true,
        now: new Date(),
        path: k.path.facts,
        serviceKeys: k.classified.serviceKeys,
      },
      identity: policies.identityOf(k.principal.roleLogicalId),
      resource: text ? policies.resource(text, k.classified.policyArns[0]) : null,
      endpoints: k.path.via ? [policies.endpoint(k.path.via)] : undefined,
    };
  });
  const kmsText = kmsPlugin.resourcePolicy(kmsRequest.keyArn);
  splits.push({
    name: KMS_NAME,
    facts: {
      principalArn: payment.principal.principalArn,
      principalAccount: payment.principal.accountId,
      principalRoleArn: payment.principal.roleArn,
      service: 'kms',
      action: kmsRequest.action,
      resource: kmsRequest.keyArn,
      region,
      secureTransport: true,
      now: new Date(),
      path: payment.path.facts,
      viaService: 'secretsmanager.amazonaws.com',
      serviceKeys: { 'kms:EncryptionContextKeys': Object.keys(encryptionContext) },
    },
    identity: policies.identityOf(payment.principal.roleLogicalId),
    resource: kmsText ? policies.resource(kmsText, kmsRequest.keyArn) : null,
    endpoints: undefined,
  });
  for (const s of splits)
    out.push({ group: 'buildContext alone', name: s.name, run: () => engine.policy.buildContext(s.facts) });
  for (const s of splits) {
    const context = engine.policy.buildContext(s.facts);
    out.push({
      group: 'evaluate alone',
      name: s.name,
      run: () =>
        engine.policy.evaluate(
          { principal: s.facts.principalArn, action: s.facts.action, resource: s.facts.resource, context },
          { identity: s.identity, resource: s.resource, endpoints: s.endpoints },
        ),
    });
  }
  return out;
}

const baselineEngine = await loadBaseline(BASELINE);
const current = timedOn({ policy: currentPolicy, authorize: currentAuthorize, cache: currentCache });
const baseline = baselineEngine ? timedOn(baselineEngine) : undefined;

// Every decision timed is the one the twin makes for SecureCart (allowed), and the baseline
// engine gives exactly the same verdicts, decisions and contexts.
for (const [i, t] of current.entries()) {
  const result = t.run();
  if (t.group !== 'buildContext alone') {
    const allowed =
      (result as { allowed?: boolean }).allowed ?? (result as { decision?: string }).decision === 'allowed';
    assert.ok(allowed, `bench/authorize: ${t.name} is not allowed — the bench would time a denial`);
  }
  if (baseline)
    assert.deepStrictEqual(result, baseline[i].run(), `${t.group}: ${t.name} differs from baseline`);
}

const cpuMicros = (): number => {
  const u = process.cpuUsage();
  return u.user + u.system;
};

/** CPU µs per call over one round of ITERATIONS calls. */
function round(t: Timed): number {
  const c0 = cpuMicros();
  for (let i = 0; i < ITERATIONS; i++) t.run();
  return (cpuMicros() - c0) / ITERATIONS;
}

// Warm-up: every path JIT-compiled before anything is timed.
for (let i = 0; i < 5; i++) for (const t of [...current, ...(baseline ?? [])]) round(t);

const loadAtStart = loadavg()
  .map((x) => x.toFixed(1))
  .join(' ');
const base: number[][] = current.map(() => []);
const now: number[][] = current.map(() => []);
for (let r = 0; r < ROUNDS; r++) {
  for (const [i, t] of current.entries()) {
    // Alternate which goes first, so neither always runs right after the other's garbage.
    if (baseline && r % 2 === 0) base[i].push(round(baseline[i]));
    now[i].push(round(t));
    if (baseline && r % 2 === 1) base[i].push(round(baseline[i]));
  }
}
const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

console.log(
  `authorize benchmark (node ${process.version}; ${ROUNDS} rounds × ${ITERATIONS} calls; CPU µs per call, median of rounds;` +
    ` load average at start ${loadAtStart}, 2 cores shared)` +
    (baseline ? `; baseline src/policy at ${BASELINE.slice(0, 12)}` : ''),
);
const row = (name: string, b: string, c: string, ratio: string) =>
  `  ${name.padEnd(74)}${b.padStart(10)}${c.padStart(10)}${ratio.padStart(8)}`;
let group = '';
const totals = { base: 0, now: 0 };
for (const [i, t] of current.entries()) {
  if (t.group !== group) {
    group = t.group;
    console.log(group);
    console.log(row('', 'baseline', 'current', 'ratio'));
  }
  const b = baseline ? median(base[i]) : NaN;
  const c = median(now[i]);
  if (i < kinds.length + 1) {
    totals.base += b;
    totals.now += c;
  }
  console.log(row(t.name, baseline ? b.toFixed(2) : '-', c.toFixed(2), baseline ? (c / b).toFixed(2) : '-'));
}
console.log(
  row(
    'Authorizer, one request of each kind (S3 + DynamoDB + Secrets Manager + KMS)',
    baseline ? totals.base.toFixed(2) : '-',
    totals.now.toFixed(2),
    baseline ? (totals.now / totals.base).toFixed(2) : '-',
  ),
);
