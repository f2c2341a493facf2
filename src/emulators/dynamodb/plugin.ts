/**
 * The DynamoDB emulator: dynalite (LevelDB under `<dataDir>/dynamodb/leveldb`) runs in-process
 * on an internal loopback port; this plugin forwards the JSON 1.0 protocol to it, and answers
 * itself what dynalite lacks: DescribeEndpoints and table resource policies.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import dynalite from 'dynalite';
import type {
  Caller,
  Classified,
  DenyKind,
  EmulatorPlugin,
  PluginContext,
  ServiceRequest,
  ServiceResponse,
} from '../plugin.ts';
import { readJsonIfExists, writeJsonDurable } from '../common/durable-file.ts';
import { JSON_DENIALS } from '../common/json-denials.ts';
import {
  jsonError,
  jsonResponse,
  parseJsonObject,
  requiredString,
  targetOperation,
} from '../common/json-protocol.ts';
import { ServiceError } from '../common/service-error.ts';
import { RwLock } from '../common/rw-lock.ts';
import { classifyDynamoDb, type TableNaming } from './classify.ts';
import { TransactionCanceled, transactGetItems, transactWriteItems } from './transactions.ts';

/** A CreateTable input (what AWS::DynamoDB::Table's properties map to). */
export interface TableDefinition {
  readonly TableName: string;
  readonly KeySchema: ReadonlyArray<{ AttributeName: string; KeyType: 'HASH' | 'RANGE' }>;
  readonly AttributeDefinitions: ReadonlyArray<{ AttributeName: string; AttributeType: 'S' | 'N' | 'B' }>;
  readonly BillingMode?: 'PROVISIONED' | 'PAY_PER_REQUEST';
  readonly ProvisionedThroughput?: { ReadCapacityUnits: number; WriteCapacityUnits: number };
  readonly GlobalSecondaryIndexes?: readonly unknown[];
  readonly LocalSecondaryIndexes?: readonly unknown[];
  /** Resource-based policy: a document, its JSON text, or CloudFormation's {PolicyDocument}. */
  readonly ResourcePolicy?: unknown;
  /** Other AWS::DynamoDB::Table properties are accepted and ignored. */
  readonly [property: string]: unknown;
}

const API_VERSION = 'DynamoDB_20120810';
/** The operations dynalite implements; the rest are answered here or refused as unknown. */
const FORWARDED = new Set([
  'BatchGetItem',
  'BatchWriteItem',
  'CreateTable',
  'DeleteItem',
  'DeleteTable',
  'DescribeTable',
  'DescribeTimeToLive',
  'GetItem',
  'ListTables',
  'PutItem',
  'Query',
  'Scan',
  'TagResource',
  'UntagResource',
  'ListTagsOfResource',
  'UpdateItem',
  'UpdateTable',
]);

/** The CreateTable members dynalite understands; other template properties are ignored. */
const CREATE_TABLE_MEMBERS = [
  'TableName',
  'KeySchema',
  'AttributeDefinitions',
  'BillingMode',
  'ProvisionedThroughput',
  'GlobalSecondaryIndexes',
  'LocalSecondaryIndexes',
] as const;

interface StoredPolicy {
  readonly policy: string;
  readonly revisionId: string;
}

export class DynamoDbEmulator implements EmulatorPlugin, TableNaming {
  readonly service = 'dynamodb';
  private server?: http.Server;
  private port = 0;
  private ctx?: PluginContext;
  private agent?: http.Agent;
  private policies = new Map<string, StoredPolicy>();
  private readonly partitionKeys = new Map<string, string>();
  private readonly lock = new RwLock();

  async start(ctx: PluginContext): Promise<void> {
    this.ctx = ctx;
    // Tables are ACTIVE at once: the twin has no reason to make callers wait.
    const server = dynalite({
      path: join(ctx.dataDir, 'leveldb'),
      createTableMs: 0,
      deleteTableMs: 0,
      updateTableMs: 0,
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => resolve());
    });
    // The agent below keeps idle sockets with no timeout of its own; a server closing one (Node's
    // default: 5 s keepAliveTimeout, the socket closed at 6 s idle) at the moment the agent reuses
    // it fails that call with "socket hang up" (the likely cause of one 500 InternalFailure for a
    // GetItem in a bench/twin run). This server's only client is that agent,
    // on loopback: idle connections stay open until the plugin stops.
    server.keepAliveTimeout = 0;
    this.server = server;
    this.port = (server.address() as AddressInfo).port;
    this.agent = new http.Agent({ keepAlive: true, maxSockets: 64 });
    const stored = ((await readJsonIfExists(this.policyFile())) ?? {}) as Record<string, StoredPolicy>;
    this.policies = new Map(Object.entries(stored));
    await this.refreshKeySchemas();
  }

  async stop(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    this.agent?.destroy();
    if (server)
      await new Promise<void>((resolve, reject) => server.close((err) => (err ? reject(err) : resolve())));
  }

  private policyFile(): string {
    return join(this.running().dataDir, 'resource-policies.json');
  }

  private running(): PluginContext {
    if (!this.server || !this.ctx) throw new Error('DynamoDB emulator is not started');
    return this.ctx;
  }

  tableArn(name: string): string {
    if (name.startsWith('arn:')) return name;
    const ctx = this.running();
    return `arn:aws:dynamodb:${ctx.region}:${ctx.accountId}:table/${name}`;
  }

  partitionKeyOf(table: string): string | undefined {
    return this.partitionKeys.get(table);
  }

  classify(req: ServiceRequest): Classified {
    return classifyDynamoDb(req, this);
  }

  async handle(req: ServiceRequest, _caller: Caller): Promise<ServiceResponse> {
    try {
      const operation = targetOperation(req, API_VERSION);
      if (operation === 'DescribeEndpoints') {
        const ctx = this.running();
        return jsonResponse(
          '1.0',
          { Endpoints: [{ Address: `dynamodb.${ctx.region}.amazonaws.com`, CachePeriodInMinutes: 1440 }] },
          200,
          { crc32: true },
        );
      }
      if (
        operation === 'PutResourcePolicy' ||
        operation === 'GetResourcePolicy' ||
        operation === 'DeleteResourcePolicy'
      ) {
        return jsonResponse(
          '1.0',
          await this.resourcePolicyOperation(operation, parseJsonObject(req.body)),
          200,
          { crc32: true },
        );
      }
      if (operation === 'TransactWriteItems' || operation === 'TransactGetItems') {
        const input = parseJsonObject(req.body);
        const call = (op: string, body: unknown): Promise<Record<string, unknown>> => this.call(op, body);
        const result = await this.lock.exclusive(() =>
          operation === 'TransactWriteItems'
            ? transactWriteItems(call, input)
            : transactGetItems(call, input),
        );
        return jsonResponse('1.0', result, 200, { crc32: true });
      }
      if (operation === undefined || !FORWARDED.has(operation)) {
        return jsonError('1.0', 'com.amazon.coral.service#UnknownOperationException', '', 400, {
          crc32: true,
        });
      }
      // Shared: waits while a transaction holds the table set exclusively.
      const response = await this.lock.shared(() =>
        this.forward(operation, req.body, req.headers['content-type']),
      );
      if (response.status === 200 && (operation === 'CreateTable' || operation === 'DeleteTable'))
        await this.refreshKeySchemas();
      return response;
    } catch (err) {
      if (err instanceof TransactionCanceled) {
        return jsonResponse(
          '1.0',
          {
            __type: 'com.amazonaws.dynamodb.v20120810#TransactionCanceledException',
            Message: err.message,
            CancellationReasons: err.reasons,
          },
          400,
          { crc32: true },
        );
      }
      if (err instanceof ServiceError)
        return jsonError('1.0', `com.amazonaws.dynamodb.v20120810#${err.code}`, err.message, err.status, {
          crc32: true,
        });
      throw err;
    }
  }

  deny(kind: DenyKind, message: string, _req: ServiceRequest): ServiceResponse {
    return jsonError('1.0', `com.amazon.coral.service#${JSON_DENIALS[kind]}`, message, 400, { crc32: true });
  }

  error(code: string, message: string, status: number, _req: ServiceRequest): ServiceResponse {
    return jsonError(
      '1.0',
      code.includes('#') ? code : `com.amazonaws.dynamodb.v20120810#${code}`,
      message,
      status,
      { crc32: true },
    );
  }

  resourcePolicy(arn: string): string | undefined {
    const table = /^(arn:[^:]+:dynamodb:[^:]*:\d*:table\/[^/]+)/.exec(arn)?.[1];
    return table === undefined ? undefined : this.policies.get(table)?.policy;
  }

  /** Sends one JSON 1.0 request to dynalite, with a stand-in signature (the gateway verified the real one). */
  private forward(
    operation: string,
    body: Buffer,
    contentType = 'application/x-amz-json-1.0',
  ): Promise<ServiceResponse> {
    const ctx = this.running();
    const amzDate = new Date()
      .toISOString()
      .replace(/[-:]/g, '')
      .replace(/\.\d{3}/, '');
    return new Promise((resolve, reject) => {
      const request = http.request(
        {
          host: '127.0.0.1',
          port: this.port,
          method: 'POST',
          path: '/',
          agent: this.agent,
          headers: {
            'content-type': contentType,
            'content-length': body.length,
            'x-amz-target': `${API_VERSION}.${operation}`,
            'x-amz-date': amzDate,
            authorization: `AWS4-HMAC-SHA256 Credential=TWIN/${amzDate.slice(0, 8)}/${ctx.region}/dynamodb/aws4_request, SignedHeaders=host, Signature=0`,
          },
        },
        (response) => {
          const chunks: Buffer[] = [];
          response.on('data', (c: Buffer) => chunks.push(c));
          response.on('end', () => {
            const headers: Record<string, string> = {};
            for (const name of ['content-type', 'x-amz-crc32', 'x-amzn-requestid']) {
              const value = response.headers[name];
              if (typeof value === 'string') headers[name] = value;
            }
            const data = Buffer.concat(chunks);
            headers['content-length'] = String(data.length);
            resolve({ status: response.statusCode ?? 500, headers, body: data });
          });
          response.on('error', reject);
        },
      );
      request.on('error', reject);
      request.end(body);
    });
  }

  /** Calls dynalite and returns the parsed JSON, throwing its error as a ServiceError. */
  private async call(operation: string, input: unknown): Promise<Record<string, unknown>> {
    const response = await this.forward(operation, Buffer.from(JSON.stringify(input)));
    const parsed = JSON.parse((response.body as Buffer).toString('utf8') || '{}') as Record<string, unknown>;
    if (response.status !== 200) {
      const type = String(parsed.__type ?? 'InternalServerError');
      throw new ServiceError(
        type.slice(type.indexOf('#') + 1),
        String(parsed.message ?? ''),
        response.status,
      );
    }
    return parsed;
  }

  private async tableExists(name: string): Promise<boolean> {
    try {
      await this.call('DescribeTable', { TableName: name });
      return true;
    } catch (err) {
      if (err instanceof ServiceError && err.code === 'ResourceNotFoundException') return false;
      throw err;
    }
  }

  /** Partition key names of all tables, for dynamodb:LeadingKeys in classify(). */
  private async refreshKeySchemas(): Promise<void> {
    const names: string[] = [];
    let start: string | undefined;
    do {
      const page = await this.call('ListTables', start ? { ExclusiveStartTableName: start } : {});
      names.push(...((page.TableNames as string[] | undefined) ?? []));
      start = page.LastEvaluatedTableName as string | undefined;
    } while (start);
    this.partitionKeys.clear();
    for (const name of names) {
      const table = (await this.call('DescribeTable', { TableName: name })).Table as {
        KeySchema?: Array<{ AttributeName: string; KeyType: string }>;
      };
      const hash = table.KeySchema?.find((k) => k.KeyType === 'HASH');
      if (hash) this.partitionKeys.set(name, hash.AttributeName);
    }
  }

  private async resourcePolicyOperation(operation: string, input: Record<string, unknown>): Promise<unknown> {
    const arn = requiredString(input, 'ResourceArn');
    const table = /:table\/([^/]+)$/.exec(arn)?.[1];
    if (table === undefined || !(await this.tableExists(table))) {
      throw new ServiceError(
        'ResourceNotFoundException',
        `Requested resource not found: Table: ${table ?? arn} not found`,
      );
    }
    const key = this.tableArn(table);
    const current = this.policies.get(key);
    if (operation === 'GetResourcePolicy') {
      if (!current)
        throw new ServiceError(
          'PolicyNotFoundException',
          `Resource-based policy not found for the provided ResourceArn: ${arn}`,
        );
      return { Policy: current.policy, RevisionId: current.revisionId };
    }
    const expected = typeof input.ExpectedRevisionId === 'string' ? input.ExpectedRevisionId : undefined;
    if (expected !== undefined && expected !== current?.revisionId) {
      throw new ServiceError(
        'PolicyNotFoundException',
        `A policy with the given revision ID ${expected} was not found for ${arn}`,
      );
    }
    if (operation === 'DeleteResourcePolicy') {
      if (!current)
        throw new ServiceError(
          'PolicyNotFoundException',
          `Resource-based policy not found for the provided ResourceArn: ${arn}`,
        );
      await this.savePolicy(key, undefined);
      return { RevisionId: current.revisionId };
    }
    const policy = requiredString(input, 'Policy');
    validatePolicy(policy);
    const revisionId = String(Date.now());
    await this.savePolicy(key, { policy, revisionId });
    return { RevisionId: revisionId };
  }

  private async savePolicy(tableArn: string, value: StoredPolicy | undefined): Promise<void> {
    const next = new Map(this.policies);
    if (value) next.set(tableArn, value);
    else next.delete(tableArn);
    await writeJsonDurable(this.policyFile(), Object.fromEntries(next));
    this.policies = next;
  }

  /**
   * Boot-time creation from the template. Idempotent across restarts: an existing table is
   * kept with its data (its schema is not changed); the resource policy is (re)applied.
   */
  async ensureTable(definition: TableDefinition): Promise<string> {
    if (!(await this.tableExists(definition.TableName))) {
      // Only CreateTable's own members: AWS::DynamoDB::Table has more (TimeToLiveSpecification…).
      const createInput: Record<string, unknown> = {};
      for (const member of CREATE_TABLE_MEMBERS) {
        const value = (definition as unknown as Record<string, unknown>)[member];
        if (value !== undefined) createInput[member] = value;
      }
      if (createInput.BillingMode === undefined && createInput.ProvisionedThroughput === undefined)
        createInput.BillingMode = 'PAY_PER_REQUEST';
      await this.call('CreateTable', createInput);
      await this.refreshKeySchemas();
    }
    // CloudFormation writes the policy as ResourcePolicy: {PolicyDocument: {...}}.
    const raw = definition.ResourcePolicy;
    const ResourcePolicy =
      typeof raw === 'object' && raw !== null && 'PolicyDocument' in raw
        ? (raw as { PolicyDocument: unknown }).PolicyDocument
        : raw;
    const arn = this.tableArn(definition.TableName);
    if (ResourcePolicy !== undefined) {
      const policy = typeof ResourcePolicy === 'string' ? ResourcePolicy : JSON.stringify(ResourcePolicy);
      validatePolicy(policy);
      if (this.policies.get(arn)?.policy !== policy)
        await this.savePolicy(arn, { policy, revisionId: String(Date.now()) });
    }
    return arn;
  }
}

function validatePolicy(policy: string): void {
  try {
    const parsed = JSON.parse(policy) as unknown;
    if (typeof parsed === 'object' && parsed !== null && 'Statement' in parsed) return;
  } catch {
    // fall through
  }
  throw new ServiceError(
    'ValidationException',
    'Invalid policy document: it must be a JSON object with a Statement.',
  );
}
