import { Construct } from 'constructs';
import { Duration, RemovalPolicy } from 'aws-cdk-lib';
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
export const DATABASE_PORT = 5432;

/** Product images (S3), products and orders (DynamoDB), customer accounts (RDS PostgreSQL). */
export class Data extends Construct {
  readonly imagesBucket: s3.Bucket;
  readonly accessLogsBucket: s3.Bucket;
  readonly productsTable: dynamodb.Table;
  readonly ordersTable: dynamodb.Table;
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
    this.productsTable = this.table('Products', 'productId');
    this.ordersTable = this.table('Orders', 'orderId');

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

  private table(id: string, partitionKey: string): dynamodb.Table {
    return new dynamodb.Table(this, id, {
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

  /** PostgreSQL admits 5432 only from `peer` (the database service's security group). */
  allowDatabaseFrom(peer: ec2.ISecurityGroup): void {
    this.databaseSecurityGroup.addIngressRule(
      peer,
      ec2.Port.tcp(DATABASE_PORT),
      'PostgreSQL from the database service',
    );
  }
}
