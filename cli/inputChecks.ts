/**
 * Checks of what the person typed or set, before the core opens: the key's format, the API
 * address, the folders. Each refusal says what is wrong in one message with its exit status;
 * none echoes the key, and none leaves an upload or a conversion behind.
 */
import { resolve } from 'node:path';
import { normalizeBaseUrl } from '../electron/core/client';
import { folderRefusal } from '../electron/core/files/outputFolderCheck';
import { describeApiKeyProblem } from '../shared/apiKey';
import { redact } from '../shared/redact';
import { CliError, EXIT } from './exitStatus';
import { shownPath } from './printable';

/** Refuses a RENDERIO_API_KEY that cannot be a key (wrong prefix, length, not lower-case hex). */
export function checkKeyFormat(key: string): void {
  // The vault trims the variable too: a trailing newline from `$(cat key.txt)` is no error.
  const problem = describeApiKeyProblem(key.trim());
  if (problem !== null)
    throw new CliError(
      `RENDERIO_API_KEY does not hold a RenderIO API key: ${problem}`,
      EXIT.keyRefused,
    );
}

/**
 * The API base a key may be sent to (https, or http to this computer only), normalized.
 * `source` names where it came from (`--api-base`, `RENDERIO_BASE_URL`). The address itself is
 * not repeated: it may carry a user name and password.
 */
export function checkApiBase(source: string, raw: string): string {
  try {
    return normalizeBaseUrl(raw);
  } catch (error) {
    throw new CliError(`${source}: ${redact((error as Error).message)}`, EXIT.usage);
  }
}

/**
 * Refuses a folder option (`--out`, `--data-dir`) that names a file, or a folder that cannot be
 * created or written. Nothing is created here: the core makes the folder when it first needs it.
 */
export async function checkFolder(option: string, path: string): Promise<void> {
  const problem = await describeFolderProblem(resolve(path));
  if (problem !== null) throw new CliError(`${option} ${shownPath(path)} ${problem}.`, EXIT.usage);
}

async function describeFolderProblem(path: string): Promise<string | null> {
  const refusal = await folderRefusal(path);
  if (refusal === null) return null;
  switch (refusal.kind) {
    case 'look':
      return `cannot be used (${refusal.code})`;
    case 'gone':
      return 'cannot be created';
    case 'file':
      return refusal.missing
        ? `cannot be created: ${shownPath(refusal.at)} is a file, not a folder`
        : 'is a file, not a folder';
    case 'write':
      if (!refusal.missing) return writeProblemWords(refusal.code ?? 'EACCES');
      return refusal.code === 'EROFS'
        ? `cannot be created: ${shownPath(refusal.at)} is on a read-only disk`
        : `cannot be created: no permission to write in ${shownPath(refusal.at)}`;
  }
}

/**
 * Why files cannot be written in an existing folder, as the end of a sentence that starts with
 * the folder ("/mnt/ro is on a read-only disk"), or null when they can.
 */
export async function folderWriteProblem(folder: string): Promise<string | null> {
  const refusal = await folderRefusal(folder);
  if (refusal === null) return null;
  return refusal.kind === 'write' ? writeProblemWords(refusal.code ?? 'EACCES') : null;
}

/** The words for the error code a write check ended with. */
export function writeProblemWords(code: string): string {
  if (code === 'EROFS') return 'is on a read-only disk';
  if (code === 'EACCES' || code === 'EPERM') return 'cannot be written (no permission)';
  return `cannot be written (${code})`;
}
