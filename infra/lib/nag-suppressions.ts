import type { IConstruct } from 'constructs';
import { Validations } from 'aws-cdk-lib';
import type { SecureCartStack } from './securecart-stack.ts';

/**
 * cdk-nag AwsSolutions acknowledgements (cdk-nag v3: `Validations.of(x).acknowledge`), each narrowed
 * to the finding and the construct it applies to, with the reason it is acceptable here.
 * The list is exported so the docs and the nag test can show/check them.
 */
export interface Acknowledgement {
  readonly id: string;
  readonly reason: string;
  readonly on: (stack: SecureCartStack) => IConstruct[];
}

export const NAG_ACKNOWLEDGEMENTS: Acknowledgement[] = [
  {
    id: 'AwsSolutions-IAM5[Resource::*]',
    reason:
      'Only actions without resource-level permissions: VPC Lambda ENI management (ec2:CreateNetworkInterface, DescribeNetworkInterfaces, DescribeSubnets, DeleteNetworkInterface, Assign/UnassignPrivateIpAddresses — the actions of AWSLambdaVPCAccessExecutionRole), and for product/order dynamodb:DescribeEndpoints, which DynamoDB requires in both the identity and the endpoint policy for calls through a VPC endpoint and which returns only the regional endpoint address. No data read or write is granted on "*".',
    on: (stack) => stack.services.all.map((service) => service.role),
  },
  {
    id: 'AwsSolutions-IAM5[Resource::<DataProductImagesF4D088B1.Arn>/*]',
    reason:
      "The product service reads product images: s3:GetObject on the objects of SecureCart's own images bucket only (object keys are data, one per product); no other action, no other bucket.",
    on: (stack) => [stack.services.product.role],
  },
  {
    id: 'AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:execute-api:<AWS::Region>:<AWS::AccountId>:<ApisInternalApi90AA4E74>/prod/GET/customers/*]',
    reason:
      'The order service invokes GET /customers/{id} on the private InternalApi; the trailing * is the {id} path parameter of that single method on that single stage.',
    on: (stack) => [stack.services.order.role],
  },
  {
    id: 'AwsSolutions-SMG4',
    reason:
      "Rotation needs a rotation Lambda with its own network path to Secrets Manager (and to RDS for the DB secret); the hosted rotation (SAR) adds an AWS::Serverless transform outside this app's scope. Rotation is tracked as follow-up work in docs/architecture.md; the payment provider key is rotated in the provider's console.",
    on: (stack) => stack.secrets.all,
  },
  {
    id: 'AwsSolutions-RDS11',
    reason:
      "The port is not a control here: the database security group admits 5432 only from the database service's security group, in isolated subnets with no internet path. SecureCart's design fixes PostgreSQL on 5432.",
    on: (stack) => [stack.data.database],
  },
  {
    id: 'AwsSolutions-APIG6',
    reason:
      'Execution logging needs the account-wide API Gateway CloudWatch role (AWS::ApiGateway::Account), a per-account/region singleton an application stack must not own or overwrite. Access logging (APIG1) is on for both stages, kept one year.',
    on: (stack) => [stack.apis.storefront.deploymentStage, stack.apis.internal.deploymentStage],
  },
  {
    id: 'AwsSolutions-APIG3',
    reason:
      "InternalApi is PRIVATE: reachable only through SecureCart's execute-api VPC endpoint (resource policy denies any other aws:SourceVpce), callable only with SigV4 by the order service role. The public StorefrontApi has a WAFv2 web ACL.",
    on: (stack) => [stack.apis.internal.deploymentStage],
  },
  {
    id: 'AwsSolutions-APIG4',
    reason:
      "The storefront is public by design: browsing products needs no identity, and end-user sign-in (e.g. Cognito) is outside issue 2's scope. Orders are protected by validation, idempotency on orderId, WAF and stage throttling. InternalApi uses AWS_IAM.",
    on: (stack) => [stack.apis.storefront],
  },
  {
    id: 'AwsSolutions-COG4',
    reason:
      'No end-user identity provider is in scope (storefront is public, see APIG4); InternalApi callers are AWS workloads, so they authenticate with SigV4 (AWS_IAM), not Cognito user pools.',
    on: (stack) => [stack.apis.storefront, stack.apis.internal],
  },
];

export function applyNagSuppressions(stack: SecureCartStack): void {
  for (const { id, reason, on } of NAG_ACKNOWLEDGEMENTS) {
    for (const construct of on(stack)) Validations.of(construct).acknowledge({ id, reason });
  }
}
