/**
 * Principals: who is asking (parsed once per request) and the Principal / NotPrincipal element of
 * resource and endpoint policies (compiled once).
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_principal.html
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_notprincipal.html
 */

export type RequestPrincipalType =
  'user' | 'role' | 'assumed-role' | 'root' | 'federated-user' | 'service' | 'anonymous' | 'other';

export interface RequestPrincipal {
  raw: string;
  type: RequestPrincipalType;
  /** Account of an IAM principal; undefined for services, anonymous and unknown principals. */
  account?: string;
  /** For roles and assumed-role sessions: the role name (the last path segment of the role). */
  roleName?: string;
}

const cache = new Map<string, RequestPrincipal>();

/** Classifies a principal string (memoized: the same few principals ask again and again). */
export function parseRequestPrincipal(raw: string): RequestPrincipal {
  let p = cache.get(raw);
  if (p === undefined) {
    if (cache.size > 10_000) cache.clear();
    p = classify(raw);
    cache.set(raw, p);
  }
  return p;
}

/** Classifies a principal string: an IAM/STS ARN, a service principal, `anonymous`/`*`, or other. */
function classify(raw: string): RequestPrincipal {
  if (raw === '*' || raw.toLowerCase() === 'anonymous') return { raw, type: 'anonymous' };
  const m = /^arn:[^:]+:(iam|sts)::(\d{12}):(.+)$/.exec(raw);
  if (m) {
    const [, service, account, rest] = m;
    if (service === 'iam' && rest === 'root') return { raw, type: 'root', account };
    if (service === 'iam' && rest.startsWith('user/')) return { raw, type: 'user', account };
    if (service === 'iam' && rest.startsWith('role/')) {
      return { raw, type: 'role', account, roleName: rest.slice(rest.lastIndexOf('/') + 1) };
    }
    if (service === 'sts' && rest.startsWith('assumed-role/')) {
      const [, roleName] = rest.split('/');
      return { raw, type: 'assumed-role', account, roleName };
    }
    if (service === 'sts' && rest.startsWith('federated-user/'))
      return { raw, type: 'federated-user', account };
    return { raw, type: 'other', account };
  }
  if (/^[a-z0-9.-]+\.amazonaws\.com(\.cn)?$/i.test(raw)) return { raw, type: 'service' };
  return { raw, type: 'other' };
}

/**
 * How a Principal entry matched, from most to least direct. `user`/`session` name the exact identity
 * (such grants are not limited by a boundary's or session policy's implicit deny); `role` names the
 * role; `account` delegates to the account's IAM policies; `any` is `*`.
 */
export type PrincipalMatch = 'none' | 'user' | 'session' | 'role' | 'exact' | 'any' | 'account';

const RANK: Record<PrincipalMatch, number> = {
  user: 6,
  session: 6,
  role: 5,
  exact: 4,
  any: 3,
  account: 2,
  none: 0,
};

type Entry =
  | { kind: 'any' }
  | { kind: 'account'; account: string }
  | { kind: 'role'; account: string; roleName: string; arn: string }
  | { kind: 'exact'; value: string; as: PrincipalMatch }
  | { kind: 'service'; name: string };

export interface CompiledPrincipal {
  /** The best way the request principal matched, or `none`. */
  match(p: RequestPrincipal): PrincipalMatch;
  /** NotPrincipal semantics: true when every identity layer of the principal is listed. */
  excludes(p: RequestPrincipal): boolean;
}

function awsEntry(value: string): Entry {
  if (value === '*') return { kind: 'any' };
  if (/^\d{12}$/.test(value)) return { kind: 'account', account: value };
  const root = /^arn:[^:]+:iam::(\d{12}):root$/.exec(value);
  if (root) return { kind: 'account', account: root[1] };
  const role = /^arn:[^:]+:iam::(\d{12}):role\/(?:.*\/)?([^/]+)$/.exec(value);
  if (role) return { kind: 'role', account: role[1], roleName: role[2], arn: value };
  if (/^arn:[^:]+:iam::\d{12}:user\//.test(value)) return { kind: 'exact', value, as: 'user' };
  if (/^arn:[^:]+:sts::\d{12}:assumed-role\//.test(value)) return { kind: 'exact', value, as: 'session' };
  if (/^arn:[^:]+:sts::\d{12}:federated-user\//.test(value)) return { kind: 'exact', value, as: 'user' };
  return { kind: 'exact', value, as: 'exact' };
}

function matchEntry(e: Entry, p: RequestPrincipal): PrincipalMatch {
  switch (e.kind) {
    case 'any':
      return 'any';
    case 'account':
      return p.account === e.account && p.type !== 'service' && p.type !== 'anonymous' ? 'account' : 'none';
    case 'role':
      if (p.account !== e.account || p.roleName !== e.roleName) return 'none';
      return p.type === 'role' || p.type === 'assumed-role' ? 'role' : 'none';
    case 'exact':
      return p.raw === e.value ? e.as : 'none';
    case 'service':
      return p.type === 'service' && p.raw.toLowerCase() === e.name ? 'exact' : 'none';
  }
}

/** The identity layers NotPrincipal must list to exclude a principal (session → role → account). */
function layersListed(entries: Entry[], p: RequestPrincipal): boolean {
  const listed = (test: (e: Entry) => boolean): boolean => entries.some(test);
  const self = listed(
    (e) =>
      (e.kind === 'exact' && e.value === p.raw) ||
      (e.kind === 'service' && p.type === 'service' && e.name === p.raw.toLowerCase()) ||
      (e.kind === 'role' && p.type === 'role' && e.roleName === p.roleName && e.account === p.account),
  );
  if (!self) return false;
  if (p.type === 'assumed-role') {
    const role = listed((e) => e.kind === 'role' && e.account === p.account && e.roleName === p.roleName);
    if (!role) return false;
  }
  if (p.account !== undefined && p.type !== 'root') {
    if (!listed((e) => e.kind === 'account' && e.account === p.account)) return false;
  }
  return true;
}

/** A Principal/NotPrincipal value: `*` or a map of type → one principal or a list. */
export type PrincipalValue = '*' | Record<string, string | readonly string[]>;

/** Compiles a Principal value. Throws on an unknown principal type. */
export function compilePrincipal(value: PrincipalValue): CompiledPrincipal {
  const entries: Entry[] = [];
  if (value === '*') entries.push({ kind: 'any' });
  else {
    for (const type of Object.keys(value)) {
      const listed = value[type];
      for (const v of typeof listed === 'string' ? [listed] : listed) {
        if (type === 'AWS') entries.push(awsEntry(v));
        else if (type === 'Service')
          entries.push(v === '*' ? { kind: 'any' } : { kind: 'service', name: v.toLowerCase() });
        else if (type === 'Federated' || type === 'CanonicalUser')
          entries.push(v === '*' ? { kind: 'any' } : { kind: 'exact', value: v, as: 'exact' });
        else
          throw new Error(`unknown principal type "${type}" (use AWS, Service, Federated or CanonicalUser)`);
      }
    }
  }
  // Most Principal elements name one principal: its match is the answer.
  const single = entries.length === 1 ? entries[0] : undefined;
  return {
    match(p) {
      if (single !== undefined) return matchEntry(single, p);
      let best: PrincipalMatch = 'none';
      for (let i = 0; i < entries.length; i++) {
        const m = matchEntry(entries[i], p);
        if (RANK[m] > RANK[best]) best = m;
      }
      return best;
    },
    excludes(p) {
      if (entries.some((e) => e.kind === 'any')) return true;
      return layersListed(entries, p);
    },
  };
}
