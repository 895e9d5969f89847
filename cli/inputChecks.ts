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
  if (problem !== null) throw new CliError(`${option} ${path} ${problem}.`, EXIT.usage);
}

async function describeFolderProblem(path: string): Promise<string | null> {
  const info = await stat(path).catch((error: NodeJS.ErrnoException) => error);
  if (!(info instanceof Error)) {
    if (!info.isDirectory()) return 'is a file, not a folder';
    return (await writable(path)) ? null : 'cannot be written (no permission)';
  }
  if (info.code !== 'ENOENT' && info.code !== 'ENOTDIR')
    return `cannot be used (${info.code ?? info.message})`;
  // Missing: it can be created if its nearest existing ancestor is a folder we may write in.
  let ancestor = dirname(path);
  for (;;) {
    const found = await stat(ancestor).catch(() => null);
    if (found !== null) {
      if (!found.isDirectory()) return `cannot be created: ${ancestor} is a file, not a folder`;
      return (await writable(ancestor))
        ? null
        : `cannot be created: no permission to write in ${ancestor}`;
    }
    const parent = dirname(ancestor);
    if (parent === ancestor) return 'cannot be created';
    ancestor = parent;
  }
}

async function writable(folder: string): Promise<boolean> {
  return access(folder, constants.W_OK | constants.X_OK).then(
    () => true,
    () => false,
  );
}
