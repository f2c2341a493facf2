/**
 * CPU profiles of the bench's server process, one per closed-loop round, with how many requests
 * each round served: what `profile-diff.ts` needs to put (a) and (b) side by side per request.
 */
import { Session } from 'node:inspector/promises';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface ProfiledRound {
  readonly file: string;
  readonly mode: 'a' | 'b';
  readonly requests: number;
}

export class RoundProfiler {
  private readonly rounds: ProfiledRound[] = [];

  private constructor(
    private readonly dir: string,
    private readonly session: Session,
  ) {}

  static async open(dir: string): Promise<RoundProfiler> {
    mkdirSync(dir, { recursive: true });
    const session = new Session();
    session.connect();
    await session.post('Profiler.enable');
    return new RoundProfiler(dir, session);
  }

  async start(): Promise<void> {
    await this.session.post('Profiler.start');
  }

  async stop(mode: 'a' | 'b', requests: number): Promise<void> {
    const { profile } = await this.session.post('Profiler.stop');
    const file = `round-${this.rounds.length + 1}-${mode}.cpuprofile`;
    writeFileSync(join(this.dir, file), JSON.stringify(profile));
    this.rounds.push({ file, mode, requests });
    writeFileSync(join(this.dir, 'rounds.json'), JSON.stringify(this.rounds, null, 1));
  }

  close(): void {
    this.session.disconnect();
  }
}
