/**
 * The contract between the template loader and everything above it (model, twin, analyzer).
 * A loaded template has every intrinsic resolved to plain JSON values, except what cannot be
 * known before deployment, which stays an explicit {@link Unresolved} token.
 */

/** Options for loading a template. */
export interface LoadOptions {
  /** Parameter overrides (`--param Key=Value`). */
  readonly parameters?: Readonly<Record<string, string>>;
  /** @default 'us-east-1' */
  readonly region?: string;
  /** @default '123456789012' */
  readonly accountId?: string;
  /** @default the file's base name without extension, e.g. 'SecureCart' */
  readonly stackName?: string;
}

/** A value the loader could not resolve (Fn::ImportValue, an unknown attribute…). Never guessed. */
export interface Unresolved {
  readonly __unresolved: true;
  /**
   * The intrinsic that could not be resolved, e.g. 'Fn::ImportValue', 'Fn::GetAtt', 'Ref' (an SSM
   * parameter, a parameter without value), or 'dynamic-reference' (`{{resolve:…}}`).
   */
  readonly intrinsic: string;
  /**
   * The original expression, as written in the template. For 'dynamic-reference' tokens: the
   * reference text after resolution, e.g. '{{resolve:secretsmanager:arn:…:SecretString:password}}'.
   */
  readonly expression: unknown;
  /** Why it stays unresolved. */
  readonly reason: string;
}

/** Where an unresolved token sits, for reports. */
export interface UnresolvedRef {
  readonly logicalId: string;
  /** JSON pointer inside the template, e.g. '/Resources/Fn/Properties/Environment/Variables/X'. */
  readonly pointer: string;
  readonly token: Unresolved;
}

/** One resource of the template after resolution. */
export interface ResourceInstance {
  readonly logicalId: string;
  /** CloudFormation type, e.g. 'AWS::EC2::VPC'. */
  readonly type: string;
  /** Properties with intrinsics resolved (Refs to resources become their physical ids). */
  readonly properties: Readonly<Record<string, unknown>>;
  /** What `Ref` returns for this resource, in AWS's shape (vpc-0…, bucket name, role name…). */
  readonly physicalId: string;
  /** What `Fn::GetAtt` returns, by attribute name (Arn, GroupId, DnsEntries…). */
  readonly attributes: Readonly<Record<string, unknown>>;
  readonly dependsOn: readonly string[];
  readonly metadata?: unknown;
  /** 1-based line of the resource's logical id in the source file (for SARIF), when known. */
  readonly line?: number;
}

/** A loaded, resolved template. */
export interface Template {
  /** The file it came from (as given). */
  readonly file: string;
  readonly region: string;
  readonly accountId: string;
  readonly partition: string;
  readonly urlSuffix: string;
  readonly stackName: string;
  /** Resolved parameter values. */
  readonly parameters: Readonly<Record<string, unknown>>;
  /** Resources whose Condition is true, by logical id, in template order. */
  readonly resources: Readonly<Record<string, ResourceInstance>>;
  /** Logical ids of resources skipped because their Condition is false. */
  readonly skipped: readonly string[];
  /** Resolved outputs. */
  readonly outputs: Readonly<Record<string, unknown>>;
  /** Every value left unresolved, with its place. */
  readonly unresolved: readonly UnresolvedRef[];
  /** Resource types present that no model entity covers (kept, listed, never fatal). */
  readonly unsupportedTypes: readonly string[];
  /** Physical id or ARN → logical id, to map resolved references back to resources. */
  readonly byPhysicalId: ReadonlyMap<string, string>;
  /**
   * Transforms the template declares (e.g. 'AWS::Serverless-2016-10-31'). The loader does not run
   * them: SAM resources stay as written (AWS::Serverless::Function…) in `resources`.
   */
  readonly transforms?: readonly string[];
}
