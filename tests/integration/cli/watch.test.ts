/**
 * `renderio-convert watch DIR --preset ID --local`: the bin in a child process with the local
 * engine and real ffmpeg; a file dropped into the folder is converted once, and SIGTERM ends
 * the run cleanly (exit 0).
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { copyFile, mkdir, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { BIN, cli } from './cliProcess';
import { makeAudio, makeImage, tempDir } from '../../support/media';

let tmp: { path: string; cleanup(): Promise<void> };
beforeAll(async () => {
  tmp = await tempDir('cli-watch-');
});
afterAll(async () => {
  await tmp.cleanup();
});

it('converts a file dropped into the watched folder once, and stops cleanly on SIGTERM', async () => {
  const inbox = join(tmp.path, 'inbox');
  const out = join(tmp.path, 'out');
  await mkdir(inbox);
  const tone = await makeAudio(tmp.path, 'tone.wav', { format: 'wav', seconds: 1 });
  const env = { ...process.env };
  delete env.RENDERIO_API_KEY;
  const child = spawn(
    process.execPath,
    [
      BIN,
      'watch',
      inbox,
      '--preset',
      'mp3',
      '--out',
      out,
      '--local',
      '--settle',
      '0.5',
      '--data-dir',
      join(tmp.path, 'data'),
    ],
    { env, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
  await expect.poll(() => stderr, { timeout: 30_000 }).toMatch(/Watching .*inbox/);
  await copyFile(tone, join(inbox, 'tone.wav'));
  await expect
    .poll(() => stdout, { timeout: 45_000, interval: 250 })
    .toContain(`${join(inbox, 'tone.wav')} -> ${join(out, 'tone-mp3.mp3')}`);
  child.kill('SIGTERM');
  expect(await exited).toBe(0);
  expect(await readdir(out)).toEqual(['tone-mp3.mp3']);
  expect(stdout.match(/tone\.wav ->/g)).toHaveLength(1);
});

it('says so on the result line when a file was converted with the default preset of its kind', async () => {
  // A watch folder takes what is dropped in, as the window's do: an image dropped into an MP3
  // watch is made with the image default, and the line says which preset made it.
  const inbox = join(tmp.path, 'kinds');
  const out = join(tmp.path, 'kinds-out');
  await mkdir(inbox);
  const img = await makeImage(tmp.path, 'img.png');
  const env = { ...process.env };
  delete env.RENDERIO_API_KEY;
  const child = spawn(
    process.execPath,
    [BIN, 'watch', inbox, '--preset', 'mp3', '--out', out, '--local', '--settle', '0.5'],
    { env, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
  await expect.poll(() => stderr, { timeout: 30_000 }).toMatch(/Watching .*kinds/);
  await copyFile(img, join(inbox, 'img.png'));
  await expect
    .poll(() => stdout, { timeout: 45_000, interval: 250 })
    .toContain(
      `${join(inbox, 'img.png')} -> ${join(out, 'img-jpg.jpg')} (Image to JPG: the default for image files)\n`,
    );
  child.kill('SIGTERM');
  expect(await exited).toBe(0);
});

it('refuses the output folder itself, and a missing folder, before watching (exit 2)', async () => {
  const inbox = join(tmp.path, 'same');
  await mkdir(inbox);
  const same = await cli(['watch', inbox, '--preset', 'mp3', '--out', inbox, '--local']);
  expect(same.code).toBe(2);
  expect(same.stderr).toMatch(/cannot be the watched folder itself/);
  const gone = await cli(['watch', join(tmp.path, 'absent'), '--preset', 'mp3', '--local']);
  expect(gone.code).toBe(2);
  expect(gone.stderr).toMatch(/not there any more/);
});
