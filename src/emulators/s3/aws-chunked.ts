/**
 * Decodes `Content-Encoding: aws-chunked` bodies, the form the SDK uses for streamed uploads:
 *   unsigned:  <hex-size>\r\n<bytes>\r\n … 0\r\n<trailer>:<value>\r\n\r\n
 *   signed:    <hex-size>;chunk-signature=<sig>\r\n<bytes>\r\n … 0;chunk-signature=<sig>\r\n[trailers]\r\n
 * https://docs.aws.amazon.com/AmazonS3/latest/API/sigv4-streaming.html
 */
import { ChunkSignatureChain, type ChunkSigningSeed } from '../../twin/sigv4/chunk-signature.ts';
import { ServiceError } from '../common/service-error.ts';

export interface DecodedChunkedBody {
  readonly data: Buffer;
  /** Trailing headers, lower-case names (e.g. x-amz-checksum-crc32). */
  readonly trailers: Readonly<Record<string, string>>;
  /** True when every chunk signature was checked against the request's seed signature. */
  readonly signaturesVerified: boolean;
}

const CRLF = Buffer.from('\r\n');

function incomplete(): ServiceError {
  return new ServiceError('IncompleteBody', 'The request body terminated unexpectedly', 400);
}

export function decodeAwsChunked(
  body: Buffer,
  payloadMode: string,
  seed: ChunkSigningSeed | undefined,
): DecodedChunkedBody {
  const signed = payloadMode.startsWith('STREAMING-AWS4-HMAC-SHA256-PAYLOAD');
  const chain = signed && seed ? new ChunkSignatureChain(seed) : undefined;
  const chunks: Buffer[] = [];
  let offset = 0;
  for (;;) {
    const lineEnd = body.indexOf(CRLF, offset);
    if (lineEnd < 0) throw incomplete();
    const header = body.subarray(offset, lineEnd).toString('latin1');
    const [sizeText, ...extensions] = header.split(';');
    if (!/^[0-9a-fA-F]+$/.test(sizeText.trim())) {
      throw new ServiceError(
        'InvalidChunkSizeError',
        'Only the last chunk is allowed to have a size less than 8192 bytes',
        400,
      );
    }
    const size = parseInt(sizeText, 16);
    const signature = extensions
      .find((e) => e.startsWith('chunk-signature='))
      ?.slice('chunk-signature='.length);
    if (signed && signature === undefined) throw incomplete();
    const dataStart = lineEnd + 2;
    const dataEnd = dataStart + size;
    if (dataEnd > body.length) throw incomplete();
    const chunk = body.subarray(dataStart, dataEnd);
    if (chain && signature !== undefined && !chain.next(chunk, signature)) {
      throw new ServiceError(
        'SignatureDoesNotMatch',
        'The request signature we calculated does not match the signature you provided. Check your key and signing method.',
        403,
      );
    }
    if (size === 0) {
      offset = dataStart;
      break;
    }
    chunks.push(chunk);
    if (!body.subarray(dataEnd, dataEnd + 2).equals(CRLF)) throw incomplete();
    offset = dataEnd + 2;
  }
  const trailers = parseTrailers(body.subarray(offset).toString('latin1'), chain);
  return { data: Buffer.concat(chunks), trailers, signaturesVerified: chain !== undefined };
}

/** Trailer lines up to the empty line; `x-amz-trailer-signature` is checked, not returned. */
function parseTrailers(rest: string, chain: ChunkSignatureChain | undefined): Record<string, string> {
  const trailers: Record<string, string> = {};
  let signedLines = '';
  let trailerSignature: string | undefined;
  for (const line of rest.split('\r\n')) {
    if (line === '') continue;
    const colon = line.indexOf(':');
    if (colon < 0) throw incomplete();
    const name = line.slice(0, colon).trim().toLowerCase();
    const value = line.slice(colon + 1).trim();
    if (name === 'x-amz-trailer-signature') trailerSignature = value;
    else {
      trailers[name] = value;
      signedLines += `${name}:${value}\n`;
    }
  }
  if (chain && trailerSignature !== undefined && !chain.trailer(signedLines, trailerSignature)) {
    throw new ServiceError(
      'SignatureDoesNotMatch',
      'The trailer signature we calculated does not match the signature you provided.',
      403,
    );
  }
  return trailers;
}
