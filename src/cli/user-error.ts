/**
 * An error caused by the user's input (bad file, bad flag), not by a bug.
 * The CLI prints its message without a stack and exits with code 2.
 */
export class UserError extends Error {
  /** The file concerned, when there is one. */
  readonly file?: string;
  /** The logical id concerned, when there is one. */
  readonly logicalId?: string;
  /** JSON pointer into the file, when there is one. */
  readonly pointer?: string;

  constructor(message: string, where: { file?: string; logicalId?: string; pointer?: string } = {}) {
    const place = [
      where.file,
      where.logicalId && `resource ${where.logicalId}`,
      where.pointer && `at ${where.pointer}`,
    ]
      .filter(Boolean)
      .join(', ');
    super(place ? `${place}: ${message}` : message);
    this.name = 'UserError';
    this.file = where.file;
    this.logicalId = where.logicalId;
    this.pointer = where.pointer;
  }
}
