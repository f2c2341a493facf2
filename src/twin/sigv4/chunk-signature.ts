/**
 * Chunk signatures of `STREAMING-AWS4-HMAC-SHA256-PAYLOAD[-TRAILER]` uploads: each chunk's
 * signature chains from the previous one, starting at the request's seed signature.
 * https://docs.aws.amazon.com/AmazonS3/latest/API/sigv4-streaming.html
 */
import { sha256Hex } from './canonical.ts';
import { hmac } from './signing-key.ts';

const EMPTY_SHA256 = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';

export interface ChunkSigningSeed {
  readonly signature: string;
  readonly signingKey: Buffer;
  readonly amzDate: string;
  readonly scope: string;
}

/** Verifies chunks in order; `next` returns false at the first wrong signature. */
export class ChunkSignatureChain {
  private previous: string;
  constructor(private readonly seed: ChunkSigningSeed) {
    this.previous = seed.signature;
  }

  next(chunk: Buffer, signature: string): boolean {
    const toSign = [
      'AWS4-HMAC-SHA256-PAYLOAD',
      this.seed.amzDate,
      this.seed.scope,
      this.previous,
      EMPTY_SHA256,
      sha256Hex(chunk),
    ].join('\n');
    const expected = hmac(this.seed.signingKey, toSign).toString('hex');
    if (expected !== signature) return false;
    this.previous = expected;
    return true;
  }

  /** The trailer signature covers the trailing header lines (`name:value\n`). */
  trailer(trailerLines: string, signature: string): boolean {
    const toSign = [
      'AWS4-HMAC-SHA256-TRAILER',
      this.seed.amzDate,
      this.seed.scope,
      this.previous,
      sha256Hex(trailerLines),
    ].join('\n');
    return hmac(this.seed.signingKey, toSign).toString('hex') === signature;
  }
}
