import type { SecureCartStack } from './securecart-stack.ts';

/** cdk-nag AwsSolutions suppressions, each with the reason it is acceptable here. */
export function applyNagSuppressions(_stack: SecureCartStack): void {}
