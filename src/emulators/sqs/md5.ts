/**
 * The digests SQS returns and the SDKs verify: MD5 of the body (hex of the UTF-8 bytes) and the MD5
 * of the message attributes, computed over a canonical encoding — attributes sorted by name, each
 * as 4-byte big-endian length + name, length + data type, one transport byte (1 = String/Number,
 * 2 = Binary), length + value bytes. The same encoding digests the message system attributes
 * (AWSTraceHeader). Source: Amazon SQS Developer Guide, "Calculating the MD5 message digest for
 * message attributes" (docs/emulator-semantics.md, "SQS").
 */
import { createHash } from 'node:crypto';

/** One attribute value as SQS stores it: BinaryValue already decoded from base64. */
export interface AttributeValue {
  readonly DataType: string;
  readonly StringValue?: string;
  readonly BinaryValue?: Buffer;
}

export type Attributes = Readonly<Record<string, AttributeValue>>;

export function md5Hex(text: string): string {
  return createHash('md5').update(text, 'utf8').digest('hex');
}

function lengthPrefixed(bytes: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(bytes.length);
  return Buffer.concat([length, bytes]);
}

/** The MD5 of a set of message (or system) attributes; undefined when there are none. */
export function md5OfAttributes(attributes: Attributes | undefined): string | undefined {
  const names = Object.keys(attributes ?? {});
  if (!attributes || names.length === 0) return undefined;
  const hash = createHash('md5');
  // Sorted by name in byte (code unit) order, as the guide's reference implementation sorts.
  for (const name of names.sort()) {
    const value = attributes[name];
    hash.update(lengthPrefixed(Buffer.from(name, 'utf8')));
    hash.update(lengthPrefixed(Buffer.from(value.DataType, 'utf8')));
    if (value.BinaryValue !== undefined) {
      hash.update(Buffer.from([2]));
      hash.update(lengthPrefixed(value.BinaryValue));
    } else {
      hash.update(Buffer.from([1]));
      hash.update(lengthPrefixed(Buffer.from(value.StringValue ?? '', 'utf8')));
    }
  }
  return hash.digest('hex');
}

/** Bytes an attribute set counts toward the message size limit: name, type and value. */
export function attributesSize(attributes: Attributes | undefined): number {
  let size = 0;
  for (const [name, value] of Object.entries(attributes ?? {})) {
    size += Buffer.byteLength(name) + Buffer.byteLength(value.DataType);
    size += value.BinaryValue?.length ?? Buffer.byteLength(value.StringValue ?? '');
  }
  return size;
}
