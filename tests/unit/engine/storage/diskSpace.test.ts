import { execFile } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import {
  checkRoomFor,
  diskFull,
  freeBytes,
  isDiskFullError,
  saysDiskFull,
} from '../../../../engine/storage/diskSpace';

const run = promisify(execFile);

describe("the engine's disk space", () => {
  it('knows the kernel\'s "disk full" when a write meets it (/dev/full answers ENOSPC)', async () => {
    const error = await writeFile('/dev/full', 'x').catch((e: unknown) => e);
    expect(isDiskFullError(error)).toBe(true);
    expect(isDiskFullError(Object.assign(new Error('quota'), { code: 'EDQUOT' }))).toBe(true);
    expect(isDiskFullError(Object.assign(new Error('gone'), { code: 'ENOENT' }))).toBe(false);
    expect(isDiskFullError(null)).toBe(false);
  });

  it("knows it in ffmpeg's words when ffmpeg's write meets it", async () => {
    const said = await run('ffmpeg', [
      '-hide_banner',
      '-nostdin',
      '-v',
      'error',
      '-f',
      'lavfi',
      '-i',
      'testsrc2=size=64x48:duration=0.2',
      '-f',
      'mp4',
      '-y',
      '/dev/full',
    ]).catch((e: { stderr: string }) => e.stderr);
    expect(saysDiskFull(String(said))).toBe(true);
    expect(saysDiskFull('Invalid data found when processing input')).toBe(false);
  });

  it('refuses what does not fit with 507, naming the disk, the free space and the need', async () => {
    const free = await freeBytes(tmpdir());
    expect(free).toBeGreaterThan(0);
    await expect(checkRoomFor(tmpdir(), 1, 0)).resolves.toBeUndefined();
    const refusal = await checkRoomFor(tmpdir(), free + 1, 0).catch((e: unknown) => e);
    expect(refusal).toMatchObject({ status: 507 });
    expect((refusal as Error).message).toMatch(
      new RegExp(
        `^Not enough disk space: this file needs [\\d.]+ [KMGT]?B, and the disk this converter keeps its files on \\(${tmpdir()}\\) has [\\d.]+ [KMGT]?B free to use\\. Free some space on it, then try again\\.$`,
      ),
    );
    // What must stay free counts against the room.
    await expect(checkRoomFor(tmpdir(), 1, free + 1)).rejects.toMatchObject({ status: 507 });
    expect(diskFull('/data').message).toBe(
      'Disk full: the disk this converter keeps its files on (/data) has no room left. Free some space on it, then try again.',
    );
  });
});
