/**
 * What every family builder receives: the template, one id index per entity family, and a place
 * to report what could not be modelled (kept explicit, never fatal).
 */
import type { ResourceInstance, Template } from '../cloudformation/types.ts';
import { IdIndex } from './ids.ts';

export type Family =
  | 'vpc'
  | 'subnet'
  | 'routeTable'
  | 'internetGateway'
  | 'natGateway'
  | 'eip'
  | 'vpcEndpoint'
  | 'securityGroup'
  | 'networkAcl'
  | 'prefixList'
  | 'role'
  | 'instanceProfile'
  | 'managedPolicy'
  | 'bucket'
  | 'table'
  | 'secret'
  | 'key'
  | 'queue'
  | 'topic'
  | 'restApi'
  | 'apiResource'
  | 'deployment'
  | 'function'
  | 'dbSubnetGroup'
  | 'dbCluster'
  | 'dbInstance'
  | 'instance'
  | 'taskDefinition'
  | 'ecsCluster'
  | 'networkInterface'
  | 'vpcPeering'
  | 'transitGateway';

const FAMILY_OF_TYPE: Readonly<Record<string, Family>> = {
  'AWS::EC2::VPC': 'vpc',
  'AWS::EC2::Subnet': 'subnet',
  'AWS::EC2::RouteTable': 'routeTable',
  'AWS::EC2::InternetGateway': 'internetGateway',
  'AWS::EC2::EgressOnlyInternetGateway': 'internetGateway',
  'AWS::EC2::NatGateway': 'natGateway',
  'AWS::EC2::EIP': 'eip',
  'AWS::EC2::VPCEndpoint': 'vpcEndpoint',
  'AWS::EC2::SecurityGroup': 'securityGroup',
  'AWS::EC2::NetworkAcl': 'networkAcl',
  'AWS::EC2::PrefixList': 'prefixList',
  'AWS::EC2::NetworkInterface': 'networkInterface',
  'AWS::EC2::VPCPeeringConnection': 'vpcPeering',
  'AWS::EC2::TransitGateway': 'transitGateway',
  'AWS::EC2::Instance': 'instance',
  'AWS::IAM::Role': 'role',
  'AWS::IAM::InstanceProfile': 'instanceProfile',
  'AWS::IAM::ManagedPolicy': 'managedPolicy',
  'AWS::S3::Bucket': 'bucket',
  'AWS::DynamoDB::Table': 'table',
  'AWS::DynamoDB::GlobalTable': 'table',
  'AWS::SecretsManager::Secret': 'secret',
  'AWS::KMS::Key': 'key',
  'AWS::SQS::Queue': 'queue',
  'AWS::SNS::Topic': 'topic',
  'AWS::ApiGateway::RestApi': 'restApi',
  'AWS::Serverless::Api': 'restApi',
  'AWS::ApiGateway::Resource': 'apiResource',
  'AWS::ApiGateway::Deployment': 'deployment',
  'AWS::Lambda::Function': 'function',
  'AWS::Serverless::Function': 'function',
  'AWS::RDS::DBSubnetGroup': 'dbSubnetGroup',
  'AWS::RDS::DBCluster': 'dbCluster',
  'AWS::RDS::DBInstance': 'dbInstance',
  'AWS::ECS::TaskDefinition': 'taskDefinition',
  'AWS::ECS::Cluster': 'ecsCluster',
};

/** Something the model could not resolve; reported, never thrown. */
export interface ModelIssue {
  readonly logicalId: string;
  readonly message: string;
}

export class BuildContext {
  readonly indexes = new Map<Family, IdIndex>();
  readonly issues: ModelIssue[] = [];
  private readonly byType = new Map<string, ResourceInstance[]>();

  constructor(readonly template: Template) {
    for (const resource of Object.values(template.resources)) {
      const list = this.byType.get(resource.type);
      if (list) list.push(resource);
      else this.byType.set(resource.type, [resource]);
      // Index every resource up front: families reference each other in every direction.
      const family = FAMILY_OF_TYPE[resource.type];
      if (family) this.index(family).add(resource.logicalId, ...idsOf(resource));
    }
  }

  index(family: Family): IdIndex {
    let index = this.indexes.get(family);
    if (!index) {
      index = new IdIndex();
      this.indexes.set(family, index);
    }
    return index;
  }

  /** Resources of one CloudFormation type, in template order. */
  ofType(...types: string[]): ResourceInstance[] {
    return types.flatMap((type) => this.byType.get(type) ?? []);
  }

  issue(logicalId: string, message: string): void {
    this.issues.push({ logicalId, message });
  }
}

/** Attributes that name the resource itself (not its parent, unlike `VpcId` on a subnet). */
const SELF_ATTRIBUTES = [
  'Arn',
  'Id',
  'GroupId',
  'AllocationId',
  'KeyId',
  'RestApiId',
  'PrefixListId',
  'SubnetId',
  'RouteTableId',
];

/** The physical id plus every attribute that identifies the resource: the ids others may hold. */
export function idsOf(resource: ResourceInstance): unknown[] {
  return [resource.physicalId, ...SELF_ATTRIBUTES.map((name) => resource.attributes[name])];
}
