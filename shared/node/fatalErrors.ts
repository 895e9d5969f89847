/**
 * The last line a process prints before it dies must not carry a key either: Node's default
 * handlers print the error's message and stack as they are. These replacements print the
 * redacted text, then exit with the status Node would have used.
 */
import { redactValue } from '../redact';

export function installRedactedFatalHandlers(
  write: (line: string) => void = (line) => process.stderr.write(line + '\n'),
): void {
  const die = (kind: string) => (error: unknown) => {
    try {
      write(`${kind}: ${redactValue(error)}`);
    } finally {
      process.exit(1);
    }
  };
  process.on('uncaughtException', die('Uncaught exception'));
  process.on('unhandledRejection', die('Unhandled promise rejection'));
}
