import type { Construct } from 'constructs';
import { CfnOutput, Stack, type StackProps } from 'aws-cdk-lib';
import { Apis } from './apis.ts';
import { Audit } from './audit.ts';
import { Data } from './data.ts';
import { Endpoints } from './endpoints.ts';
import { Network } from './network.ts';
import { applyNagSuppressions } from './nag-suppressions.ts';
import { Secrets } from './secrets.ts';
import { Services } from './services.ts';

export const STACK_NAME = 'SecureCart';

/**
 * SecureCart: four services in isolated subnets that reach S3 and DynamoDB through gateway endpoints
 * and Secrets Manager and the private API through interface endpoints. Environment-agnostic: no
 * account, region or lookups, so it synthesizes offline.
 */
export class SecureCartStack extends Stack {
  readonly network: Network;
  readonly secrets: Secrets;
  readonly data: Data;
  readonly services: Services;
  readonly endpoints: Endpoints;
  readonly apis: Apis;
  readonly audit: Audit;

  constructor(scope: Construct, id: string = STACK_NAME, props: StackProps = {}) {
    super(scope, id, { description: 'SecureCart: private connectivity through VPC endpoints', ...props });
    this.network = new Network(this, 'Network');
    const { vpc } = this.network;
    this.secrets = new Secrets(this, 'Secrets');
    this.data = new Data(this, 'Data', { vpc, databaseCredentials: this.secrets.databaseCredentials });
    this.services = new Services(this, 'Services', { vpc, data: this.data, secrets: this.secrets });
    this.endpoints = new Endpoints(this, 'Endpoints', {
      vpc,
      data: this.data,
      secrets: this.secrets,
      services: this.services,
    });
    this.apis = new Apis(this, 'Apis', {
      services: this.services,
      executeApiEndpoint: this.endpoints.executeApi,
    });
    this.audit = new Audit(this, 'Audit', { vpc });

    // Resource policies that demand the endpoints, and the key policy naming the two secret readers.
    this.data.denyImagesUnlessThrough(this.endpoints.s3.vpcEndpointId);
    this.data.denyTablesUnlessThrough(this.endpoints.dynamodb.vpcEndpointId);
    this.secrets.denyUnlessThrough(this.endpoints.secretsManager.vpcEndpointId);
    this.secrets.allowDecryptViaSecretsManager(
      'PaymentServiceDecryptsViaSecretsManager',
      this.services.payment.role,
    );
    this.secrets.allowDecryptViaSecretsManager(
      'DatabaseServiceDecryptsViaSecretsManager',
      this.services.database.role,
    );

    new CfnOutput(this, 'StorefrontApiUrl', { value: this.apis.storefront.url });
    new CfnOutput(this, 'InternalApiUrl', { value: this.apis.internal.url });
    new CfnOutput(this, 'ProductImagesBucketName', { value: this.data.imagesBucket.bucketName });

    applyNagSuppressions(this);
  }
}
