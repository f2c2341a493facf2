/**
 * The Lambda Invoke API through the twin, with the real SDK v3 LambdaClient acting as a workload
 * (its entry and session credentials from twin.json): the call is traced, authorized by the
 * caller's identity policy and the function's resource-based policy (the template's
 * AWS::Lambda::Permissions), runs the function in the twin's runtime and is audited as `Invoke`.
 */
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { InvokeCommand, LambdaClient, type InvokeCommandInput } from '@aws-sdk/client-lambda';
import { readAuditLog } from '../../src/twin/audit-log.ts';
import type { Twin } from '../../src/twin/twin.ts';
import { recordingTwin } from './template-twin.ts';

/**
 * `Caller` runs as CallerRole, whose identity policy allows lambda:InvokeFunction on Target (and
 * its versions and aliases), Failing (unqualified only) and the names `no-such-*`; `Other` runs as OtherRole, whose identity policy says nothing about Lambda, but
 * Target's permission names OtherRole. `Isolated` (CallerRole) sits in a subnet with no route
 * and no Lambda endpoint.
 */
const TEMPLATE = `
Resources:
  Vpc: {Type: AWS::EC2::VPC, Properties: {CidrBlock: 10.0.0.0/16}}
  IsolatedSubnet: {Type: AWS::EC2::Subnet, Properties: {VpcId: !Ref Vpc, CidrBlock: 10.0.2.0/24, AvailabilityZone: us-east-1a}}
  IsolatedRoutes: {Type: AWS::EC2::RouteTable, Properties: {VpcId: !Ref Vpc}}
  IsolatedAssociation: {Type: AWS::EC2::SubnetRouteTableAssociation, Properties: {SubnetId: !Ref IsolatedSubnet, RouteTableId: !Ref IsolatedRoutes}}
  FnSg: {Type: AWS::EC2::SecurityGroup, Properties: {GroupDescription: fn, VpcId: !Ref Vpc}}
  CallerRole:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument:
        Version: '2012-10-17'
        Statement: [{Effect: Allow, Principal: {Service: lambda.amazonaws.com}, Action: sts:AssumeRole}]
      Policies:
        - PolicyName: invoke
          PolicyDocument:
            Version: '2012-10-17'
            Statement:
              - {Effect: Allow, Action: lambda:InvokeFunction, Resource: [!GetAtt Target.Arn, !Sub '\${Target.Arn}:*', !GetAtt Failing.Arn]}
              - {Effect: Allow, Action: lambda:InvokeFunction, Resource: !Sub 'arn:aws:lambda:\${AWS::Region}:\${AWS::AccountId}:function:no-such-*'}
  OtherRole:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument:
        Version: '2012-10-17'
        Statement: [{Effect: Allow, Principal: {Service: lambda.amazonaws.com}, Action: sts:AssumeRole}]
  Caller:
    Type: AWS::Lambda::Function
    Properties:
      FunctionName: caller-fn
      Runtime: nodejs20.x
      Handler: index.handler
      Role: !GetAtt CallerRole.Arn
      Code: {ZipFile: "exports.handler = async () => ({});"}
  Other:
    Type: AWS::Lambda::Function
    Properties:
      FunctionName: other-fn
      Runtime: nodejs20.x
      Handler: index.handler
      Role: !GetAtt OtherRole.Arn
      Code: {ZipFile: "exports.handler = async () => ({});"}
  Isolated:
    Type: AWS::Lambda::Function
    Properties:
      FunctionName: isolated-fn
      Runtime: nodejs20.x
      Handler: index.handler
      Role: !GetAtt CallerRole.Arn
      Code: {ZipFile: "exports.handler = async () => ({});"}
      VpcConfig: {SubnetIds: [!Ref IsolatedSubnet], SecurityGroupIds: [!Ref FnSg]}
  Target:
    Type: AWS::Lambda::Function
    Properties:
      FunctionName: target-fn
      Runtime: nodejs20.x
      Handler: index.handler
      Role: !GetAtt OtherRole.Arn
      Code:
        ZipFile: |
          const fs = require('node:fs');
          exports.handler = async (event, context) => {
            if (event.touch) fs.writeFileSync(event.touch, 'ran');
            if (event.say) console.log('target says ' + event.say);
            return { echo: event, fn: context.functionName, version: context.functionVersion };
          };
  Failing:
    Type: AWS::Lambda::Function
    Properties:
      FunctionName: failing-fn
      Runtime: nodejs20.x
      Handler: index.handler
      Role: !GetAtt OtherRole.Arn
      Code: {ZipFile: "exports.handler = async () => { throw new TypeError('boom'); };"}
  TargetPermissionForOther:
    Type: AWS::Lambda::Permission
    Properties:
      FunctionName: !Ref Target
      Action: lambda:InvokeFunction
      Principal: !GetAtt OtherRole.Arn
`;

let twin: Twin;
let scratch: string;
const { records } = recordingTwin(TEMPLATE, 'twin-lambda-invoke-', {
  started(started) {
    twin = started;
    scratch = mkdtempSync(join(tmpdir(), 'lambda-invoke-scratch-'));
  },
});

after(() => {
  if (scratch) rmSync(scratch, { recursive: true, force: true });
});

/** A LambdaClient acting as `workload`, at its own entry. */
function lambdaAs(workload: string): LambdaClient {
  const w = twin.state.workloads[workload];
  return new LambdaClient({
    region: twin.state.region,
    endpoint: w.endpoint,
    maxAttempts: 1,
    credentials: {
      accessKeyId: w.accessKeyId,
      secretAccessKey: w.secretAccessKey,
      sessionToken: w.sessionToken,
    },
  });
}

function arnOf(logicalId: string): string {
  const fn = twin.boot.functions.find((f) => f.logicalId === logicalId);
  assert.ok(fn, logicalId);
  return fn.arn;
}

const json = (value: unknown) => new TextEncoder().encode(JSON.stringify(value));
const decode = (payload: Uint8Array | undefined) =>
  JSON.parse(new TextDecoder().decode(payload ?? new Uint8Array())) as Record<string, unknown>;
const statusOf = (error: unknown) =>
  (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;

describe('Lambda Invoke through the twin, as a workload', () => {
  it('RequestResponse allowed by the identity policy: 200, the function payload, $LATEST, audited as Invoke', async () => {
    const out = await lambdaAs('Caller').send(
      new InvokeCommand({ FunctionName: 'target-fn', Payload: json({ order: 42 }) }),
    );
    assert.equal(out.StatusCode, 200);
    assert.equal(out.FunctionError, undefined);
    assert.equal(out.ExecutedVersion, '$LATEST');
    assert.deepEqual(decode(out.Payload), { echo: { order: 42 }, fn: 'target-fn', version: '$LATEST' });
    const record = records.at(-1);
    assert.equal(record?.service, 'lambda');
    assert.equal(record?.operation, 'Invoke');
    assert.equal(record?.outcome, 'allowed');
    twin.recorder.flush();
    const event = readAuditLog(twin.state.auditLog).at(-1);
    assert.equal(event?.eventSource, 'lambda.amazonaws.com');
    assert.equal(event?.eventName, 'Invoke');
    assert.deepEqual(
      event?.resources.map((r) => r.ARN),
      [arnOf('Target')],
    );
  });

  for (const form of ['ARN', 'partial ARN', '$LATEST qualifier'] as const) {
    it(`names the function by ${form}`, async () => {
      const arn = arnOf('Target');
      const input: InvokeCommandInput =
        form === 'ARN'
          ? { FunctionName: arn }
          : form === 'partial ARN'
            ? { FunctionName: arn.split(':').slice(4).join(':') }
            : { FunctionName: 'target-fn', Qualifier: '$LATEST' };
      const out = await lambdaAs('Caller').send(new InvokeCommand({ ...input, Payload: json({ form }) }));
      assert.equal(out.StatusCode, 200);
      assert.deepEqual(decode(out.Payload).echo, { form });
    });
  }

  it('LogType Tail: LogResult is the base64 of the log: START, the console.log line, END, REPORT', async () => {
    const out = await lambdaAs('Caller').send(
      new InvokeCommand({ FunctionName: 'target-fn', LogType: 'Tail', Payload: json({ say: 'hello tail' }) }),
    );
    assert.equal(out.StatusCode, 200);
    assert.ok(out.LogResult, 'LogResult');
    const log = Buffer.from(out.LogResult, 'base64').toString('utf8');
    const requestId = out.$metadata.requestId;
    assert.ok(requestId);
    const lines = log.trimEnd().split('\n');
    assert.equal(lines[0], `START RequestId: ${requestId} Version: $LATEST`);
    // The runtime's console.log format: <time>\t<request id>\tINFO\t<message>.
    assert.match(lines[1], new RegExp(`^\\S+\\t${requestId}\\tINFO\\ttarget says hello tail$`));
    assert.equal(lines[2], `END RequestId: ${requestId}`);
    assert.match(
      lines[3],
      new RegExp(
        `^REPORT RequestId: ${requestId}\\tDuration: [\\d.]+ ms\\tBilled Duration: \\d+ ms\\tMemory Size: \\d+ MB`,
      ),
    );
    assert.equal(lines.length, 4, log);
    // Without LogType (None): no LogResult.
    const plain = await lambdaAs('Caller').send(
      new InvokeCommand({ FunctionName: 'target-fn', Payload: json({}) }),
    );
    assert.equal(plain.LogResult, undefined);
  });

  it('a function error: 200 with FunctionError Unhandled and the error document', async () => {
    const out = await lambdaAs('Caller').send(new InvokeCommand({ FunctionName: 'failing-fn' }));
    assert.equal(out.StatusCode, 200);
    assert.equal(out.FunctionError, 'Unhandled');
    const error = decode(out.Payload);
    assert.equal(error.errorType, 'TypeError');
    assert.equal(error.errorMessage, 'boom');
    assert.ok(Array.isArray(error.trace));
  });

  it('Event: 202 with an empty body at once, and the function runs on its own', async () => {
    const marker = join(scratch, 'event-ran');
    const out = await lambdaAs('Caller').send(
      new InvokeCommand({
        FunctionName: 'target-fn',
        InvocationType: 'Event',
        Payload: json({ touch: marker }),
      }),
    );
    assert.equal(out.StatusCode, 202);
    assert.equal(out.Payload?.length ?? 0, 0);
    const deadline = Date.now() + 10_000;
    while (!existsSync(marker) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    assert.ok(existsSync(marker), 'the Event invocation ran');
  });

  it('DryRun: 204 and the function does not run', async () => {
    const marker = join(scratch, 'dry-run-ran');
    const out = await lambdaAs('Caller').send(
      new InvokeCommand({
        FunctionName: 'target-fn',
        InvocationType: 'DryRun',
        Payload: json({ touch: marker }),
      }),
    );
    assert.equal(out.StatusCode, 204);
    await new Promise((r) => setTimeout(r, 300));
    assert.equal(existsSync(marker), false);
  });

  it('denied by identity (no identity policy allows, no permission names the caller): 403 AccessDeniedException in AWS wording', async () => {
    const error = await lambdaAs('Other')
      .send(new InvokeCommand({ FunctionName: 'failing-fn' }))
      .catch((e: unknown) => e);
    assert.equal((error as Error).name, 'AccessDeniedException');
    assert.equal(statusOf(error), 403);
    const principal = records.at(-1)?.principalArn;
    assert.match(principal ?? '', /^arn:aws:sts::\d{12}:assumed-role\//);
    assert.equal(
      (error as Error).message,
      `User: ${principal} is not authorized to perform: lambda:InvokeFunction on resource: ${arnOf('Failing')} because no identity-based policy allows the lambda:InvokeFunction action`,
    );
    assert.equal(records.at(-1)?.outcome, 'denied');
  });

  it("allowed by the function's permission naming the caller's role though its identity policy is silent (same account)", async () => {
    const out = await lambdaAs('Other').send(
      new InvokeCommand({ FunctionName: 'target-fn', Payload: json({}) }),
    );
    assert.equal(out.StatusCode, 200);
    assert.equal(decode(out.Payload).fn, 'target-fn');
  });

  it('an unknown function: 404 ResourceNotFoundException "Function not found: <arn>"', async () => {
    const error = await lambdaAs('Caller')
      .send(new InvokeCommand({ FunctionName: 'no-such-fn' }))
      .catch((e: unknown) => e);
    assert.equal((error as Error).name, 'ResourceNotFoundException');
    assert.equal(statusOf(error), 404);
    const arn = arnOf('Target').replace(/target-fn$/, 'no-such-fn');
    assert.equal((error as Error).message, `Function not found: ${arn}`);
    assert.equal((error as { Type?: string }).Type, 'User');
  });

  it('a name its identity policy does not cover is denied before anything says whether it exists', async () => {
    const error = await lambdaAs('Other')
      .send(new InvokeCommand({ FunctionName: 'no-such-fn' }))
      .catch((e: unknown) => e);
    assert.equal((error as Error).name, 'AccessDeniedException');
  });

  it('a qualifier other than $LATEST: 404 naming the qualified ARN (the twin runs $LATEST only)', async () => {
    const error = await lambdaAs('Caller')
      .send(new InvokeCommand({ FunctionName: 'target-fn', Qualifier: 'live' }))
      .catch((e: unknown) => e);
    assert.equal((error as Error).name, 'ResourceNotFoundException');
    assert.equal((error as Error).message, `Function not found: ${arnOf('Target')}:live`);
  });

  it('a qualified invocation is authorized on the qualified ARN: an unqualified Resource does not cover it', async () => {
    const error = await lambdaAs('Caller')
      .send(new InvokeCommand({ FunctionName: 'failing-fn:$LATEST' }))
      .catch((e: unknown) => e);
    assert.equal((error as Error).name, 'AccessDeniedException');
    assert.match((error as Error).message, /on resource: arn:aws:lambda:[^ ]+:function:failing-fn:\$LATEST /);
  });

  it('from an isolated subnet without a Lambda endpoint: connection reset, audited as blocked', async () => {
    const error = await lambdaAs('Isolated')
      .send(new InvokeCommand({ FunctionName: 'target-fn' }))
      .catch((e: unknown) => e);
    assert.ok(error instanceof Error);
    assert.match(String((error as { code?: string }).code ?? error.message), /ECONNRESET|socket hang up/);
    const record = records.at(-1);
    assert.equal(record?.service, 'lambda');
    assert.equal(record?.operation, 'Invoke');
    assert.equal(record?.outcome, 'blocked');
    assert.match(record?.blockedBy ?? '', /route-table .*no route/);
  });
});
