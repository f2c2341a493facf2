import { Construct } from 'constructs';
import { RemovalPolicy } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as logs from 'aws-cdk-lib/aws-logs';
import { FLOW_LOG_FIELDS } from '../../src/network/flow-logs.ts';

/** Every v5 field, in AWS's custom-format syntax; the tracer and the twin read the same list. */
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
