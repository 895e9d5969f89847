import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { outputFolderProblem } from '../../../../../electron/core/files/outputFolderCheck';
import { smallDiskSupported } from '../../../../support/smallDisk';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'output-folder-check-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** outputFolderProblem(`folder`) in a mount namespace where `bound` is bound read-only. */
function inReadOnlyMount(bound: string, folder: string): string | null {
  const script = join(import.meta.dirname, '../../../../support/outputFolderProblemCli.ts');
  const result = spawnSync(
    'unshare',
    [
      '--user',
      '--map-root-user',
      '--mount',
      'sh',
      '-c',
      'mount --bind -o ro "$1" "$1" && exec node_modules/.bin/tsx "$2" "$3"',
      'sh',
      bound,
      script,
      folder,
    ],
    { encoding: 'utf8', timeout: 30_000 },
  );
  expect(result.status, result.stderr).toBe(0);
  return JSON.parse(result.stdout) as string | null;
}

describe('outputFolderProblem', () => {
  it('a folder that exists or can be made is fine', async () => {
    expect(await outputFolderProblem(dir)).toBeNull();
    // Made when the first output is written: its nearest parent is what counts.
    expect(await outputFolderProblem(join(dir, 'not', 'yet', 'made'))).toBeNull();
  });

  it('a file where a folder should be', async () => {
    await writeFile(join(dir, 'notes'), 'a file');
    const folder = join(dir, 'notes', 'out');
    expect(await outputFolderProblem(folder)).toBe(
      `The output folder ${folder} cannot be made: ${join(dir, 'notes')} is a file, not a folder. Choose another output folder, then Retry.`,
    );
  });

  it.skipIf(!smallDiskSupported())(
    "a folder on a read-only disk, and one to be made there: the kernel's EROFS in words",
    async () => {
      await mkdir(join(dir, 'card'));
      const card = join(dir, 'card');
      expect(inReadOnlyMount(card, card)).toBe(
        `The output folder ${card} is on a read-only disk. Choose another output folder, then Retry.`,
      );
      expect(inReadOnlyMount(card, join(card, 'Converted'))).toBe(
        `The output folder ${join(card, 'Converted')} is on a read-only disk. Choose another output folder, then Retry.`,
      );
      // Outside the namespace the same folder is writable: nothing was simulated.
      expect(await outputFolderProblem(card)).toBeNull();
    },
  );
});
