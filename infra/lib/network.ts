import { Construct } from 'constructs';
import * as ec2 from 'aws-cdk-lib/aws-ec2';

/** Where SecureCart's workloads run: isolated subnets only, so no route to the internet exists. */
export const WORKLOAD_SUBNETS: ec2.SubnetSelection = { subnetType: ec2.SubnetType.PRIVATE_ISOLATED };

/**
 * The VPC: two AZs, isolated subnets only. `natGateways: 0` alone would still create public
 * subnets and an internet gateway; listing only PRIVATE_ISOLATED subnets is what removes them.
 */
export class Network extends Construct {
  readonly vpc: ec2.Vpc;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    this.vpc = new ec2.Vpc(this, 'Vpc', {
      ipAddresses: ec2.IpAddresses.cidr('10.20.0.0/16'),
      maxAzs: 2,
      natGateways: 0,
      subnetConfiguration: [{ name: 'isolated', subnetType: ec2.SubnetType.PRIVATE_ISOLATED, cidrMask: 24 }],
      // Interface endpoints' private DNS needs both.
      enableDnsSupport: true,
      enableDnsHostnames: true,
      // Every ENI in this VPC has an explicit security group; the default SG is attached to nothing.
      // Restricting it would add a custom-resource Lambda outside the VPC.
      restrictDefaultSecurityGroup: false,
    });
  }
}
