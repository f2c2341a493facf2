/**
 * An expected, AWS-shaped failure raised inside a handler (NoSuchKey, ResourceNotFoundException…).
 * Each plugin turns it into its wire format at the `handle` boundary; any other exception is a
 * bug and becomes an InternalError (500).
 */
export class ServiceError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly status: number = 400,
    /** Extra fields some services add to the error (S3 `<Key>`, `<BucketName>`…). */
    readonly extra: Readonly<Record<string, string>> = {},
  ) {
    super(message);
    this.name = 'ServiceError';
  }
}
