/**
 * Loader benchmark: generates a 50,000-resource JSON template (200 VPCs × 250 resources, dense in
 * Ref/GetAtt/Sub like CDK output) and prints the time to load it and the peak RSS.
 * Usage: node --import tsx bench/load.ts [--vpcs 200]
 */
import { loadTemplateText } from '../src/cloudformation/load.ts';

type Json = Record<string, unknown>;
const ref = (id: string): Json => ({ Ref: id });
const getAtt = (id: string, attribute: string): Json => ({ 'Fn::GetAtt': [id, attribute] });

const SUBNETS = 20;
const GROUPS = 10;
const WORKLOADS = 50;

/** 250 resources per VPC. */
function generate(vpcs: number): Json {
  const resources: Json = {};
  const add = (id: string, type: string, properties: Json, extra: Json = {}): void => {
    resources[id] = { Type: type, Properties: properties, ...extra };
  };
  for (let v = 0; v < vpcs; v++) {
    const p = `V${v}`;
    add(`${p}Vpc`, 'AWS::EC2::VPC', { CidrBlock: `10.${v % 256}.0.0/16`, EnableDnsHostnames: true });
    add(`${p}Igw`, 'AWS::EC2::InternetGateway', {});
    add(`${p}Attach`, 'AWS::EC2::VPCGatewayAttachment', {
      VpcId: ref(`${p}Vpc`),
      InternetGatewayId: ref(`${p}Igw`),
    });
    add(`${p}PublicRt`, 'AWS::EC2::RouteTable', { VpcId: ref(`${p}Vpc`) });
    add(`${p}PrivateRt`, 'AWS::EC2::RouteTable', { VpcId: ref(`${p}Vpc`) });
    add(
      `${p}Route`,
      'AWS::EC2::Route',
      { RouteTableId: ref(`${p}PublicRt`), DestinationCidrBlock: '0.0.0.0/0', GatewayId: ref(`${p}Igw`) },
      { DependsOn: `${p}Attach` },
    );
    for (let s = 0; s < SUBNETS; s++) {
      add(`${p}Subnet${s}`, 'AWS::EC2::Subnet', {
        VpcId: ref(`${p}Vpc`),
        CidrBlock: { 'Fn::Select': [s, { 'Fn::Cidr': [getAtt(`${p}Vpc`, 'CidrBlock'), SUBNETS, 8] }] },
        AvailabilityZone: { 'Fn::Select': [s % 6, { 'Fn::GetAZs': '' }] },
      });
      add(`${p}Subnet${s}Assoc`, 'AWS::EC2::SubnetRouteTableAssociation', {
        SubnetId: ref(`${p}Subnet${s}`),
        RouteTableId: ref(s < 2 ? `${p}PublicRt` : `${p}PrivateRt`),
      });
    }
    add(`${p}Bucket`, 'AWS::S3::Bucket', {});
    add(`${p}Table`, 'AWS::DynamoDB::Table', { KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }] });
    add(`${p}Secret`, 'AWS::SecretsManager::Secret', {
      Description: { 'Fn::Sub': 'secret of ${AWS::StackName} ${' + p + 'Vpc}' },
    });
    for (let g = 0; g < GROUPS; g++) {
      add(`${p}Sg${g}`, 'AWS::EC2::SecurityGroup', { GroupDescription: `group ${g}`, VpcId: ref(`${p}Vpc`) });
    }
    for (const service of ['s3', 'dynamodb']) {
      add(`${p}${service}Endpoint`, 'AWS::EC2::VPCEndpoint', {
        VpcId: ref(`${p}Vpc`),
        ServiceName: { 'Fn::Sub': `com.amazonaws.\${AWS::Region}.${service}` },
        RouteTableIds: [ref(`${p}PrivateRt`)],
        PolicyDocument: {
          Statement: [
            {
              Effect: 'Allow',
              Principal: '*',
              Action: '*',
              Resource: [getAtt(`${p}Bucket`, 'Arn'), { 'Fn::Sub': `\${${p}Bucket.Arn}/*` }],
            },
          ],
        },
      });
    }
    for (const service of ['secretsmanager', 'execute-api', 'kms']) {
      add(`${p}${service.replace('-', '')}Endpoint`, 'AWS::EC2::VPCEndpoint', {
        VpcEndpointType: 'Interface',
        VpcId: ref(`${p}Vpc`),
        ServiceName: { 'Fn::Join': ['', ['com.amazonaws.', ref('AWS::Region'), `.${service}`]] },
        SubnetIds: [ref(`${p}Subnet2`), ref(`${p}Subnet3`)],
        SecurityGroupIds: [getAtt(`${p}Sg0`, 'GroupId')],
        PrivateDnsEnabled: true,
      });
    }
    for (let r = 0; r < 50; r++) {
      add(`${p}Ingress${r}`, 'AWS::EC2::SecurityGroupIngress', {
        GroupId: getAtt(`${p}Sg${r % GROUPS}`, 'GroupId'),
        SourceSecurityGroupId: getAtt(`${p}Sg${(r + 1) % GROUPS}`, 'GroupId'),
        IpProtocol: 'tcp',
        FromPort: 443,
        ToPort: 443,
      });
    }
    for (let r = 0; r < 36; r++) {
      add(`${p}Egress${r}`, 'AWS::EC2::SecurityGroupEgress', {
        GroupId: getAtt(`${p}Sg${r % GROUPS}`, 'GroupId'),
        CidrIp: getAtt(`${p}Vpc`, 'CidrBlock'),
        IpProtocol: 'tcp',
        FromPort: 443,
        ToPort: 443,
      });
    }
    for (let w = 0; w < WORKLOADS; w++) {
      add(`${p}Role${w}`, 'AWS::IAM::Role', {
        AssumeRolePolicyDocument: {
          Statement: [
            { Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' },
          ],
        },
        Policies: [
          {
            PolicyName: 'data',
            PolicyDocument: {
              Statement: [
                { Effect: 'Allow', Action: ['dynamodb:GetItem'], Resource: getAtt(`${p}Table`, 'Arn') },
                {
                  Effect: 'Allow',
                  Action: ['s3:GetObject'],
                  Resource: { 'Fn::Join': ['', [getAtt(`${p}Bucket`, 'Arn'), '/*']] },
                },
                { Effect: 'Allow', Action: ['secretsmanager:GetSecretValue'], Resource: ref(`${p}Secret`) },
              ],
            },
          },
        ],
      });
      add(`${p}Fn${w}`, 'AWS::Lambda::Function', {
        Role: getAtt(`${p}Role${w}`, 'Arn'),
        Runtime: 'nodejs20.x',
        Handler: 'index.handler',
        Code: { S3Bucket: { 'Fn::Sub': 'assets-${AWS::AccountId}-${AWS::Region}' }, S3Key: `fn${w}.zip` },
        VpcConfig: {
          SubnetIds: [ref(`${p}Subnet${2 + (w % 18)}`)],
          SecurityGroupIds: [getAtt(`${p}Sg${w % GROUPS}`, 'GroupId')],
        },
        Environment: {
          Variables: { TABLE: ref(`${p}Table`), BUCKET: ref(`${p}Bucket`), SECRET: ref(`${p}Secret`) },
        },
      });
    }
  }
  return { AWSTemplateFormatVersion: '2010-09-09', Resources: resources };
}

const vpcsFlag = process.argv.indexOf('--vpcs');
const vpcs = vpcsFlag >= 0 ? Number(process.argv[vpcsFlag + 1]) : 200;
const text = JSON.stringify(generate(vpcs));
const rssBefore = process.resourceUsage().maxRSS;

// Wall time depends on what else the machine runs; CPU time (user + system) is the steadier figure.
const runs: Array<{ wall: number; cpu: number }> = [];
let resources = 0;
for (let run = 0; run < 3; run++) {
  const start = performance.now();
  const cpuStart = process.cpuUsage();
  const template = loadTemplateText(text, 'estate.json', { stackName: 'Estate' });
  const cpu = process.cpuUsage(cpuStart);
  runs.push({ wall: performance.now() - start, cpu: (cpu.user + cpu.system) / 1000 });
  resources = Object.keys(template.resources).length;
}
const best = runs.reduce((a, b) => (b.cpu < a.cpu ? b : a));
const peakMb = process.resourceUsage().maxRSS / 1024;
console.log(
  `loaded ${resources} resources (${(text.length / 1e6).toFixed(1)} MB JSON): ` +
    `first run ${runs[0].wall.toFixed(0)} ms wall / ${runs[0].cpu.toFixed(0)} ms CPU, ` +
    `best of 3 ${best.wall.toFixed(0)} ms wall / ${best.cpu.toFixed(0)} ms CPU; ` +
    `peak RSS ${peakMb.toFixed(0)} MB (${(rssBefore / 1024).toFixed(0)} MB before loading)`,
);
