/**
 * The resource types the model (src/model/) reads. Every other type is kept by the loader and
 * listed in `Template.unsupportedTypes`. test/model/modelled-types.test.ts checks this list against
 * the types the model's builders really ask for, both ways.
 */
export const MODELLED_TYPES: readonly string[] = [
  // VPC and addressing
  'AWS::EC2::VPC',
  'AWS::EC2::VPCCidrBlock',
  'AWS::EC2::Subnet',
  // routing
  'AWS::EC2::RouteTable',
  'AWS::EC2::Route',
  'AWS::EC2::SubnetRouteTableAssociation',
  'AWS::EC2::InternetGateway',
  'AWS::EC2::VPCGatewayAttachment',
  'AWS::EC2::NatGateway',
  'AWS::EC2::EIP',
  // endpoints
  'AWS::EC2::VPCEndpoint',
  // filtering
  'AWS::EC2::SecurityGroup',
  'AWS::EC2::SecurityGroupIngress',
  'AWS::EC2::SecurityGroupEgress',
  'AWS::EC2::NetworkAcl',
  'AWS::EC2::NetworkAclEntry',
  'AWS::EC2::SubnetNetworkAclAssociation',
  'AWS::EC2::PrefixList',
  // identity
  'AWS::IAM::Role',
  'AWS::IAM::Policy',
  'AWS::IAM::ManagedPolicy',
  'AWS::IAM::InstanceProfile',
  // data
  'AWS::S3::Bucket',
  'AWS::S3::BucketPolicy',
  'AWS::DynamoDB::Table',
  'AWS::DynamoDB::GlobalTable',
  'AWS::SecretsManager::Secret',
  'AWS::SecretsManager::ResourcePolicy',
  'AWS::KMS::Key',
  'AWS::SQS::Queue',
  'AWS::SQS::QueuePolicy',
  'AWS::SNS::Topic',
  'AWS::SNS::TopicPolicy',
  // APIs
  'AWS::ApiGateway::RestApi',
  'AWS::ApiGateway::Resource',
  'AWS::ApiGateway::Method',
  'AWS::ApiGateway::Deployment',
  'AWS::ApiGateway::Stage',
  'AWS::Serverless::Api',
  'AWS::WAFv2::WebACL',
  'AWS::WAFv2::WebACLAssociation',
  // databases
  'AWS::RDS::DBInstance',
  'AWS::RDS::DBCluster',
  'AWS::RDS::DBSubnetGroup',
  // workloads
  'AWS::Lambda::Function',
  'AWS::Lambda::Permission',
  'AWS::Serverless::Function',
  'AWS::EC2::Instance',
  'AWS::ECS::Service',
  'AWS::ECS::TaskDefinition',
];
