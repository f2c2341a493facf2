/**
 * The STS emulator (query protocol): GetCallerIdentity, the first call anyone makes with a set of
 * credentials — a developer checking a profile, or an attacker checking stolen keys. AWS requires
 * no permission for it (an explicit deny cannot stop it), so it carries no authorization check;
 * the network path still applies: from an isolated subnet without an STS endpoint it never
 * arrives. Every other STS action is answered 501 NotImplemented rather than pretended.
 * Sources: docs/emulator-semantics.md "STS".
 */
import type {
  Caller,
  Classified,
  DenyKind,
  EmulatorPlugin,
  PluginContext,
  ServiceRequest,
  ServiceResponse,
} from '../plugin.ts';
import {
  queryDenial,
  queryError,
  queryMember,
  queryParameters,
  queryResponse,
} from '../common/query-protocol.ts';
import { callerUserId } from '../../policy/index.ts';

export const STS_NAMESPACE = 'https://sts.amazonaws.com/doc/2011-06-15/';

export class StsEmulator implements EmulatorPlugin {
  readonly service = 'sts';

  async start(_ctx: PluginContext): Promise<void> {
    // Nothing is stored: the caller's identity comes with each request.
  }

  async stop(): Promise<void> {}

  classify(req: ServiceRequest): Classified {
    const operation = queryParameters(req).get('Action') ?? 'Unknown';
    return {
      service: 'sts',
      operation,
      // GetCallerIdentity needs no permission; the others are not emulated, so nothing is decided.
      actions: [],
      resources: [],
      checks: [],
      policyArns: [],
      serviceKeys: {},
    };
  }

  async handle(req: ServiceRequest, caller: Caller): Promise<ServiceResponse> {
    const action = queryParameters(req).get('Action');
    if (action === undefined || action === null)
      return queryError(
        'MissingAction',
        'The request must contain the parameter Action.',
        400,
        STS_NAMESPACE,
      );
    if (action !== 'GetCallerIdentity') {
      return queryError(
        'NotImplemented',
        `The twin emulates only GetCallerIdentity of STS, not ${action}.`,
        501,
        STS_NAMESPACE,
      );
    }
    const userId = callerUserId(caller.principalArn, caller.accountId, caller.roleArn) ?? caller.accountId;
    return queryResponse(
      'GetCallerIdentity',
      STS_NAMESPACE,
      queryMember('Arn', caller.principalArn) +
        queryMember('UserId', userId) +
        queryMember('Account', caller.accountId),
    );
  }

  deny(kind: DenyKind, message: string, _req: ServiceRequest): ServiceResponse {
    return queryDenial(kind, message, STS_NAMESPACE);
  }

  error(code: string, message: string, status: number, _req: ServiceRequest): ServiceResponse {
    return queryError(code, message, status, STS_NAMESPACE);
  }

  resourcePolicy(_arn: string): string | undefined {
    return undefined;
  }
}
