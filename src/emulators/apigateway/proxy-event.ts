/**
 * The Lambda proxy integration event of a REST API (payload format 1.0), field for field as in
 * "Input format of a Lambda function for proxy integration" and @types/aws-lambda's
 * APIGatewayProxyEvent (the compiler checks the shape against that type).
 */
import type { APIGatewayProxyEvent } from 'aws-lambda';
import type { Caller, ServiceRequest } from '../plugin.ts';
import type { RequestTarget } from './request-target.ts';
import type { ResponseIds } from './responses.ts';
import type { RouteMatch } from './router.ts';
import type { RestApiDef } from './types.ts';

/** The caller as the twin's gateway knows it; the extra facts fill `requestContext.identity`. */
export interface ExecuteApiCaller extends Caller {
  /** The caller's IP (the workload ENI's private address, or the internet client's). */
  readonly sourceIp?: string;
  /** Set when the request came through an execute-api interface endpoint. */
  readonly vpceId?: string;
  readonly vpcId?: string;
  /** From SigV4, for AWS_IAM methods. */
  readonly accessKeyId?: string;
  /** The principal's unique id (`AROA…:session` for a role session). */
  readonly userId?: string;
  /**
   * Whether the API's resource policy explicitly allowed the request: with a Lambda authorizer
   * that neither allows nor denies, that decides (the developer guide's Table A).
   */
  readonly resourcePolicyAllows?: boolean;
}

export interface EventInputs {
  readonly req: ServiceRequest;
  readonly caller: ExecuteApiCaller;
  readonly api: RestApiDef;
  readonly target: RequestTarget;
  readonly route: RouteMatch;
  readonly ids: ResponseIds;
  readonly accountId: string;
  readonly now?: Date;
  /** `requestContext.authorizer` after a Lambda authorizer: principalId, integrationLatency and its context map. */
  readonly authorizer?: Readonly<Record<string, string | number>>;
  /** The API key of a method that requires one: `identity.apiKey` / `apiKeyId`. */
  readonly apiKey?: { readonly id: string; readonly value: string };
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** CLF time as in `requestContext.requestTime`: `09/Apr/2015:12:34:56 +0000`. */
export function clfTime(date: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return (
    `${pad(date.getUTCDate())}/${MONTHS[date.getUTCMonth()]}/${date.getUTCFullYear()}:` +
    `${pad(date.getUTCHours())}:${pad(date.getUTCMinutes())}:${pad(date.getUTCSeconds())} +0000`
  );
}

export function buildProxyEvent(inputs: EventInputs): APIGatewayProxyEvent {
  const { req, caller, api, target, route, ids } = inputs;
  const now = inputs.now ?? new Date();
  const iam = route.method.authorizationType === 'AWS_IAM';
  const headers = headerMaps(req.headers);
  const query = queryMaps(req.url.searchParams);
  const binary = isBinary(req.headers['content-type'], api.binaryMediaTypes ?? []);
  const stageVariables = api.stageVariables?.[target.stage];
  return {
    resource: route.resource.path,
    path: target.path,
    httpMethod: req.method.toUpperCase(),
    headers: headers.single,
    multiValueHeaders: headers.multi,
    queryStringParameters: query.single,
    multiValueQueryStringParameters: query.multi,
    pathParameters: decodeValues(route.pathParameters),
    stageVariables: stageVariables && Object.keys(stageVariables).length > 0 ? { ...stageVariables } : null,
    requestContext: {
      resourceId: route.resource.id,
      resourcePath: route.resource.path,
      httpMethod: req.method.toUpperCase(),
      extendedRequestId: ids.extendedRequestId,
      requestTime: clfTime(now),
      path: `/${target.stage}${target.path}`,
      accountId: inputs.accountId,
      protocol: 'HTTP/1.1',
      stage: target.stage,
      domainPrefix: target.domainName.split('.')[0],
      requestTimeEpoch: now.getTime(),
      requestId: ids.requestId,
      identity: {
        cognitoIdentityPoolId: null,
        accountId: iam ? caller.accountId : null,
        cognitoIdentityId: null,
        caller: iam ? (caller.userId ?? null) : null,
        sourceIp: caller.sourceIp ?? '127.0.0.1',
        principalOrgId: null,
        accessKey: iam ? (caller.accessKeyId ?? null) : null,
        cognitoAuthenticationType: null,
        cognitoAuthenticationProvider: null,
        userArn: iam ? caller.principalArn : null,
        userAgent: req.headers['user-agent'] ?? null,
        user: iam ? (caller.userId ?? null) : null,
        apiKey: inputs.apiKey?.value ?? null,
        apiKeyId: inputs.apiKey?.id ?? null,
        clientCert: null,
        ...(caller.vpceId ? { vpceId: caller.vpceId } : {}),
        ...(caller.vpcId ? { vpcId: caller.vpcId } : {}),
      },
      domainName: target.domainName,
      apiId: api.id,
      authorizer: inputs.authorizer ? { ...inputs.authorizer } : null,
    },
    body: req.body.length === 0 ? null : binary ? req.body.toString('base64') : req.body.toString('utf8'),
    isBase64Encoded: binary && req.body.length > 0,
  };
}

/**
 * `headers` keeps the last value of each header, `multiValueHeaders` all of them. The twin's
 * request carries each header once (Node joins repeats with ', '), so each list has one entry.
 * The twin's own routing header is not part of what the client sent.
 */
function headerMaps(source: Readonly<Record<string, string>>) {
  const single: Record<string, string> = {};
  const multi: Record<string, string[]> = {};
  for (const [name, value] of Object.entries(source)) {
    if (name === 'x-securecart-host') continue;
    single[name] = value;
    multi[name] = [value];
  }
  if (source['x-securecart-host']) {
    single.host = source['x-securecart-host'];
    multi.host = [source['x-securecart-host']];
  }
  return { single, multi };
}

/**
 * REST APIs hand Lambda `path` still percent-encoded but path parameters decoded
 * (`/cars/a%2Bb` → `{id: 'a+b'}`); routing itself works on the encoded segments.
 */
function decodeValues(params: Record<string, string> | null): Record<string, string> | null {
  if (!params) return null;
  const decoded: Record<string, string> = {};
  for (const [name, value] of Object.entries(params)) {
    try {
      decoded[name] = decodeURIComponent(value);
    } catch {
      decoded[name] = value; // a malformed escape stays as sent
    }
  }
  return decoded;
}

/** Both maps are null when there is no query string, as API Gateway sends them. */
function queryMaps(params: URLSearchParams) {
  const keys = [...new Set(params.keys())];
  if (keys.length === 0) return { single: null, multi: null };
  const single: Record<string, string> = {};
  const multi: Record<string, string[]> = {};
  for (const key of keys) {
    const values = params.getAll(key);
    single[key] = values[values.length - 1];
    multi[key] = values;
  }
  return { single, multi };
}

/** A BinaryMediaTypes entry matches the Content-Type exactly or by wildcard (`image/*`, `*\/*`). */
export function isBinary(contentType: string | undefined, binaryMediaTypes: readonly string[]): boolean {
  if (!contentType) return false;
  const type = contentType.split(';')[0].trim().toLowerCase();
  return binaryMediaTypes.some((pattern) => {
    const [pMain, pSub] = pattern.toLowerCase().split('/');
    const [tMain, tSub] = type.split('/');
    return (pMain === '*' || pMain === tMain) && (pSub === '*' || pSub === tSub);
  });
}
