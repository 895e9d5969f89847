/**
 * The CLI's exit statuses and the errors that end a run with one. docs/CLI.md ("Exit status")
 * documents the same list, and --help prints EXIT_STATUS_HELP; a test keeps the two in step.
 */

export const EXIT = {
  ok: 0,
  /** A job failed, or the selection held nothing to convert. */
  failed: 1,
  usage: 2,
  /** The key is malformed (nothing was sent) or the API refused it (401). */
  keyRefused: 3,
  /** The API could not be reached for --offline-timeout seconds. */
  unreachable: 4,
  interrupted: 130,
} as const;

/** The lines --help ends with. */
export const EXIT_STATUS_HELP = `Exit status:
  0    every file converted
  1    a file failed, or nothing could be converted (an empty folder, nothing convertible)
  2    usage error: bad option or value, unknown or unusable preset, unusable folder or API address
  3    the key in RENDERIO_API_KEY is malformed (nothing sent) or the API refused it (401)
  4    the API (or, with --local, the local engine) could not be reached for --offline-timeout
  130  interrupted (Ctrl-C); with --data-dir the next run resumes`;

/** Bad input, said in one message: the run ends with `exitCode` before anything is sent. */
export class CliError extends Error {
  override name = 'CliError';

  constructor(
    message: string,
    readonly exitCode: number,
    /** Whether the usage text helps (a wrong option does; a file where a folder should be does not). */
    readonly showUsage = false,
  ) {
    super(message);
  }
}

/** A usage error, followed by the usage text. */
export function usageError(message: string): CliError {
  return new CliError(message, EXIT.usage, true);
}
