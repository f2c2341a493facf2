/** Refusals reach the real SDK clients in each service's own wire shape (code, status, message). */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { DynamoDBClient, GetItemCommand } from '@aws-sdk/client-dynamodb';
import { DescribeKeyCommand, KMSClient } from '@aws-sdk/client-kms';
import { GetObjectCommand, HeadObjectCommand, ListBucketsCommand, S3Client } from '@aws-sdk/client-s3';
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import type { DenyKind } from '../../src/emulators/plugin.ts';
import { startHarness, type Harness } from './helpers.ts';

let h: Harness;
const DENIED_MESSAGE =
  'User: arn:aws:sts::123456789012:assumed-role/product/x is not authorized to perform: ACTION because no VPC endpoint policy allows the ACTION action';
let refuse: DenyKind | undefined;

before(async () => {
  h = await startHarness(
    {},
    {
      decide: (c) =>
        refuse
          ? {
              kind: refuse,
              message:
                c.operation === 'HeadObject' ? '' : DENIED_MESSAGE.replace(/ACTION/g, c.actions[0] ?? ''),
            }
          : undefined,
    },
  );
});
after(() => h.close());

interface SdkError {
  name: string;
  message: string;
  $metadata: { httpStatusCode?: number };
}

async function errorOf(promise: Promise<unknown>): Promise<SdkError> {
  try {
    await promise;
  } catch (err) {
    return err as SdkError;
  }
  assert.fail('expected the call to fail');
}

type Call = () => Promise<unknown>;
const calls = (config: ReturnType<Harness['clientConfig']>): Record<string, Call> => ({
  s3: () =>
    new S3Client({ ...config, forcePathStyle: true }).send(
      new GetObjectCommand({ Bucket: 'images', Key: 'k' }),
    ),
  dynamodb: () =>
    new DynamoDBClient(config).send(new GetItemCommand({ TableName: 'Orders', Key: { id: { S: '1' } } })),
  secretsmanager: () => new SecretsManagerClient(config).send(new GetSecretValueCommand({ SecretId: 'x' })),
  kms: () => new KMSClient(config).send(new DescribeKeyCommand({ KeyId: 'alias/x' })),
});

describe('gateway denials in each service shape', () => {
  const expected: Record<string, [string, number]> = {
    s3: ['AccessDenied', 403],
    dynamodb: ['AccessDeniedException', 400],
    secretsmanager: ['AccessDeniedException', 400],
    kms: ['AccessDeniedException', 400],
  };
  for (const [service, [name, status]] of Object.entries(expected)) {
    it(`${service}: ${name} (${status}) with the gateway's message`, async () => {
      refuse = 'AccessDenied';
      try {
        const err = await errorOf(calls(h.clientConfig())[service]());
        assert.equal(err.name, name);
        assert.equal(err.$metadata.httpStatusCode, status);
        assert.match(err.message, /is not authorized to perform: .* because no VPC endpoint policy allows/);
      } finally {
        refuse = undefined;
      }
    });
  }

  it('S3 HEAD denials carry no body: the SDK sees a 403', async () => {
    refuse = 'AccessDenied';
    try {
      const err = await errorOf(
        new S3Client({ ...h.clientConfig(), forcePathStyle: true }).send(
          new HeadObjectCommand({ Bucket: 'images', Key: 'k' }),
        ),
      );
      assert.equal(err.$metadata.httpStatusCode, 403);
    } finally {
      refuse = undefined;
    }
  });
});

describe('SigV4 failures in each service shape', () => {
  const wrongSecret: Record<string, string> = {
    s3: 'SignatureDoesNotMatch',
    dynamodb: 'InvalidSignatureException',
    secretsmanager: 'InvalidSignatureException',
    kms: 'InvalidSignatureException',
  };
  for (const [service, name] of Object.entries(wrongSecret)) {
    it(`${service}: a wrong secret key is ${name}`, async () => {
      const config = {
        ...h.clientConfig(),
        credentials: { accessKeyId: h.clientConfig().credentials.accessKeyId, secretAccessKey: 'wrong' },
      };
      const err = await errorOf(calls(config)[service]());
      assert.equal(err.name, name);
      assert.equal(err.$metadata.httpStatusCode, service === 's3' ? 403 : 400);
    });
  }

  const unknownKey: Record<string, string> = {
    s3: 'InvalidAccessKeyId',
    dynamodb: 'UnrecognizedClientException',
    secretsmanager: 'UnrecognizedClientException',
    kms: 'UnrecognizedClientException',
  };
  for (const [service, name] of Object.entries(unknownKey)) {
    it(`${service}: an unknown access key is ${name}`, async () => {
      const config = {
        ...h.clientConfig(),
        credentials: { accessKeyId: 'AKIDNOBODY', secretAccessKey: 'x' },
      };
      assert.equal((await errorOf(calls(config)[service]())).name, name);
    });
  }

  it('S3 ListBuckets with a forged signature still reaches no handler', async () => {
    const before = h.served.classified.length;
    const config = {
      ...h.clientConfig(),
      credentials: { accessKeyId: h.clientConfig().credentials.accessKeyId, secretAccessKey: 'forged' },
    };
    await errorOf(new S3Client({ ...config, forcePathStyle: true }).send(new ListBucketsCommand({})));
    assert.equal(h.served.classified.length, before);
  });
});
