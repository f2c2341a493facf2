/**
 * A Node.js function with its code inline in the template (Code.ZipFile) runs in the twin as on
 * AWS: CloudFormation's `index.js`, a CommonJS module, even inside a folder whose package.json
 * says "type": "module" (this repository's). A Python function is named as not run, with why.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Twin } from '../../src/twin/twin.ts';
import { lambdaRole, startTemplateTwin, type TemplateTwin } from './template-twin.ts';

const TEMPLATE = `
Resources:${lambdaRole()}
  Inline:
    Type: AWS::Lambda::Function
    Properties:
      Runtime: nodejs20.x
      Handler: index.handler
      Role: !GetAtt Role.Arn
      Code:
        ZipFile: |
          const os = require('node:os');
          exports.handler = async (event) => ({
            statusCode: 200,
            body: JSON.stringify({ path: event.path, commonjs: typeof module === 'object', os: typeof os.EOL }),
          });
  PythonFn:
    Type: AWS::Lambda::Function
    Properties:
      Runtime: python3.12
      Handler: index.handler
      Role: !GetAtt Role.Arn
      Code:
        ZipFile: "def handler(event, context):\\n    return {}\\n"
  Api: {Type: AWS::ApiGateway::RestApi, Properties: {Name: inline}}
  Hello: {Type: AWS::ApiGateway::Resource, Properties: {RestApiId: !Ref Api, ParentId: !GetAtt Api.RootResourceId, PathPart: hello}}
  GetHello:
    Type: AWS::ApiGateway::Method
    Properties:
      RestApiId: !Ref Api
      ResourceId: !Ref Hello
      HttpMethod: GET
      AuthorizationType: NONE
      Integration:
        Type: AWS_PROXY
        IntegrationHttpMethod: POST
        Uri: !Sub 'arn:aws:apigateway:\${AWS::Region}:lambda:path/2015-03-31/functions/\${Inline.Arn}/invocations'
  Deployment: {Type: AWS::ApiGateway::Deployment, DependsOn: GetHello, Properties: {RestApiId: !Ref Api}}
  Stage: {Type: AWS::ApiGateway::Stage, Properties: {RestApiId: !Ref Api, DeploymentId: !Ref Deployment, StageName: prod}}
  Permission:
    Type: AWS::Lambda::Permission
    Properties: {FunctionName: !Ref Inline, Action: lambda:InvokeFunction, Principal: apigateway.amazonaws.com}
`;

let twin: Twin;
let running: TemplateTwin | undefined;

before(async () => {
  // Inside the repository, under its package.json ("type": "module"), as `npm start`'s .data is.
  running = await startTemplateTwin(TEMPLATE, '.tmp-inline-code-', { parent: process.cwd() });
  twin = running.twin;
});

after(async () => {
  await running?.stop();
});

describe('inline function code', () => {
  it('a Node.js ZipFile function answers through the public API, as a CommonJS module', async () => {
    const api = twin.state.apis.Api;
    const response = await fetch(
      `${twin.state.internet.endpoint}/restapis/${api.id}/${api.stage}/_user_request_/hello`,
    );
    assert.equal(response.status, 200, await response.clone().text());
    assert.deepEqual(await response.json(), { path: '/hello', commonjs: true, os: 'string' });
  });

  it('a Python function is named as not run, with the reason', () => {
    assert.ok(
      twin.boot.warnings.includes(
        'PythonFn: not run by the twin (runtime python3.12: the twin runs Node.js handlers only)',
      ),
      twin.boot.warnings.join('\n'),
    );
  });
});
