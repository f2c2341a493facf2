/**
 * The policy engine's public face, used by the twin and the analyzer. Nothing here knows about HTTP,
 * CloudFormation or the network model.
 */
import type { CompiledPolicy } from './compile.ts';
import { compilePolicy } from './compile.ts';

export { compilePolicy } from './compile.ts';
export type { CompiledPolicy, CompileOptions } from './compile.ts';
export { evaluate } from './evaluate.ts';
export { DecisionMemo } from './decision-memo.ts';
export type { AuthorizationRequest, PolicySets } from './evaluate.ts';
export {
  buildContext,
  assumedRoleSessionArn,
  callerUserId,
  VPCE_ACCOUNT_SERVICES,
  VPCE_ORG_ID_SERVICES,
} from './context.ts';
export type { RequestFacts, NetworkPathFacts, PathKind, BuiltContext } from './context.ts';
export type { Decision, DecisionKind, MatchedStatement, PolicyKind } from './explain.ts';
export { PolicyValidationError } from './parse.ts';
export type { ApiGatewayOptions, ApiAuthorization } from './api-gateway.ts';
export type { RawContext, ContextValue } from './request-context.ts';

/**
 * The policy AWS attaches to a VPC endpoint created without one: full access.
 * https://docs.aws.amazon.com/vpc/latest/privatelink/vpc-endpoints-access.html#default-endpoint-policy
 */
export const DEFAULT_ENDPOINT_POLICY = Object.freeze({
  Statement: Object.freeze([Object.freeze({ Effect: 'Allow', Principal: '*', Action: '*', Resource: '*' })]),
});

/** The compiled default endpoint policy, for endpoints that have no policy document. */
export function defaultEndpointPolicy(name = 'default-endpoint-policy'): CompiledPolicy {
  return compilePolicy(DEFAULT_ENDPOINT_POLICY, name, 'endpoint');
}
