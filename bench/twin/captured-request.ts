/**
 * The SDK's own requests, recorded once: each call of the mix is sent through its real SDK v3
 * client with a request handler that keeps the fully built, signed `HttpRequest` and answers
 * nothing. The raw client then replays those bytes, re-signed per request, so what goes on the wire
 * is what the SDK would send — minus the SDK's ~2–3 ms of CPU per call.
 */
import { SignatureV4 } from '@smithy/signature-v4';
import { NodeSha256 } from './node-sha256.ts';
import type { SdkCall } from './request-mix.ts';

/** The parts of the SDK's HttpRequest the raw client sends and signs. */
export interface SdkRequest {
  readonly method: string;
  readonly protocol: string;
  readonly hostname: string;
  readonly port?: number;
  readonly path: string;
  readonly query: Record<string, string | string[] | null>;
  readonly headers: Record<string, string>;
  readonly body?: unknown;
}

/** Headers that belong to one signing / one SDK invocation: dropped, then set anew per request. */
export const PER_REQUEST_HEADERS = [
  'authorization',
  'x-amz-date',
  'x-amz-security-token',
  'amz-sdk-invocation-id',
];

export interface CapturedRequest {
  readonly name: string;
  /** The SDK's request without the per-request headers; its body as bytes. */
  readonly template: SdkRequest & { readonly body?: Buffer };
  /** A signer configured as the SDK's client configures its own (escape path, hash, credentials). */
  readonly signer: SignatureV4;
  /** From the SDK's credential scope. */
  readonly region: string;
  readonly service: string;
}

/** Sentinel thrown by the recording handler, so the SDK call ends without any network I/O. */
class Recorded extends Error {}

function bodyBytes(body: unknown, name: string): Buffer | undefined {
  if (body === undefined || body === null) return undefined;
  if (typeof body === 'string') return Buffer.from(body, 'utf8');
  // A copy through a plain view: the SDK's JSON body is a Uint8Array subclass whose valueOf()
  // (which Buffer.from calls) warns, and the SDK may reuse its buffer.
  if (body instanceof Uint8Array)
    return Buffer.from(new Uint8Array(body.buffer, body.byteOffset, body.byteLength));
  throw new Error(`bench: ${name}: the SDK built a streaming body; the raw client replays only fixed bodies`);
}

/** `x-amz-date` (`YYYYMMDDTHHMMSSZ`) as a Date. */
function parseAmzDate(value: string): Date {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(value);
  if (!m) throw new Error(`bench: unexpected x-amz-date ${value}`);
  const [, y, mo, d, h, mi, s] = m.map(Number);
  return new Date(Date.UTC(y, mo - 1, d, h, mi, s));
}

/**
 * Records the request each SDK call builds (the calls must come from `sdkMix(…, handler)` with the
 * handler returned by `recordingHandler`), and checks that re-signing it with our signer at the
 * SDK's own date gives the SDK's own Authorization header — so a signing difference shows here,
 * once, not as 403s during a round.
 */
export async function captureRequests(
  build: (handler: Record<string, unknown>) => SdkCall[],
): Promise<CapturedRequest[]> {
  let last: SdkRequest | undefined;
  const handler = {
    handle: (request: SdkRequest) => {
      last = request;
      return Promise.reject(new Recorded());
    },
  };
  const captured: CapturedRequest[] = [];
  for (const call of build(handler)) {
    last = undefined;
    await call.send().catch((error: unknown) => {
      if (!(error instanceof Recorded)) throw error;
    });
    if (!last) throw new Error(`bench: ${call.name}: the SDK sent no request`);
    captured.push(await fromSdkRequest(call, last));
  }
  return captured;
}

async function fromSdkRequest(call: SdkCall, request: SdkRequest): Promise<CapturedRequest> {
  const authorization = request.headers.authorization ?? '';
  const scope = /Credential=[^/]+\/\d{8}\/([^/]+)\/([^/]+)\/aws4_request/.exec(authorization);
  if (!scope) throw new Error(`bench: ${call.name}: no SigV4 credential scope in ${authorization}`);
  const [, region, service] = scope;
  const signer = new SignatureV4({
    credentials: call.credentials,
    region,
    service,
    sha256: NodeSha256,
    uriEscapePath: call.signingEscapePath,
  });
  const body = bodyBytes(request.body, call.name);
  const headers = { ...request.headers };
  const base = {
    method: request.method,
    protocol: request.protocol,
    hostname: request.hostname,
    port: request.port,
    path: request.path,
    query: { ...request.query },
    body,
  };

  // Same request, same date: our signer must reproduce the SDK's signature exactly.
  const { authorization: _sdkSignature, ...unsigned } = headers;
  const again = await signer.sign(
    { ...base, headers: unsigned },
    { signingDate: parseAmzDate(headers['x-amz-date']), signingRegion: region, signingService: service },
  );
  if (again.headers.authorization !== authorization)
    throw new Error(
      `bench: ${call.name}: re-signing the SDK's request does not reproduce its signature:\n  SDK: ${authorization}\n  ours: ${again.headers.authorization}`,
    );

  for (const name of PER_REQUEST_HEADERS) delete headers[name];
  return { name: call.name, template: { ...base, headers }, signer, region, service };
}
