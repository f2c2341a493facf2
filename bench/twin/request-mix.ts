/**
 * The bench's request mix, as real SDK v3 calls: S3 GetObject and DynamoDB GetItem as the product
 * service, Secrets Manager GetSecretValue as the payment service, each client configured as that
 * workload (its credentials, session token included) and pointed at one entry.
 */
import { GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { DynamoDBClient, GetItemCommand } from '@aws-sdk/client-dynamodb';
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { castOf } from '../../src/twin/demo.ts';
import type { TwinState, TwinWorkloadState } from '../../src/twin/twin-state.ts';

/** One request of the mix: how to send it with the SDK, and how the SDK signs it. */
export interface SdkCall {
  /** `service:Operation`, for messages. */
  readonly name: string;
  /** Sends the request through the SDK client and reads the whole response. */
  readonly send: () => Promise<unknown>;
  /** The client's resolved `signingEscapePath` (false for S3: its path is signed as sent). */
  readonly signingEscapePath: boolean;
  /** The workload's credentials the client signs with. */
  readonly credentials: WorkloadCredentials;
}

export interface WorkloadCredentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly sessionToken?: string;
}

/**
 * The three calls against the entries `entryOf` gives. `requestHandler` replaces the SDK's HTTP
 * handler (the raw client uses one that records the request instead of sending it).
 */
export function sdkMix(
  state: TwinState,
  entryOf: (w: TwinWorkloadState) => string,
  requestHandler?: Record<string, unknown>,
): SdkCall[] {
  const cast = castOf(state);
  const product = state.workloads[cast.product];
  const payment = state.workloads[cast.payment];
  const creds = (w: TwinWorkloadState): WorkloadCredentials => ({
    accessKeyId: w.accessKeyId,
    secretAccessKey: w.secretAccessKey,
    sessionToken: w.sessionToken,
  });
  const common = { region: state.region, maxAttempts: 1, ...(requestHandler ? { requestHandler } : {}) };
  const s3 = new S3Client({
    ...common,
    endpoint: entryOf(product),
    forcePathStyle: true,
    credentials: creds(product),
  });
  const ddb = new DynamoDBClient({ ...common, endpoint: entryOf(product), credentials: creds(product) });
  const sm = new SecretsManagerClient({ ...common, endpoint: entryOf(payment), credentials: creds(payment) });
  return [
    {
      name: 's3:GetObject',
      send: async () => {
        const out = await s3.send(
          new GetObjectCommand({ Bucket: product.environment.BUCKET_NAME, Key: 'images/p-mug.png' }),
        );
        await out.Body?.transformToByteArray();
      },
      signingEscapePath: s3.config.signingEscapePath,
      credentials: creds(product),
    },
    {
      name: 'dynamodb:GetItem',
      send: () =>
        ddb.send(
          new GetItemCommand({
            TableName: product.environment.TABLE_NAME,
            Key: { productId: { S: 'p-mug' } },
          }),
        ),
      signingEscapePath: ddb.config.signingEscapePath,
      credentials: creds(product),
    },
    {
      name: 'secretsmanager:GetSecretValue',
      send: () => sm.send(new GetSecretValueCommand({ SecretId: payment.environment.SECRET_ARN })),
      signingEscapePath: sm.config.signingEscapePath,
      credentials: creds(payment),
    },
  ];
}
