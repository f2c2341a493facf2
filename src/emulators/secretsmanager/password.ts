/**
 * Random passwords as Secrets Manager generates them (GetRandomPassword, and CloudFormation's
 * GenerateSecretString). Defaults: 32 characters from upper, lower, digits and punctuation,
 * no space, at least one of each included type.
 * https://docs.aws.amazon.com/secretsmanager/latest/apireference/API_GetRandomPassword.html
 * https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-properties-secretsmanager-secret-generatesecretstring.html
 */
import { randomInt } from 'node:crypto';
import { ServiceError } from '../common/service-error.ts';

export interface PasswordOptions {
  readonly PasswordLength?: number;
  readonly ExcludeCharacters?: string;
  readonly ExcludeNumbers?: boolean;
  readonly ExcludePunctuation?: boolean;
  readonly ExcludeUppercase?: boolean;
  readonly ExcludeLowercase?: boolean;
  readonly IncludeSpace?: boolean;
  readonly RequireEachIncludedType?: boolean;
}

export interface GenerateSecretString extends PasswordOptions {
  readonly SecretStringTemplate?: string;
  readonly GenerateStringKey?: string;
}

export const PUNCTUATION = '!"#$%&\'()*+,-./:;<=>?@[\\]^_`{|}~';
const UPPER = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';
const LOWER = 'abcdefghijklmnopqrstuvwxyz';
const DIGITS = '0123456789';

function invalid(message: string): ServiceError {
  return new ServiceError('InvalidParameterException', message);
}

export function randomPassword(options: PasswordOptions = {}): string {
  const length = options.PasswordLength ?? 32;
  if (!Number.isInteger(length) || length < 1 || length > 4096) {
    throw invalid(
      "1 validation error detected: Value at 'passwordLength' failed to satisfy constraint: Member must have value between 1 and 4096",
    );
  }
  const excluded = new Set(options.ExcludeCharacters ?? '');
  const keep = (chars: string): string => [...chars].filter((c) => !excluded.has(c)).join('');
  const classes = [
    options.ExcludeUppercase ? '' : keep(UPPER),
    options.ExcludeLowercase ? '' : keep(LOWER),
    options.ExcludeNumbers ? '' : keep(DIGITS),
    options.ExcludePunctuation ? '' : keep(PUNCTUATION),
    options.IncludeSpace ? keep(' ') : '',
  ].filter((c) => c !== '');
  if (classes.length === 0)
    throw invalid('The password length and character exclusions leave no characters to choose from.');
  const alphabet = classes.join('');
  const requireEach = options.RequireEachIncludedType ?? true;
  if (requireEach && length < classes.length) {
    throw invalid(
      `The password length must be at least ${classes.length} to include every required character type.`,
    );
  }
  const chars = Array.from({ length }, () => alphabet[randomInt(alphabet.length)]);
  if (requireEach) {
    // Put one character of each class at distinct random positions.
    const positions = [...Array(length).keys()];
    for (const klass of classes) {
      const at = positions.splice(randomInt(positions.length), 1)[0];
      chars[at] = klass[randomInt(klass.length)];
    }
  }
  return chars.join('');
}

/** The value CloudFormation stores for a GenerateSecretString property. */
export function generateSecretString(spec: GenerateSecretString): string {
  const password = randomPassword(spec);
  const hasTemplate = spec.SecretStringTemplate !== undefined;
  const hasKey = spec.GenerateStringKey !== undefined;
  if (hasTemplate !== hasKey) {
    throw invalid('GenerateStringKey and SecretStringTemplate must be used together.');
  }
  if (!hasTemplate) return password;
  let template: unknown;
  try {
    template = JSON.parse(spec.SecretStringTemplate ?? '');
  } catch {
    throw invalid('SecretStringTemplate must be a JSON object.');
  }
  if (typeof template !== 'object' || template === null || Array.isArray(template)) {
    throw invalid('SecretStringTemplate must be a JSON object.');
  }
  return JSON.stringify({
    ...(template as Record<string, unknown>),
    [spec.GenerateStringKey ?? '']: password,
  });
}
