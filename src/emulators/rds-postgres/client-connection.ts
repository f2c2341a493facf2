/**
 * One client connection to the emulated RDS instance:
 *   1. startup: refuse SSL/GSS encryption ('N', the client may go on in plain text), read the
 *      StartupMessage, ask for an MD5 password and check user, password and database — PGlite
 *      itself accepts anyone, so this is where the credentials from Secrets Manager are enforced;
 *   2. then forward every message to PGlite's one session, taking a turn on it from the first
 *      message until the server is idle again outside a transaction (ReadyForQuery 'I').
 */
import { randomBytes, randomInt } from 'node:crypto';
import type { Socket } from 'node:net';
import type { PGlite } from '@electric-sql/pglite';
import { md5PasswordMatches } from './md5-password.ts';
import type { SessionLock } from './session-lock.ts';
import { StatementNames } from './statement-names.ts';
import {
  CANCEL_REQUEST,
  GSSENC_REQUEST,
  MessageReader,
  PROTOCOL_3_0,
  SSL_REQUEST,
  authenticationOk,
  backendKeyData,
  encodeMessages,
  errorResponse,
  lastReadyStatus,
  md5PasswordRequest,
  parseStartupParameters,
  readyForQuery,
  type WireMessage,
} from './wire.ts';

export interface ConnectionSettings {
  readonly db: PGlite;
  readonly lock: SessionLock;
  readonly username: string;
  readonly password: string;
  readonly dbName: string;
  /** ParameterStatus messages PGlite sent at startup, replayed to each client. */
  readonly parameterStatus: Buffer;
  /** True once the server is stopping: PGlite is about to close, nothing to clean up. */
  readonly stopping: () => boolean;
}

type Phase = 'startup' | 'password' | 'ready' | 'closed';

export class ClientConnection {
  private readonly reader = new MessageReader();
  private readonly names: StatementNames;
  private phase: Phase = 'startup';
  private salt = randomBytes(4);
  private user = '';
  private database = '';
  /** Messages are handled strictly in order. */
  private queue: Promise<void> = Promise.resolve();
  /** Set while this connection holds PGlite's session. */
  private release?: () => void;

  constructor(
    private readonly socket: Socket,
    private readonly settings: ConnectionSettings,
    connectionNumber: number,
  ) {
    this.names = new StatementNames(`c${connectionNumber}_`);
    socket.on('data', (chunk: Buffer) => {
      this.reader.push(chunk);
      this.queue = this.queue.then(() => this.drain()).catch((error: unknown) => this.fail(error));
    });
    socket.on('close', () => {
      this.queue = this.queue.then(() => this.cleanUp()).catch(() => undefined);
    });
    socket.on('error', () => socket.destroy());
  }

  private async drain(): Promise<void> {
    while (this.phase === 'startup') {
      const packet = this.reader.takeUntyped();
      if (!packet) return;
      this.onUntyped(packet);
    }
    const messages = this.reader.takeMessages();
    if (this.phase === 'password' && messages.length > 0) {
      const [first, ...rest] = messages;
      // A client may pipeline queries right behind its password.
      if (this.onPassword(first) && rest.length > 0) await this.forward(rest);
      return;
    }
    if (this.phase === 'ready' && messages.length > 0) await this.forward(messages);
  }

  private onUntyped(packet: Buffer): void {
    const code = packet.length >= 8 ? packet.readInt32BE(4) : 0;
    if (code === SSL_REQUEST || code === GSSENC_REQUEST) {
      this.socket.write('N');
    } else if (code === CANCEL_REQUEST) {
      this.socket.end();
      this.phase = 'closed';
    } else if (code === PROTOCOL_3_0) {
      const params = parseStartupParameters(packet);
      this.user = params.get('user') ?? '';
      this.database = params.get('database') ?? this.user;
      if (this.user === '') {
        this.refuse('28000', 'no PostgreSQL user name specified in startup packet');
        return;
      }
      this.phase = 'password';
      this.socket.write(md5PasswordRequest(this.salt));
    } else {
      this.refuse('0A000', `unsupported frontend protocol ${code >>> 16}.${code & 0xffff}`);
    }
  }

  /** True when the client is in. */
  private onPassword(message: WireMessage): boolean {
    const response = message.type === 'p' ? message.body.toString('utf8').replace(/\0$/, '') : '';
    const { username, password, dbName } = this.settings;
    // Postgres gives the same answer for an unknown user as for a wrong password.
    if (this.user !== username || !md5PasswordMatches(this.user, password, this.salt, response)) {
      this.refuse('28P01', `password authentication failed for user "${this.user}"`);
      return false;
    }
    if (this.database !== dbName) {
      this.refuse('3D000', `database "${this.database}" does not exist`);
      return false;
    }
    this.phase = 'ready';
    this.salt = Buffer.alloc(0);
    this.socket.write(
      Buffer.concat([
        authenticationOk(),
        this.settings.parameterStatus,
        backendKeyData(randomInt(1, 2 ** 31 - 1), randomInt(0, 2 ** 31 - 1)),
        readyForQuery('I'),
      ]),
    );
    return true;
  }

  private async forward(messages: WireMessage[]): Promise<void> {
    const terminate = messages.findIndex((m) => m.type === 'X');
    const batch = (terminate >= 0 ? messages.slice(0, terminate) : messages).map((m) =>
      this.names.rewrite(m),
    );
    if (batch.length > 0) {
      this.release ??= await this.settings.lock.acquire();
      const response = Buffer.from(await this.settings.db.execProtocolRaw(encodeMessages(batch)));
      if (!this.socket.destroyed) this.socket.write(response);
      // Hand the session on once the server is idle and outside a transaction.
      if (lastReadyStatus(response) === 'I') this.giveBack();
    }
    if (terminate >= 0) this.socket.end();
  }

  /** Leave PGlite's session as we found it: no open transaction, none of our statements. */
  private async cleanUp(): Promise<void> {
    if (this.phase === 'closed') return;
    const wasReady = this.phase === 'ready';
    this.phase = 'closed';
    if (!wasReady || this.settings.stopping()) return this.giveBack();
    const closes = this.names.closeAll();
    if (!this.release && closes.length === 0) return;
    this.release ??= await this.settings.lock.acquire();
    try {
      const sync: WireMessage = { type: 'S', body: Buffer.alloc(0) };
      await this.settings.db.execProtocolRaw(encodeMessages([...closes, sync]));
      await this.settings.db.exec('ROLLBACK');
    } finally {
      this.giveBack();
    }
  }

  private giveBack(): void {
    const release = this.release;
    this.release = undefined;
    release?.();
  }

  private refuse(code: string, message: string): void {
    this.phase = 'closed';
    this.socket.end(errorResponse('FATAL', code, message));
  }

  /** A malformed message or a PGlite failure: protocol_violation, and the connection ends. */
  private fail(error: unknown): void {
    const message = error instanceof Error ? error.message : String(error);
    // The socket's close event then cleans up and hands the session on.
    if (!this.socket.destroyed) this.socket.end(errorResponse('FATAL', '08P01', message));
  }
}
