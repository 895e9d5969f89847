/**
 * Checks of what the person typed or set, before the core opens: the key's format, the API
 * address, the folders. Each refusal says what is wrong in one message with its exit status;
 * none echoes the key, and none leaves an upload or a conversion behind.
 */
import { constants } from 'node:fs';
import { access, stat } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { normalizeBaseUrl } from '../electron/core/client';
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
  const info = await stat(path).catch((error: NodeJS.ErrnoException) => error);
  if (!(info instanceof Error)) {
    if (!info.isDirectory()) return 'is a file, not a folder';
    return folderWriteProblem(path);
  }
  if (info.code !== 'ENOENT' && info.code !== 'ENOTDIR')
    return `cannot be used (${info.code ?? info.message})`;
  // Missing: it can be created if its nearest existing ancestor is a folder we may write in.
  let ancestor = dirname(path);
  for (;;) {
    const found = await stat(ancestor).catch(() => null);
    if (found !== null) {
      if (!found.isDirectory())
        return `cannot be created: ${shownPath(ancestor)} is a file, not a folder`;
      const code = await writeRefusal(ancestor);
      if (code === null) return null;
      return code === 'EROFS'
        ? `cannot be created: ${shownPath(ancestor)} is on a read-only disk`
        : `cannot be created: no permission to write in ${shownPath(ancestor)}`;
    }
    const parent = dirname(ancestor);
    if (parent === ancestor) return 'cannot be created';
    ancestor = parent;
  }
}

/**
 * Why files cannot be written in an existing folder, as the end of a sentence that starts with
 * the folder ("/mnt/ro is on a read-only disk"), or null when they can.
 */
export async function folderWriteProblem(folder: string): Promise<string | null> {
  const code = await writeRefusal(folder);
  return code === null ? null : writeProblemWords(code);
}

/** The words for the error code a write check ended with. */
export function writeProblemWords(code: string): string {
  if (code === 'EROFS') return 'is on a read-only disk';
  if (code === 'EACCES' || code === 'EPERM') return 'cannot be written (no permission)';
  return `cannot be written (${code})`;
}

/** The error code access(W_OK) gives for the folder (EROFS on a read-only mount), or null. */
async function writeRefusal(folder: string): Promise<string | null> {
  return access(folder, constants.W_OK | constants.X_OK).then(
    () => null,
    (error: NodeJS.ErrnoException) => error.code ?? 'EACCES',
  );
}
