/**
 * CRC-32 (ISO-HDLC, the zlib one) and CRC-32C (Castagnoli), the two CRCs S3 flexible checksums
 * use. Node 20 has no zlib.crc32, so: a slice-by-one table each — fast enough for local use.
 */
function makeTable(polynomial: number): Uint32Array {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? polynomial ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
}

const CRC32_TABLE = makeTable(0xedb88320);
const CRC32C_TABLE = makeTable(0x82f63b78);

/** An incremental CRC: feed chunks with `update`, read the value with `digest`. */
export class Crc {
  private state = 0xffffffff;
  constructor(private readonly table: Uint32Array) {}

  update(data: Uint8Array): this {
    let c = this.state;
    const table = this.table;
    for (let i = 0; i < data.length; i++) c = table[(c ^ data[i]) & 0xff] ^ (c >>> 8);
    this.state = c;
    return this;
  }

  /** The CRC as an unsigned 32-bit number. */
  value(): number {
    return (this.state ^ 0xffffffff) >>> 0;
  }

  /** The CRC as 4 big-endian bytes, base64 — the form of `x-amz-checksum-crc32`. */
  base64(): string {
    const out = Buffer.alloc(4);
    out.writeUInt32BE(this.value());
    return out.toString('base64');
  }
}

export const newCrc32 = (): Crc => new Crc(CRC32_TABLE);
export const newCrc32c = (): Crc => new Crc(CRC32C_TABLE);

export function crc32(data: Uint8Array): number {
  return newCrc32().update(data).value();
}
