import { Construct } from 'constructs';
import { Duration } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import type { Data } from './data.ts';
import { DATABASE_NAME, DATABASE_PORT } from './data.ts';
import type { Secrets } from './secrets.ts';
import { ServiceFunction } from './service-function.ts';

export interface ServicesProps {
  readonly vpc: ec2.IVpc;
  readonly data: Data;
  readonly secrets: Secrets;
}

/**
 * The four services. Each role is granted only the actions its code calls, on its own resources.
 * Environment variables carry resource names; the local twin reads the same ones.
 */
export class Services extends Construct {
  readonly product: ServiceFunction;
  readonly order: ServiceFunction;
  readonly payment: ServiceFunction;
  readonly database: ServiceFunction;

  constructor(scope: Construct, id: string, props: ServicesProps) {
    super(scope, id);
    const { vpc, data, secrets } = props;

    this.product = new ServiceFunction(this, 'Product', {
      vpc,
      service: 'product',
      description: 'SecureCart product service: catalogue (DynamoDB) and images (S3)',
      environment: { TABLE_NAME: data.productsTable.tableName, BUCKET_NAME: data.imagesBucket.bucketName },
    });
    this.product.allow('ReadProducts', ['dynamodb:Scan', 'dynamodb:GetItem'], [data.productsTable.tableArn]);
    this.product.allow('ReadProductImages', ['s3:GetObject'], [data.imagesBucket.arnForObjects('*')]);

    this.order = new ServiceFunction(this, 'Order', {
      vpc,
      service: 'order',
      description: 'SecureCart order service: order transactions (DynamoDB), payment via the private API',
      environment: {
        TABLE_NAME: data.ordersTable.tableName,
        PRODUCTS_TABLE_NAME: data.productsTable.tableName,
      },
      timeout: Duration.seconds(20),
    });
    this.order.allow(
      'ReadWriteOrders',
      ['dynamodb:GetItem', 'dynamodb:PutItem'],
      [data.ordersTable.tableArn],
    );
    this.order.allow('PriceOrderItems', ['dynamodb:GetItem'], [data.productsTable.tableArn]);

    // Through a VPC endpoint, DescribeEndpoints must be allowed by BOTH the identity policy and the
    // endpoint policy (DynamoDB developer guide, "Required policy for endpoints"). It supports no
    // resource-level permissions, hence "*"; it reveals only the regional endpoint address.
    for (const service of [this.product, this.order]) {
      service.allow('DiscoverDynamoDbEndpoints', ['dynamodb:DescribeEndpoints'], ['*']);
    }

    this.payment = new ServiceFunction(this, 'Payment', {
      vpc,
      service: 'payment',
      description: 'SecureCart payment service: signs payment authorizations with the provider key',
      environment: { SECRET_ARN: secrets.paymentProviderKey.secretArn },
    });
    this.payment.allow(
      'ReadProviderKey',
      ['secretsmanager:GetSecretValue'],
      [secrets.paymentProviderKey.secretArn],
    );

    this.database = new ServiceFunction(this, 'Database', {
      vpc,
      service: 'database',
      description: 'SecureCart database service: customer lookups in PostgreSQL',
      environment: {
        SECRET_ARN: secrets.databaseCredentials.secretArn,
        DB_HOST: data.database.dbInstanceEndpointAddress,
        DB_PORT: String(DATABASE_PORT),
        DB_NAME: DATABASE_NAME,
        // RDS CA bundle shipped in the Node.js runtime; needed for verify-full TLS to RDS.
        NODE_EXTRA_CA_CERTS: '/var/runtime/ca-cert.pem',
        DB_SSL: 'verify-full',
      },
    });
    this.database.allow(
      'ReadDatabaseCredentials',
      ['secretsmanager:GetSecretValue'],
      [secrets.databaseCredentials.secretArn],
    );
    this.database.securityGroup.addEgressRule(
      data.databaseSecurityGroup,
      ec2.Port.tcp(DATABASE_PORT),
      'PostgreSQL to the customers database',
    );
    data.allowDatabaseFrom(this.database.securityGroup);

    // Payment and database egress only to security groups (separate resources): keep the inline
    // no-traffic placeholder so EC2's default allow-all egress is never created.
    this.payment.denyEgressExceptExplicitRules();
    this.database.denyEgressExceptExplicitRules();

    // Product and order reach S3/DynamoDB through gateway endpoints, i.e. via the services' prefix
    // lists, whose ids are not knowable offline. 443 to 0.0.0.0/0 is the stand-in: these subnets have
    // no internet gateway and no NAT, and their route tables' only non-local routes are the gateway
    // endpoints, so this rule reaches S3 and DynamoDB and nothing else (see docs/architecture.md).
    for (const service of [this.product, this.order]) {
      service.securityGroup.addEgressRule(
        ec2.Peer.anyIpv4(),
        ec2.Port.tcp(443),
        'HTTPS to S3/DynamoDB via gateway endpoints (no IGW/NAT: routes reach only the endpoints)',
      );
    }
  }

  get all(): ServiceFunction[] {
    return [this.product, this.order, this.payment, this.database];
  }
}
