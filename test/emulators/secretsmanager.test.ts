import assert from 'node:assert/strict';
import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import {
  CreateSecretCommand,
  DeleteResourcePolicyCommand,
  DeleteSecretCommand,
  DescribeSecretCommand,
  GetRandomPasswordCommand,
  GetResourcePolicyCommand,
  GetSecretValueCommand,
  ListSecretsCommand,
  PutResourcePolicyCommand,
  PutSecretValueCommand,
  RestoreSecretCommand,
  SecretsManagerClient,
  SecretsManagerServiceException,
  UpdateSecretCommand,
} from '@aws-sdk/client-secrets-manager';
import type { KmsUseRequest } from '../../src/emulators/secretsmanager/plugin.ts';
import { ACCOUNT, startHarness, type Harness } from './helpers.ts';

let h: Harness;
let sm: SecretsManagerClient;
const kmsCalls: KmsUseRequest[] = [];
let denyKms = false;

before(async () => {
  h = await startHarness({
    authorizeKms: (request) => {
      kmsCalls.push(request);
      return denyKms ? { allowed: false } : { allowed: true };
    },
  });
  sm = new SecretsManagerClient(h.clientConfig());
});
after(async () => {
  sm.destroy();
  await h.close();
});

async function errorOf(promise: Promise<unknown>): Promise<SecretsManagerServiceException> {
  try {
    await promise;
  } catch (err) {
    if (err instanceof SecretsManagerServiceException) return err;
    throw err;
  }
  assert.fail('expected the call to fail');
}

/** Every file under dir, recursively. */
async function allFiles(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const name of await readdir(dir)) {
    const full = join(dir, name);
    if ((await stat(full)).isDirectory()) out.push(...(await allFiles(full)));
    else out.push(full);
  }
  return out;
}

describe('Secrets Manager', () => {
  it('creates a secret with an AWS-style ARN and reads it by name, full ARN and partial ARN', async () => {
    const created = await sm.send(
      new CreateSecretCommand({ Name: 'prod/payments/api-key', SecretString: 'sk_live_42' }),
    );
    assert.match(
      created.ARN ?? '',
      new RegExp(`^arn:aws:secretsmanager:us-east-1:${ACCOUNT}:secret:prod/payments/api-key-[A-Za-z0-9]{6}$`),
    );
    for (const id of ['prod/payments/api-key', created.ARN ?? '', (created.ARN ?? '').slice(0, -7)]) {
      const value = await sm.send(new GetSecretValueCommand({ SecretId: id }));
      assert.equal(value.SecretString, 'sk_live_42', id);
      assert.deepEqual(value.VersionStages, ['AWSCURRENT']);
      assert.equal(value.VersionId, created.VersionId);
    }
    const duplicate = await errorOf(
      sm.send(new CreateSecretCommand({ Name: 'prod/payments/api-key', SecretString: 'x' })),
    );
    assert.equal(duplicate.name, 'ResourceExistsException');
    const missing = await errorOf(sm.send(new GetSecretValueCommand({ SecretId: 'nope' })));
    assert.equal(missing.name, 'ResourceNotFoundException');
    assert.equal(missing.$metadata.httpStatusCode, 400);
  });

  it('moves AWSCURRENT/AWSPREVIOUS on PutSecretValue and finds versions by id and stage', async () => {
    const { ARN, VersionId: v1 } = await sm.send(
      new CreateSecretCommand({ Name: 'db/credentials', SecretString: '{"password":"one"}' }),
    );
    const { VersionId: v2 } = await sm.send(
      new PutSecretValueCommand({ SecretId: ARN, SecretString: '{"password":"two"}' }),
    );
    const { VersionId: v3 } = await sm.send(
      new PutSecretValueCommand({ SecretId: ARN, SecretString: '{"password":"three"}' }),
    );
    assert.equal(
      (await sm.send(new GetSecretValueCommand({ SecretId: ARN }))).SecretString,
      '{"password":"three"}',
    );
    assert.equal(
      (await sm.send(new GetSecretValueCommand({ SecretId: ARN, VersionStage: 'AWSPREVIOUS' }))).SecretString,
      '{"password":"two"}',
    );
    assert.equal(
      (await sm.send(new GetSecretValueCommand({ SecretId: ARN, VersionId: v1 }))).SecretString,
      '{"password":"one"}',
    );
    const described = await sm.send(new DescribeSecretCommand({ SecretId: 'db/credentials' }));
    assert.deepEqual(described.VersionIdsToStages, {
      [v2 ?? '']: ['AWSPREVIOUS'],
      [v3 ?? '']: ['AWSCURRENT'],
    });
    const token = 'a1b2c3d4-0000-4000-8000-000000000001';
    await sm.send(
      new PutSecretValueCommand({ SecretId: ARN, SecretString: 'four', ClientRequestToken: token }),
    );
    await sm.send(
      new PutSecretValueCommand({ SecretId: ARN, SecretString: 'four', ClientRequestToken: token }),
    );
    const conflict = await errorOf(
      sm.send(new PutSecretValueCommand({ SecretId: ARN, SecretString: 'five', ClientRequestToken: token })),
    );
    assert.equal(conflict.name, 'ResourceExistsException');
  });

  it('updates description, key and value with UpdateSecret; older versions stay readable', async () => {
    const { ARN, VersionId: v1 } = await sm.send(
      new CreateSecretCommand({ Name: 'update/me', SecretString: 'first' }),
    );
    await h.emulators.kms.ensureKey({ alias: 'alias/rotated' });
    const updated = await sm.send(
      new UpdateSecretCommand({
        SecretId: ARN,
        Description: 'rotated',
        KmsKeyId: 'alias/rotated',
        SecretString: 'second',
      }),
    );
    assert.ok(updated.VersionId && updated.VersionId !== v1);
    const described = await sm.send(new DescribeSecretCommand({ SecretId: ARN }));
    assert.equal(described.Description, 'rotated');
    assert.equal(described.KmsKeyId, 'alias/rotated');
    assert.equal((await sm.send(new GetSecretValueCommand({ SecretId: ARN }))).SecretString, 'second');
    assert.equal(
      (await sm.send(new GetSecretValueCommand({ SecretId: ARN, VersionStage: 'AWSPREVIOUS' }))).SecretString,
      'first',
    );
    const noValue = await sm.send(new UpdateSecretCommand({ SecretId: ARN, Description: 'only text' }));
    assert.equal(noValue.VersionId, undefined);
  });

  it('never writes secret values in clear to disk', async () => {
    await sm.send(new CreateSecretCommand({ Name: 'plain/check', SecretString: 'PLAINTEXT-CANARY-7f3a9' }));
    await sm.send(
      new PutSecretValueCommand({ SecretId: 'plain/check', SecretString: 'PLAINTEXT-CANARY-second' }),
    );
    const files = await allFiles(h.dataDir);
    assert.ok(
      files.some((f) => f.includes(`${join('secretsmanager', 'secrets')}`)),
      'secrets are stored under secretsmanager/',
    );
    for (const file of files) {
      const content = await readFile(file);
      assert.ok(!content.includes('PLAINTEXT-CANARY'), `plaintext found in ${file}`);
      assert.ok(
        !content.includes(Buffer.from('PLAINTEXT-CANARY').toString('base64').slice(0, 16)),
        `base64 plaintext found in ${file}`,
      );
    }
  });

  it('asks the gateway before each KMS use, with kms:ViaService, and answers AccessDeniedException when refused', async () => {
    kmsCalls.length = 0;
    await sm.send(new CreateSecretCommand({ Name: 'kms/checked', SecretString: 'v' }));
    await sm.send(new GetSecretValueCommand({ SecretId: 'kms/checked' }));
    assert.deepEqual(
      kmsCalls.map((c) => [c.action, c.viaService, c.caller.accountId]),
      [
        ['kms:GenerateDataKey', 'secretsmanager.us-east-1.amazonaws.com', ACCOUNT],
        ['kms:Decrypt', 'secretsmanager.us-east-1.amazonaws.com', ACCOUNT],
      ],
    );
    assert.deepEqual(
      kmsCalls[0].caller.context,
      { vpcEndpointId: 'vpce-test' },
      'the gateway context comes back',
    );
    assert.match(kmsCalls[0].keyArn, new RegExp(`^arn:aws:kms:us-east-1:${ACCOUNT}:key/`));
    assert.deepEqual(Object.keys(kmsCalls[1].encryptionContext).sort(), ['SecretARN', 'SecretVersionId']);
    denyKms = true;
    try {
      const denied = await errorOf(sm.send(new GetSecretValueCommand({ SecretId: 'kms/checked' })));
      assert.equal(denied.name, 'AccessDeniedException');
      assert.equal(denied.message, 'Access to KMS is not allowed');
    } finally {
      denyKms = false;
    }
  });

  it('uses the customer managed key given as KmsKeyId, and aws/secretsmanager otherwise', async () => {
    const keyArn = await h.emulators.kms.ensureKey({ alias: 'alias/secrets' });
    kmsCalls.length = 0;
    await sm.send(
      new CreateSecretCommand({ Name: 'cmk/secret', SecretString: 'v', KmsKeyId: 'alias/secrets' }),
    );
    assert.equal(kmsCalls[0].keyArn, keyArn);
    assert.equal(
      (await sm.send(new DescribeSecretCommand({ SecretId: 'cmk/secret' }))).KmsKeyId,
      'alias/secrets',
    );
    const managed = h.emulators.kms.keyArnOf('alias/aws/secretsmanager');
    assert.ok(managed);
    const managedPolicy = JSON.parse(h.emulators.kms.resourcePolicy(managed ?? '') ?? '{}') as {
      Statement: Array<{ Condition?: Record<string, Record<string, string>> }>;
    };
    assert.equal(
      managedPolicy.Statement[0].Condition?.StringEquals['kms:ViaService'],
      'secretsmanager.us-east-1.amazonaws.com',
    );
  });

  it('lists secrets with filters, schedules deletion with a recovery window, restores, force-deletes', async () => {
    const listed = await sm.send(new ListSecretsCommand({ Filters: [{ Key: 'name', Values: ['prod/'] }] }));
    assert.deepEqual(
      listed.SecretList?.map((s) => s.Name),
      ['prod/payments/api-key'],
    );
    const scheduled = await sm.send(
      new DeleteSecretCommand({ SecretId: 'db/credentials', RecoveryWindowInDays: 7 }),
    );
    const days = ((scheduled.DeletionDate?.getTime() ?? 0) - Date.now()) / 86_400_000;
    assert.ok(days > 6.9 && days <= 7, `deletion in ${days} days`);
    const marked = await errorOf(sm.send(new GetSecretValueCommand({ SecretId: 'db/credentials' })));
    assert.equal(marked.name, 'InvalidRequestException');
    assert.ok(
      !(await sm.send(new ListSecretsCommand({}))).SecretList?.some((s) => s.Name === 'db/credentials'),
    );
    assert.ok(
      (await sm.send(new ListSecretsCommand({ IncludePlannedDeletion: true }))).SecretList?.some(
        (s) => s.Name === 'db/credentials',
      ),
    );
    await sm.send(new RestoreSecretCommand({ SecretId: 'db/credentials' }));
    assert.ok((await sm.send(new GetSecretValueCommand({ SecretId: 'db/credentials' }))).SecretString);
    const badWindow = await errorOf(
      sm.send(new DeleteSecretCommand({ SecretId: 'db/credentials', RecoveryWindowInDays: 3 })),
    );
    assert.equal(badWindow.name, 'InvalidParameterException');
    await sm.send(new DeleteSecretCommand({ SecretId: 'db/credentials', ForceDeleteWithoutRecovery: true }));
    assert.equal(
      (await errorOf(sm.send(new DescribeSecretCommand({ SecretId: 'db/credentials' })))).name,
      'ResourceNotFoundException',
    );
  });

  it('stores, returns and deletes resource policies', async () => {
    const policy = JSON.stringify({
      Version: '2012-10-17',
      Statement: [{ Effect: 'Deny', Principal: '*', Action: 'secretsmanager:GetSecretValue', Resource: '*' }],
    });
    const { ARN } = await sm.send(
      new PutResourcePolicyCommand({ SecretId: 'prod/payments/api-key', ResourcePolicy: policy }),
    );
    assert.equal(
      (await sm.send(new GetResourcePolicyCommand({ SecretId: 'prod/payments/api-key' }))).ResourcePolicy,
      policy,
    );
    assert.equal(h.emulators.secretsmanager.resourcePolicy(ARN ?? ''), policy);
    await sm.send(new DeleteResourcePolicyCommand({ SecretId: ARN }));
    await h.emulators.secretsmanager.ensureSecretPolicy('prod/payments/api-key', JSON.parse(policy));
    assert.equal(h.emulators.secretsmanager.resourcePolicy(ARN ?? ''), policy);
    await sm.send(new DeleteResourcePolicyCommand({ SecretId: ARN }));
    assert.equal((await sm.send(new GetResourcePolicyCommand({ SecretId: ARN }))).ResourcePolicy, undefined);
  });

  it('generates passwords by the GenerateSecretString rules at boot, once', async () => {
    const arn = await h.emulators.secretsmanager.ensureSecret({
      name: 'rds/admin',
      generateSecretString: {
        SecretStringTemplate: '{"username":"admin"}',
        GenerateStringKey: 'password',
        PasswordLength: 30,
        ExcludeCharacters: '"@/\\',
      },
    });
    const first = JSON.parse(
      (await sm.send(new GetSecretValueCommand({ SecretId: arn }))).SecretString ?? '{}',
    ) as { username: string; password: string };
    assert.equal(first.username, 'admin');
    assert.equal(first.password.length, 30);
    assert.doesNotMatch(first.password, /["@/\\]/);
    assert.equal(
      await h.emulators.secretsmanager.ensureSecret({
        name: 'rds/admin',
        generateSecretString: { PasswordLength: 10 },
      }),
      arn,
    );
    await h.restart();
    sm.destroy();
    sm = new SecretsManagerClient(h.clientConfig());
    const again = JSON.parse(
      (await sm.send(new GetSecretValueCommand({ SecretId: 'rds/admin' }))).SecretString ?? '{}',
    ) as { password: string };
    assert.equal(again.password, first.password, 'the generated value persists across restarts');
    assert.equal(
      (await sm.send(new GetSecretValueCommand({ SecretId: 'prod/payments/api-key' }))).SecretString,
      'sk_live_42',
    );
  });

  it('GetRandomPassword follows the exclusion flags', async () => {
    const cases: Array<[Record<string, unknown>, RegExp]> = [
      [{ PasswordLength: 40, ExcludePunctuation: true }, /^[A-Za-z0-9]{40}$/],
      [
        { PasswordLength: 12, ExcludeUppercase: true, ExcludeLowercase: true, ExcludePunctuation: true },
        /^\d{12}$/,
      ],
      [{ PasswordLength: 20, ExcludeCharacters: 'abcdefghijklmnopqrstuvwxyz' }, /^[^a-z]{20}$/],
      [{}, /^.{32}$/],
    ];
    for (const [input, pattern] of cases) {
      const { RandomPassword } = await sm.send(new GetRandomPasswordCommand(input));
      assert.match(RandomPassword ?? '', pattern, JSON.stringify(input));
    }
  });
});

// The AWS managed key by any of its names: created on first use, whichever name comes first.
// A harness of its own, so that nothing has created aws/secretsmanager before these calls.
describe('Secrets Manager: the AWS managed key aws/secretsmanager, named explicitly', () => {
  let fresh: Harness;
  let client: SecretsManagerClient;
  before(async () => {
    fresh = await startHarness({ authorizeKms: () => ({ allowed: true }) });
    client = new SecretsManagerClient(fresh.clientConfig());
  });
  after(async () => {
    client.destroy();
    await fresh.close();
  });

  const NAMES: Array<[string, string]> = [
    ['its alias, before the key exists', 'alias/aws/secretsmanager'],
    ['its alias ARN', `arn:aws:kms:us-east-1:${ACCOUNT}:alias/aws/secretsmanager`],
    ['an empty string', ''],
  ];
  for (const [what, kmsKeyId] of NAMES) {
    it(`CreateSecret with KmsKeyId as ${what} encrypts under it; DescribeSecret omits KmsKeyId`, async () => {
      const name = `managed/${encodeURIComponent(what).replace(/%/g, '')}`;
      await client.send(new CreateSecretCommand({ Name: name, SecretString: 'v1', KmsKeyId: kmsKeyId }));
      assert.equal((await client.send(new GetSecretValueCommand({ SecretId: name }))).SecretString, 'v1');
      assert.equal((await client.send(new DescribeSecretCommand({ SecretId: name }))).KmsKeyId, undefined);
    });
  }

  it('UpdateSecret with KmsKeyId "" goes back to the AWS managed key', async () => {
    await fresh.emulators.kms.ensureKey({ alias: 'alias/own' });
    await client.send(new CreateSecretCommand({ Name: 'back', SecretString: 'v1', KmsKeyId: 'alias/own' }));
    assert.equal((await client.send(new DescribeSecretCommand({ SecretId: 'back' }))).KmsKeyId, 'alias/own');
    await client.send(new UpdateSecretCommand({ SecretId: 'back', KmsKeyId: '', SecretString: 'v2' }));
    assert.equal((await client.send(new DescribeSecretCommand({ SecretId: 'back' }))).KmsKeyId, undefined);
    assert.equal((await client.send(new GetSecretValueCommand({ SecretId: 'back' }))).SecretString, 'v2');
  });
});
