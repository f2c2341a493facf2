/**
 * Connections take turns on PGlite's single session, so a prepared statement or portal named by one
 * connection must not collide with the same name from another. Each connection's non-empty names
 * get a private prefix in Parse, Bind, Describe, Execute and Close; the unnamed ones are used
 * within one turn only, so they need nothing.
 */
import { BodyCursor, cstring, type WireMessage } from './wire.ts';

export class StatementNames {
  /** Prepared statement names (as the client wrote them) still open on this connection. */
  private readonly prepared = new Set<string>();

  constructor(private readonly prefix: string) {}

  rewrite(message: WireMessage): WireMessage {
    switch (message.type) {
      case 'P': {
        const cursor = new BodyCursor(message.body);
        const name = cursor.cstring();
        if (name !== '') this.prepared.add(name);
        return this.with(message, [this.scoped(name)], cursor.rest());
      }
      case 'B': {
        const cursor = new BodyCursor(message.body);
        const portal = cursor.cstring();
        const statement = cursor.cstring();
        return this.with(message, [this.scoped(portal), this.scoped(statement)], cursor.rest());
      }
      case 'E': {
        const cursor = new BodyCursor(message.body);
        const portal = cursor.cstring();
        return this.with(message, [this.scoped(portal)], cursor.rest());
      }
      case 'D':
      case 'C': {
        const cursor = new BodyCursor(message.body);
        const kind = cursor.byte();
        const name = cursor.cstring();
        if (message.type === 'C' && kind === 'S') this.prepared.delete(name);
        const head = Buffer.concat([Buffer.from(kind, 'latin1'), cstring(this.scoped(name))]);
        return { type: message.type, body: Buffer.concat([head, cursor.rest()]) };
      }
      default:
        return message;
    }
  }

  /** Close messages for every statement this connection left prepared (sent when it goes away). */
  closeAll(): WireMessage[] {
    const closes = [...this.prepared].map((name) => ({
      type: 'C',
      body: Buffer.concat([Buffer.from('S'), cstring(this.scoped(name))]),
    }));
    this.prepared.clear();
    return closes;
  }

  private scoped(name: string): string {
    return name === '' ? '' : `${this.prefix}${name}`;
  }

  private with(message: WireMessage, names: string[], rest: Buffer): WireMessage {
    return { type: message.type, body: Buffer.concat([...names.map(cstring), rest]) };
  }
}
