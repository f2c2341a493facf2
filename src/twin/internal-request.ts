/**
 * Requests the twin itself sends straight to an emulator at boot (creating, seeding): no network,
 * no SigV4 — the twin is the control plane here, as CloudFormation is on AWS.
 */
import type { Caller, EmulatorPlugin, ServiceRequest } from '../emulators/plugin.ts';
import { Readable } from 'node:stream';

export interface InternalReply {
  readonly status: number;
  readonly body: Buffer;
}

async function bodyOf(body: Buffer | Readable): Promise<Buffer> {
  if (Buffer.isBuffer(body)) return body;
  const chunks: Buffer[] = [];
  for await (const chunk of body) chunks.push(Buffer.from(chunk as Uint8Array));
  return Buffer.concat(chunks);
}

export async function sendInternal(
  plugin: EmulatorPlugin,
  caller: Caller,
  request: { method: string; url: string; headers?: Record<string, string>; body?: Buffer | string },
): Promise<InternalReply> {
  const url = new URL(request.url);
  const req: ServiceRequest = {
    method: request.method,
    url,
    headers: { host: url.host, ...request.headers },
    body: typeof request.body === 'string' ? Buffer.from(request.body) : (request.body ?? Buffer.alloc(0)),
  };
  const response = await plugin.handle(req, caller);
  return { status: response.status, body: await bodyOf(response.body) };
}

/** A JSON-protocol call (`X-Amz-Target: <prefix>.<operation>`); throws on an error reply. */
export async function callJson(
  plugin: EmulatorPlugin,
  caller: Caller,
  target: string,
  input: unknown,
  host: string,
  jsonVersion: '1.0' | '1.1' = '1.1',
): Promise<Record<string, unknown>> {
  const reply = await sendInternal(plugin, caller, {
    method: 'POST',
    url: `https://${host}/`,
    headers: { 'x-amz-target': target, 'content-type': `application/x-amz-json-${jsonVersion}` },
    body: JSON.stringify(input),
  });
  const text = reply.body.toString('utf8');
  if (reply.status >= 300) throw new Error(`${target} failed (${reply.status}): ${text}`);
  return text ? (JSON.parse(text) as Record<string, unknown>) : {};
}
