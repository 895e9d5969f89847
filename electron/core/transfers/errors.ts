/** Failures on this computer's side of a transfer (the disk, the output folder, a name). */
import { redact } from '../../../shared/redact';

export type LocalFileErrorKind =
  /** ENOSPC / EDQUOT: the .part has been removed. */
  | 'disk-full'
  /** The output name is not a plain file name (path separators, '..', empty). */
  | 'invalid-name'
  /** Any other file-system failure (permissions, a missing folder, I/O errors). */
  | 'io';

export class LocalFileError extends Error {
  override readonly name = 'LocalFileError';
  readonly kind: LocalFileErrorKind;
  /** The system error code (ENOSPC, EACCES, ...) when there is one. */
  readonly code: string | undefined;

  constructor(
    kind: LocalFileErrorKind,
    message: string,
    options: { code?: string; cause?: unknown } = {},
  ) {
    super(redact(message), options.cause === undefined ? undefined : { cause: options.cause });
    this.kind = kind;
    this.code = options.code;
  }
}
