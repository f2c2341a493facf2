import { GetSecretValueCommand, type SecretsManagerClient } from '@aws-sdk/client-secrets-manager';

/** Reads a secret's string once per warm Lambda environment and keeps it in memory. */
export function cachedSecretString(
  client: Pick<SecretsManagerClient, 'send'>,
  secretId: string,
): () => Promise<string> {
  let pending: Promise<string> | undefined;
  return () => {
    pending ??= client.send(new GetSecretValueCommand({ SecretId: secretId })).then((out) => {
      if (!out.SecretString) throw new Error(`secret ${secretId} has no SecretString`);
      return out.SecretString;
    });
    // A failed read is retried on the next call rather than cached.
    pending.catch(() => (pending = undefined));
    return pending;
  };
}
