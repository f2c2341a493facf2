import { Construct } from 'constructs';
import { RemovalPolicy } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as logs from 'aws-cdk-lib/aws-logs';

/** VPC Flow Logs v5 fields, in AWS's custom-format syntax (space-separated, `-` for n/a). */
export const FLOW_LOG_FIELDS = [
  'version',
  'account-id',
  'interface-id',
  'srcaddr',
  'dstaddr',
  'srcport',
  'dstport',
  'protocol',
  'packets',
  'bytes',
  'start',
  'end',
  'action',
  'log-status',
  'vpc-id',
  'subnet-id',
  'instance-id',
  'tcp-flags',
  'type',
  'pkt-srcaddr',
  'pkt-dstaddr',
  'region',
  'az-id',
  'sublocation-type',
  'sublocation-id',
  'pkt-src-aws-service',
  'pkt-dst-aws-service',
  'flow-direction',
  'traffic-path',
] as const;

export const FLOW_LOG_FORMAT = FLOW_LOG_FIELDS.map((field) => `\${${field}}`).join(' ');

export interface AuditProps {
  readonly vpc: ec2.IVpc;
}

/** Flow logs for the whole VPC (ALL traffic) to CloudWatch Logs, kept one year, for security audits. */
export class Audit extends Construct {
  readonly flowLogGroup: logs.LogGroup;
  readonly flowLog: ec2.FlowLog;

  constructor(scope: Construct, id: string, props: AuditProps) {
    super(scope, id);
    this.flowLogGroup = new logs.LogGroup(this, 'FlowLogGroup', {
      retention: logs.RetentionDays.ONE_YEAR,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    const deliveryRole = new iam.Role(this, 'FlowLogDeliveryRole', {
      assumedBy: new iam.ServicePrincipal('vpc-flow-logs.amazonaws.com'),
      description: 'Delivers SecureCart VPC flow logs to their CloudWatch log group',
    });
    this.flowLog = new ec2.FlowLog(this, 'VpcFlowLog', {
      resourceType: ec2.FlowLogResourceType.fromVpc(props.vpc),
      trafficType: ec2.FlowLogTrafficType.ALL,
      destination: ec2.FlowLogDestination.toCloudWatchLogs(this.flowLogGroup, deliveryRole),
      logFormat: [ec2.LogFormat.custom(FLOW_LOG_FORMAT)],
      maxAggregationInterval: ec2.FlowLogMaxAggregationInterval.ONE_MINUTE,
    });
  }
}
