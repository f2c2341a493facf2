/**
 * `startTwin`: runs a template on this machine. Loads it, builds the model, creates the local
 * resources, seeds demo data into an empty data directory, opens the gateway's entries (the
 * internet one and one per workload ENI), the database entries, runs the Lambda functions in
 * worker threads pointed at their entries, and writes `<data>/twin.json` (the contract other
 * tools rely on) once everything is ready.
 */
import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { loadTemplate } from '../cloudformation/load.ts';
import type { Template } from '../cloudformation/types.ts';
import { buildModel, type Model } from '../model/index.ts';
import { createEmulators, startEmulators, stopEmulators } from '../emulators/registry.ts';
import type { EmulatorPlugin } from '../emulators/plugin.ts';
import { ApiGatewayEmulator } from '../emulators/apigateway/index.ts';
import { InvocationLogs, LambdaRuntime, type LambdaFunctionDef } from '../emulators/lambda/index.ts';
import { LambdaApiEmulator } from '../emulators/lambda-api/plugin.ts';
import { spawnPostgres } from './postgres-process.ts';
import { Authorizer } from './authorize.ts';
import { LambdaPermissions } from '../model/lambda-permissions.ts';
import { bootCaller, bootResources, functionWorkDir, type BootResult } from './boot.ts';
import { writeInlineCode } from './inline-code.ts';
import { CostMeter } from './cost-meter.ts';
import { CredentialStore } from './credentials.ts';
import { openDatabaseEntry, type DatabaseEntry } from './database-entry.ts';
import { DEFAULT_LOG_FORMAT, parseLogFormat } from '../network/flow-log-format.ts';
import { ThreadedRequestLogs } from './threaded-request-logs.ts';
import { captureWindowSeconds } from './flow-aggregator.ts';
import { INTERFACES_FILE, LOG_FORMAT_FILE, type InterfaceOwners } from './flow-log-reader.ts';
import { Gateway, type Listener } from './gateway.ts';
import { writeHandlerWrapper, type TcpTarget } from './lambda-wrapper.ts';
import { NetworkPaths } from './network-paths.ts';
import { PolicyCache } from './policy-cache.ts';
import { Recorder } from './recorder.ts';
import { SnsDelivery } from './sns-delivery.ts';
import { markSeeded, needsSeeding, seedCatalog, seedCustomers, type SeedReport } from './seed.ts';
import type { TwinState } from './twin-state.ts';

export interface TwinOptions {
  readonly templateFile: string;
  readonly dataDir: string;
  /** Internet entry port; 0 = ephemeral. @default 4566 */
  readonly port?: number;
  readonly parameters?: Readonly<Record<string, string>>;
  /** Demo data folder; seeded into an empty data dir. @default <repo>/fixtures/seed */
  readonly seedDir?: string | null;
  /**
   * Flow logs' capture window, seconds: a flow's packets within it make one record. Capped at the
   * template's MaxAggregationInterval. @default 1
   */
  readonly flowWindowSeconds?: number;
}

export interface Twin {
  readonly state: TwinState;
  readonly stateFile: string;
  readonly model: Model;
  readonly recorder: Recorder;
  readonly meter: CostMeter;
  readonly boot: BootResult;
  /** What was seeded into an empty data dir (customers are counted once PostgreSQL is up). */
  readonly seeded?: SeedReport;
  /** The emulator plugins behind the gateway (for benchmarks that bypass it). */
  readonly plugins: readonly EmulatorPlugin[];
  /** Resolves when the databases are up (and seeded). */
  readonly databasesReady: Promise<unknown>;
  /** Milliseconds spent in each boot phase, in order. */
  readonly timings: ReadonlyArray<readonly [string, number]>;
  stop(): Promise<void>;
}

const DEFAULT_SEED_DIR = new URL('../../fixtures/seed/', import.meta.url);

/** `SecureCart.template.json` → `SecureCart` (CDK's file name is `<stack>.template.json`). */
export function stackNameOf(file: string): string {
  return basename(file)
    .replace(/\.template\.(json|ya?ml)$/i, '')
    .replace(/\.(json|ya?ml|template)$/i, '');
}

function flowLogFormat(template: Template): string {
  const flowLog = Object.values(template.resources).find((r) => r.type === 'AWS::EC2::FlowLog');
  const format = flowLog?.properties.LogFormat;
  return typeof format === 'string' ? format : DEFAULT_LOG_FORMAT;
}

/** Which workload or endpoint each ENI belongs to (for `securecart flow-logs`). */
function interfaceOwners(model: Model): InterfaceOwners {
  const owners: InterfaceOwners = {};
  for (const workload of model.workloads)
    owners[workload.eniId] = { owner: workload.logicalId, kind: 'workload' };
  for (const endpoint of model.vpcEndpoints.values()) {
    for (const eni of endpoint.enis) owners[eni.id] = { owner: endpoint.logicalId, kind: 'endpoint' };
  }
  return owners;
}

export async function startTwin(options: TwinOptions): Promise<Twin> {
  const timings: Array<[string, number]> = [];
  let mark = performance.now();
  const phase = (name: string) => {
    const now = performance.now();
    timings.push([name, Math.round(now - mark)]);
    mark = now;
  };
  const dataDir = resolve(options.dataDir);
  mkdirSync(dataDir, { recursive: true });
  const template = loadTemplate(options.templateFile, {
    parameters: options.parameters,
    stackName: stackNameOf(options.templateFile),
  });
  const model = buildModel(template);
  phase('load template + model');
  const region = model.region;
  const accountId = model.accountId;

  const policies = new PolicyCache(model);
  const authorizer = new Authorizer(policies, region);
  const boot = bootCaller(accountId);
  const emulators = createEmulators({
    authorizeKms: (request) => authorizer.authorizeKms(emulators.kms, request, boot.principalArn),
  });
  const cleanups: Array<() => Promise<void> | void> = [];
  let stopping = false;
  const stopAll = async () => {
    stopping = true;
    for (const cleanup of cleanups.reverse()) {
      try {
        await cleanup();
      } catch (error) {
        console.error('securecart twin: while stopping:', error);
      }
    }
  };

  try {
    await startEmulators(emulators, dataDir, region, accountId);
    cleanups.push(() => stopEmulators(emulators));
    phase('start emulators');
    const resources = await bootResources(template, model, emulators);
    phase('create resources');

    // PGlite takes seconds of CPU to open (much more to initdb the first time): it runs in its own
    // process, started in the background; database connections wait for it (and for the demo
    // customers) at their entry.
    const databasesReady = Promise.all(
      resources.databases.map(async (plan) => {
        const running = await spawnPostgres({
          dataDir,
          dbLogicalId: plan.logicalId,
          dbName: plan.dbName,
          username: plan.username,
          password: plan.password,
          port: 0,
        });
        return { plan, running };
      }),
    );
    cleanups.push(async () => {
      for (const db of await databasesReady.catch(() => [])) await db.running.stop();
    });

    const seedDir = options.seedDir === null ? undefined : (options.seedDir ?? DEFAULT_SEED_DIR.pathname);
    const fresh = seedDir !== undefined && needsSeeding(seedDir, dataDir);
    const catalog = fresh ? await seedCatalog(seedDir, template, model, emulators) : undefined;
    const seeded: SeedReport | undefined = catalog && { ...catalog, customers: 0 };
    const databasesSeeded = databasesReady.then(async (dbs) => {
      if (!seeded || !seedDir) return dbs;
      const first = dbs[0] && { plan: dbs[0].plan, host: dbs[0].running.host, port: dbs[0].running.port };
      seeded.customers = await seedCustomers(seedDir, first, seeded.skipped);
      markSeeded(dataDir, seedDir, seeded);
      return dbs;
    });
    // A failure here surfaces at the first database connection (and in stop()), not as an unhandled rejection.
    databasesSeeded.catch((error: unknown) => {
      if (!stopping) console.error('securecart twin: PostgreSQL failed to start:', error);
    });
    phase('seed');
    const flowDir = join(dataDir, 'flow-logs');
    const format = flowLogFormat(template);
    mkdirSync(flowDir, { recursive: true });
    writeFileSync(join(flowDir, LOG_FORMAT_FILE), format + '\n');
    writeFileSync(join(flowDir, INTERFACES_FILE), JSON.stringify(interfaceOwners(model), null, 2) + '\n');
    const auditFile = join(dataDir, 'audit', 'events.jsonl');
    // Flow-log and audit lines are formatted and written by a worker thread, off the serving one.
    const logs = new ThreadedRequestLogs({
      flowDir,
      flowFields: parseLogFormat(format),
      flowWindowSeconds: captureWindowSeconds(template, options.flowWindowSeconds),
      auditFile,
      region,
    });
    cleanups.push(() => logs.close());
    const meter = new CostMeter(region);
    const recorder = new Recorder(logs, meter);
    const paths = new NetworkPaths(model);
    const credentials = new CredentialStore(accountId);

    // Lambda runs later than the API plugin is built: the plugin calls the runtime lazily.
    const lambda: { runtime?: LambdaRuntime } = {};
    // Each invocation's log, for the Invoke API's `X-Amz-Log-Type: Tail` (LogResult).
    const invocationLogs = new InvocationLogs();
    const permissions = new LambdaPermissions(template, model);
    const api = new ApiGatewayEmulator(
      resources.apis,
      {
        invoke: (name, event, invokeOptions) => {
          if (!lambda.runtime) throw new Error('Lambda runtime not started');
          return lambda.runtime.invoke(name, event, invokeOptions);
        },
      },
      undefined,
      (functionArn, sourceArn) => permissions.grantFor(functionArn, sourceArn, accountId),
    );
    await api.start({ dataDir: join(dataDir, 'execute-api'), region, accountId });
    // The Lambda API (Invoke): workloads invoke the template's functions through the gateway,
    // authorized against the functions' permissions as their resource-based policies.
    const lambdaApi = new LambdaApiEmulator({
      functions: resources.functions.map((plan) => ({ name: plan.functionName, arn: plan.arn })),
      invoker: {
        invoke: (arn, event, invokeOptions) => {
          if (!lambda.runtime) throw new Error('Lambda runtime not started');
          return lambda.runtime.invoke(arn, event, invokeOptions);
        },
        logOf: (requestId) => invocationLogs.logOf(requestId),
      },
      policyOf: (functionArn) => permissions.policyOf(functionArn),
    });
    await lambdaApi.start({ dataDir: join(dataDir, 'lambda'), region, accountId });
    // SNS delivers to its subscriptions as sns.amazonaws.com: the queue policy or the function's
    // permissions decide, each delivery is recorded (src/twin/sns-delivery.ts).
    emulators.sns.setDeliverer(
      new SnsDelivery({
        sqs: emulators.sqs,
        functionPolicy: (functionArn) => permissions.policyOf(functionArn),
        invoke: (arn, event) => {
          if (!lambda.runtime) return Promise.reject(new Error('Lambda runtime not started'));
          return lambda.runtime.invoke(arn, event);
        },
        recorder,
        log: (line) => console.error(`securecart twin: ${line}`),
      }),
    );
    const gateway = new Gateway({
      model,
      plugins: [...emulators.all, lambdaApi],
      api,
      credentials,
      paths,
      authorizer,
      recorder,
    });
    cleanups.push(() => gateway.close());

    const internet = await gateway.listen({ kind: 'internet' }, options.port ?? 4566);
    const entries = new Map<string, Listener>();
    for (const workload of model.workloads) {
      entries.set(workload.logicalId, await gateway.listen({ kind: 'workload', workload }, 0));
    }

    const dbEntries: DatabaseEntry[] = [];
    const functionDefs: LambdaFunctionDef[] = [];
    for (const plan of resources.functions) {
      const workload = model.workloadsById.get(plan.logicalId);
      const entry = entries.get(plan.logicalId);
      const redirects: Record<string, TcpTarget> = {};
      for (const [index, db] of resources.databases.entries()) {
        const dbEntry = await openDatabaseEntry({
          workload: plan.logicalId,
          database: db.logicalId,
          databasePort: db.port,
          upstream: databasesSeeded.then((dbs) => ({
            host: dbs[index].running.host,
            port: dbs[index].running.port,
          })),
          paths,
          recorder,
        });
        cleanups.push(() => dbEntry.close());
        dbEntries.push(dbEntry);
        redirects[`${db.address.toLowerCase()}:${db.port}`] = { host: '127.0.0.1', port: dbEntry.port };
      }
      const creds = workload?.roleArn
        ? credentials.mint(plan.logicalId, workload.roleArn, plan.functionName)
        : undefined;
      const workDir = functionWorkDir(dataDir, plan.logicalId);
      const codeDir = writeHandlerWrapper(
        workDir,
        plan.inlineSource === undefined ? plan.codeDir : writeInlineCode(workDir, plan.inlineSource),
        plan.handler,
        redirects,
      );
      functionDefs.push({
        logicalId: plan.logicalId,
        functionName: plan.functionName,
        arn: plan.arn,
        codeDir,
        handler: plan.handler,
        runtime: plan.runtime,
        memoryMb: plan.memoryMb,
        timeoutSec: plan.timeoutSec,
        // The template's runtime (e.g. nodejs24.x) runs here on this machine's Node: the SDK's
        // warning about an old Node is about the twin, not the function.
        env: { ...plan.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
        region,
        endpointUrl: entry?.url,
        credentials: creds,
      });
    }
    // Workloads that are not Lambda functions (EC2, ECS) get credentials too: any process can act as them.
    for (const workload of model.workloads) {
      if (workload.roleArn && !credentials.forWorkload(workload.logicalId))
        credentials.mint(workload.logicalId, workload.roleArn, workload.logicalId);
    }
    // Functions' output is printed as without a sink (stdout to stdout, stderr to stderr; the
    // START/END/REPORT lines are not printed), and every line is kept per invocation too.
    const started = new LambdaRuntime(functionDefs, {
      onLog: (_functionName, line, info) => {
        invocationLogs.record(line, info);
        if (info.stream === 'stdout') process.stdout.write(`${line}\n`);
        else if (info.stream === 'stderr') process.stderr.write(`${line}\n`);
      },
    });
    lambda.runtime = started;
    cleanups.push(() => started.stop());

    const state: TwinState = {
      region,
      account: accountId,
      internet: { endpoint: internet.url },
      workloads: Object.fromEntries(
        model.workloads.map((workload) => {
          const creds = credentials.forWorkload(workload.logicalId);
          const fn = resources.functions.find((f) => f.logicalId === workload.logicalId);
          return [
            workload.logicalId,
            {
              endpoint: entries.get(workload.logicalId)?.url ?? '',
              accessKeyId: creds?.accessKeyId ?? '',
              secretAccessKey: creds?.secretAccessKey ?? '',
              sessionToken: creds?.sessionToken,
              roleArn: workload.roleArn ?? '',
              environment: fn?.env ?? {},
            },
          ];
        }),
      ),
      apis: Object.fromEntries(
        resources.apis.map((def) => [
          def.logicalId,
          {
            id: def.id,
            stage: def.stages[0] ?? '',
            private: def.endpointType === 'PRIVATE',
            url: `${internet.url}/restapis/${def.id}/${def.stages[0] ?? ''}/_user_request_/`,
            invokeUrl: `https://${def.id}.execute-api.${region}.amazonaws.com/${def.stages[0] ?? ''}/`,
          },
        ]),
      ),
      apiKeys:
        resources.apiKeys.length > 0
          ? Object.fromEntries(
              resources.apiKeys.map((k) => [k.logicalId, { id: k.id, value: k.value, enabled: k.enabled }]),
            )
          : undefined,
      resources: resources.resources,
      flowLogs: flowDir,
      auditLog: auditFile,
    };
    phase('entries + functions');
    // The entries already serve; twin.json promises everything, so it waits for the databases.
    await databasesSeeded;
    phase('PostgreSQL ready');
    const stateFile = join(dataDir, 'twin.json');
    // Written atomically: a reader never sees half a file.
    writeFileSync(`${stateFile}.tmp`, JSON.stringify(state, null, 2) + '\n');
    renameSync(`${stateFile}.tmp`, stateFile);

    return {
      state,
      stateFile,
      model,
      recorder,
      meter,
      boot: resources,
      seeded,
      databasesReady: databasesSeeded,
      plugins: emulators.all,
      timings,
      stop: stopAll,
    };
  } catch (error) {
    await stopAll();
    throw error;
  }
}
