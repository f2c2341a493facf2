import { Construct } from 'constructs';
import { Aws, Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as rds from 'aws-cdk-lib/aws-rds';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { exceptDeployRoles } from './deploy-exemption.ts';

/** The payment provider key and the generated database credentials, under one customer-managed key. */
export class Secrets extends Construct {
  readonly key: kms.Key;
  readonly paymentProviderKey: secretsmanager.Secret;
  readonly databaseCredentials: rds.DatabaseSecret;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    // The default v2 key policy: the account root (delegates to IAM in this account). Nothing else yet.
    this.key = new kms.Key(this, 'SecretsKey', {
      description: 'SecureCart: encrypts the payment provider API key and the database credentials',
      enableKeyRotation: true,
      rotationPeriod: Duration.days(365),
      removalPolicy: RemovalPolicy.RETAIN,
    });
    this.paymentProviderKey = new secretsmanager.Secret(this, 'PaymentProviderKey', {
      description:
        'SecureCart: payment provider API key (placeholder generated at deploy; replace with the real key)',
      encryptionKey: this.key,
      generateSecretString: { passwordLength: 48, excludePunctuation: true },
    });
    this.databaseCredentials = new rds.DatabaseSecret(this, 'DatabaseCredentials', {
      username: 'securecart',
      encryptionKey: this.key,
    });
  }

  get all(): secretsmanager.Secret[] {
    return [this.paymentProviderKey, this.databaseCredentials];
  }

  /** Each secret refuses GetSecretValue unless the call arrives through the Secrets Manager endpoint. */
  denyUnlessThrough(endpointId: string): void {
    for (const secret of this.all) {
      secret.addToResourcePolicy(
        new iam.PolicyStatement({
          sid: 'DenyGetSecretValueOutsideSecretsManagerEndpoint',
          effect: iam.Effect.DENY,
          principals: [new iam.AnyPrincipal()],
          actions: ['secretsmanager:GetSecretValue'],
          resources: ['*'],
          conditions: { StringNotEquals: { 'aws:SourceVpce': endpointId }, ...exceptDeployRoles() },
        }),
      );
    }
  }

  /**
   * Key policy: `role` may decrypt only when Secrets Manager calls KMS on its behalf
   * (kms:ViaService), i.e. only as part of reading its secret.
   */
  allowDecryptViaSecretsManager(sid: string, role: iam.IRole): void {
    this.key.addToResourcePolicy(
      new iam.PolicyStatement({
        sid,
        principals: [new iam.ArnPrincipal(role.roleArn)],
        actions: ['kms:Decrypt'],
        resources: ['*'],
        conditions: { StringEquals: { 'kms:ViaService': `secretsmanager.${Aws.REGION}.amazonaws.com` } },
      }),
    );
  }
}
