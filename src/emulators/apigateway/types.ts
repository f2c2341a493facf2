/**
 * Plain definitions of REST APIs (AWS::ApiGateway::RestApi and its resources, methods and stages).
 * The twin fills them from the model; nothing here depends on the model.
 */
import type { InvokeOptions, InvokeResult } from '../lambda/types.ts';

export type EndpointType = 'REGIONAL' | 'EDGE' | 'PRIVATE';

export interface IntegrationDef {
  /** AWS_PROXY (Lambda proxy) and MOCK run here; AWS, HTTP and HTTP_PROXY are answered with 500. */
  readonly type: string;
  /**
   * The Lambda function for AWS_PROXY: its ARN, or the integration URI
   * `arn:aws:apigateway:<region>:lambda:path/2015-03-31/functions/<function ARN>/invocations`.
   */
  readonly functionArn?: string;
  /** The IAM role API Gateway assumes to call the function (then no function permission is needed). */
  readonly credentials?: string;
  /**
   * For MOCK, when `mock` is absent: a fixed answer (for callers that build definitions by hand).
   * @default 200, no headers, empty body
   */
  readonly mockResponse?: { statusCode: number; headers?: Record<string, string>; body?: string };
  /** For MOCK: the integration's templates and responses, run as API Gateway runs them (mock-integration.ts). */
  readonly mock?: MockIntegrationDef;
}

/** One integration response (AWS::ApiGateway::Method `Integration.IntegrationResponses[]`). */
export interface IntegrationResponseDef {
  /** The method response's status code. */
  readonly statusCode: string;
  /** Matched (whole) against the integration's status code; absent or '': the default response. */
  readonly selectionPattern?: string;
  /** `method.response.header.<name>` → `'static value'`, `integration.response.header.<name>`, … */
  readonly responseParameters: Readonly<Record<string, string>>;
  /** Content type → template of the response body. */
  readonly responseTemplates: Readonly<Record<string, string>>;
}

/** A MOCK integration: request templates yield `{"statusCode": N}`, which selects the integration response. */
export interface MockIntegrationDef {
  /** Content type → request template (`Integration.RequestTemplates`). */
  readonly requestTemplates: Readonly<Record<string, string>>;
  /** @default 'WHEN_NO_MATCH' */
  readonly passthroughBehavior?: 'WHEN_NO_MATCH' | 'WHEN_NO_TEMPLATES' | 'NEVER';
  /** In the template's order. */
  readonly integrationResponses: readonly IntegrationResponseDef[];
}

/** What the method's request validator checks (AWS::ApiGateway::RequestValidator + the method's models). */
export interface RequestValidationDef {
  /** `method.request.<querystring|header|path>.<name>` parameters that must be present and not blank. */
  readonly requiredParameters: readonly string[];
  /** JSON Schema (draft 4) per content type; `$default` for any other. Absent: the body is not validated. */
  readonly bodyModels?: Readonly<Record<string, object>>;
}

/**
 * A method's authorizer (AWS::ApiGateway::Authorizer). `TOKEN` and `REQUEST` run a Lambda function
 * of the template; `COGNITO_USER_POOLS` cannot be run (the twin has no Cognito); `unrunnable` is a
 * Lambda authorizer whose function the twin does not have: its requests get API Gateway's 500.
 */
export type AuthorizerDef =
  | {
      readonly kind: 'TOKEN' | 'REQUEST';
      /** The authorizer's id (its physical id): the cache's scope. */
      readonly id: string;
      readonly name: string;
      /** The authorizer function's ARN. */
      readonly functionArn: string;
      /**
       * Where the identity comes from: `method.request.header.<name>` (TOKEN: exactly one),
       * `method.request.querystring.<name>`, `stageVariables.<name>`, `context.<name>`.
       */
      readonly identitySources: readonly string[];
      /** TOKEN only: the token must match this regular expression, or the caller gets 401. */
      readonly validationExpression?: string;
      /** How long a result is reused for the same identity; 0 = not cached. @default 300 */
      readonly ttlSeconds: number;
      /** AuthorizerCredentials: the role API Gateway assumes to call the function. */
      readonly credentials?: string;
    }
  | {
      readonly kind: 'COGNITO_USER_POOLS';
      readonly id: string;
      readonly name: string;
      readonly identitySources: readonly string[];
    }
  | { readonly kind: 'unrunnable'; readonly id: string; readonly name: string; readonly reason: string };

export interface MethodDef {
  /** GET, POST, …, or ANY. */
  readonly httpMethod: string;
  /** NONE, AWS_IAM, CUSTOM or COGNITO_USER_POOLS. */
  readonly authorizationType: string;
  readonly apiKeyRequired: boolean;
  readonly integration: IntegrationDef;
  /** The method's request validation, when a request validator is attached. */
  readonly validation?: RequestValidationDef;
  /** CUSTOM and COGNITO_USER_POOLS methods: their authorizer. */
  readonly authorizer?: AuthorizerDef;
}

export interface ResourceDef {
  /** The resource id (CloudFormation's physical id); `requestContext.resourceId`. */
  readonly id: string;
  /** Full path template: '/', '/products', '/products/{id}', '/{proxy+}'. */
  readonly path: string;
  readonly methods: readonly MethodDef[];
}

/** One throttling setting of a stage (MethodSettings): `/*` and `*` are the stage's default. */
export interface MethodThrottleDef {
  readonly resourcePath: string;
  readonly httpMethod: string;
  readonly rateLimit?: number;
  readonly burstLimit?: number;
}

/** A rule of an AWS WAF web ACL as the twin runs it. */
export type WebAclRuleDef =
  | {
      readonly name: string;
      readonly kind: 'rate-based';
      readonly action: 'block' | 'count';
      readonly limit: number;
      readonly windowSeconds: number;
      /** IP: one count per source address; CONSTANT: one count for all requests. */
      readonly key: 'IP' | 'CONSTANT';
    }
  /** A rule the twin does not evaluate (managed rule groups, match statements…): it never fires. */
  | { readonly name: string; readonly kind: 'not-evaluated'; readonly what: string };

/** An AWS WAF web ACL associated with a stage. */
export interface WebAclDef {
  readonly name: string;
  readonly defaultAction: 'allow' | 'block';
  /** In priority order. */
  readonly rules: readonly WebAclRuleDef[];
}

/** An API key (AWS::ApiGateway::ApiKey). */
export interface ApiKeyDef {
  readonly logicalId: string;
  /** The key's id (what Ref returns). */
  readonly id: string;
  /** What callers send (the `x-api-key` header, or a Lambda authorizer's `usageIdentifierKey`). */
  readonly value: string;
  readonly enabled: boolean;
}

/** Requests per second and bucket size; a limit left unset is the account's. */
export interface UsagePlanThrottleDef {
  readonly rateLimit?: number;
  readonly burstLimit?: number;
}

/** A usage plan (AWS::ApiGateway::UsagePlan + its UsagePlanKeys), as far as one REST API is concerned. */
export interface UsagePlanDef {
  readonly logicalId: string;
  /** The plan's id: its keys' buckets and quota counts are shared across every API it covers. */
  readonly id: string;
  /** The stages of this API the plan covers, each with its per-method throttling keyed `/items/GET`. */
  readonly stages: Readonly<Record<string, Readonly<Record<string, UsagePlanThrottleDef>>>>;
  /** Per key, across everything the plan covers. @default none */
  readonly throttle?: UsagePlanThrottleDef;
  /** Per key: `limit` requests per period, `offset` fewer in the first period. @default none */
  readonly quota?: {
    readonly limit: number;
    readonly offset: number;
    readonly period: 'DAY' | 'WEEK' | 'MONTH';
  };
  readonly keys: readonly ApiKeyDef[];
}

export interface RestApiDef {
  readonly logicalId: string;
  /** 10 lower-case alphanumerics, as API Gateway assigns. */
  readonly id: string;
  readonly name: string;
  readonly endpointType: EndpointType;
  /** For PRIVATE APIs: the execute-api endpoints allowed (EndpointConfiguration.VpcEndpointIds). */
  readonly vpcEndpointIds: readonly string[];
  /** The resource policy, with `execute-api:/…` shorthand or full ARNs. */
  readonly policy?: object;
  /** Deployed stage names. */
  readonly stages: readonly string[];
  readonly resources: readonly ResourceDef[];
  /** Throttling settings per stage name. @default none: only the account's limits */
  readonly stageThrottles?: Readonly<Record<string, readonly MethodThrottleDef[]>>;
  /** The AWS WAF web ACL per stage name, when one is associated. @default none */
  readonly webAcls?: Readonly<Record<string, WebAclDef>>;
  /** Stage variables per stage. @default none */
  readonly stageVariables?: Readonly<Record<string, Readonly<Record<string, string>>>>;
  /** Content types passed to Lambda base64-encoded (BinaryMediaTypes). @default none */
  readonly binaryMediaTypes?: readonly string[];
  /** Where a method that requires an API key reads it (ApiKeySourceType). @default 'HEADER' */
  readonly apiKeySource?: 'HEADER' | 'AUTHORIZER';
  /** The usage plans covering a stage of this API. @default none: every API key is refused */
  readonly usagePlans?: readonly UsagePlanDef[];
}

/**
 * Whether API Gateway may invoke a function on behalf of `sourceArn` (the calling method's or
 * authorizer's execute-api ARN): the function's resource-based permission that allows it, or
 * undefined when none does.
 */
export type InvokePermission = (functionArn: string, sourceArn: string) => string | undefined;

/** What the API Gateway emulator needs from the Lambda runtime (LambdaRuntime satisfies it). */
export interface LambdaInvoker {
  invoke(nameOrArn: string, event: unknown, options?: InvokeOptions): Promise<InvokeResult>;
}
