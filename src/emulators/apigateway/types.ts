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
  /** For MOCK: what the integration answers. @default 200, no headers, empty body */
  readonly mockResponse?: { statusCode: number; headers?: Record<string, string>; body?: string };
}

/** What the method's request validator checks (AWS::ApiGateway::RequestValidator + the method's models). */
export interface RequestValidationDef {
  /** `method.request.<querystring|header|path>.<name>` parameters that must be present and not blank. */
  readonly requiredParameters: readonly string[];
  /** JSON Schema (draft 4) per content type; `$default` for any other. Absent: the body is not validated. */
  readonly bodyModels?: Readonly<Record<string, object>>;
}

export interface MethodDef {
  /** GET, POST, …, or ANY. */
  readonly httpMethod: string;
  /** NONE, AWS_IAM, CUSTOM or COGNITO_USER_POOLS. */
  readonly authorizationType: string;
  readonly apiKeyRequired: boolean;
  readonly integration: IntegrationDef;
  /** The method's request validation, when a request validator is attached. */
  readonly validation?: RequestValidationDef;
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
}

/** What the API Gateway emulator needs from the Lambda runtime (LambdaRuntime satisfies it). */
export interface LambdaInvoker {
  invoke(nameOrArn: string, event: unknown, options?: InvokeOptions): Promise<InvokeResult>;
}
