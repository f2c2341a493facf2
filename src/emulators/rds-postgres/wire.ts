/**
 * The few pieces of the PostgreSQL v3 wire protocol the bridge reads or writes itself
 * (https://www.postgresql.org/docs/current/protocol-message-formats.html). Everything else
 * passes through to PGlite untouched.
 */

export const PROTOCOL_3_0 = 196608;
export const SSL_REQUEST = 80877103;
export const GSSENC_REQUEST = 80877104;
export const CANCEL_REQUEST = 80877102;

/** One typed message: `type` byte, then the body (without the length word). */
export interface WireMessage {
  readonly type: string;
  readonly body: Buffer;
}

/** Accumulates socket chunks and yields whole messages. */
export class MessageReader {
  private pending: Buffer = Buffer.alloc(0);

  push(chunk: Buffer): void {
    this.pending = this.pending.length === 0 ? chunk : Buffer.concat([this.pending, chunk]);
  }

  /** The untyped first packet (startup, SSL or cancel request), or undefined if incomplete. */
  takeUntyped(): Buffer | undefined {
    if (this.pending.length < 4) return undefined;
    const length = this.pending.readInt32BE(0);
    // Postgres caps the startup packet at 10000 bytes; anything else is not a Postgres client.
    if (length < 8 || length > 10_000) throw new Error(`invalid startup packet length ${length}`);
    if (this.pending.length < length) return undefined;
    const packet = this.pending.subarray(0, length);
    this.pending = this.pending.subarray(length);
    return packet;
  }

  /** Every complete typed message buffered so far. */
  takeMessages(): WireMessage[] {
    const messages: WireMessage[] = [];
    while (this.pending.length >= 5) {
      const length = this.pending.readInt32BE(1);
      if (length < 4) throw new Error(`invalid message length ${length}`);
      if (this.pending.length < 1 + length) break;
      messages.push({
        type: String.fromCharCode(this.pending[0]),
        body: this.pending.subarray(5, 1 + length),
      });
      this.pending = this.pending.subarray(1 + length);
    }
    return messages;
  }
}

export function encodeMessage(type: string, body: Buffer): Buffer {
  const head = Buffer.alloc(5);
  head.write(type, 0, 'latin1');
  head.writeInt32BE(body.length + 4, 1);
  return Buffer.concat([head, body]);
}

export function encodeMessages(messages: readonly WireMessage[]): Buffer {
  return Buffer.concat(messages.map((m) => encodeMessage(m.type, m.body)));
}

export function cstring(value: string): Buffer {
  return Buffer.from(`${value}\0`, 'utf8');
}

/** Reads NUL-terminated strings from a body. */
export class BodyCursor {
  constructor(
    private readonly body: Buffer,
    public offset = 0,
  ) {}

  cstring(): string {
    const end = this.body.indexOf(0, this.offset);
    if (end < 0) throw new Error('malformed message: unterminated string');
    const value = this.body.toString('utf8', this.offset, end);
    this.offset = end + 1;
    return value;
  }

  byte(): string {
    return String.fromCharCode(this.body[this.offset++]);
  }

  rest(): Buffer {
    return this.body.subarray(this.offset);
  }
}

/** StartupMessage parameters (user, database, application_name, …). */
export function parseStartupParameters(packet: Buffer): Map<string, string> {
  const params = new Map<string, string>();
  const cursor = new BodyCursor(packet, 8);
  while (cursor.offset < packet.length - 1) {
    const key = cursor.cstring();
    if (key === '') break;
    params.set(key, cursor.cstring());
  }
  return params;
}

/** ErrorResponse with the fields psql and drivers show: severity, SQLSTATE, message. */
export function errorResponse(severity: 'FATAL' | 'ERROR', code: string, message: string): Buffer {
  const fields = Buffer.concat([
    Buffer.from('S'),
    cstring(severity),
    Buffer.from('V'),
    cstring(severity),
    Buffer.from('C'),
    cstring(code),
    Buffer.from('M'),
    cstring(message),
    Buffer.from([0]),
  ]);
  return encodeMessage('E', fields);
}

/** AuthenticationMD5Password with its 4-byte salt. */
export function md5PasswordRequest(salt: Buffer): Buffer {
  const body = Buffer.alloc(8);
  body.writeInt32BE(5, 0);
  salt.copy(body, 4);
  return encodeMessage('R', body);
}

export function authenticationOk(): Buffer {
  const body = Buffer.alloc(4);
  body.writeInt32BE(0, 0);
  return encodeMessage('R', body);
}

export function backendKeyData(processId: number, secretKey: number): Buffer {
  const body = Buffer.alloc(8);
  body.writeInt32BE(processId, 0);
  body.writeInt32BE(secretKey, 4);
  return encodeMessage('K', body);
}

export function readyForQuery(status: 'I' | 'T' | 'E'): Buffer {
  return encodeMessage('Z', Buffer.from(status, 'latin1'));
}

/** The transaction status of the last ReadyForQuery in a server response, if any. */
export function lastReadyStatus(response: Buffer): string | undefined {
  let status: string | undefined;
  let offset = 0;
  while (offset + 5 <= response.length) {
    const type = String.fromCharCode(response[offset]);
    const length = response.readInt32BE(offset + 1);
    if (type === 'Z' && length === 5) status = String.fromCharCode(response[offset + 5]);
    offset += 1 + length;
  }
  return status;
}

/** The ParameterStatus messages in a server response (sent again to every new client). */
export function parameterStatuses(response: Buffer): Buffer[] {
  const found: Buffer[] = [];
  let offset = 0;
  while (offset + 5 <= response.length) {
    const length = response.readInt32BE(offset + 1);
    if (response[offset] === 'S'.charCodeAt(0)) found.push(response.subarray(offset, offset + 1 + length));
    offset += 1 + length;
  }
  return found;
}

export function startupPacket(params: Record<string, string>): Buffer {
  const body = Buffer.concat([
    ...Object.entries(params).flatMap(([k, v]) => [cstring(k), cstring(v)]),
    Buffer.from([0]),
  ]);
  const head = Buffer.alloc(8);
  head.writeInt32BE(8 + body.length, 0);
  head.writeInt32BE(PROTOCOL_3_0, 4);
  return Buffer.concat([head, body]);
}
