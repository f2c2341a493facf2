/**
 * S3 flexible checksums (x-amz-checksum-*) and Content-MD5: verify what the client sent, keep
 * the value so GetObject can return it (the SDK validates it when `x-amz-checksum-mode: ENABLED`).
 * https://docs.aws.amazon.com/AmazonS3/latest/userguide/checking-object-integrity.html
 */
import { createHash } from 'node:crypto';
import { newCrc32, newCrc32c } from '../common/crc32.ts';
import { ServiceError } from '../common/service-error.ts';

export type ChecksumAlgorithm = 'CRC32' | 'CRC32C' | 'SHA1' | 'SHA256' | 'CRC64NVME';
export const CHECKSUM_ALGORITHMS: readonly ChecksumAlgorithm[] = [
  'CRC32',
  'CRC32C',
  'SHA1',
  'SHA256',
  'CRC64NVME',
];

export interface StoredChecksum {
  readonly algorithm: ChecksumAlgorithm;
  /** base64, as on the wire; multipart composites end in `-<parts>`. */
  readonly value: string;
  readonly type: 'FULL_OBJECT' | 'COMPOSITE';
}

export function headerName(algorithm: ChecksumAlgorithm): string {
  return `x-amz-checksum-${algorithm.toLowerCase()}`;
}

/** The checksum of `data` in base64; undefined for CRC64NVME, which we store without checking. */
export function computeChecksum(algorithm: ChecksumAlgorithm, data: Buffer): string | undefined {
  switch (algorithm) {
    case 'CRC32':
      return newCrc32().update(data).base64();
    case 'CRC32C':
      return newCrc32c().update(data).base64();
    case 'SHA1':
      return createHash('sha1').update(data).digest('base64');
    case 'SHA256':
      return createHash('sha256').update(data).digest('base64');
    case 'CRC64NVME':
      return undefined;
  }
}

/**
 * Finds the checksum the client sent (header or aws-chunked trailer), verifies it against the
 * payload and returns it. BadDigest when it does not match, as S3 answers.
 */
export function verifyUploadChecksum(
  headers: Readonly<Record<string, string>>,
  trailers: Readonly<Record<string, string>>,
  data: Buffer,
): StoredChecksum | undefined {
  const md5 = headers['content-md5'];
  if (md5 !== undefined && createHash('md5').update(data).digest('base64') !== md5) {
    throw new ServiceError('BadDigest', 'The Content-MD5 you specified did not match what we received.', 400);
  }
  for (const algorithm of CHECKSUM_ALGORITHMS) {
    const name = headerName(algorithm);
    const given = headers[name] ?? trailers[name];
    if (given === undefined) continue;
    const actual = computeChecksum(algorithm, data);
    if (actual !== undefined && actual !== given) {
      throw new ServiceError(
        'BadDigest',
        `The ${algorithm} you specified did not match the calculated checksum.`,
        400,
      );
    }
    return { algorithm, value: given, type: 'FULL_OBJECT' };
  }
  return undefined;
}

/** The algorithm a request announces (`x-amz-sdk-checksum-algorithm` / `x-amz-checksum-algorithm`). */
export function announcedAlgorithm(headers: Readonly<Record<string, string>>): ChecksumAlgorithm | undefined {
  const value = (
    headers['x-amz-checksum-algorithm'] ?? headers['x-amz-sdk-checksum-algorithm']
  )?.toUpperCase();
  return CHECKSUM_ALGORITHMS.find((a) => a === value);
}
