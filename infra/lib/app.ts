import { App, Aspects } from 'aws-cdk-lib';
import { WriteNagSuppressionsToCloudFormationAspect } from 'cdk-nag';
import { SecureCartStack, STACK_NAME } from './securecart-stack.ts';

/**
 * Feature flags this app relies on (there is no cdk.json: the app is synthesized in-process).
 * - S3 access logs are delivered under a bucket policy (logging.s3.amazonaws.com), not a legacy ACL.
 */
export const FEATURE_FLAGS = {
  '@aws-cdk/aws-s3:serverAccessLogsUseBucketPolicy': true,
} as const;

export interface BuildOptions {
  /**
   * Run CDK's built-in CloudFormation validation (schemas, dependency cycles) during synth.
   * It costs ~10-20 s on this machine, so `npm run synth` leaves it off and the nag test turns it on.
   * @default false
   */
  readonly validate?: boolean;
}

/** Build the CDK app with SecureCart's one stack. */
export function buildApp(outdir: string, options: BuildOptions = {}): { app: App; stack: SecureCartStack } {
  const app = new App({
    outdir,
    context: { ...FEATURE_FLAGS },
    builtinCloudFormationValidation: options.validate ?? false,
  });
  const stack = new SecureCartStack(app, STACK_NAME);
  // Record the cdk-nag acknowledgements in the template's Metadata (cdk_nag.rules_to_suppress): an audit trail.
  Aspects.of(app).add(new WriteNagSuppressionsToCloudFormationAspect());
  return { app, stack };
}
