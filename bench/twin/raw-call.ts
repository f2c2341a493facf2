/**
 * The raw client: a captured SDK request, signed with @smithy/signature-v4 and sent with node:http
 * over a keep-alive agent. `resign: 'request'` signs every send, as an SDK does; `'second'` signs
 * once per second of the clock and sends that signed request until the next second, as wrk or k6
 * replay a fixed request. The server cannot tell them apart: a SigV4 signature stays valid for
 * 15 minutes, and the gateway verifies every request in full (it keeps no verdict per signature).
 * Signing was most of this client's CPU, and on a 2-core box every µs of it is taken from the
 * servers being measured. The whole response body is read; a non-2xx status
 * or a body of the wrong length is an error, thrown with the status and the start of the body.
 */
import http from 'node:http';
import type { CapturedRequest } from './captured-request.ts';

/** RFC 3986 escaping as the SDK's query-string builder does it. */
function escapeUri(value: string): string {
  return encodeURIComponent(value).replace(
    /[!'()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
}

/** The SDK's query bag as the SDK's Node handler writes it (insertion order, `key` alone for null). */
export function queryString(query: Readonly<Record<string, string | string[] | null>>): string {
  const parts: string[] = [];
  for (const [key, value] of Object.entries(query)) {
    const name = escapeUri(key);
    if (Array.isArray(value)) for (const v of value) parts.push(`${name}=${escapeUri(v)}`);
    else parts.push(value === null ? name : `${name}=${escapeUri(value)}`);
  }
  return parts.length === 0 ? '' : `?${parts.join('&')}`;
}

/** A request of the mix that did not get its expected answer (the message says what came back). */
export class RawCallError extends Error {
  override name = 'RawCallError';
}

/** One call of the mix in raw form: resolves when the whole, expected response has been read. */
export type Resign = 'request' | 'second';

export function rawCall(captured: CapturedRequest, agent: http.Agent, resign: Resign): () => Promise<void> {
  const { template, signer, region, service, name } = captured;
  const path = `${template.path}${queryString(template.query)}`;
  // Learned from the first 2xx answer: the mix reads the same object, item and secret every time.
  let expectedLength: number | undefined;

  const fail = (detail: string): never => {
    throw new RawCallError(`${name}: ${detail}`);
  };

  let signedAt = Number.NaN;
  let signedHeaders: Record<string, string> = {};

  return async () => {
    const now = new Date();
    const second = Math.floor(now.getTime() / 1000);
    if (resign === 'request' || second !== signedAt) {
      // A fresh copy per signing (the signer clones it again before adding its headers).
      const signed = await signer.sign(
        { ...template, headers: { ...template.headers } },
        { signingDate: now, signingRegion: region, signingService: service },
      );
      signedAt = second;
      signedHeaders = signed.headers;
    }
    const { status, length, declared, errorBody } = await new Promise<{
      status: number;
      length: number;
      declared: string | undefined;
      errorBody: string;
    }>((resolve, reject) => {
      const req = http.request(
        {
          agent,
          host: template.hostname,
          port: template.port,
          method: template.method,
          path,
          headers: signedHeaders,
        },
        (res) => {
          const status = res.statusCode ?? 0;
          const ok = status >= 200 && status < 300;
          let length = 0;
          const kept: Buffer[] = [];
          res.on('data', (chunk: Buffer) => {
            length += chunk.length;
            if (!ok) kept.push(chunk);
          });
          res.on('end', () =>
            resolve({
              status,
              length,
              declared: res.headers['content-length'],
              errorBody: Buffer.concat(kept).toString('utf8').slice(0, 500),
            }),
          );
          res.on('error', reject);
        },
      );
      req.on('error', reject);
      req.end(template.body);
    }).catch((error: unknown) => fail(`request failed: ${String(error)}`));

    if (status < 200 || status >= 300) fail(`HTTP ${status}: ${errorBody}`);
    if (declared !== undefined && Number(declared) !== length)
      fail(`HTTP ${status}: read ${length} body bytes, content-length says ${declared}`);
    expectedLength ??= length;
    if (length !== expectedLength)
      fail(`HTTP ${status}: read ${length} body bytes, the first answer had ${expectedLength}`);
  };
}
