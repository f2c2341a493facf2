// Runs inside a Lambda worker before the handler loads (plain JS: workers start without tsx).
//
// Workloads reach their database with `pg` at the RDS endpoint's DNS name from the template
// (e.g. `<id>.<hash>.us-east-1.rds.amazonaws.com:5432`). Inside the twin that name resolves to
// nothing, so TCP connections to it are sent to this workload's loopback entry for that database,
// where the gateway traces the path (security groups on 5432) and either pipes the connection to
// the local PostgreSQL or resets it.
import net from 'node:net';

/** `redirects`: `"<host>:<port>"` (lower-case host) → `{ host, port }` of the entry. */
export function installTcpRedirect(redirects) {
  if (Object.keys(redirects).length === 0) return;
  const connect = net.Socket.prototype.connect;
  net.Socket.prototype.connect = function redirectedConnect(...args) {
    // net.connect() passes one normalized [options, callback] array; socket.connect(port, host)
    // and socket.connect(options) are the other forms.
    const first = args[0];
    const options = Array.isArray(first)
      ? first[0]
      : typeof first === 'object' && first !== null
        ? first
        : undefined;
    if (options) {
      const target =
        redirects[`${String(options.host ?? 'localhost').toLowerCase()}:${Number(options.port)}`];
      if (target) {
        options.host = target.host;
        options.port = target.port;
      }
    } else if (typeof first === 'number' || typeof first === 'string') {
      const host = typeof args[1] === 'string' ? args[1] : 'localhost';
      const target = redirects[`${host.toLowerCase()}:${Number(first)}`];
      if (target) {
        args[0] = target.port;
        if (typeof args[1] === 'string') args[1] = target.host;
        else args.splice(1, 0, target.host);
      }
    }
    return connect.apply(this, args);
  };
}
