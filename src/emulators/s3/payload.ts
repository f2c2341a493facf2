/** The bytes an upload carries: decoded from aws-chunked when needed, checksums verified. */
import type { ServiceRequest } from '../plugin.ts';
import { ServiceError } from '../common/service-error.ts';
import { decodeAwsChunked } from './aws-chunked.ts';
import { verifyUploadChecksum, type StoredChecksum } from './checksums.ts';

export interface UploadPayload {
  readonly data: Buffer;
  readonly checksum?: StoredChecksum;
  /** Content-Encoding to store: the client's, without the transport-only `aws-chunked`. */
  readonly contentEncoding?: string;
}

export function isAwsChunked(req: ServiceRequest): boolean {
  const encoding = req.headers['content-encoding'] ?? '';
  const sha = req.headers['x-amz-content-sha256'] ?? '';
  return encoding.split(',').some((e) => e.trim() === 'aws-chunked') || sha.startsWith('STREAMING-');
}

export function readUploadPayload(req: ServiceRequest): UploadPayload {
  let data = req.body;
  let trailers: Readonly<Record<string, string>> = {};
  if (isAwsChunked(req)) {
    const decoded = decodeAwsChunked(req.body, req.headers['x-amz-content-sha256'] ?? '', req.chunkSigning);
    data = decoded.data;
    trailers = decoded.trailers;
    const declared = req.headers['x-amz-decoded-content-length'];
    if (declared !== undefined && Number(declared) !== data.length) {
      throw new ServiceError(
        'IncompleteBody',
        'You did not provide the number of bytes specified by the Content-Length HTTP header',
        400,
      );
    }
    const announced = (req.headers['x-amz-trailer'] ?? '').toLowerCase();
    if (announced !== '' && trailers[announced] === undefined) {
      throw new ServiceError(
        'MalformedTrailerError',
        'The request contained trailing data that was not well-formed or did not conform to our published schema.',
        400,
      );
    }
  }
  const checksum = verifyUploadChecksum(req.headers, trailers, data);
  const encodings = (req.headers['content-encoding'] ?? '')
    .split(',')
    .map((e) => e.trim())
    .filter((e) => e !== '' && e !== 'aws-chunked');
  return { data, checksum, contentEncoding: encodings.length > 0 ? encodings.join(', ') : undefined };
}
