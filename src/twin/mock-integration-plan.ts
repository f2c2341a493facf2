/**
 * A MOCK method's integration as the template declares it: an AWS::ApiGateway::Method's
 * `Integration.RequestTemplates`, `PassthroughBehavior`, `IntegrationResponses` and its
 * `MethodResponses`; for a method synthesized from an OpenAPI document, the model's `mockMapping`.
 * What the twin cannot run as written (VTL, a MOCK with neither templates nor responses, responses
 * API Gateway would refuse at deployment) is said in a boot warning.
 * Facts and sources: docs/runtime-semantics.md, "MOCK integrations (and CORS preflight)".
 */
import type { Template } from '../cloudformation/types.ts';
import type { MockIntegrationDef } from '../emulators/apigateway/index.ts';
import { staticStatusCode, usesVtl } from '../emulators/apigateway/mock-integration.ts';
import type { ApiMethod, MockMapping } from '../model/api-gateway.ts';
import { list, obj, str } from '../model/refs.ts';

const PASSTHROUGH = ['WHEN_NO_MATCH', 'WHEN_NO_TEMPLATES', 'NEVER'] as const;

function stringMap(value: unknown): Record<string, string> {
  return Object.fromEntries(
    Object.entries(obj(value) ?? {}).flatMap(([key, v]) => (typeof v === 'string' ? [[key, v]] : [])),
  );
}

/** An AWS::ApiGateway::Method's MOCK mapping, from its properties. */
export function templateMockMapping(props: Record<string, unknown>): MockMapping {
  const integration = obj(props.Integration);
  return {
    requestTemplates: stringMap(integration?.RequestTemplates),
    passthroughBehavior: str(integration?.PassthroughBehavior),
    integrationResponses: list(integration?.IntegrationResponses).map((item) => {
      const response = obj(item);
      return {
        statusCode: str(response?.StatusCode) ?? '',
        selectionPattern: str(response?.SelectionPattern),
        responseParameters: stringMap(response?.ResponseParameters),
        responseTemplates: stringMap(response?.ResponseTemplates),
      };
    }),
    methodResponses: list(props.MethodResponses).map((item) => {
      const response = obj(item);
      return {
        statusCode: str(response?.StatusCode) ?? '',
        parameters: Object.keys(obj(response?.ResponseParameters) ?? {}),
      };
    }),
  };
}

/**
 * The MOCK integration of `method` for the API Gateway emulator; undefined only for a method the
 * template does not describe (a hand-built definition). A MOCK with neither request templates nor
 * integration responses is run as written — API Gateway answers it 500 — and named in a warning.
 */
export function mockIntegrationPlan(
  template: Template,
  method: ApiMethod,
  warnings: string[],
): MockIntegrationDef | undefined {
  const mapping = method.synthesized
    ? method.mockMapping
    : templateMockMapping(template.resources[method.logicalId]?.properties ?? {});
  if (!mapping) return undefined;
  const id = method.logicalId;
  if (Object.keys(mapping.requestTemplates).length === 0 && mapping.integrationResponses.length === 0) {
    warnings.push(
      `${id}: MOCK integration without request templates or integration responses: API Gateway answers every call with 500 Internal server error (no status code to select a response); so does the twin`,
    );
  }
  const written = mapping.passthroughBehavior?.toUpperCase();
  const passthroughBehavior = PASSTHROUGH.find((p) => p === written);
  if (written !== undefined && !passthroughBehavior)
    warnings.push(
      `${id}: passthrough behavior ${mapping.passthroughBehavior} is unknown; WHEN_NO_MATCH is used`,
    );
  for (const [type, text] of Object.entries(mapping.requestTemplates)) {
    if (usesVtl(text))
      warnings.push(
        `${id}: the request template for ${type} uses VTL (VTL not evaluated by the twin): requests it serves answer 500 Internal server error`,
      );
    else if (staticStatusCode(text) === undefined)
      warnings.push(
        `${id}: the request template for ${type} yields no integer statusCode: requests it serves answer 500 Internal server error, as on AWS`,
      );
  }
  const declared = new Map(mapping.methodResponses.map((r) => [r.statusCode, r.parameters]));
  for (const response of mapping.integrationResponses) {
    const where = `${id}: integration response ${response.statusCode}`;
    if (response.selectionPattern) {
      try {
        new RegExp(response.selectionPattern);
      } catch {
        warnings.push(
          `${where}: selection pattern ${response.selectionPattern} is not a regular expression the twin can use; it never matches`,
        );
      }
    }
    const parameters = declared.get(response.statusCode);
    if (!parameters)
      warnings.push(
        `${where} has no method response ${response.statusCode}: API Gateway refuses it at deployment`,
      );
    for (const [target, source] of Object.entries(response.responseParameters)) {
      if (parameters && !parameters.some((p) => p.toLowerCase() === target.toLowerCase()))
        warnings.push(
          `${where}: ${target} is not declared by the method response: API Gateway refuses it at deployment`,
        );
      if (!/^'[^]*'$/.test(source) && !/^integration\.response\./i.test(source))
        warnings.push(`${where}: ${target} from ${source} is not mapped by the twin (left unset)`);
    }
    for (const [type, text] of Object.entries(response.responseTemplates))
      if (usesVtl(text))
        warnings.push(
          `${where}: the response template for ${type} uses VTL (VTL not evaluated by the twin): the body is sent empty`,
        );
  }
  return {
    requestTemplates: mapping.requestTemplates,
    passthroughBehavior,
    integrationResponses: mapping.integrationResponses.map((r) => ({
      statusCode: r.statusCode,
      selectionPattern: r.selectionPattern,
      responseParameters: r.responseParameters,
      responseTemplates: r.responseTemplates,
    })),
  };
}
