/**
 * A command's work directory, `<dataDir>/work/<id>`: made before its inputs are fetched into
 * `inputs/`, removed once the run is over (its outputs moved into storage by then).
 */
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { removeFolder } from '../storage/removeFolder';

export const INPUTS_DIR = 'inputs';

/** Makes `<workDir>/inputs` (the work root exists after the first command). */
export async function makeWorkDir(workDir: string): Promise<void> {
  await mkdir(join(workDir, INPUTS_DIR), { recursive: true });
}

/**
 * Removes the work directory. Usually it holds only the inputs the engine put there, so they
 * are removed by name (storage/removeFolder.ts: three calls where a recursive removal made
 * about seventeen a command). `inputs`: their paths relative to the work directory.
 */
export async function removeWorkDir(workDir: string, inputs: readonly string[]): Promise<void> {
  await removeFolder(workDir, inputs, [INPUTS_DIR]);
}
