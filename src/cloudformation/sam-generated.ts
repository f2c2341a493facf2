/**
 * Names the SAM transform creates (ServerlessRestApi, `<Function>Role`, `<Api>Stage`…) that SAM
 * templates refer to without declaring them. The loader does not run the transform, so a reference
 * to one of them is an unresolved token, not a "Ref to nothing" error.
 */
export const SAM_TRANSFORM = 'AWS::Serverless-2016-10-31';

const IMPLICIT_APIS = ['ServerlessRestApi', 'ServerlessHttpApi'];

export function samGeneratedNames(
  transforms: readonly string[],
  declarations: Readonly<Record<string, { readonly Type: string }>>,
): (name: string) => boolean {
  if (!transforms.includes(SAM_TRANSFORM)) return () => false;
  const samIds = Object.entries(declarations)
    .filter(([, declaration]) => declaration.Type.startsWith('AWS::Serverless::'))
    .map(([logicalId]) => logicalId);
  return (name) =>
    IMPLICIT_APIS.some((api) => name.startsWith(api)) ||
    samIds.some((id) => name.length > id.length && name.startsWith(id));
}
