/**
 * The data-plane actions the access matrix expands wildcard grants into (`s3:Get*`, `dynamodb:*`,
 * `*`), by service and by the kind of resource each acts on. It is deliberately the calls an
 * application makes, not the full IAM action list: a matrix row is "can this workload do X to Y".
 */

/** What an action's resource ARN names. `any` = the action takes `*` (no resource-level permissions). */
export type ResourceKind =
  | 's3-bucket'
  | 's3-object'
  | 'dynamodb-table'
  | 'secret'
  | 'kms-key'
  | 'api'
  | 'sqs-queue'
  | 'sns-topic'
  | 'any';

export interface CatalogAction {
  /** Canonical `service:Action`. */
  readonly action: string;
  readonly kind: ResourceKind;
}

const CATALOG: Readonly<Record<string, readonly CatalogAction[]>> = {
  s3: [
    { action: 's3:GetObject', kind: 's3-object' },
    { action: 's3:PutObject', kind: 's3-object' },
    { action: 's3:DeleteObject', kind: 's3-object' },
    { action: 's3:ListBucket', kind: 's3-bucket' },
  ],
  dynamodb: [
    { action: 'dynamodb:GetItem', kind: 'dynamodb-table' },
    { action: 'dynamodb:PutItem', kind: 'dynamodb-table' },
    { action: 'dynamodb:UpdateItem', kind: 'dynamodb-table' },
    { action: 'dynamodb:DeleteItem', kind: 'dynamodb-table' },
    { action: 'dynamodb:Query', kind: 'dynamodb-table' },
    { action: 'dynamodb:Scan', kind: 'dynamodb-table' },
    { action: 'dynamodb:BatchGetItem', kind: 'dynamodb-table' },
    { action: 'dynamodb:BatchWriteItem', kind: 'dynamodb-table' },
    { action: 'dynamodb:DescribeTable', kind: 'dynamodb-table' },
  ],
  secretsmanager: [
    { action: 'secretsmanager:GetSecretValue', kind: 'secret' },
    { action: 'secretsmanager:DescribeSecret', kind: 'secret' },
    { action: 'secretsmanager:PutSecretValue', kind: 'secret' },
  ],
  kms: [
    { action: 'kms:Decrypt', kind: 'kms-key' },
    { action: 'kms:Encrypt', kind: 'kms-key' },
    { action: 'kms:GenerateDataKey', kind: 'kms-key' },
    { action: 'kms:DescribeKey', kind: 'kms-key' },
  ],
  'execute-api': [{ action: 'execute-api:Invoke', kind: 'api' }],
};

/** Actions a resource kind accepts, by lower-cased action name, for literal (non-wildcard) grants. */
const KIND_BY_ACTION = new Map<string, ResourceKind>();
for (const actions of Object.values(CATALOG))
  for (const entry of actions) KIND_BY_ACTION.set(entry.action.toLowerCase(), entry.kind);

/** The services that have gateway endpoints (free, route-table based). */
export const GATEWAY_ENDPOINT_SERVICES: ReadonlySet<string> = new Set(['s3', 'dynamodb']);

/** Services whose calls the matrix expands and the rules reason about (data services). */
export const DATA_SERVICES: ReadonlySet<string> = new Set(Object.keys(CATALOG));

export function catalogActions(service: string): readonly CatalogAction[] {
  return CATALOG[service] ?? [];
}

const ALL_ACTIONS: readonly CatalogAction[] = Object.values(CATALOG).flat();

/** All catalogued actions of every service. */
export function allCatalogActions(): readonly CatalogAction[] {
  return ALL_ACTIONS;
}

/**
 * The resource kind a literal action works on. Unknown actions of a data service default by
 * service (an S3 action not listed is taken to be an object action, the common case).
 */
export function resourceKindOf(action: string): ResourceKind {
  const known = KIND_BY_ACTION.get(action.toLowerCase());
  if (known) return known;
  const service = serviceOf(action);
  if (service === 's3') return /bucket/i.test(action) ? 's3-bucket' : 's3-object';
  if (service === 'dynamodb')
    return /^dynamodb:(describeendpoints|listtables)$/i.test(action) ? 'any' : 'dynamodb-table';
  if (service === 'secretsmanager')
    return /^secretsmanager:(listsecrets|getrandompassword)$/i.test(action) ? 'any' : 'secret';
  if (service === 'kms') return 'kms-key';
  if (service === 'execute-api') return 'api';
  // SQS and SNS are not expanded (not data services), but their actions (`sqs:*` included) name
  // a queue or a topic, so that a grant is tied to the template's queue or topic and its policy.
  if (service === 'sqs') return /^sqs:listqueues$/i.test(action) ? 'any' : 'sqs-queue';
  if (service === 'sns')
    return /^sns:(list(topics|subscriptions)$|.*(sms|phonenumber|platform|endpoint|originationnumber))/i.test(
      action,
    )
      ? 'any'
      : 'sns-topic';
  return 'any';
}

/** `s3:GetObject` → `s3`; `*` → `*`. */
export function serviceOf(action: string): string {
  const colon = action.indexOf(':');
  return colon < 0 ? action.toLowerCase() : action.slice(0, colon).toLowerCase();
}
