export { ApiGatewayEmulator, type IntegrationLog } from './plugin.ts';
export {
  classifyExecuteApi,
  apiArnPrefix,
  type ExecuteApiClassified,
  type RouteOutcome,
} from './classify.ts';
export { buildProxyEvent, type ExecuteApiCaller } from './proxy-event.ts';
export { mapProxyResult } from './proxy-response.ts';
export { accessDeniedMessage, denyResponse, wafFiltered } from './responses.ts';
export { locateTarget, requestHost, ORIGINAL_HOST_HEADER, type RequestTarget } from './request-target.ts';
export { Router, type RouteMatch } from './router.ts';
export type {
  ApiKeyDef,
  AuthorizerDef,
  EndpointType,
  IntegrationDef,
  IntegrationResponseDef,
  MockIntegrationDef,
  InvokePermission,
  LambdaInvoker,
  MethodDef,
  ResourceDef,
  RestApiDef,
  RequestValidationDef,
  UsagePlanDef,
  UsagePlanThrottleDef,
  WebAclDef,
  WebAclRuleDef,
} from './types.ts';
export { invokeUrl, localInvokeUrl } from './urls.ts';
