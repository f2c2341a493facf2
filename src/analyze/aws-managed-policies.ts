/**
 * The contents of a few AWS managed policies that workload roles commonly attach by ARN. A
 * template only names them; without their documents their grants would be invisible. Only
 * policies whose content AWS documents and that rarely change are listed.
 */

/** AmazonECSTaskExecutionRolePolicy: https://docs.aws.amazon.com/AmazonECS/latest/developerguide/task_execution_IAM_role.html */
const ECS_TASK_EXECUTION = {
  Version: '2012-10-17',
  Statement: [
    {
      Effect: 'Allow',
      Action: [
        'ecr:GetAuthorizationToken',
        'ecr:BatchCheckLayerAvailability',
        'ecr:GetDownloadUrlForLayer',
        'ecr:BatchGetImage',
        'logs:CreateLogStream',
        'logs:PutLogEvents',
      ],
      Resource: '*',
    },
  ],
};

const BY_NAME: Readonly<Record<string, unknown>> = {
  'service-role/AmazonECSTaskExecutionRolePolicy': ECS_TASK_EXECUTION,
};

/** The document of a known AWS managed policy, by ARN (`arn:<partition>:iam::aws:policy/<path/name>`). */
export function awsManagedPolicy(arn: string): unknown {
  const match = /^arn:[^:]+:iam::aws:policy\/(.+)$/.exec(arn);
  return match ? BY_NAME[match[1]] : undefined;
}
