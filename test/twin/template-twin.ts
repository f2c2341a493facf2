/**
 * For tests that run the twin on a small template of their own: YAML fragments they share, and a
 * twin started on the template in a temp folder (ephemeral port, no demo data) whose stop also
 * removes the folder.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { S3Client } from '@aws-sdk/client-s3';
import { startTwin, type Twin, type TwinOptions } from '../../src/twin/twin.ts';

/** `Role`, assumable by Lambda; `policies` is YAML for its `Policies:` list items (8 spaces deep). */
export function lambdaRole(policies = ''): string {
  return `
  Role:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument:
        Version: '2012-10-17'
        Statement: [{Effect: Allow, Principal: {Service: lambda.amazonaws.com}, Action: sts:AssumeRole}]${policies ? `\n      Policies:\n${policies}` : ''}`;
}

/**
 * A VPC with one subnet and an S3 gateway endpoint (`S3Endpoint`) on its route table, and `Fn`, a
 * Node.js function with inline code in that subnet, running as `Role` (`lambdaRole(policies)`).
 */
export function vpcWithFunction(policies = ''): string {
  return `
  Vpc: {Type: AWS::EC2::VPC, Properties: {CidrBlock: 10.0.0.0/16}}
  Subnet: {Type: AWS::EC2::Subnet, Properties: {VpcId: !Ref Vpc, CidrBlock: 10.0.1.0/24, AvailabilityZone: us-east-1a}}
  Routes: {Type: AWS::EC2::RouteTable, Properties: {VpcId: !Ref Vpc}}
  Association: {Type: AWS::EC2::SubnetRouteTableAssociation, Properties: {SubnetId: !Ref Subnet, RouteTableId: !Ref Routes}}
  S3Endpoint:
    Type: AWS::EC2::VPCEndpoint
    Properties: {VpcId: !Ref Vpc, ServiceName: com.amazonaws.us-east-1.s3, RouteTableIds: [!Ref Routes]}
  FnSg: {Type: AWS::EC2::SecurityGroup, Properties: {GroupDescription: fn, VpcId: !Ref Vpc}}${lambdaRole(policies)}${vpcFunction('Fn', 'Subnet')}`;
}

/** A Node.js function `name` with inline code in `subnet`, in security group `FnSg`, running as `Role`. */
export function vpcFunction(name: string, subnet: string): string {
  return `
  ${name}:
    Type: AWS::Lambda::Function
    Properties:
      Runtime: nodejs20.x
      Handler: index.handler
      Role: !GetAtt Role.Arn
      Code: {ZipFile: "exports.handler = async () => ({});"}
      VpcConfig: {SubnetIds: [!Ref ${subnet}], SecurityGroupIds: [!Ref FnSg]}`;
}

export interface TemplateTwin {
  readonly twin: Twin;
  /** Stops the twin and removes its folder. */
  stop(): Promise<void>;
}

/**
 * The twin on `template`, in a new folder named after `prefix` under `parent` (default: the OS
 * temp dir; a test that needs this repository's package.json above it passes the repository).
 */
export async function startTemplateTwin(
  template: string,
  prefix: string,
  options: { parent?: string; twin?: Partial<TwinOptions> } = {},
): Promise<TemplateTwin> {
  const dir = mkdtempSync(join(options.parent ?? tmpdir(), prefix));
  writeFileSync(join(dir, 'template.yaml'), template);
  const remove = () => rmSync(dir, { recursive: true, force: true });
  let twin: Twin;
  try {
    twin = await startTwin({
      templateFile: join(dir, 'template.yaml'),
      dataDir: join(dir, 'data'),
      port: 0,
      seedDir: null,
      ...options.twin,
    });
  } catch (error) {
    remove();
    throw error;
  }
  return {
    twin,
    async stop() {
      await twin.stop();
      remove();
    },
  };
}

/** An SDK v3 S3 client acting as `workload` (its entry and session credentials), path-style. */
export function s3ClientAs(twin: Twin, workload: string): S3Client {
  const w = twin.state.workloads[workload];
  return new S3Client({
    region: twin.state.region,
    endpoint: w.endpoint,
    forcePathStyle: true,
    maxAttempts: 1,
    credentials: {
      accessKeyId: w.accessKeyId,
      secretAccessKey: w.secretAccessKey,
      sessionToken: w.sessionToken,
    },
  });
}
