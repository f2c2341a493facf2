/**
 * What `Ref` and `Fn::GetAtt` return for each resource type, in AWS's shapes: the registry of one
 * rule per type (the rules live in identity-*.ts by service family; sources for each return value
 * are listed in docs/cloudformation-semantics.md). Types without a rule get a CloudFormation-style
 * generated name and no attributes, so a GetAtt on them stays an explicit unresolved token.
 */
import type { Identity, IdentityContext, IdentityRule } from './identity-helpers.ts';
import { id } from './identity-helpers.ts';
import { generatedName } from './physical-ids.ts';
import {
  ec2Simple,
  eip,
  instance,
  launchTemplate,
  managedPrefixList,
  securityGroup,
  subnet,
  vpc,
  vpcEndpoint,
} from './identity-ec2.ts';
import { group, iamPolicy, instanceProfile, managedPolicy, role, user } from './identity-iam.ts';
import { bucket, kmsAlias, kmsKey, secret, table } from './identity-storage.ts';
import {
  apiDeployment,
  apiResource,
  apiStage,
  apiKey,
  usagePlan,
  dbCluster,
  dbInstance,
  ecsCluster,
  ecsService,
  httpApi,
  lambdaFunction,
  listener,
  loadBalancer,
  logGroup,
  queue,
  refIsArn,
  restApi,
  targetGroup,
  taskDefinition,
  topic,
  vpcLink,
} from './identity-apps.ts';
import {
  arnWithUuid,
  distribution,
  eventRule,
  hostedZone,
  ssmParameter,
  stateMachine,
  waitConditionHandle,
} from './identity-misc.ts';
export type { Identity, IdentityContext } from './identity-helpers.ts';

const RULES: Readonly<Record<string, IdentityRule>> = {
  'AWS::EC2::VPC': vpc,
  'AWS::EC2::Subnet': subnet,
  'AWS::EC2::RouteTable': ec2Simple('rtb', 'RouteTableId'),
  'AWS::EC2::InternetGateway': ec2Simple('igw', 'InternetGatewayId'),
  'AWS::EC2::EgressOnlyInternetGateway': ec2Simple('eigw', 'Id'),
  'AWS::EC2::NatGateway': ec2Simple('nat', 'NatGatewayId'),
  'AWS::EC2::EIP': eip,
  'AWS::EC2::VPCEndpoint': vpcEndpoint,
  'AWS::EC2::SecurityGroup': securityGroup,
  'AWS::EC2::SecurityGroupIngress': ec2Simple('sgr', 'Id'),
  'AWS::EC2::SecurityGroupEgress': ec2Simple('sgr', 'Id'),
  'AWS::EC2::NetworkAcl': ec2Simple('acl', 'Id'),
  'AWS::EC2::SubnetNetworkAclAssociation': ec2Simple('aclassoc', 'AssociationId'),
  'AWS::EC2::SubnetRouteTableAssociation': ec2Simple('rtbassoc', 'Id'),
  'AWS::EC2::VPCCidrBlock': ec2Simple('vpc-cidr-assoc', 'Id'),
  'AWS::EC2::ManagedPrefixList': managedPrefixList,
  'AWS::EC2::NetworkInterface': ec2Simple('eni', 'Id'),
  'AWS::EC2::Instance': instance,
  'AWS::EC2::LaunchTemplate': launchTemplate,
  'AWS::EC2::FlowLog': ec2Simple('fl', 'Id'),
  'AWS::EC2::TransitGateway': ec2Simple('tgw', 'Id'),
  'AWS::EC2::TransitGatewayAttachment': ec2Simple('tgw-attach', 'Id'),
  'AWS::EC2::VPCPeeringConnection': ec2Simple('pcx', 'Id'),
  'AWS::IAM::Role': role,
  'AWS::IAM::InstanceProfile': instanceProfile,
  'AWS::IAM::ManagedPolicy': managedPolicy,
  'AWS::IAM::Policy': iamPolicy,
  'AWS::IAM::User': user,
  'AWS::IAM::Group': group,
  'AWS::S3::Bucket': bucket,
  'AWS::DynamoDB::Table': table,
  'AWS::DynamoDB::GlobalTable': table,
  'AWS::SecretsManager::Secret': secret,
  'AWS::KMS::Key': kmsKey,
  'AWS::KMS::Alias': kmsAlias,
  'AWS::Lambda::Function': lambdaFunction,
  'AWS::Serverless::Function': lambdaFunction,
  'AWS::ApiGateway::RestApi': restApi,
  'AWS::Serverless::Api': restApi,
  'AWS::ApiGateway::Resource': apiResource,
  'AWS::ApiGateway::Deployment': apiDeployment,
  'AWS::ApiGateway::Stage': apiStage,
  'AWS::ApiGateway::ApiKey': apiKey,
  'AWS::ApiGateway::UsagePlan': usagePlan,
  'AWS::ApiGateway::VpcLink': vpcLink,
  'AWS::ApiGatewayV2::Api': httpApi,
  'AWS::Serverless::HttpApi': httpApi,
  'AWS::RDS::DBInstance': dbInstance,
  'AWS::RDS::DBCluster': dbCluster,
  'AWS::Logs::LogGroup': logGroup,
  'AWS::ECS::Cluster': ecsCluster,
  'AWS::ECS::Service': ecsService,
  'AWS::ECS::TaskDefinition': taskDefinition,
  'AWS::ElasticLoadBalancingV2::LoadBalancer': refIsArn(loadBalancer, 'LoadBalancerArn'),
  'AWS::ElasticLoadBalancingV2::TargetGroup': refIsArn(targetGroup, 'TargetGroupArn'),
  'AWS::ElasticLoadBalancingV2::Listener': listener,
  'AWS::SNS::Topic': topic,
  'AWS::SQS::Queue': queue,
  'AWS::Route53::HostedZone': hostedZone,
  'AWS::CertificateManager::Certificate': arnWithUuid('acm', 'certificate'),
  'AWS::ACMPCA::CertificateAuthority': arnWithUuid('acm-pca', 'certificate-authority', 'Arn'),
  'AWS::SSM::Parameter': ssmParameter,
  'AWS::CloudFormation::WaitConditionHandle': waitConditionHandle,
  'AWS::CloudFront::Distribution': distribution,
  'AWS::StepFunctions::StateMachine': stateMachine,
  'AWS::Events::Rule': eventRule,
};

export function identityOf(c: IdentityContext): Identity {
  const rule = RULES[c.type];
  if (rule) return rule(c);
  return id(generatedName(c.stackName, c.logicalId, { maxLength: 255 }));
}
