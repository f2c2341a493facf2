/**
 * For tests that run the twin on a small template of their own: YAML fragments they share, and a
 * twin started on the template in a temp folder (ephemeral port, no demo data) whose stop also
 * removes the folder.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before } from 'node:test';
import { S3Client } from '@aws-sdk/client-s3';
import type { RequestRecord } from '../../src/twin/recorder.ts';
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
  return inlineFunction(name, EMPTY_HANDLER, { subnet });
}

/** Inline code for a handler that answers `{}`. */
export const EMPTY_HANDLER = 'exports.handler = async () => ({});';

export interface InlineFunctionOptions {
  /** Puts the function in this subnet (VpcConfig), in `securityGroup` (default `FnSg`). */
  readonly subnet?: string;
  readonly securityGroup?: string;
  /** More YAML lines of its `Properties`, each 6 spaces deep, after the others. */
  readonly properties?: string;
}

/** `name`, a Node.js function (AWS::Lambda::Function) running `code` inline (Code.ZipFile) as `Role`. */
export function inlineFunction(name: string, code: string, options: InlineFunctionOptions = {}): string {
  const { subnet, securityGroup = 'FnSg', properties = '' } = options;
  const vpc = subnet
    ? `\n      VpcConfig: {SubnetIds: [!Ref ${subnet}], SecurityGroupIds: [!Ref ${securityGroup}]}`
    : '';
  return nodeFunction(
    name,
    'AWS::Lambda::Function',
    `Code: {ZipFile: ${JSON.stringify(code)}}${vpc}`,
    properties,
  );
}

/**
 * `name`, a Node.js SAM function (AWS::Serverless::Function) running `code` inline (InlineCode) as
 * `Role`; `properties` are more YAML lines of its `Properties` (its `Events`, say), 6 spaces deep.
 */
export function samFunction(name: string, code: string, properties = ''): string {
  return nodeFunction(name, 'AWS::Serverless::Function', `InlineCode: ${JSON.stringify(code)}`, properties);
}

/** A Node.js function resource running as `Role`: `code` is its code line(s), `properties` more lines. */
function nodeFunction(name: string, type: string, code: string, properties: string): string {
  return `
  ${name}:
    Type: ${type}
    Properties:
      Runtime: nodejs20.x
      Handler: index.handler
      Role: !GetAtt Role.Arn
      ${code}${properties ? `\n${properties}` : ''}`;
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

export interface SuiteTwinOptions {
  readonly parent?: string;
  readonly twin?: Partial<TwinOptions>;
  /** Runs in the same `before` hook, once the twin has started. */
  readonly started?: (twin: Twin) => void | Promise<void>;
}

/**
 * The twin on `template` for the enclosing suite (or file): started by a `before` hook and stopped,
 * folder and all, by an `after` hook that this registers. Its `twin` is there once `before` ran.
 * (One hook each: at a file's top level, Node 20 runs a `before` as it is registered, so a second
 * `before` would not wait for the first.)
 */
export function suiteTwin(template: string, prefix: string, options: SuiteTwinOptions = {}): TemplateTwin {
  const { started, ...startOptions } = options;
  let running: TemplateTwin | undefined;
  const stop = async () => {
    const stopping = running;
    running = undefined;
    await stopping?.stop();
  };
  before(async () => {
    running = await startTemplateTwin(template, prefix, startOptions);
    await started?.(running.twin);
  });
  after(stop);
  return {
    get twin() {
      if (!running) throw new Error(`the twin on ${prefix}* is not running (read it from a hook or test)`);
      return running.twin;
    },
    stop,
  };
}

/** `suiteTwin(template, prefix, options)`, and every RequestRecord its twin records, in order. */
export function recordingTwin(
  template: string,
  prefix: string,
  options: SuiteTwinOptions = {},
): { running: TemplateTwin; records: RequestRecord[] } {
  const records: RequestRecord[] = [];
  const running = suiteTwin(template, prefix, {
    ...options,
    async started(twin) {
      twin.recorder.onRecord((record) => records.push(record));
      await options.started?.(twin);
    },
  });
  return { running, records };
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
