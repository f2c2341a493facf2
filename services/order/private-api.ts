import { Sha256 } from '@aws-crypto/sha256-js';
import { SignatureV4 } from '@smithy/signature-v4';
import type { ApiReply, InternalApi, PaymentRequest } from './ports.ts';

export type Fetch = (
  url: string,
  init: { method: string; headers: Record<string, string>; body?: string; signal?: AbortSignal },
) => Promise<{
  status: number;
  text(): Promise<string>;
}>;

export interface SignedApiOptions {
  /** The private API stage URL, e.g. https://abc123.execute-api.us-east-1.amazonaws.com/prod/ */
  baseUrl: string;
  region: string;
  credentials: ConstructorParameters<typeof SignatureV4>[0]['credentials'];
  fetch?: Fetch;
  /** Fixed signing time, for tests. */
  now?: () => Date;
  timeoutMs?: number;
}

/**
 * The private API over HTTPS, every request signed with SigV4 for `execute-api` (the methods use
 * AWS_IAM authorization). Private DNS on the execute-api endpoint makes the API's hostname resolve
 * to the endpoint's ENIs inside the VPC.
 */
export function signedInternalApi(options: SignedApiOptions): InternalApi {
  const signer = new SignatureV4({
    service: 'execute-api',
    region: options.region,
    credentials: options.credentials,
    sha256: Sha256,
  });
  const doFetch: Fetch = options.fetch ?? ((url, init) => fetch(url, init));
  const base = options.baseUrl.endsWith('/') ? options.baseUrl : `${options.baseUrl}/`;

  async function call(method: string, relativePath: string, body?: unknown): Promise<ApiReply> {
    const url = new URL(relativePath, base);
    const payload = body === undefined ? undefined : JSON.stringify(body);
    const headers: Record<string, string> = { host: url.host, accept: 'application/json' };
    if (payload !== undefined) headers['content-type'] = 'application/json';
    const signed = await signer.sign(
      {
        method,
        protocol: url.protocol,
        hostname: url.hostname,
        port: url.port ? Number(url.port) : undefined,
        path: url.pathname,
        query: Object.fromEntries(url.searchParams),
        headers,
        body: payload,
      },
      { signingDate: options.now?.() },
    );
    // fetch sets Host itself from the URL (the same value that was signed).
    const { host: _host, ...sendHeaders } = signed.headers;
    const response = await doFetch(url.toString(), {
      method,
      headers: sendHeaders,
      body: payload,
      signal: AbortSignal.timeout(options.timeoutMs ?? 8000),
    });
    const text = await response.text();
    let parsed: unknown = text;
    try {
      parsed = text ? (JSON.parse(text) as unknown) : undefined;
    } catch {
      // Not JSON (e.g. an HTML error page): keep the text for the log.
    }
    return { status: response.status, body: parsed };
  }

  return {
    getCustomer: (customerId) => call('GET', `customers/${encodeURIComponent(customerId)}`),
    authorizePayment: (request: PaymentRequest) => call('POST', 'payments', request),
  };
}
