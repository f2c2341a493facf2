/**
 * A method's request validation as the template declares it: the method's `RequestValidatorId`
 * names an `AWS::ApiGateway::RequestValidator` (ValidateRequestBody, ValidateRequestParameters);
 * the required parameters are the method's `RequestParameters` set to true; the body's schemas are
 * the `AWS::ApiGateway::Model`s its `RequestModels` name per content type. What cannot be found is
 * said in a warning, and that part is not validated.
 */
import type { Template } from '../cloudformation/types.ts';
import type { RequestValidationDef } from '../emulators/apigateway/index.ts';
import { bool, obj, str } from '../model/refs.ts';
import { RequestValidator } from '../emulators/apigateway/request-validation.ts';
import { UserError } from '../cli/user-error.ts';

/** The resource of `type` whose physical id (what Ref returns) is `id`. */
function byPhysicalId(template: Template, type: string, id: string) {
  return Object.values(template.resources).find((r) => r.type === type && r.physicalId === id);
}

function schemaOf(value: unknown): object | undefined {
  if (typeof value === 'string') {
    try {
      return obj(JSON.parse(value));
    } catch {
      return undefined;
    }
  }
  return obj(value);
}

/** The schema, or a boot error naming the model when it is not a JSON Schema API Gateway could use. */
function checkedSchema(template: Template, modelLogicalId: string, schema: object): object {
  try {
    new RequestValidator({ requiredParameters: [], bodyModels: { check: schema } });
  } catch (error) {
    throw new UserError(
      `the twin cannot create this AWS::ApiGateway::Model: its Schema is not a valid JSON Schema (draft 4): ${(error as Error).message}. API Gateway refuses such a model too; fix the Schema.`,
      { file: template.file, logicalId: modelLogicalId, pointer: '/Properties/Schema' },
    );
  }
  return schema;
}

export function methodValidation(
  template: Template,
  methodLogicalId: string,
  warnings: string[],
): RequestValidationDef | undefined {
  const props = template.resources[methodLogicalId]?.properties ?? {};
  const validatorId = str(props.RequestValidatorId);
  if (validatorId === undefined) return undefined;
  const validator = byPhysicalId(template, 'AWS::ApiGateway::RequestValidator', validatorId);
  if (!validator) {
    warnings.push(
      `${methodLogicalId}: request validator ${validatorId} is not in the template; requests are not validated`,
    );
    return undefined;
  }
  const validateParameters = bool(validator.properties.ValidateRequestParameters) === true;
  const validateBody = bool(validator.properties.ValidateRequestBody) === true;
  const requiredParameters = validateParameters
    ? Object.entries(obj(props.RequestParameters) ?? {})
        .filter(([, required]) => bool(required) === true)
        .map(([name]) => name)
    : [];
  let bodyModels: Record<string, object> | undefined;
  if (validateBody) {
    bodyModels = {};
    for (const [contentType, modelName] of Object.entries(obj(props.RequestModels) ?? {})) {
      const model = byPhysicalId(template, 'AWS::ApiGateway::Model', str(modelName) ?? '');
      const schema = schemaOf(model?.properties.Schema);
      if (schema && model) bodyModels[contentType] = checkedSchema(template, model.logicalId, schema);
      else
        warnings.push(
          `${methodLogicalId}: model ${str(modelName) ?? '?'} for ${contentType} is not in the template (or has no schema); that body is not validated`,
        );
    }
  }
  if (requiredParameters.length === 0 && (!bodyModels || Object.keys(bodyModels).length === 0))
    return undefined;
  return { requiredParameters, bodyModels };
}
