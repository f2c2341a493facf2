/**
 * `<data-dir>/twin.json`: what `securecart up` writes once ready, so that any process can act as a
 * workload (its entry + its role's session credentials) or as the internet. The contract of issue 5.
 */
export interface TwinWorkloadState {
  /** This workload's gateway entry: requests sent here leave from its ENI. */
  readonly endpoint: string;
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly sessionToken?: string;
  readonly roleArn: string;
  /** The environment its function runs with (template values, resolved). */
  readonly environment: Readonly<Record<string, string>>;
}

export interface TwinApiState {
  readonly id: string;
  readonly stage: string;
  readonly private: boolean;
  /** LocalStack-style URL on the internet entry: `…/restapis/<id>/<stage>/_user_request_/`. */
  readonly url: string;
  /** The URL code uses on AWS (reachable from workloads through their entries). */
  readonly invokeUrl: string;
}

/** An API key of the template: send `value` as `x-api-key` to methods that require a key. */
export interface TwinApiKeyState {
  readonly id: string;
  readonly value: string;
  readonly enabled: boolean;
}

export interface TwinState {
  readonly region: string;
  readonly account: string;
  readonly internet: { readonly endpoint: string };
  readonly workloads: Readonly<Record<string, TwinWorkloadState>>;
  readonly apis: Readonly<Record<string, TwinApiState>>;
  /** API keys by logical id; absent when the template has none. */
  readonly apiKeys?: Readonly<Record<string, TwinApiKeyState>>;
  readonly resources: Readonly<
    Record<string, { readonly type: string; readonly physicalId: string; readonly arn?: string }>
  >;
  readonly flowLogs: string;
  readonly auditLog: string;
}
