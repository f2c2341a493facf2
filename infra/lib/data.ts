import { Construct } from 'constructs';
import { Aws, Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as rds from 'aws-cdk-lib/aws-rds';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { WORKLOAD_SUBNETS } from './network.ts';
import { exceptDeployRoles } from './deploy-exemption.ts';

export interface DataProps {
  readonly vpc: ec2.IVpc;
  readonly databaseCredentials: rds.DatabaseSecret;
}

export const DATABASE_NAME = 'securecart';

/**
 * DynamoDB's data-plane actions: every call that reads or writes items. The table policy denies these
 * outside the gateway endpoint; control-plane calls (CreateTable, UpdateTable, PutResourcePolicy…,
 * made by CloudFormation) are left to IAM, so a deployment can never lock itself out of the table.
 */
export const DYNAMODB_DATA_PLANE_ACTIONS = [
  'dynamodb:BatchGetItem',
  'dynamodb:BatchWriteItem',
  'dynamodb:ConditionCheckItem',
  'dynamodb:DeleteItem',
  'dynamodb:GetItem',
  'dynamodb:PartiQLDelete',
  'dynamodb:PartiQLInsert',
  'dynamodb:PartiQLSelect',
  'dynamodb:PartiQLUpdate',
  'dynamodb:PutItem',
  'dynamodb:Query',
  'dynamodb:Scan',
  'dynamodb:UpdateItem',
] as const;
export const DATABASE_PORT = 5432;

/** Product images (S3), products and orders (DynamoDB), customer accounts (RDS PostgreSQL). */
export class Data extends Construct {
  readonly imagesBucket: s3.Bucket;
  readonly accessLogsBucket: s3.Bucket;
  readonly productsTable: dynamodb.Table;
  readonly ordersTable: dynamodb.Table;
  /**
   * The tables' ARNs built from their explicit, stack-scoped names — not `Fn::GetAtt`. The DynamoDB
   * endpoint's policy names the tables and each table's policy names that endpoint; naming the tables
   * by GetAtt there would make the cycle table → endpoint → table.
   */
  readonly productsTableArn: string;
  readonly ordersTableArn: string;
  readonly databaseSecurityGroup: ec2.SecurityGroup;
  readonly database: rds.DatabaseInstance;

  constructor(scope: Construct, id: string, props: DataProps) {
    super(scope, id);
    this.accessLogsBucket = new s3.Bucket(this, 'AccessLogs', {
      encryption: s3.BucketEncryption.S3_MANAGED,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      lifecycleRules: [{ expiration: Duration.days(365) }],
      removalPolicy: RemovalPolicy.RETAIN,
    });
    this.imagesBucket = new s3.Bucket(this, 'ProductImages', {
      encryption: s3.BucketEncryption.S3_MANAGED,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      versioned: true,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      serverAccessLogsBucket: this.accessLogsBucket,
      serverAccessLogsPrefix: 'product-images/',
      removalPolicy: RemovalPolicy.RETAIN,
    });
    this.productsTable = this.table('Products', 'products', 'productId');
    this.ordersTable = this.table('Orders', 'orders', 'orderId');
    this.productsTableArn = this.tableArnOf('products');
    this.ordersTableArn = this.tableArnOf('orders');

    this.databaseSecurityGroup = new ec2.SecurityGroup(this, 'DatabaseSecurityGroup', {
      vpc: props.vpc,
      description: 'SecureCart PostgreSQL: 5432 from the database service only',
      allowAllOutbound: false,
    });
    this.database = new rds.DatabaseInstance(this, 'CustomersDatabase', {
      engine: rds.DatabaseInstanceEngine.postgres({ version: rds.PostgresEngineVersion.VER_17_5 }),
      instanceType: ec2.InstanceType.of(ec2.InstanceClass.T4G, ec2.InstanceSize.MICRO),
      vpc: props.vpc,
      vpcSubnets: WORKLOAD_SUBNETS,
      securityGroups: [this.databaseSecurityGroup],
      credentials: rds.Credentials.fromSecret(props.databaseCredentials),
      databaseName: DATABASE_NAME,
      port: DATABASE_PORT,
      allocatedStorage: 20,
      storageEncrypted: true,
      multiAz: true,
      publiclyAccessible: false,
      backupRetention: Duration.days(7),
      deletionProtection: true,
      removalPolicy: RemovalPolicy.SNAPSHOT,
      cloudwatchLogsExports: ['postgresql'],
    });
  }

  /** `<stack name>-<suffix>`: unique per stack in an account and Region, and known before the table exists. */
  private static tableName(suffix: string): string {
    return `${Aws.STACK_NAME}-${suffix}`;
  }

  private tableArnOf(suffix: string): string {
    return Stack.of(this).formatArn({
      service: 'dynamodb',
      resource: 'table',
      resourceName: Data.tableName(suffix),
    });
  }

  private table(id: string, suffix: string, partitionKey: string): dynamodb.Table {
    return new dynamodb.Table(this, id, {
      tableName: Data.tableName(suffix),
      partitionKey: { name: partitionKey, type: dynamodb.AttributeType.STRING },
      billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
      encryption: dynamodb.TableEncryption.AWS_MANAGED,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      removalPolicy: RemovalPolicy.RETAIN,
    });
  }

  /**
   * The images bucket refuses every request that does not arrive through the S3 gateway endpoint,
   * except the CDK deploy roles (see deploy-exemption.ts), so deployments cannot lock themselves out.
   */
  denyImagesUnlessThrough(endpointId: string): void {
    this.imagesBucket.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'DenyOutsideS3GatewayEndpoint',
        effect: iam.Effect.DENY,
        principals: [new iam.AnyPrincipal()],
        actions: ['s3:*'],
        resources: [this.imagesBucket.bucketArn, this.imagesBucket.arnForObjects('*')],
        conditions: { StringNotEquals: { 'aws:SourceVpce': endpointId }, ...exceptDeployRoles() },
      }),
    );
  }

  /**
   * Each table refuses every item read or write that does not arrive through the DynamoDB gateway
   * endpoint, except the CDK deploy roles (see deploy-exemption.ts). The policy is inline on the table
   * (CloudFormation has no separate DynamoDB policy resource), so it names the table by its built ARN.
   */
  denyTablesUnlessThrough(endpointId: string): void {
    for (const [table, arn] of [
      [this.productsTable, this.productsTableArn],
      [this.ordersTable, this.ordersTableArn],
    ] as const) {
      table.addToResourcePolicy(
        new iam.PolicyStatement({
          sid: 'DenyOutsideDynamoDBGatewayEndpoint',
          effect: iam.Effect.DENY,
          principals: [new iam.AnyPrincipal()],
          actions: [...DYNAMODB_DATA_PLANE_ACTIONS],
          resources: [arn, `${arn}/index/*`],
          conditions: { StringNotEquals: { 'aws:SourceVpce': endpointId }, ...exceptDeployRoles() },
        }),
      );
    }
  }

  /** PostgreSQL admits 5432 only from `peer` (the database service's security group). */
  allowDatabaseFrom(peer: ec2.ISecurityGroup): void {
    this.databaseSecurityGroup.addIngressRule(
      peer,
      ec2.Port.tcp(DATABASE_PORT),
      'PostgreSQL from the database service',
    );
  }
}
