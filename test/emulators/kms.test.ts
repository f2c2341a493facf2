import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  CreateAliasCommand,
  CreateKeyCommand,
  DecryptCommand,
  DeleteAliasCommand,
  DescribeKeyCommand,
  EncryptCommand,
  GenerateDataKeyCommand,
  GetKeyPolicyCommand,
  KMSClient,
  KMSServiceException,
  ListAliasesCommand,
  ListKeysCommand,
  PutKeyPolicyCommand,
} from '@aws-sdk/client-kms';
import { stableKeyId } from '../../src/emulators/kms/plugin.ts';
import { ACCOUNT, startHarness, type Harness } from './helpers.ts';

let h: Harness;
let kms: KMSClient;

before(async () => {
  h = await startHarness();
  kms = new KMSClient(h.clientConfig());
});
after(async () => {
  kms.destroy();
  await h.close();
});

async function errorOf(promise: Promise<unknown>): Promise<KMSServiceException> {
  try {
    await promise;
  } catch (err) {
    if (err instanceof KMSServiceException) return err;
    throw err;
  }
  assert.fail('expected the call to fail');
}

describe('KMS', () => {
  it('creates and describes a key with the default key policy', async () => {
    const created = await kms.send(new CreateKeyCommand({ Description: 'orders' }));
    const keyId = created.KeyMetadata?.KeyId ?? '';
    assert.match(keyId, /^[0-9a-f-]{36}$/);
    assert.equal(created.KeyMetadata?.Arn, `arn:aws:kms:us-east-1:${ACCOUNT}:key/${keyId}`);
    const described = await kms.send(new DescribeKeyCommand({ KeyId: keyId }));
    assert.equal(described.KeyMetadata?.Description, 'orders');
    assert.equal(described.KeyMetadata?.KeyState, 'Enabled');
    assert.ok(described.KeyMetadata?.CreationDate instanceof Date);
    const policy = JSON.parse(
      (await kms.send(new GetKeyPolicyCommand({ KeyId: keyId, PolicyName: 'default' }))).Policy ?? '{}',
    ) as { Statement: Array<{ Principal: { AWS: string } }> };
    assert.equal(policy.Statement[0].Principal.AWS, `arn:aws:iam::${ACCOUNT}:root`);
  });

  it('encrypts and decrypts without a KeyId, binding the encryption context', async () => {
    const { KeyMetadata } = await kms.send(new CreateKeyCommand({}));
    const plaintext = Buffer.from('card token 4111');
    const context = { order: 'o-1' };
    const enc = await kms.send(
      new EncryptCommand({ KeyId: KeyMetadata?.KeyId, Plaintext: plaintext, EncryptionContext: context }),
    );
    assert.equal(enc.KeyId, KeyMetadata?.Arn);
    assert.ok(!Buffer.from(enc.CiphertextBlob ?? new Uint8Array()).includes(plaintext));
    const dec = await kms.send(
      new DecryptCommand({ CiphertextBlob: enc.CiphertextBlob, EncryptionContext: context }),
    );
    assert.equal(Buffer.from(dec.Plaintext ?? new Uint8Array()).toString(), 'card token 4111');
    assert.equal(dec.KeyId, KeyMetadata?.Arn);
    const wrongContext = await errorOf(
      kms.send(
        new DecryptCommand({ CiphertextBlob: enc.CiphertextBlob, EncryptionContext: { order: 'o-2' } }),
      ),
    );
    assert.equal(wrongContext.name, 'InvalidCiphertextException');
    const tampered = Buffer.from(enc.CiphertextBlob ?? new Uint8Array());
    tampered[tampered.length - 1] ^= 1;
    assert.equal(
      (await errorOf(kms.send(new DecryptCommand({ CiphertextBlob: tampered, EncryptionContext: context }))))
        .name,
      'InvalidCiphertextException',
    );
  });

  it('generates data keys whose blob decrypts to the same plaintext', async () => {
    const { KeyMetadata } = await kms.send(new CreateKeyCommand({}));
    const dk = await kms.send(new GenerateDataKeyCommand({ KeyId: KeyMetadata?.Arn, KeySpec: 'AES_256' }));
    assert.equal(dk.Plaintext?.length, 32);
    const dec = await kms.send(new DecryptCommand({ CiphertextBlob: dk.CiphertextBlob }));
    assert.deepEqual(
      Buffer.from(dec.Plaintext ?? new Uint8Array()),
      Buffer.from(dk.Plaintext ?? new Uint8Array()),
    );
  });

  it('manages aliases and resolves them everywhere a KeyId is accepted', async () => {
    const { KeyMetadata } = await kms.send(new CreateKeyCommand({}));
    await kms.send(new CreateAliasCommand({ AliasName: 'alias/payments', TargetKeyId: KeyMetadata?.KeyId }));
    const byAlias = await kms.send(new DescribeKeyCommand({ KeyId: 'alias/payments' }));
    assert.equal(byAlias.KeyMetadata?.KeyId, KeyMetadata?.KeyId);
    const byAliasArn = await kms.send(
      new EncryptCommand({
        KeyId: `arn:aws:kms:us-east-1:${ACCOUNT}:alias/payments`,
        Plaintext: Buffer.from('x'),
      }),
    );
    assert.equal(byAliasArn.KeyId, KeyMetadata?.Arn);
    const aliases = await kms.send(new ListAliasesCommand({ KeyId: KeyMetadata?.KeyId }));
    assert.deepEqual(
      aliases.Aliases?.map((a) => a.AliasName),
      ['alias/payments'],
    );
    const duplicate = await errorOf(
      kms.send(new CreateAliasCommand({ AliasName: 'alias/payments', TargetKeyId: KeyMetadata?.KeyId })),
    );
    assert.equal(duplicate.name, 'AlreadyExistsException');
    const reserved = await errorOf(
      kms.send(new CreateAliasCommand({ AliasName: 'alias/aws/s3', TargetKeyId: KeyMetadata?.KeyId })),
    );
    assert.equal(reserved.name, 'NotAuthorizedException');
    await kms.send(new DeleteAliasCommand({ AliasName: 'alias/payments' }));
    assert.equal(
      (await errorOf(kms.send(new DescribeKeyCommand({ KeyId: 'alias/payments' })))).name,
      'NotFoundException',
    );
  });

  it('replaces key policies and lists keys; unknown keys are NotFoundException', async () => {
    const { KeyMetadata } = await kms.send(new CreateKeyCommand({}));
    const policy = JSON.stringify({
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Principal: { AWS: '*' }, Action: 'kms:Decrypt', Resource: '*' }],
    });
    await kms.send(
      new PutKeyPolicyCommand({ KeyId: KeyMetadata?.KeyId, PolicyName: 'default', Policy: policy }),
    );
    assert.equal(h.emulators.kms.resourcePolicy(KeyMetadata?.Arn ?? ''), policy);
    const keys = await kms.send(new ListKeysCommand({}));
    assert.ok(keys.Keys?.some((k) => k.KeyArn === KeyMetadata?.Arn));
    const missing = await errorOf(
      kms.send(new DescribeKeyCommand({ KeyId: '00000000-0000-0000-0000-000000000000' })),
    );
    assert.equal(missing.name, 'NotFoundException');
    const malformed = await errorOf(
      kms.send(new PutKeyPolicyCommand({ KeyId: KeyMetadata?.KeyId, PolicyName: 'default', Policy: 'nope' })),
    );
    assert.equal(malformed.name, 'MalformedPolicyDocumentException');
  });

  it('creates template keys idempotently from a stable id, and points aliases at them', async () => {
    const keyId = stableKeyId('SecureCart/PaymentsKey');
    assert.match(keyId, /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    assert.equal(stableKeyId('SecureCart/PaymentsKey'), keyId);
    const first = await h.emulators.kms.ensureKey({ keyId, description: 'payments' });
    assert.equal(await h.emulators.kms.ensureKey({ keyId }), first);
    await h.emulators.kms.ensureAlias('alias/template-payments', keyId);
    assert.equal(h.emulators.kms.keyArnOf('alias/template-payments'), first);
  });

  it('keeps keys, material and aliases across a restart', async () => {
    const { KeyMetadata } = await kms.send(new CreateKeyCommand({}));
    await kms.send(new CreateAliasCommand({ AliasName: 'alias/durable', TargetKeyId: KeyMetadata?.KeyId }));
    const enc = await kms.send(
      new EncryptCommand({ KeyId: 'alias/durable', Plaintext: Buffer.from('survives') }),
    );
    await h.restart();
    kms.destroy();
    kms = new KMSClient(h.clientConfig());
    const dec = await kms.send(new DecryptCommand({ CiphertextBlob: enc.CiphertextBlob }));
    assert.equal(Buffer.from(dec.Plaintext ?? new Uint8Array()).toString(), 'survives');
    assert.equal(
      (await kms.send(new DescribeKeyCommand({ KeyId: 'alias/durable' }))).KeyMetadata?.Arn,
      KeyMetadata?.Arn,
    );
  });
});
