/**
 * `renderio-convert --local` with the ffmpeg it is given or finds: the bin in a child process,
 * as a person runs it. A preset this ffmpeg cannot run and a missing ffmpeg are refused before
 * anything is queued, in plain words; an ffmpeg in a folder with spaces and non-ASCII letters
 * converts.
 */
import { spawn } from 'node:child_process';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeVideo, tempDir } from '../../support/media';
import { loggedRuns, writeWrapper } from '../../support/fakeFfmpeg';

const BIN = join(import.meta.dirname, '../../../bin/renderio-convert.mjs');
const ERRNO = /\bE[A-Z]{3,}\b/;

let tmp: { path: string; cleanup(): Promise<void> };
let clip: string;
beforeAll(async () => {
  tmp = await tempDir('cli-ffmpeg-');
  clip = await makeVideo(tmp.path, 'clip.mp4', { seconds: 1 });
});
afterAll(async () => {
  await tmp.cleanup();
});

function cli(args: string[], env: Record<string, string> = {}) {
  return new Promise<{ code: number | null; stdout: string; stderr: string }>((done, fail) => {
    const base = { ...process.env };
    delete base.RENDERIO_API_KEY;
    delete base.FFMPEG_PATH;
    delete base.FFPROBE_PATH;
    const child = spawn(process.execPath, [BIN, ...args], {
      env: { ...base, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', fail);
    child.on('exit', (code) => done({ code, stdout, stderr }));
  });
}

describe('renderio-convert --local and ffmpeg', () => {
  it('refuses a preset this ffmpeg cannot run, before queueing, saying why', async () => {
    const folder = join(tmp.path, 'no-svt');
    const log = join(tmp.path, 'no-svt.log');
    const ffmpeg = await writeWrapper(folder, 'ffmpeg', { withoutEncoders: ['libsvtav1'], log });
    await writeWrapper(folder, 'ffprobe');
    const result = await cli([
      'convert',
      clip,
      '--preset',
      'mp4-av1',
      '--local',
      '--ffmpeg',
      ffmpeg,
    ]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(
      /^"MP4 \(AV1, SVT-AV1\)" cannot run on this computer: this ffmpeg has no SVT-AV1 encoder \(libsvtav1\) \(ffmpeg \d+\.\d+ \(chosen\)\)\.$/m,
    );
    expect(result.stderr).not.toMatch(/queued/);
    // Only the capability questions ran: no conversion was started.
    expect((await loggedRuns(log)).filter((run) => run.includes(' -i '))).toEqual([]);
  });

  it('says plainly when FFMPEG_PATH names nothing, and converts nothing', async () => {
    const result = await cli(['convert', clip, '--preset', 'mp3', '--local'], {
      FFMPEG_PATH: '/no/such/ffmpeg',
    });
    expect(result.code).toBe(1);
    expect(result.stderr).toBe(
      'Cannot convert on this computer: FFMPEG_PATH names a file that does not exist: /no/such/ffmpeg.\nUse --ffmpeg PATH to name an ffmpeg.\n',
    );
    expect(result.stderr).not.toMatch(ERRNO);
  });

  it('converts with an ffmpeg chosen by its folder, whose name has spaces and non-ASCII letters', async () => {
    const folder = join(tmp.path, 'Programmes vidéo ü', 'ffmpeg 5');
    await writeWrapper(folder, 'ffmpeg');
    await writeWrapper(folder, 'ffprobe');
    const out = join(tmp.path, 'out');
    const result = await cli([
      'convert',
      clip,
      '--preset',
      'mp3',
      '--out',
      out,
      '--local',
      '--ffmpeg',
      folder,
    ]);
    expect(result.code, result.stderr).toBe(0);
    expect(await readdir(out)).toEqual(['clip-mp3.mp3']);
  });
});
