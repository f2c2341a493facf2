/**
 * The one small interface every service emulator implements (Miniflare/LocalStack style).
 * The twin's gateway verifies SigV4, calls `classify` to learn what a request IS, decides the
 * network path and authorization itself, then calls `handle` — or `deny`/`error` to answer in
 * the service's own wire shape. Nothing behind this interface enforces any policy.
 */
import type { Readable } from 'node:stream';
import type { ChunkSigningSeed } from '../twin/sigv4/chunk-signature.ts';

/** A request as the gateway received it. Header names are lower-case. */
export interface ServiceRequest {
  readonly method: string;
  /** Path and query exactly as received (host from the Host header). */
  readonly url: URL;
  readonly headers: Readonly<Record<string, string>>;
  /** The raw body, still aws-chunked when the client streamed it. */
  readonly body: Buffer;
  /**
   * Set by the gateway after SigV4 verification of a `STREAMING-AWS4-HMAC-SHA256-PAYLOAD…`
   * request, so the S3 plugin can verify every chunk signature.
   */
  readonly chunkSigning?: ChunkSigningSeed;
}

export interface ServiceResponse {
  status: number;
  headers: Record<string, string>;
  body: Buffer | Readable;
  /**
   * Set when the service itself refused the request before running it (API Gateway's throttling
   * or request validation): why, for the audit log. Never sent.
   */
  refusal?: string;
  /**
   * Set when the service's own authorization denied the request (an API's Lambda authorizer
   * policy): why, for the audit log, which records it as denied. Never sent.
   */
  denial?: string;
}

/** Who made the request, as SigV4 verification established it. */
export interface Caller {
  readonly principalArn: string;
  readonly accountId: string;
  /** The role (with its path) behind an assumed-role session. */
  readonly roleArn?: string;
  /**
   * Opaque to the plugins: the gateway's own request context (path, endpoint, context keys).
   * Secrets Manager hands the whole Caller back in `authorizeKms`, so the key policy can be
   * evaluated with the original request's context.
   */
  readonly context?: unknown;
}

/** The kind of resource whose resource-based policy governs a request. */
export type ResourceKind = 'bucket' | 'table' | 'secret' | 'key' | 'function' | 'queue' | 'topic';

/** One action on one resource: what IAM must allow. */
export interface AuthorizationCheck {
  readonly action: string;
  readonly resource: string;
}

/** What a request is, for the gateway: enough to trace, authorize and audit it. */
export interface Classified {
  /** IAM service prefix: s3, dynamodb, secretsmanager, kms, sts, lambda, sqs. */
  readonly service: string;
  /** API operation name, e.g. GetObject; 'Unknown' when the request matches none. */
  readonly operation: string;
  /** Union of the IAM actions in `checks`, e.g. ['s3:GetObject']. */
  readonly actions: readonly string[];
  /** Union of the resource ARNs in `checks` ('*' for account-level operations). */
  readonly resources: readonly string[];
  /** The exact (action, resource) pairs to authorize; several for batch/copy operations. */
  readonly checks: readonly AuthorizationCheck[];
  /** Kind of resource whose resource policy applies, when the service has one. */
  readonly resourceOwner?: ResourceKind;
  /** ARNs to pass to `resourcePolicy()` (a bucket for its objects, a table, a secret, a key, a function, a queue). */
  readonly policyArns: readonly string[];
  /** Service-specific condition keys taken from the request (s3:prefix, secretsmanager:SecretId…). */
  readonly serviceKeys: Readonly<Record<string, string | readonly string[]>>;
}

/**
 * Why the gateway refuses a request before it reaches the service. SigV4 failures use the
 * code names of `src/twin/sigv4`; each plugin maps them to its service's own wire code.
 */
export type DenyKind =
  | 'AccessDenied'
  | 'SignatureDoesNotMatch'
  | 'InvalidAccessKeyId'
  | 'UnrecognizedClientException'
  | 'RequestTimeTooSkewed'
  | 'MissingAuthenticationToken'
  | 'IncompleteSignature'
  | 'InvalidToken'
  | 'XAmzContentSHA256Mismatch'
  | 'InvalidRequest';

export interface PluginContext {
  /** This plugin's own folder: `<dataDir>/<service>/`. */
  readonly dataDir: string;
  readonly region: string;
  readonly accountId: string;
}

export interface EmulatorPlugin {
  /** SigV4 signing name, e.g. 's3'. */
  readonly service: string;
  start(ctx: PluginContext): Promise<void>;
  stop(): Promise<void>;
  /** Pure and fast: reads only in-memory state, never disk or network. */
  classify(req: ServiceRequest): Classified;
  handle(req: ServiceRequest, caller: Caller): Promise<ServiceResponse>;
  /** A refusal in the service's own shape (S3 XML 403, JSON `AccessDeniedException` 400…). */
  deny(kind: DenyKind, message: string, req: ServiceRequest): ServiceResponse;
  /** Any other error in the service's own shape. */
  error(code: string, message: string, status: number, req: ServiceRequest): ServiceResponse;
  /** The resource-based policy document (JSON text) attached to `arn`, if any. */
  resourcePolicy(arn: string): string | undefined;
  /**
   * What the service answers before any authorization, whoever asks — S3's 404 NoSuchBucket for a
   * bucket that does not exist — or undefined to authorize as usual. In-memory state only.
   */
  answerBeforeAuthorization?(classified: Classified, req: ServiceRequest): ServiceResponse | undefined;
  /**
   * Whether the service keeps callers outside the account away from this resource when its policy
   * is public (S3 Block Public Access's RestrictPublicBuckets). In-memory state only.
   */
  restrictsPublicAccess?(arn: string): boolean;
}
