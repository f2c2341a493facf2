/**
 * A tiny loopback server for the emulator tests: buffers the body, optionally verifies SigV4,
 * then calls classify + handle on the plugin the request is for. Not the twin's gateway.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type {
  Classified,
  DenyKind,
  EmulatorPlugin,
  ServiceRequest,
  ServiceResponse,
} from '../../src/emulators/plugin.ts';
import { pluginForRequest } from '../../src/emulators/registry.ts';
import { verifySigV4, type LookupSecret } from '../../src/twin/sigv4/verify.ts';

export const TEST_CREDENTIALS = { accessKeyId: 'AKIDTESTEMULATOR', secretAccessKey: 'test-secret-key' };
export const TEST_CALLER = {
  principalArn: 'arn:aws:iam::123456789012:role/test',
  accountId: '123456789012',
  context: { vpcEndpointId: 'vpce-test' },
};

export const testLookup: LookupSecret = (akid) =>
  akid === TEST_CREDENTIALS.accessKeyId
    ? { secretAccessKey: TEST_CREDENTIALS.secretAccessKey, ...TEST_CALLER }
    : undefined;

export interface ServeOptions {
  /** Verify SigV4 with this lookup (refusing with the plugin's own `deny`). */
  readonly verify?: LookupSecret;
  /** Stands in for the gateway's authorization: a refusal for this request, or undefined. */
  readonly decide?: (classified: Classified) => { kind: DenyKind; message: string } | undefined;
}

export interface Served {
  readonly endpoint: string;
  /** Every classification, in order, for assertions. */
  readonly classified: Classified[];
  close(): Promise<void>;
}

export async function serve(plugins: readonly EmulatorPlugin[], options: ServeOptions = {}): Promise<Served> {
  const classified: Classified[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const headers: Record<string, string> = {};
      for (const [name, value] of Object.entries(req.headers)) {
        if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(',') : value;
      }
      let request: ServiceRequest = {
        method: req.method ?? 'GET',
        url: new URL(req.url ?? '/', `http://${req.headers.host ?? 'localhost'}`),
        headers,
        body: Buffer.concat(chunks),
      };
      const plugin = pluginForRequest(plugins, request);
      void answer(plugin, request).then(
        (response) => send(res, response),
        (err: unknown) => {
          res.statusCode = 500;
          res.end(String(err instanceof Error ? err.stack : err));
        },
      );

      async function answer(
        target: EmulatorPlugin | undefined,
        original: ServiceRequest,
      ): Promise<ServiceResponse> {
        if (!target) return { status: 400, headers: {}, body: Buffer.from('no emulator for this request') };
        if (options.verify) {
          const result = verifySigV4(original, options.verify, new Date());
          if (!result.ok) return target.deny(result.code, result.message, original);
          request = { ...original, chunkSigning: result.seed };
        }
        const what = target.classify(request);
        classified.push(what);
        const refusal = options.decide?.(what);
        if (refusal) return target.deny(refusal.kind, refusal.message, request);
        return target.handle(request, TEST_CALLER);
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    classified,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function send(res: http.ServerResponse, response: ServiceResponse): void {
  res.writeHead(response.status, response.headers);
  // pipeline, not pipe: a client that hangs up must not leak the object's file handle.
  if (response.body instanceof Readable) pipeline(response.body, res).catch(() => undefined);
  else res.end(response.body);
}
