import { Construct } from 'constructs';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import type { Data } from './data.ts';
import type { Secrets } from './secrets.ts';
import type { Services } from './services.ts';
import type { ServiceFunction } from './service-function.ts';
import { WORKLOAD_SUBNETS } from './network.ts';

export interface EndpointsProps {
  readonly vpc: ec2.Vpc;
  readonly data: Data;
  readonly secrets: Secrets;
  readonly services: Services;
}

/**
 * Private paths to AWS services: gateway endpoints (free route-table entries) for S3 and DynamoDB,
 * interface endpoints (PrivateLink ENIs) for Secrets Manager and API Gateway (execute-api).
 * Every endpoint policy names SecureCart's roles, resources and actions — no `*`/`*`.
 */
export class Endpoints extends Construct {
  readonly s3: ec2.GatewayVpcEndpoint;
  readonly dynamodb: ec2.GatewayVpcEndpoint;
  readonly secretsManager: ec2.InterfaceVpcEndpoint;
  readonly secretsManagerSecurityGroup: ec2.SecurityGroup;
  readonly executeApi: ec2.InterfaceVpcEndpoint;
  readonly executeApiSecurityGroup: ec2.SecurityGroup;

  constructor(scope: Construct, id: string, props: EndpointsProps) {
    super(scope, id);
    const { vpc, data, secrets, services } = props;

    // Gateway endpoints add a prefix-list route to every isolated subnet's route table.
    this.s3 = vpc.addGatewayEndpoint('S3', {
      service: ec2.GatewayVpcEndpointAwsService.S3,
      subnets: [WORKLOAD_SUBNETS],
    });
    this.s3.addToPolicy(
      allow(
        'ProductServiceReadsImages',
        services.product,
        ['s3:GetObject'],
        [data.imagesBucket.arnForObjects('*')],
      ),
    );

    this.dynamodb = vpc.addGatewayEndpoint('DynamoDB', {
      service: ec2.GatewayVpcEndpointAwsService.DYNAMODB,
      subnets: [WORKLOAD_SUBNETS],
    });
    // ARNs built from the table names: the tables' policies name this endpoint (no GetAtt cycle).
    const { productsTableArn, ordersTableArn } = data;
    this.dynamodb.addToPolicy(
      allow(
        'ProductServiceReadsProducts',
        services.product,
        ['dynamodb:Scan', 'dynamodb:GetItem'],
        [productsTableArn],
      ),
    );
    this.dynamodb.addToPolicy(
      allow(
        'OrderServiceWritesOrders',
        services.order,
        ['dynamodb:GetItem', 'dynamodb:PutItem'],
        [ordersTableArn],
      ),
    );
    this.dynamodb.addToPolicy(
      allow('OrderServicePricesItems', services.order, ['dynamodb:GetItem'], [productsTableArn]),
    );
    // Through an endpoint, DescribeEndpoints needs an allow here AND in the caller's identity policy.
    // It supports no resource-level permissions.
    this.dynamodb.addToPolicy(
      new iam.PolicyStatement({
        sid: 'DescribeEndpoints',
        principals: [services.product.role, services.order.role],
        actions: ['dynamodb:DescribeEndpoints'],
        resources: ['*'],
      }),
    );

    this.secretsManagerSecurityGroup = endpointSecurityGroup(this, 'SecretsManager', vpc);
    this.secretsManager = interfaceEndpoint(
      this,
      'SecretsManager',
      vpc,
      ec2.InterfaceVpcEndpointAwsService.SECRETS_MANAGER,
      this.secretsManagerSecurityGroup,
    );
    this.secretsManager.addToPolicy(
      allow(
        'PaymentServiceReadsProviderKey',
        services.payment,
        ['secretsmanager:GetSecretValue'],
        [secrets.paymentProviderKey.secretArn],
      ),
    );
    this.secretsManager.addToPolicy(
      allow(
        'DatabaseServiceReadsCredentials',
        services.database,
        ['secretsmanager:GetSecretValue'],
        [secrets.databaseCredentials.secretArn],
      ),
    );
    services.payment.allowHttpsTo(this.secretsManagerSecurityGroup, 'Secrets Manager endpoint');
    services.database.allowHttpsTo(this.secretsManagerSecurityGroup, 'Secrets Manager endpoint');

    // Its policy statements name the private API's methods, so the APIs construct adds them.
    this.executeApiSecurityGroup = endpointSecurityGroup(this, 'ExecuteApi', vpc);
    this.executeApi = interfaceEndpoint(
      this,
      'ExecuteApi',
      vpc,
      ec2.InterfaceVpcEndpointAwsService.APIGATEWAY,
      this.executeApiSecurityGroup,
    );
    services.order.allowHttpsTo(this.executeApiSecurityGroup, 'execute-api endpoint (private API)');
  }
}

function allow(
  sid: string,
  service: ServiceFunction,
  actions: string[],
  resources: string[],
): iam.PolicyStatement {
  return new iam.PolicyStatement({ sid, principals: [service.role], actions, resources });
}

/** No egress, and no ingress until a service is allowed in (never the VPC CIDR: `open: false`). */
function endpointSecurityGroup(scope: Construct, name: string, vpc: ec2.IVpc): ec2.SecurityGroup {
  return new ec2.SecurityGroup(scope, `${name}EndpointSecurityGroup`, {
    vpc,
    description: `SecureCart ${name} interface endpoint: 443 from SecureCart services only`,
    allowAllOutbound: false,
  });
}

function interfaceEndpoint(
  scope: Construct,
  name: string,
  vpc: ec2.IVpc,
  service: ec2.InterfaceVpcEndpointAwsService,
  securityGroup: ec2.ISecurityGroup,
): ec2.InterfaceVpcEndpoint {
  return new ec2.InterfaceVpcEndpoint(scope, name, {
    vpc,
    service,
    subnets: { ...WORKLOAD_SUBNETS, onePerAz: true },
    privateDnsEnabled: true,
    open: false,
    securityGroups: [securityGroup],
  });
}
