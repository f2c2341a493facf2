/** Child process for the crash test: boots the emulators on argv[2] and serves until killed. */
import { createEmulators, startEmulators } from '../../src/emulators/registry.ts';
import { serve, testLookup } from './serve.ts';

const dataDir = process.argv[2];
const emulators = createEmulators();
await startEmulators(emulators, dataDir, 'us-east-1', '123456789012');
await emulators.s3.ensureBucket({ name: 'orders' });
await emulators.dynamodb.ensureTable({
  TableName: 'Orders',
  KeySchema: [{ AttributeName: 'orderId', KeyType: 'HASH' }],
  AttributeDefinitions: [{ AttributeName: 'orderId', AttributeType: 'S' }],
});
const served = await serve(emulators.all, { verify: testLookup });
process.stdout.write(`${JSON.stringify({ endpoint: served.endpoint })}\n`);
