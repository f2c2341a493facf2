/** Child process for the SQS SIGKILL test: serves the emulators (queue `orders`) on argv[2] until killed. */
import { createEmulators, startEmulators } from '../../src/emulators/registry.ts';
import { serve, testLookup } from './serve.ts';

const dataDir = process.argv[2];
const emulators = createEmulators();
await startEmulators(emulators, dataDir, 'us-east-1', '123456789012');
await emulators.sqs.ensureQueue({ name: 'orders', attributes: {} });
const served = await serve(emulators.all, { verify: testLookup });
process.stdout.write(`${JSON.stringify({ endpoint: served.endpoint })}\n`);
