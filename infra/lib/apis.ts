import { Construct } from 'constructs';
import { Aws, RemovalPolicy } from 'aws-cdk-lib';
import * as apigateway from 'aws-cdk-lib/aws-apigateway';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import type { Services } from './services.ts';
import { StorefrontFirewall } from './storefront-firewall.ts';

export const STAGE_NAME = 'prod';

export interface ApisProps {
  readonly services: Services;
  /** The execute-api interface endpoint the private API is bound to and demands. */
  readonly executeApiEndpoint: ec2.InterfaceVpcEndpoint;
}

/**
 * `StorefrontApi` (public, REGIONAL) for the frontend; `InternalApi` (PRIVATE) for service-to-service
 * calls, reachable only through the execute-api endpoint and only with SigV4 (AWS_IAM).
 */
export class Apis extends Construct {
  readonly storefront: apigateway.RestApi;
  readonly internal: apigateway.RestApi;

  constructor(scope: Construct, id: string, props: ApisProps) {
    super(scope, id);
    const { services, executeApiEndpoint } = props;

    this.storefront = new apigateway.RestApi(this, 'StorefrontApi', {
      restApiName: 'StorefrontApi',
      description: 'SecureCart storefront: products, product images, orders',
      endpointConfiguration: { types: [apigateway.EndpointType.REGIONAL] },
      binaryMediaTypes: ['image/png', 'image/jpeg'],
      cloudWatchRole: false,
      deployOptions: stageOptions(this, 'Storefront'),
    });
    new StorefrontFirewall(this, 'StorefrontFirewall', { stage: this.storefront.deploymentStage });
    const storefrontValidator = validator(this.storefront);
    const productIntegration = lambdaIntegration(services.product.function);
    const products = this.storefront.root.addResource('products');
    products.addMethod('GET', productIntegration, { requestValidator: storefrontValidator });
    const product = products.addResource('{id}');
    product.addMethod('GET', productIntegration, pathParameter(storefrontValidator));
    product.addResource('image').addMethod('GET', productIntegration, pathParameter(storefrontValidator));

    const orderIntegration = lambdaIntegration(services.order.function);
    const orders = this.storefront.root.addResource('orders');
    orders.addMethod('POST', orderIntegration, {
      requestValidator: storefrontValidator,
      requestModels: { 'application/json': orderModel(this.storefront) },
    });
    orders.addResource('{id}').addMethod('GET', orderIntegration, pathParameter(storefrontValidator));

    this.internal = new apigateway.RestApi(this, 'InternalApi', {
      restApiName: 'InternalApi',
      description: 'SecureCart internal: payment authorization, customer lookup (private, SigV4)',
      endpointConfiguration: { types: [apigateway.EndpointType.PRIVATE], vpcEndpoints: [executeApiEndpoint] },
      cloudWatchRole: false,
      deployOptions: stageOptions(this, 'Internal'),
      defaultMethodOptions: { authorizationType: apigateway.AuthorizationType.IAM },
      policy: new iam.PolicyDocument({
        statements: [
          new iam.PolicyStatement({
            sid: 'AllowOrderServiceInvoke',
            principals: [services.order.role],
            actions: ['execute-api:Invoke'],
            resources: [
              `execute-api:/${STAGE_NAME}/POST/payments`,
              `execute-api:/${STAGE_NAME}/GET/customers/*`,
            ],
          }),
          new iam.PolicyStatement({
            sid: 'DenyOutsideExecuteApiEndpoint',
            effect: iam.Effect.DENY,
            principals: [new iam.AnyPrincipal()],
            actions: ['execute-api:Invoke'],
            resources: ['execute-api:/*'],
            conditions: { StringNotEquals: { 'aws:SourceVpce': executeApiEndpoint.vpcEndpointId } },
          }),
        ],
      }),
    });
    const internalValidator = validator(this.internal);
    const payments = this.internal.root.addResource('payments');
    payments.addMethod('POST', lambdaIntegration(services.payment.function), {
      requestValidator: internalValidator,
      requestModels: { 'application/json': paymentModel(this.internal) },
    });
    const customer = this.internal.root.addResource('customers').addResource('{id}');
    customer.addMethod(
      'GET',
      lambdaIntegration(services.database.function),
      pathParameter(internalValidator),
    );

    // The order service calls exactly these two methods, signed with its role.
    const invokable = [
      this.internal.arnForExecuteApi('POST', '/payments', STAGE_NAME),
      this.internal.arnForExecuteApi('GET', '/customers/*', STAGE_NAME),
    ];
    services.order.allow('InvokeInternalApi', ['execute-api:Invoke'], invokable);
    // The endpoint policy cannot name the API id: the API already names the endpoint (a cycle in
    // CloudFormation). It names the caller, the account, the stage and the two methods instead.
    const anyApiInAccount = `arn:${Aws.PARTITION}:execute-api:${Aws.REGION}:${Aws.ACCOUNT_ID}:*`;
    executeApiEndpoint.addToPolicy(
      new iam.PolicyStatement({
        sid: 'OrderServiceInvokesInternalApi',
        principals: [services.order.role],
        actions: ['execute-api:Invoke'],
        resources: [
          `${anyApiInAccount}/${STAGE_NAME}/POST/payments`,
          `${anyApiInAccount}/${STAGE_NAME}/GET/customers/*`,
        ],
      }),
    );
    services.order.function.addEnvironment('PRIVATE_API_URL', this.internal.url);
  }
}

function stageOptions(scope: Construct, name: string): apigateway.StageOptions {
  const accessLogs = new logs.LogGroup(scope, `${name}AccessLogs`, {
    retention: logs.RetentionDays.ONE_YEAR,
    removalPolicy: RemovalPolicy.RETAIN,
  });
  return {
    stageName: STAGE_NAME,
    accessLogDestination: new apigateway.LogGroupLogDestination(accessLogs),
    accessLogFormat: apigateway.AccessLogFormat.jsonWithStandardFields(),
    throttlingRateLimit: 50,
    throttlingBurstLimit: 100,
  };
}

function lambdaIntegration(fn: lambda.IFunction): apigateway.LambdaIntegration {
  // Permissions are scoped to the stage and method (no test-invoke wildcard).
  return new apigateway.LambdaIntegration(fn, { allowTestInvoke: false });
}

function pathParameter(requestValidator: apigateway.IRequestValidator): apigateway.MethodOptions {
  return { requestParameters: { 'method.request.path.id': true }, requestValidator };
}

/** One validator per API: request parameters and (where a model is given) the body. */
function validator(api: apigateway.RestApi): apigateway.IRequestValidator {
  return api.addRequestValidator('RequestValidator', {
    validateRequestBody: true,
    validateRequestParameters: true,
  });
}

function orderModel(api: apigateway.RestApi): apigateway.Model {
  return api.addModel('OrderRequest', {
    contentType: 'application/json',
    schema: {
      schema: apigateway.JsonSchemaVersion.DRAFT4,
      type: apigateway.JsonSchemaType.OBJECT,
      required: ['orderId', 'customerId', 'items'],
      properties: {
        orderId: { type: apigateway.JsonSchemaType.STRING },
        customerId: { type: apigateway.JsonSchemaType.STRING },
        items: { type: apigateway.JsonSchemaType.ARRAY, minItems: 1 },
      },
    },
  });
}

function paymentModel(api: apigateway.RestApi): apigateway.Model {
  return api.addModel('PaymentRequest', {
    contentType: 'application/json',
    schema: {
      schema: apigateway.JsonSchemaVersion.DRAFT4,
      type: apigateway.JsonSchemaType.OBJECT,
      required: ['orderId', 'customerId', 'amount', 'currency'],
      properties: {
        orderId: { type: apigateway.JsonSchemaType.STRING },
        customerId: { type: apigateway.JsonSchemaType.STRING },
        amount: { type: apigateway.JsonSchemaType.INTEGER },
        currency: { type: apigateway.JsonSchemaType.STRING },
      },
    },
  });
}
