/**
 * Session credentials for every workload's role, as Lambda receives them from STS: an `ASIA…`
 * access key id, a secret and a session token. The gateway identifies the caller by the access
 * key alone — never by the entry it arrived on — so stolen credentials used from the internet
 * entry keep the role's identity but take the internet path.
 */
import { createHmac, randomBytes } from 'node:crypto';
import { assumedRoleSessionArn } from '../policy/index.ts';
import type { CredentialRecord, LookupSecret } from './sigv4/verify.ts';

export interface WorkloadCredentials {
  readonly workload: string;
  readonly roleArn: string;
  /** `arn:aws:sts::<account>:assumed-role/<role>/<session>` — what policies see. */
  readonly principalArn: string;
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly sessionToken: string;
}

const KEY_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

/** `ASIA` + 16 base-32 characters, like STS temporary keys. */
function accessKeyId(seed: Buffer): string {
  let id = 'ASIA';
  for (let i = 0; i < 16; i++) id += KEY_ALPHABET[seed[i] % KEY_ALPHABET.length];
  return id;
}

export class CredentialStore {
  private readonly byKey = new Map<string, CredentialRecord & { workload: string }>();
  private readonly byWorkload = new Map<string, WorkloadCredentials>();
  /** A per-boot secret: restarting the twin revokes every session it issued, as expiry would. */
  private readonly bootSecret = randomBytes(32);

  constructor(private readonly accountId: string) {}

  /** Mints (once) the session of `sessionName` (the function name) for `roleArn`. */
  mint(workload: string, roleArn: string, sessionName: string): WorkloadCredentials {
    const existing = this.byWorkload.get(workload);
    if (existing) return existing;
    const digest = (label: string) =>
      createHmac('sha256', this.bootSecret).update(`${label}|${workload}`).digest();
    const creds: WorkloadCredentials = {
      workload,
      roleArn,
      principalArn: assumedRoleSessionArn(roleArn, sessionName),
      accessKeyId: accessKeyId(digest('key')),
      secretAccessKey: digest('secret').toString('base64').slice(0, 40),
      sessionToken: `IQoJb3JpZ2luX2Vj${Buffer.concat([digest('token'), digest('token2')]).toString('base64')}`,
    };
    this.byWorkload.set(workload, creds);
    this.byKey.set(creds.accessKeyId, {
      workload,
      secretAccessKey: creds.secretAccessKey,
      principalArn: creds.principalArn,
      accountId: this.accountId,
      sessionToken: creds.sessionToken,
    });
    return creds;
  }

  forWorkload(workload: string): WorkloadCredentials | undefined {
    return this.byWorkload.get(workload);
  }

  /** The workload whose session an access key belongs to. */
  workloadOfKey(accessKeyId: string): string | undefined {
    return this.byKey.get(accessKeyId)?.workload;
  }

  readonly lookup: LookupSecret = (key) => this.byKey.get(key);
}
