import { fileURLToPath } from 'node:url';
import { Construct } from 'constructs';
import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as nodejs from 'aws-cdk-lib/aws-lambda-nodejs';
import * as logs from 'aws-cdk-lib/aws-logs';
import { WORKLOAD_SUBNETS } from './network.ts';

const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** ESM bundles still meet CommonJS dependencies (pg): give them a `require`. */
const CREATE_REQUIRE_BANNER =
  "import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);";

/** Actions a VPC Lambda's execution role needs to manage its ENIs (AWSLambdaVPCAccessExecutionRole). */
const VPC_ENI_ACTIONS = [
  'ec2:CreateNetworkInterface',
  'ec2:DescribeNetworkInterfaces',
  'ec2:DescribeSubnets',
  'ec2:DeleteNetworkInterface',
  'ec2:AssignPrivateIpAddresses',
  'ec2:UnassignPrivateIpAddresses',
];

export interface ServiceFunctionProps {
  readonly vpc: ec2.IVpc;
  /** Folder under `services/`, e.g. `product`. */
  readonly service: string;
  readonly description: string;
  readonly environment: Record<string, string>;
  readonly timeout?: Duration;
}

/**
 * One SecureCart service: its own role (inline policies only, no managed policies), its own security
 * group (no egress until the caller adds some), its own log group, in the isolated subnets.
 */
export class ServiceFunction extends Construct {
  readonly role: iam.Role;
  readonly securityGroup: ec2.SecurityGroup;
  readonly logGroup: logs.LogGroup;
  readonly function: nodejs.NodejsFunction;

  constructor(scope: Construct, id: string, props: ServiceFunctionProps) {
    super(scope, id);
    this.securityGroup = new ec2.SecurityGroup(this, 'SecurityGroup', {
      vpc: props.vpc,
      description: `SecureCart ${props.service} service`,
      allowAllOutbound: false,
    });
    this.logGroup = new logs.LogGroup(this, 'LogGroup', {
      retention: logs.RetentionDays.ONE_YEAR,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    this.role = new iam.Role(this, 'Role', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: `SecureCart ${props.service} service`,
    });
    this.role.addToPolicy(
      new iam.PolicyStatement({
        sid: 'WriteOwnLogs',
        actions: ['logs:CreateLogStream', 'logs:PutLogEvents'],
        resources: [this.logGroup.logGroupArn],
      }),
    );
    this.role.addToPolicy(
      new iam.PolicyStatement({ sid: 'ManageVpcEnis', actions: VPC_ENI_ACTIONS, resources: ['*'] }),
    );
    this.function = new nodejs.NodejsFunction(this, 'Function', {
      entry: `${REPO_ROOT}services/${props.service}/handler.ts`,
      handler: 'handler',
      projectRoot: REPO_ROOT,
      depsLockFilePath: `${REPO_ROOT}package-lock.json`,
      description: props.description,
      runtime: lambda.Runtime.NODEJS_24_X,
      architecture: lambda.Architecture.ARM_64,
      memorySize: 256,
      timeout: props.timeout ?? Duration.seconds(10),
      role: this.role,
      logGroup: this.logGroup,
      vpc: props.vpc,
      vpcSubnets: WORKLOAD_SUBNETS,
      securityGroups: [this.securityGroup],
      environment: props.environment,
      bundling: {
        format: nodejs.OutputFormat.ESM,
        target: 'node22',
        banner: CREATE_REQUIRE_BANNER,
        mainFields: ['module', 'main'],
        // The runtime provides SDK v3; pg's optional native binding is never loaded.
        externalModules: ['@aws-sdk/*', 'pg-native'],
        forceDockerBundling: false,
        minify: true,
        sourceMap: false,
        logLevel: nodejs.LogLevel.WARNING,
      },
    });
  }

  /** Grant `actions` on exactly `resources` to this service's role. */
  allow(sid: string, actions: string[], resources: string[]): void {
    this.role.addToPolicy(new iam.PolicyStatement({ sid, actions, resources }));
  }

  /**
   * Keep an explicit "no traffic" inline egress rule on this service's security group. Needed when all
   * of its egress rules are separate AWS::EC2::SecurityGroupEgress resources (security-group peers):
   * CDK then renders no inline egress, and a group created without inline egress starts with EC2's
   * allow-all egress rule. The placeholder (CDK's own, ICMP 252/86 to 255.255.255.255/32) matches
   * nothing, so the group's egress is exactly the separate rules.
   */
  denyEgressExceptExplicitRules(): void {
    const group = this.securityGroup.node.defaultChild as ec2.CfnSecurityGroup;
    group.addPropertyOverride('SecurityGroupEgress', [
      {
        CidrIp: '255.255.255.255/32',
        Description: 'Disallow all traffic',
        IpProtocol: 'icmp',
        FromPort: 252,
        ToPort: 86,
      },
    ]);
  }

  /** HTTPS egress to an interface endpoint's security group (and the matching ingress there). */
  allowHttpsTo(endpointSecurityGroup: ec2.ISecurityGroup, why: string): void {
    this.securityGroup.connections.allowTo(endpointSecurityGroup, ec2.Port.tcp(443), why);
  }
}
