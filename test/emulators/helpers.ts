/** Shared setup for emulator tests: a temp data dir, started plugins, a loopback server. */
import { mkdtemp, rm } from 'node:fs/promises';
import http from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  createEmulators,
  startEmulators,
  stopEmulators,
  type Emulators,
  type EmulatorOptions,
} from '../../src/emulators/registry.ts';
import { serve, testLookup, TEST_CREDENTIALS, type ServeOptions, type Served } from './serve.ts';

export const REGION = 'us-east-1';
export const ACCOUNT = '123456789012';

export interface Harness {
  readonly dataDir: string;
  emulators: Emulators;
  served: Served;
  /** SDK client config pointing at the loopback server. */
  clientConfig(): { region: string; endpoint: string; credentials: typeof TEST_CREDENTIALS };
  /** Stops every plugin and starts fresh instances on the same data dir (a restart). */
  restart(): Promise<void>;
  close(): Promise<void>;
}

export async function startHarness(
  options: EmulatorOptions = {},
  serveOptions: Omit<ServeOptions, 'verify'> = {},
): Promise<Harness> {
  const dataDir = await mkdtemp(join(tmpdir(), 'securecart-emulators-'));
  const boot = async (): Promise<{ emulators: Emulators; served: Served }> => {
    const emulators = createEmulators(options);
    await startEmulators(emulators, dataDir, REGION, ACCOUNT);
    const served = await serve(emulators.all, { ...serveOptions, verify: testLookup });
    return { emulators, served };
  };
  let current = await boot();
  const harness: Harness = {
    dataDir,
    emulators: current.emulators,
    served: current.served,
    clientConfig: () => ({
      region: REGION,
      endpoint: harness.served.endpoint,
      credentials: TEST_CREDENTIALS,
    }),
    async restart() {
      await harness.served.close();
      await stopEmulators(harness.emulators);
      current = await boot();
      harness.emulators = current.emulators;
      harness.served = current.served;
    },
    async close() {
      await harness.served.close();
      await stopEmulators(harness.emulators);
      await rm(dataDir, { recursive: true, force: true });
    },
  };
  return harness;
}

/** Request-handler options that send every hostname to 127.0.0.1 (for virtual-hosted S3 names). */
export function loopbackHandler(): { httpAgent: http.Agent } {
  const agent = new http.Agent({
    keepAlive: false,
    lookup: ((_host: string, options: { all?: boolean }, callback: (...args: unknown[]) => void) => {
      if (options?.all) callback(null, [{ address: '127.0.0.1', family: 4 }]);
      else callback(null, '127.0.0.1', 4);
    }) as unknown as http.AgentOptions['lookup'],
  });
  return { httpAgent: agent };
}
