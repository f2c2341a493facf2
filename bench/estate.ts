/**
 * A generated CloudFormation estate for benchmarks (the tracer's and, later, the analyzer's).
 * At size 1: 200 VPCs, 4,000 subnets, 10,000 Lambda workloads, 1,000 VPC endpoints and 20,000
 * security-group rules. Half the VPCs also have an internet gateway and a NAT gateway, every VPC
 * a custom network ACL. `size` scales every count (0.01 → 2 VPCs…).
 */

export interface EstateShape {
  readonly vpcs: number;
  readonly subnetsPerVpc: number;
  readonly workloadsPerVpc: number;
  /** Workload security groups per VPC; each has 9 egress rules, and the endpoint SG one ingress rule per group. */
  readonly groupsPerVpc: number;
}

export const FULL_ESTATE: EstateShape = {
  vpcs: 200,
  subnetsPerVpc: 20,
  workloadsPerVpc: 50,
  groupsPerVpc: 10,
};

/** Services every VPC has endpoints for: two gateway, three interface (5 endpoints × 200 VPCs = 1,000). */
export const ESTATE_SERVICES = ['s3', 'dynamodb', 'secretsmanager', 'execute-api', 'kms'] as const;

type Json = Record<string, unknown>;
const ref = (id: string): Json => ({ Ref: id });
const getAtt = (id: string, attribute: string): Json => ({ 'Fn::GetAtt': [id, attribute] });

export function generateEstate(size: number | Partial<EstateShape> = 1): Json {
  const shape: EstateShape =
    typeof size === 'number'
      ? {
          vpcs: Math.max(1, Math.round(FULL_ESTATE.vpcs * size)),
          subnetsPerVpc: FULL_ESTATE.subnetsPerVpc,
          workloadsPerVpc: FULL_ESTATE.workloadsPerVpc,
          groupsPerVpc: FULL_ESTATE.groupsPerVpc,
        }
      : { ...FULL_ESTATE, ...size };
  if (shape.vpcs > 256 || shape.subnetsPerVpc > 64)
    throw new Error('at most 256 VPCs (10.<n>.0.0/16) and 64 subnets (/22) per VPC');
  const resources: Json = {};
  const add = (id: string, type: string, properties: Json, extra: Json = {}): void => {
    resources[id] = { Type: type, Properties: properties, ...extra };
  };

  for (let v = 0; v < shape.vpcs; v += 1) {
    const p = `V${v}`;
    const vpc = `${p}Vpc`;
    add(vpc, 'AWS::EC2::VPC', {
      CidrBlock: `10.${v}.0.0/16`,
      EnableDnsSupport: true,
      EnableDnsHostnames: true,
    });
    add(`${p}Rt`, 'AWS::EC2::RouteTable', { VpcId: ref(vpc) });
    add(`${p}Acl`, 'AWS::EC2::NetworkAcl', { VpcId: ref(vpc) });
    add(`${p}AclOut`, 'AWS::EC2::NetworkAclEntry', {
      NetworkAclId: ref(`${p}Acl`),
      RuleNumber: 100,
      Egress: true,
      Protocol: -1,
      RuleAction: 'allow',
      CidrBlock: '0.0.0.0/0',
    });
    add(`${p}AclIn`, 'AWS::EC2::NetworkAclEntry', {
      NetworkAclId: ref(`${p}Acl`),
      RuleNumber: 100,
      Egress: false,
      Protocol: 6,
      RuleAction: 'allow',
      CidrBlock: '0.0.0.0/0',
      PortRange: { From: 443, To: 65535 },
    });
    const subnets: string[] = [];
    for (let s = 0; s < shape.subnetsPerVpc; s += 1) {
      const subnet = `${p}Subnet${s}`;
      subnets.push(subnet);
      add(subnet, 'AWS::EC2::Subnet', {
        VpcId: ref(vpc),
        CidrBlock: `10.${v}.${s * 4}.0/22`,
        AvailabilityZone: `us-east-1${'abcdef'[s % 6]}`,
      });
      if (s > 0) {
        add(`${subnet}Rt`, 'AWS::EC2::SubnetRouteTableAssociation', {
          SubnetId: ref(subnet),
          RouteTableId: ref(`${p}Rt`),
        });
        add(`${subnet}Acl`, 'AWS::EC2::SubnetNetworkAclAssociation', {
          SubnetId: ref(subnet),
          NetworkAclId: ref(`${p}Acl`),
        });
      }
    }
    // Every other VPC: subnet 0 is public (IGW) with a NAT gateway that the private route table uses.
    if (v % 2 === 0) {
      add(`${p}Igw`, 'AWS::EC2::InternetGateway', {});
      add(`${p}IgwAttach`, 'AWS::EC2::VPCGatewayAttachment', {
        VpcId: ref(vpc),
        InternetGatewayId: ref(`${p}Igw`),
      });
      add(`${p}PublicRt`, 'AWS::EC2::RouteTable', { VpcId: ref(vpc) });
      add(`${p}PublicDefault`, 'AWS::EC2::Route', {
        RouteTableId: ref(`${p}PublicRt`),
        DestinationCidrBlock: '0.0.0.0/0',
        GatewayId: ref(`${p}Igw`),
      });
      add(`${subnets[0]}PublicRt`, 'AWS::EC2::SubnetRouteTableAssociation', {
        SubnetId: ref(subnets[0]),
        RouteTableId: ref(`${p}PublicRt`),
      });
      add(`${p}NatEip`, 'AWS::EC2::EIP', { Domain: 'vpc' });
      add(`${p}Nat`, 'AWS::EC2::NatGateway', {
        SubnetId: ref(subnets[0]),
        AllocationId: getAtt(`${p}NatEip`, 'AllocationId'),
      });
      add(`${p}PrivateDefault`, 'AWS::EC2::Route', {
        RouteTableId: ref(`${p}Rt`),
        DestinationCidrBlock: '0.0.0.0/0',
        NatGatewayId: ref(`${p}Nat`),
      });
    }

    // Endpoints: S3 + DynamoDB gateway endpoints, three interface endpoints in two subnets.
    add(`${p}EndpointSg`, 'AWS::EC2::SecurityGroup', { GroupDescription: 'endpoints', VpcId: ref(vpc) });
    for (const service of ESTATE_SERVICES) {
      const id = `${p}Endpoint${service.replace('-', '')}`;
      const serviceName = { 'Fn::Sub': `com.amazonaws.\${AWS::Region}.${service}` };
      if (service === 's3' || service === 'dynamodb')
        add(id, 'AWS::EC2::VPCEndpoint', {
          VpcId: ref(vpc),
          ServiceName: serviceName,
          RouteTableIds: [ref(`${p}Rt`)],
        });
      else
        add(id, 'AWS::EC2::VPCEndpoint', {
          VpcId: ref(vpc),
          VpcEndpointType: 'Interface',
          ServiceName: serviceName,
          PrivateDnsEnabled: true,
          SubnetIds: [ref(subnets[1 % subnets.length]), ref(subnets[2 % subnets.length])],
          SecurityGroupIds: [ref(`${p}EndpointSg`)],
        });
    }

    // Workload security groups: 9 egress rules each, and one endpoint-SG ingress rule per group.
    for (let g = 0; g < shape.groupsPerVpc; g += 1) {
      const group = `${p}Sg${g}`;
      add(group, 'AWS::EC2::SecurityGroup', {
        GroupDescription: `workloads ${g}`,
        VpcId: ref(vpc),
        SecurityGroupEgress: [
          { IpProtocol: 'tcp', FromPort: 443, ToPort: 443, DestinationPrefixListId: 'pl-63a5400a' },
          { IpProtocol: 'tcp', FromPort: 443, ToPort: 443, DestinationPrefixListId: 'pl-02cd2c6b' },
          { IpProtocol: 'tcp', FromPort: 5432, ToPort: 5432, CidrIp: `10.${v}.0.0/16` },
          { IpProtocol: 'tcp', FromPort: 6379, ToPort: 6379, CidrIp: `10.${v}.0.0/16` },
          { IpProtocol: 'tcp', FromPort: 8080, ToPort: 8080, CidrIp: `10.${v}.0.0/16` },
          { IpProtocol: 'udp', FromPort: 53, ToPort: 53, CidrIp: `10.${v}.0.2/32` },
          { IpProtocol: 'tcp', FromPort: 9000 + g, ToPort: 9000 + g, CidrIp: '192.168.0.0/16' },
          { IpProtocol: 'tcp', FromPort: 3306, ToPort: 3306, CidrIp: `10.${v}.0.0/16` },
        ],
      });
      // Only odd groups may talk to the interface endpoints (the even ones are blocked by SG egress).
      if (g % 2 === 1) {
        add(`${group}ToEndpoints`, 'AWS::EC2::SecurityGroupEgress', {
          GroupId: getAtt(group, 'GroupId'),
          IpProtocol: 'tcp',
          FromPort: 443,
          ToPort: 443,
          DestinationSecurityGroupId: getAtt(`${p}EndpointSg`, 'GroupId'),
        });
      } else {
        add(`${group}ToNothing`, 'AWS::EC2::SecurityGroupEgress', {
          GroupId: getAtt(group, 'GroupId'),
          IpProtocol: 'tcp',
          FromPort: 22,
          ToPort: 22,
          CidrIp: '10.255.255.255/32',
        });
      }
      add(`${group}IntoEndpoints`, 'AWS::EC2::SecurityGroupIngress', {
        GroupId: getAtt(`${p}EndpointSg`, 'GroupId'),
        IpProtocol: 'tcp',
        FromPort: 443,
        ToPort: 443,
        SourceSecurityGroupId: getAtt(group, 'GroupId'),
      });
    }

    add(`${p}Role`, 'AWS::IAM::Role', {
      AssumeRolePolicyDocument: {
        Version: '2012-10-17',
        Statement: [
          { Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' },
        ],
      },
    });
    for (let w = 0; w < shape.workloadsPerVpc; w += 1) {
      add(`${p}Fn${w}`, 'AWS::Lambda::Function', {
        Runtime: 'nodejs20.x',
        Handler: 'index.handler',
        Role: getAtt(`${p}Role`, 'Arn'),
        Code: { ZipFile: 'exports.handler = async () => 1;' },
        VpcConfig: {
          SubnetIds: [ref(subnets[w % subnets.length])],
          SecurityGroupIds: [ref(`${p}Sg${w % shape.groupsPerVpc}`)],
        },
      });
    }
  }
  return {
    AWSTemplateFormatVersion: '2010-09-09',
    Description: `Generated estate: ${JSON.stringify(shape)}`,
    Resources: resources,
  };
}
