/**
 * PostgreSQL's MD5 password authentication: the client sends
 * `"md5" + md5hex(md5hex(password + user) + salt)`.
 * https://www.postgresql.org/docs/current/auth-password.html
 */
import { createHash, timingSafeEqual } from 'node:crypto';

function md5hex(data: Buffer | string): string {
  return createHash('md5').update(data).digest('hex');
}

export function md5PasswordResponse(user: string, password: string, salt: Buffer): string {
  const inner = md5hex(password + user);
  return `md5${md5hex(Buffer.concat([Buffer.from(inner), salt]))}`;
}

export function md5PasswordMatches(user: string, password: string, salt: Buffer, response: string): boolean {
  const expected = Buffer.from(md5PasswordResponse(user, password, salt));
  const actual = Buffer.from(response);
  return expected.length === actual.length && timingSafeEqual(expected, actual);
}
