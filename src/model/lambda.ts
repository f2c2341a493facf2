/**
 * Lambda functions (AWS::Lambda::Function) and SAM functions (AWS::Serverless::Function): where
 * they run (VpcConfig, or outside any VPC), as whom (Role), and what they run (code, handler).
 */
import type { BuildContext } from './context.ts';
import { type Ref, num, obj, str } from './refs.ts';

export interface LambdaCode {
  readonly s3Bucket?: string;
  readonly s3Key?: string;
  readonly zipFile?: string;
  readonly imageUri?: string;
  /** CDK's `Metadata['aws:asset:path']` (the bundled asset directory under cdk.out). */
  readonly assetPath?: string;
  /** SAM CodeUri when it is a local path. */
  readonly codeUri?: string;
}

export interface LambdaFunction {
  readonly logicalId: string;
  readonly kind: 'lambda' | 'sam-function';
  readonly name: string;
  readonly arn?: string;
  /** The execution role; for SAM without Role, the role SAM generates (`<LogicalId>Role`). */
  readonly role?: Ref;
  readonly roleArn?: string;
  /** SAM `Policies` (kept raw) when SAM generates the role. */
  readonly samPolicies?: unknown;
  /** Undefined when the function runs outside any VPC (no VpcConfig or an empty one). */
  readonly vpcConfig?: { readonly subnets: Ref[]; readonly securityGroups: Ref[] };
  readonly environment: Record<string, unknown>;
  readonly handler?: string;
  readonly runtime?: string;
  readonly code: LambdaCode;
  /** @default 128 */
  readonly memorySize: number;
  /** @default 3 seconds */
  readonly timeout: number;
}

export function buildFunctions(ctx: BuildContext): Map<string, LambdaFunction> {
  const functions = new Map<string, LambdaFunction>();
  for (const resource of ctx.ofType('AWS::Lambda::Function', 'AWS::Serverless::Function')) {
    const props = resource.properties;
    const sam = resource.type === 'AWS::Serverless::Function';
    const vpcConfig = obj(props.VpcConfig);
    const subnets = ctx.index('subnet').refs(vpcConfig?.SubnetIds, 'VpcConfig.SubnetIds');
    const securityGroups = ctx
      .index('securityGroup')
      .refs(vpcConfig?.SecurityGroupIds, 'VpcConfig.SecurityGroupIds');
    const code = obj(props.Code) ?? {};
    const metadata = obj(resource.metadata);
    const codeUri = props.CodeUri;
    const role = props.Role !== undefined ? ctx.index('role').ref(props.Role, 'Role') : undefined;
    functions.set(resource.logicalId, {
      logicalId: resource.logicalId,
      kind: sam ? 'sam-function' : 'lambda',
      name: resource.physicalId,
      arn: str(resource.attributes.Arn),
      role:
        role ??
        (sam
          ? {
              kind: 'unresolved',
              reason: `SAM generates the role ${resource.logicalId}Role at transform time`,
            }
          : undefined),
      roleArn: role?.kind === 'unresolved' ? undefined : str(props.Role),
      samPolicies: sam ? props.Policies : undefined,
      vpcConfig: subnets.length > 0 ? { subnets, securityGroups } : undefined,
      environment: obj(obj(props.Environment)?.Variables) ?? {},
      handler: str(props.Handler),
      runtime: str(props.Runtime),
      code: {
        s3Bucket: str(code.S3Bucket) ?? str(obj(codeUri)?.Bucket),
        s3Key: str(code.S3Key) ?? str(obj(codeUri)?.Key),
        zipFile: str(code.ZipFile) ?? str(props.InlineCode),
        imageUri: str(code.ImageUri) ?? str(props.ImageUri),
        assetPath: str(metadata?.['aws:asset:path']),
        codeUri: str(codeUri),
      },
      memorySize: num(props.MemorySize) ?? 128,
      timeout: num(props.Timeout) ?? 3,
    });
  }
  return functions;
}
