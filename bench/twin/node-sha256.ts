/**
 * SHA-256 and HMAC-SHA-256 over node:crypto, in the shape @smithy/signature-v4 asks for
 * (`new Sha256(secret?)`, `update`, async `digest`). The SDK's own pure-JS hash would cost the
 * load process CPU that the bench wants to leave to the servers it measures.
 */
import { createHash, createHmac, type Hash, type Hmac } from 'node:crypto';

type SourceData = string | ArrayBuffer | ArrayBufferView;

function toBuffer(data: SourceData): Buffer {
  if (typeof data === 'string') return Buffer.from(data, 'utf8');
  if (ArrayBuffer.isView(data)) return Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  return Buffer.from(data);
}

export class NodeSha256 {
  private hash: Hash | Hmac;

  /** With a secret: HMAC-SHA-256 keyed by it; without: plain SHA-256. */
  constructor(private readonly secret?: SourceData) {
    this.hash = this.fresh();
  }

  update(data: SourceData): void {
    this.hash.update(toBuffer(data));
  }

  digest(): Promise<Uint8Array> {
    return Promise.resolve(this.hash.digest());
  }

  reset(): void {
    this.hash = this.fresh();
  }

  private fresh(): Hash | Hmac {
    return this.secret === undefined ? createHash('sha256') : createHmac('sha256', toBuffer(this.secret));
  }
}
