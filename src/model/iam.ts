/**
 * IAM roles, inline policies (AWS::IAM::Policy), managed policies and instance profiles. Policy
 * documents stay raw JSON (src/policy/ evaluates them); attachments are resolved to role keys.
 */
import type { BuildContext } from './context.ts';
import { type Ref, list, logicalIdOf, obj, str } from './refs.ts';
import { parsePolicy } from './vpc-endpoint.ts';

export interface NamedPolicy {
  /** The AWS::IAM::Policy / ManagedPolicy logical id, or `<Role>/Policies/<name>` for inline ones. */
  readonly source: string;
  readonly name?: string;
  readonly document: unknown;
}

export interface Role {
  readonly logicalId: string;
  /** Role name (what Ref returns). */
  readonly name: string;
  readonly arn?: string;
  readonly assumeRolePolicy: unknown;
  readonly permissionsBoundary?: string;
  /** Inline policies: the Policies property plus AWS::IAM::Policy resources naming the role. */
  readonly inlinePolicies: NamedPolicy[];
  /** ManagedPolicyArns plus AWS::IAM::ManagedPolicy resources naming the role. */
  readonly managedPolicyArns: string[];
  readonly managedPolicies: NamedPolicy[];
}

export interface ManagedPolicy {
  readonly logicalId: string;
  readonly arn: string;
  readonly document: unknown;
  readonly roles: Ref[];
}

export interface InstanceProfile {
  readonly logicalId: string;
  readonly physicalId: string;
  readonly arn?: string;
  readonly roles: Ref[];
}

export interface IamModel {
  readonly roles: Map<string, Role>;
  readonly managedPolicies: Map<string, ManagedPolicy>;
  readonly instanceProfiles: Map<string, InstanceProfile>;
}

export function buildIam(ctx: BuildContext): IamModel {
  const roleIndex = ctx.index('role');
  const roles = new Map<string, Role>();
  for (const resource of ctx.ofType('AWS::IAM::Role')) {
    const props = resource.properties;
    roles.set(resource.logicalId, {
      logicalId: resource.logicalId,
      name: resource.physicalId,
      arn: str(resource.attributes.Arn),
      assumeRolePolicy: parsePolicy(props.AssumeRolePolicyDocument),
      permissionsBoundary: str(props.PermissionsBoundary),
      inlinePolicies: list(props.Policies).map((policy, index) => {
        const entry = obj(policy) ?? {};
        const name = str(entry.PolicyName);
        return {
          source: `${resource.logicalId}/Policies/${name ?? index}`,
          name,
          document: parsePolicy(entry.PolicyDocument),
        };
      }),
      managedPolicyArns: list(props.ManagedPolicyArns)
        .map((arn) => str(arn))
        .filter((arn): arn is string => arn !== undefined),
      managedPolicies: [],
    });
  }

  // Policies attach to roles by name (Roles: [!Ref Role]) — the index knows names and ARNs.
  const attach = (roleRefs: Ref[], apply: (role: Role) => void, logicalId: string): void => {
    for (const ref of roleRefs) {
      const role = roles.get(logicalIdOf(ref) ?? '');
      if (role) apply(role);
      else if (ref.kind === 'unresolved')
        ctx.issue(logicalId, `policy attached to an unresolved role: ${ref.reason}`);
    }
  };
  for (const resource of ctx.ofType('AWS::IAM::Policy')) {
    const props = resource.properties;
    const policy = {
      source: resource.logicalId,
      name: str(props.PolicyName),
      document: parsePolicy(props.PolicyDocument),
    };
    attach(
      roleIndex.refs(props.Roles, 'Roles'),
      (role) => role.inlinePolicies.push(policy),
      resource.logicalId,
    );
  }

  const managedPolicies = new Map<string, ManagedPolicy>();
  for (const resource of ctx.ofType('AWS::IAM::ManagedPolicy')) {
    const props = resource.properties;
    const arn = str(resource.attributes.PolicyArn) ?? resource.physicalId;
    const policy: ManagedPolicy = {
      logicalId: resource.logicalId,
      arn,
      document: parsePolicy(props.PolicyDocument),
      roles: roleIndex.refs(props.Roles, 'Roles'),
    };
    managedPolicies.set(resource.logicalId, policy);
    attach(
      policy.roles,
      (role) =>
        role.managedPolicies.push({
          source: resource.logicalId,
          name: str(props.ManagedPolicyName),
          document: policy.document,
        }),
      resource.logicalId,
    );
  }
  // ManagedPolicyArns naming a managed policy of this template resolve to its document too.
  for (const role of roles.values()) {
    for (const arn of role.managedPolicyArns) {
      const policy = managedPolicies.get(ctx.index('managedPolicy').keyOf(arn) ?? '');
      if (policy && !role.managedPolicies.some((p) => p.source === policy.logicalId))
        role.managedPolicies.push({ source: policy.logicalId, document: policy.document });
    }
  }

  const instanceProfiles = new Map<string, InstanceProfile>();
  for (const resource of ctx.ofType('AWS::IAM::InstanceProfile')) {
    instanceProfiles.set(resource.logicalId, {
      logicalId: resource.logicalId,
      physicalId: resource.physicalId,
      arn: str(resource.attributes.Arn),
      roles: roleIndex.refs(resource.properties.Roles, 'Roles'),
    });
  }
  return { roles, managedPolicies, instanceProfiles };
}
