/**
 * The twin's gateway: one HTTP listener per entry (the internet entry, and one loopback port per
 * workload ENI), and for every request the ordered chain
 *   source entry → SigV4 verification → classify → network path → authorize → forward → record.
 * A blocked network path resets the connection (as a dropped packet would end it on AWS: never an
 * HTTP body); a refusal is answered in the service's own wire shape.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Readable } from 'node:stream';
import type { Model } from '../model/index.ts';
import type { Workload } from '../model/workloads.ts';
import type {
  Caller,
  Classified,
  EmulatorPlugin,
  ServiceRequest,
  ServiceResponse,
} from '../emulators/plugin.ts';
import { pluginForRequest, serviceOfRequest } from '../emulators/registry.ts';
import {
  accessDeniedMessage,
  ORIGINAL_HOST_HEADER,
  wafFiltered,
  type ApiGatewayEmulator,
  type ExecuteApiClassified,
} from '../emulators/apigateway/index.ts';
import { verifySigV4, type SigV4Result } from './sigv4/verify.ts';
import { ANONYMOUS, type Authorizer, type Principal, type Verdict } from './authorize.ts';
import type { CredentialStore } from './credentials.ts';
import { INTERNET_PATH, type NetworkPath, type NetworkPaths } from './network-paths.ts';
import type { Outcome, Recorder, RequestRecord } from './recorder.ts';
import { gatewayResponseOf, errorCodeOf } from './responses.ts';
import { executeApiHost } from '../network/index.ts';
import { notEmulated, operationOf, refusedIn, wireProtocolOf } from './unemulated-service.ts';

/** A request's record while the chain fills it in. */
type RequestDraft = { -readonly [K in keyof RequestRecord]: RequestRecord[K] };

/** Where a request arrived: the internet, or a workload's ENI. */
export type Entry =
  { readonly kind: 'internet' } | { readonly kind: 'workload'; readonly workload: Workload };

export interface GatewayDeps {
  readonly model: Model;
  readonly plugins: readonly EmulatorPlugin[];
  readonly api: ApiGatewayEmulator;
  readonly credentials: CredentialStore;
  readonly paths: NetworkPaths;
  readonly authorizer: Authorizer;
  readonly recorder: Recorder;
}

/** Bodies larger than this are refused (S3 single PUT limit is 5 GB; the twin keeps requests in memory). */
const MAX_BODY_BYTES = 512 * 1024 * 1024;
const HTTPS_PORT = 443;

/**
 * Idle keep-alive connections are kept for 65 s (Node's default is 5 s). A client reusing a
 * pooled connection at the moment the server closes it gets "socket hang up"; SDK agents keep
 * idle sockets open with no timeout of their own, so a short server timeout made that race
 * common between bursts of calls (seen in bench/twin). Headers must still arrive within 66 s.
 */
export const KEEP_ALIVE = { keepAliveTimeout: 65_000, headersTimeout: 66_000 } as const;

export interface Listener {
  readonly entry: Entry;
  readonly port: number;
  readonly url: string;
  close(): Promise<void>;
}

export class Gateway {
  private readonly servers: http.Server[] = [];
  private readonly principals = new Map<string, Principal & { workload?: string }>();
  private readonly anonymous: Principal;

  constructor(private readonly deps: GatewayDeps) {
    this.anonymous = { principalArn: ANONYMOUS, accountId: deps.model.accountId };
  }

  /** Starts a listener for an entry on 127.0.0.1 (port 0 = ephemeral). */
  async listen(entry: Entry, port: number, host = '127.0.0.1'): Promise<Listener> {
    const server = http.createServer(KEEP_ALIVE, (req, res) => {
      void this.serve(entry, req, res);
    });
    server.on('clientError', (_error, socket) => socket.destroy());
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, host, () => resolve());
    });
    this.servers.push(server);
    const actual = (server.address() as AddressInfo).port;
    return {
      entry,
      port: actual,
      url: `http://${host}:${actual}`,
      close: () => closeServer(server),
    };
  }

  async close(): Promise<void> {
    await Promise.all(this.servers.map(closeServer));
  }

  private async serve(entry: Entry, req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    let body: Buffer;
    try {
      body = await readBody(req);
    } catch {
      req.socket.destroy();
      return;
    }
    const request = toServiceRequest(req, body);
    try {
      await this.chain(entry, request, req, res);
    } catch (error) {
      // A bug or a crashed handler: the client gets the service's 500, the twin keeps serving.
      console.error(`securecart twin: internal error on ${request.method} ${request.url.pathname}:`, error);
      const plugin = this.pluginFor(request) ?? this.deps.plugins[0];
      if (!res.headersSent) {
        send(
          res,
          plugin.error(
            'InternalFailure',
            'The request processing has failed because of an unknown error.',
            500,
            request,
          ),
        );
      } else res.destroy();
      this.deps.recorder.record({
        entry: entry.kind === 'internet' ? 'internet' : entry.workload.logicalId,
        service: plugin.service,
        operation: 'Unknown',
        resources: [],
        route: 'unknown',
        via: null,
        endpointId: null,
        sourceIp: '-',
        accountId: this.deps.model.accountId,
        outcome: 'error',
        status: 500,
        errorCode: 'InternalFailure',
        errorMessage: error instanceof Error ? error.message : String(error),
        requestBytes: request.body.length,
        responseBytes: 0,
        flowRecords: [],
        servicePort: HTTPS_PORT,
      });
    }
  }

  private isApiRequest(request: ServiceRequest): boolean {
    if (request.url.pathname.startsWith('/restapis/')) return true;
    const host = (request.headers[ORIGINAL_HOST_HEADER] ?? request.headers.host ?? '').toLowerCase();
    return host.includes('.execute-api.');
  }

  private pluginFor(request: ServiceRequest): EmulatorPlugin | undefined {
    return this.isApiRequest(request) ? this.deps.api : pluginForRequest(this.deps.plugins, request);
  }

  private async chain(
    entry: Entry,
    request: ServiceRequest,
    req: http.IncomingMessage,
    res: http.ServerResponse,
  ): Promise<void> {
    const { credentials, model } = this.deps;
    const isApi = this.isApiRequest(request);
    const plugin = isApi ? this.deps.api : pluginForRequest(this.deps.plugins, request);
    const entryName = entry.kind === 'internet' ? 'internet' : entry.workload.logicalId;
    if (!plugin) {
      this.serveUnemulated(entry, request, req, res);
      return;
    }

    // An API method checks signatures only when it is AWS_IAM: for the others an Authorization
    // header is the caller's own (a bearer token for a Lambda authorizer, or for the integration).
    const apiClassified = isApi ? this.deps.api.classify(request) : undefined;
    const verifies = !apiClassified || apiClassified.authorizationType === 'AWS_IAM';
    // SigV4, against the Host the client signed (the original one when a worker redirected it).
    const signed =
      verifies && (request.headers.authorization !== undefined || hasPresignParam(request.url.search));
    const sig: SigV4Result | undefined = signed
      ? verifySigV4(signedView(request), credentials.lookup, new Date())
      : undefined;
    const forwarded: ServiceRequest = sig?.ok ? { ...request, chunkSigning: sig.seed } : request;

    const classified = apiClassified ?? plugin.classify(forwarded);
    const principal = sig?.ok
      ? this.principalOf(sig.accessKeyId, sig.principalArn, sig.accountId)
      : undefined;

    // Network path from the entry's ENI; the internet entry is outside every VPC.
    const path = this.pathFor(entry, plugin, classified);
    // One record per request, completed when the request ends (no copies on the hot path).
    const record = draftOf(entryName, request, req, classified, path, sig, principal, model.accountId);

    if (!path.reachable) {
      this.resetBlocked(record, path, req);
      return;
    }

    // AWS WAF sits in front of an API stage: it decides before API Gateway does anything else,
    // checking signatures included.
    const waf = isApi ? this.deps.api.firewall(classified as ExecuteApiClassified, path.sourceIp) : undefined;
    if (waf?.action === 'block') {
      const why = `AWS WAF ${waf.rule ? `rule ${waf.rule}` : 'web ACL'}: ${waf.reason}`;
      this.answer(res, record, 'refused', wafFiltered(), why);
      return;
    }

    if (sig && !sig.ok) {
      this.answer(res, record, 'refused', plugin.deny(sig.code, sig.message, request), sig.message);
      return;
    }

    let verdict: Verdict & { readonly resourcePolicyAllows?: boolean };
    if (isApi) {
      const api = classified as ExecuteApiClassified;
      const refusal = this.apiGate(api, path, principal);
      if (refusal) {
        this.answer(res, record, 'refused', refusal.response, refusal.message);
        return;
      }
      verdict = this.authorizeApi(api, principal, path);
      if (!verdict.allowed) {
        this.answer(
          res,
          record,
          'denied',
          plugin.deny('AccessDenied', verdict.message ?? 'Forbidden', request),
          verdict.message,
        );
        return;
      }
    } else {
      // What the service answers whoever asks (S3: a bucket that does not exist).
      const answered =
        'answerBeforeAuthorization' in plugin
          ? plugin.answerBeforeAuthorization?.(classified, request)
          : undefined;
      if (answered) {
        this.answer(res, record, 'refused', answered);
        return;
      }
      // S3 evaluates an unsigned request as the anonymous principal (a bucket policy may grant it
      // with "*"); the other services refuse it.
      const who = principal ?? (plugin.service === 's3' ? this.anonymous : undefined);
      if (!who) {
        this.answer(
          res,
          record,
          'refused',
          plugin.deny('MissingAuthenticationToken', 'Request is missing Authentication Token', request),
        );
        return;
      }
      verdict = this.deps.authorizer.authorize(plugin, classified, who, path.facts, path.via);
      if (!verdict.allowed) {
        this.answer(
          res,
          record,
          'denied',
          plugin.deny('AccessDenied', verdict.message ?? 'Access Denied', request),
          verdict.message,
        );
        return;
      }
    }

    const caller: Caller = principal
      ? { principalArn: principal.principalArn, accountId: principal.accountId, roleArn: principal.roleArn }
      : { principalArn: 'anonymous', accountId: model.accountId };
    const scope = principal
      ? { principal, facts: path.facts }
      : { principal: { principalArn: 'anonymous', accountId: model.accountId }, facts: path.facts };
    const apiCaller = isApi
      ? {
          ...caller,
          sourceIp: path.sourceIp,
          vpceId: path.endpointId ?? undefined,
          vpcId: path.facts.vpcId,
          accessKeyId: sig?.ok ? sig.accessKeyId : undefined,
          resourcePolicyAllows: verdict.resourcePolicyAllows,
        }
      : caller;
    const response = await plugin.handle(forwarded, this.deps.authorizer.bind(apiCaller, scope));
    // The service may refuse the call itself before running it (API Gateway: its Lambda
    // authorizer, throttling, validation).
    const outcome = response.denial
      ? 'denied'
      : response.refusal
        ? 'refused'
        : response.status >= 500
          ? 'error'
          : 'allowed';
    this.answer(res, record, outcome, response, response.denial ?? response.refusal);
  }

  /**
   * A service the twin does not run (SNS, CloudWatch…): the network path decides first, as for every
   * request (from an isolated subnet the call never leaves the VPC); a request that arrives is
   * verified, then answered 501 NotImplemented in its own protocol. Audited like every request.
   */
  private serveUnemulated(
    entry: Entry,
    request: ServiceRequest,
    req: http.IncomingMessage,
    res: http.ServerResponse,
  ): void {
    const service = serviceOfRequest(request);
    const path =
      entry.kind === 'internet'
        ? INTERNET_PATH
        : this.deps.paths.from(entry.workload.logicalId, { service }, HTTPS_PORT);
    const signed = request.headers.authorization !== undefined || hasPresignParam(request.url.search);
    const sig = signed
      ? verifySigV4(signedView(request), this.deps.credentials.lookup, new Date())
      : undefined;
    const principal = sig?.ok
      ? this.principalOf(sig.accessKeyId, sig.principalArn, sig.accountId)
      : undefined;
    const what = { service, operation: operationOf(request, wireProtocolOf(request)), resources: [] };
    const entryName = entry.kind === 'internet' ? 'internet' : entry.workload.logicalId;
    const record = draftOf(entryName, request, req, what, path, sig, principal, this.deps.model.accountId);
    if (!path.reachable) {
      this.resetBlocked(record, path, req);
      return;
    }
    if (sig && !sig.ok) {
      this.answer(res, record, 'refused', refusedIn(request, sig.code, sig.message), sig.message);
      return;
    }
    if (!sig) {
      const message = 'Request is missing Authentication Token';
      this.answer(res, record, 'refused', refusedIn(request, 'MissingAuthenticationToken', message), message);
      return;
    }
    const response = notEmulated(service, record.operation, request);
    this.answer(res, record, 'refused', response, `the twin does not emulate ${service}`);
  }

  /** Packets dropped: the client sees its connection reset, never an HTTP answer. */
  private resetBlocked(record: RequestDraft, path: NetworkPath, req: http.IncomingMessage): void {
    const blockedBy = path.blockedBy
      ? `${path.blockedBy.component} ${path.blockedBy.resource ?? ''}: ${path.blockedBy.reason}`
      : 'no path';
    record.outcome = 'blocked';
    record.errorCode = 'ConnectionReset';
    record.errorMessage = blockedBy;
    record.blockedBy = blockedBy;
    this.deps.recorder.record(record);
    req.socket.resetAndDestroy();
  }

  /** Hands the response to the socket, then records the request (flow records, audit, meter). */
  private answer(
    res: http.ServerResponse,
    record: RequestDraft,
    outcome: Outcome,
    response: ServiceResponse,
    errorMessage?: string,
  ): void {
    record.outcome = outcome;
    record.status = response.status;
    record.errorCode = response.status >= 400 ? errorCodeOf(response) : undefined;
    record.errorMessage = errorMessage;
    record.requestId = response.headers['x-amzn-requestid'] ?? response.headers['x-amz-request-id'];
    record.responseBytes = Buffer.isBuffer(response.body)
      ? response.body.length
      : Number(response.headers['content-length'] ?? 0);
    send(res, response);
    this.deps.recorder.record(record);
  }

  private principalOf(
    accessKeyId: string,
    principalArn: string,
    accountId: string,
  ): (Principal & { workload?: string }) | undefined {
    // One object per access key (keys are minted per boot): the same caller asks again and again.
    const known = this.principals.get(accessKeyId);
    if (known && known.principalArn === principalArn && known.accountId === accountId) return known;
    const workload = this.deps.credentials.workloadOfKey(accessKeyId);
    const w = workload ? this.deps.model.workloadsById.get(workload) : undefined;
    const principal = {
      principalArn,
      accountId,
      roleArn: w?.roleArn,
      roleLogicalId: w?.roleLogicalId,
      workload,
    };
    this.principals.set(accessKeyId, principal);
    return principal;
  }

  private pathFor(entry: Entry, plugin: EmulatorPlugin, classified: Classified): NetworkPath {
    if (entry.kind === 'internet') return INTERNET_PATH;
    const api = classified as ExecuteApiClassified;
    const target =
      plugin === this.deps.api
        ? {
            host:
              api.target?.form === 'host'
                ? api.target.domainName
                : executeApiHost(api.target?.apiId ?? 'unknown', this.deps.model.region),
          }
        : { service: plugin.service };
    return this.deps.paths.from(entry.workload.logicalId, target, HTTPS_PORT);
  }

  /**
   * API Gateway's own gates before authorization: a private API answers only through an
   * execute-api interface endpoint; a public API called through such an endpoint (private DNS
   * sends every execute-api name there) is refused — both with 403 Forbidden.
   */
  private apiGate(
    api: ExecuteApiClassified,
    path: NetworkPath,
    principal: Principal | undefined,
  ): { response: ServiceResponse; message: string } | undefined {
    if (api.outcome === 'no-such-api' || !api.api) return undefined;
    const throughEndpoint = path.route === 'interface-endpoint' && path.endpointService === 'execute-api';
    if (api.api.private && !throughEndpoint) {
      return {
        response: gatewayResponseOf(403, 'ForbiddenException', 'Forbidden'),
        message: 'private API called from outside its VPC endpoint',
      };
    }
    if (!api.api.private && throughEndpoint) {
      return {
        response: gatewayResponseOf(403, 'ForbiddenException', 'Forbidden'),
        message: 'public API called through an execute-api VPC endpoint (private DNS)',
      };
    }
    if (api.outcome === 'ok' && api.authorizationType === 'AWS_IAM' && !principal) {
      return {
        response: gatewayResponseOf(
          403,
          'MissingAuthenticationTokenException',
          'Missing Authentication Token',
        ),
        message: 'AWS_IAM method called without a signature',
      };
    }
    return undefined;
  }

  private authorizeApi(
    api: ExecuteApiClassified,
    principal: Principal | undefined,
    path: NetworkPath,
  ): Verdict & { readonly resourcePolicyAllows?: boolean } {
    if (api.outcome !== 'ok' || !api.api) return { allowed: true }; // the emulator answers 403/404 itself
    const iam = api.authorizationType === 'AWS_IAM';
    const hasPolicy = api.api.hasPolicy;
    const throughEndpoint = path.via !== null && path.route === 'interface-endpoint';
    // No authorization, no resource policy, no endpoint policy: nothing to decide.
    if (!iam && !hasPolicy && !throughEndpoint) return { allowed: true };
    const verdict = this.authorizeApiPolicies(api, principal, path, iam, throughEndpoint);
    const lambdaAuthorizer = api.authorizationType?.toUpperCase() === 'CUSTOM';
    if (!lambdaAuthorizer) return verdict;
    // With a Lambda authorizer the resource policy is read twice (the developer guide's "Lambda
    // authorizer and resource policy"): only its explicit deny stops the request before the
    // authorizer runs; whether it explicitly allows is kept for combining with the authorizer's policy.
    if (verdict.allowed) return { ...verdict, resourcePolicyAllows: hasPolicy };
    const onlyResourceSilent =
      verdict.decision?.decision === 'implicit-deny' &&
      verdict.decision.blockedBy.every((kind) => kind === 'resource') &&
      hasPolicy;
    return onlyResourceSilent ? { allowed: true, resourcePolicyAllows: false } : verdict;
  }

  private authorizeApiPolicies(
    api: ExecuteApiClassified,
    principal: Principal | undefined,
    path: NetworkPath,
    iam: boolean,
    throughEndpoint: boolean,
  ): Verdict {
    const who =
      iam && principal ? principal : { principalArn: 'anonymous', accountId: this.deps.model.accountId };
    const verdict = this.deps.authorizer.authorize(
      this.deps.api,
      api,
      who,
      path.facts,
      throughEndpoint ? path.via : null,
      {
        authorization: iam ? 'iam' : 'none',
        private: api.api?.private,
      },
    );
    if (verdict.allowed || !verdict.decision) return verdict;
    const message = accessDeniedMessage(
      iam ? who.principalArn : undefined,
      api.resources[0] ?? '',
      verdict.decision.decision === 'explicit-deny',
    );
    return { ...verdict, message };
  }
}

/** A request's record before the chain decides: what it is, who asks, by which path. */
function draftOf(
  entryName: string,
  request: ServiceRequest,
  req: http.IncomingMessage,
  what: { readonly service: string; readonly operation: string; readonly resources: readonly string[] },
  path: NetworkPath,
  sig: SigV4Result | undefined,
  principal: (Principal & { workload?: string }) | undefined,
  accountId: string,
): RequestDraft {
  return {
    entry: entryName,
    workload: principal?.workload,
    service: what.service,
    operation: what.operation,
    resources: what.resources,
    route: path.route,
    via: path.via,
    endpointId: path.endpointId,
    sourceIp: path.sourceIp,
    principalArn: principal?.principalArn,
    roleArn: principal?.roleArn,
    accessKeyId: sig?.accessKeyId,
    accountId,
    requestBytes: request.body.length + headerBytes(req),
    flowRecords: path.flowRecords,
    servicePort: HTTPS_PORT,
    userAgent: request.headers['user-agent'],
    outcome: 'allowed',
    status: undefined,
    errorCode: undefined,
    errorMessage: undefined,
    blockedBy: undefined,
    responseBytes: 0,
    requestId: undefined,
    clientPort: req.socket.remotePort,
  };
}

function toServiceRequest(req: http.IncomingMessage, body: Buffer): ServiceRequest {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(req.headers)) {
    if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(',') : value;
  }
  let url: URL;
  try {
    url = new URL(req.url ?? '/', `http://${headers.host ?? 'localhost'}`);
  } catch {
    url = new URL('http://localhost/');
  }
  return { method: req.method ?? 'GET', url, headers, body };
}

function readBody(req: http.IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) reject(new Error('request body too large'));
      else chunks.push(chunk);
    });
    req.on('end', () => resolve(chunks.length === 1 ? chunks[0] : Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

/** The request as its client signed it: with the original Host when a worker redirected it. */
function signedView(request: ServiceRequest): ServiceRequest {
  const original = request.headers[ORIGINAL_HOST_HEADER];
  return original ? { ...request, headers: { ...request.headers, host: original } } : request;
}

/**
 * A presigned URL's `X-Amz-Algorithm` parameter, or a Signature Version 2 URL's `AWSAccessKeyId`
 * (verified, then refused) — without building URLSearchParams on every request.
 */
function hasPresignParam(search: string): boolean {
  if (search === '') return false;
  return (
    search.startsWith('?X-Amz-Algorithm=') ||
    search.includes('&X-Amz-Algorithm=') ||
    search.startsWith('?AWSAccessKeyId=') ||
    search.includes('&AWSAccessKeyId=')
  );
}

function headerBytes(req: http.IncomingMessage): number {
  let bytes = (req.method?.length ?? 0) + (req.url?.length ?? 0) + 12;
  for (let i = 0; i < req.rawHeaders.length; i++) bytes += req.rawHeaders[i].length + 2;
  return bytes;
}

function send(res: http.ServerResponse, response: ServiceResponse): void {
  if (res.destroyed) return;
  res.writeHead(response.status, response.headers);
  if (response.body instanceof Readable) {
    response.body.on('error', () => res.destroy());
    response.body.pipe(res);
  } else res.end(response.body);
}

function closeServer(server: http.Server): Promise<void> {
  return new Promise((resolve) => {
    if (!server.listening) return resolve();
    server.closeAllConnections();
    server.close(() => resolve());
  });
}
