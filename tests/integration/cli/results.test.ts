/**
 * What `renderio-convert convert` reports, run as a person runs it (the bin, --local, real
 * ffmpeg): a preset that cannot take a file is never swapped for another behind the person's
 * back, a file --collision skip left alone is not counted as converted, a name with a control
 * character stays on its one line, a folder named again is not converted twice nor its results
 * taken as sources, and a folder on a read-only disk is refused before any work.
 */
import { spawnSync } from 'node:child_process';
import { copyFile, mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeAudio, makeCutShort, makeImage, makeVideo, tempDir } from '../../support/media';
import { cli, type CliRun } from './cliProcess';

let tmp: { path: string; cleanup(): Promise<void> };

beforeAll(async () => {
  tmp = await tempDir('cli-results-');
});
afterAll(async () => {
  await tmp.cleanup();
});

describe('a preset that cannot take a file', () => {
  it('is not replaced by the default of the file kind: the file is skipped with the reason (exit 1)', async () => {
    const src = join(tmp.path, 'kinds');
    await mkdir(src);
    const tone = await makeAudio(src, 'tone.mp3', { seconds: 1 });
    const img = await makeImage(src, 'img.png');
    const silent = await makeVideo(src, 'noaudio.mp4', { seconds: 1, audio: false });
    const out = join(tmp.path, 'kinds-out');

    const audio = await cli(['convert', tone, '--preset', 'mp4-h264', '--local', '--out', out]);
    expect(audio.code, audio.stderr).toBe(1);
    expect(audio.stdout).toBe('');
    expect(audio.stderr).toContain(`skipped ${tone}: "MP4 for the web (H.264 + AAC)" takes video`);
    expect(audio.stderr).toContain('Nothing to convert.');

    const image = await cli(['convert', img, '--preset', 'mp4-h264', '--local', '--out', out]);
    expect(image.code, image.stderr).toBe(1);
    expect(image.stdout).toBe('');
    expect(image.stderr).toMatch(/skipped .*img\.png: .* takes video files; this file is an image/);

    const video = await cli(['convert', silent, '--preset', 'image-png', '--local', '--out', out]);
    expect(video.code, video.stderr).toBe(1);
    expect(video.stdout).toBe('');
    expect(video.stderr).toMatch(/skipped .*noaudio\.mp4: "Image to PNG" takes images/);

    // Nothing was converted with another preset.
    expect(await readdir(out).catch(() => [])).toEqual([]);
  });

  it('converts the files it can take and lists the others as skipped (exit 0)', async () => {
    const src = join(tmp.path, 'mixed');
    await mkdir(src);
    const clip = await makeVideo(src, 'clip.mp4', { seconds: 1 });
    const tone = await makeAudio(src, 'tone.wav', { format: 'wav', seconds: 1 });
    const result = await cli(['convert', clip, tone, '--preset', 'mp4-h264', '--local']);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toBe(`${clip} -> ${join(src, 'clip-mp4.mp4')}\n`);
    expect(result.stderr).toContain(`skipped ${tone}: `);
    expect(result.stderr).toMatch(/1 converted, 0 failed, 1 skipped\./);
    expect((await readdir(src)).sort()).toEqual(['clip-mp4.mp4', 'clip.mp4', 'tone.wav']);
  });
});

it('a folder converted next to its sources, named again with the same --data-dir: its sources are already converted, its results are not taken as sources', async () => {
  const src = join(tmp.path, 'again');
  await mkdir(src);
  const clip = await makeVideo(src, 'clip.mp4', { seconds: 1 });
  const output = join(src, 'clip-mp3.mp3');
  const dataDir = join(tmp.path, 'again-data');
  const args = ['convert', src, '--preset', 'mp3', '--local', '--data-dir', dataDir];
  const first = await cli(args);
  expect(first.code, first.stderr).toBe(0);
  expect(first.stdout).toBe(`${clip} -> ${output}\n`);

  // The folder holds both files: the source is reported as done, the result
  // (an audio file the preset could take) is skipped as what it is, and nothing runs.
  const second = await cli(args);
  expect(second.code, second.stderr).toBe(0);
  expect(second.stdout).toBe(`${clip} -> ${output} (already converted)\n`);
  expect(second.stderr).toContain(
    `skipped ${output}: a result this app made earlier, not a source\n`,
  );
  expect(second.stderr).toContain('1 already converted; --again to convert it again.');
  expect(second.stderr).not.toMatch(/uploading|processing|downloading/i);
  expect((await readdir(src)).sort()).toEqual(['clip-mp3.mp3', 'clip.mp4']);
});

it('a file cut short converts, and a warning on stderr says its result is much shorter; stdout keeps its one line', async () => {
  const src = join(tmp.path, 'cut');
  await mkdir(src);
  const cut = await makeCutShort(src, 'holiday.mp4', { seconds: 12, share: 0.4 });
  const out = join(tmp.path, 'cut-out');
  const run = await cli(['convert', cut, '--preset', 'mp4-h264', '--local', '--out', out]);
  expect(run.code, run.stderr).toBe(0);
  expect(run.stdout).toBe(`${cut} -> ${join(out, 'holiday-mp4.mp4')}\n`);
  expect(run.stderr).toContain(`warning ${cut}: The result is 0:0`);
  expect(run.stderr).toContain(' long, its source 0:12. The source may be damaged or cut short ');
  expect(run.stderr).toContain('1 converted, 0 failed.');
});

it('--collision skip: the existing output is kept, said on the line, not counted as converted, and nothing is converted', async () => {
  const src = join(tmp.path, 'collide');
  await mkdir(src);
  const clip = await makeVideo(src, 'clip.mp4', { seconds: 1 });
  const existing = join(src, 'clip-mp3.mp3');
  await writeFile(existing, 'precious\n');
  const dataDir = join(tmp.path, 'collide-data');
  const result = await cli([
    'convert',
    clip,
    '--preset',
    'mp3',
    '--local',
    '--collision',
    'skip',
    '--data-dir',
    dataDir,
  ]);
  expect(result.code, result.stderr).toBe(0);
  expect(result.stdout).toBe(`${clip} -> (skipped: ${existing} exists)\n`);
  expect(result.stderr).toMatch(/0 converted, 1 skipped \(output exists\), 0 failed\./);
  expect(await readFile(existing, 'utf8')).toBe('precious\n');
  expect((await readdir(src)).sort()).toEqual(['clip-mp3.mp3', 'clip.mp4']);
  // Nothing was uploaded or run (the job was done before its upload): the queue kept no upload
  // and no command for it, and its progress never named a stage of the work.
  const saved = JSON.parse(await readFile(join(dataDir, 'queue.json'), 'utf8')) as {
    jobs: { stage: string; remote: Record<string, unknown> }[];
  };
  expect(saved.jobs).toHaveLength(1);
  const job = saved.jobs[0]!;
  expect(job.stage).toBe('done');
  expect(job.remote.fileId).toBeUndefined();
  expect(job.remote.uploadTag).toBeUndefined();
  expect(job.remote.commandId).toBeUndefined();
  expect(job.remote.outputs).toMatchObject([{ localName: 'clip-mp3.mp3', localPath: null }]);
  expect(result.stderr).not.toMatch(/uploading|processing|downloading/i);
});

it('prints a name with a newline on one line, quoted and escaped, on stdout and stderr', async () => {
  const src = join(tmp.path, 'names');
  await mkdir(src);
  const made = await makeVideo(src, 'plain.mp4', { seconds: 1 });
  const odd = join(src, 'new\nline.mp4');
  await copyFile(made, odd);
  const result = await cli(['convert', odd, '--preset', 'mp3', '--local']);
  expect(result.code, result.stderr).toBe(0);
  const lines = result.stdout.split('\n').filter((l) => l !== '');
  expect(lines).toHaveLength(1);
  const [shown, output] = lines[0]!.split(' -> ');
  // JSON-style: a script reads the name back exactly.
  expect(JSON.parse(shown!)).toBe(odd);
  expect(output).toBe(join(src, 'new_line-mp3.mp3'));
  // Progress: every line about the file names it whole, escaped.
  for (const line of result.stderr.split('\n'))
    if (line.includes('line.mp4')) expect(line).toContain('"new\\nline.mp4"');
  expect(result.stderr).toMatch(/"new\\nline\.mp4": done/);
  expect(result.stderr).not.toMatch(/^line\.mp4/m);
});

/** Whether this machine lets an unprivileged user namespace mount (unshare -rm). */
const canMountReadOnly = ((): boolean => {
  const dir = mkdtempSync(join(tmpdir(), 'cli-ro-probe-'));
  try {
    const probe = spawnSync('unshare', ['-rm', 'sh', '-c', 'mount --bind -o ro "$0" "$0"', dir], {
      stdio: 'ignore',
    });
    return probe.status === 0;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
})();

/**
 * The CLI in a mount namespace where `readOnly` folders are bound read-only (EROFS), as a
 * read-only disk or a read-only network share is.
 */
function cliOnReadOnly(readOnly: string[], args: string[]): Promise<CliRun> {
  const mounts = readOnly.map((d) => `mount --bind -o ro "${d}" "${d}"`).join(' && ');
  // The arguments reach the CLI as "$@", never through the shell's parsing.
  return cli(args, {}, ['unshare', '-rm', 'sh', '-c', `${mounts} && exec "$0" "$@"`]);
}

describe.skipIf(!canMountReadOnly)('a folder on a read-only disk', () => {
  it('as --out: said so (exit 2), before anything runs', async () => {
    const ro = join(tmp.path, 'rodir');
    await mkdir(ro);
    const clip = await makeVideo(tmp.path, 'ro-clip.mp4', { seconds: 1 });
    const direct = await cliOnReadOnly(
      [ro],
      ['convert', clip, '--preset', 'mp3', '--local', '--out', ro],
    );
    expect(direct.code, direct.stderr).toBe(2);
    expect(direct.stderr).toContain(`--out ${ro} is on a read-only disk.`);
    expect(direct.stdout).toBe('');
    const below = await cliOnReadOnly(
      [ro],
      ['convert', clip, '--preset', 'mp3', '--local', '--out', join(ro, 'sub')],
    );
    expect(below.code, below.stderr).toBe(2);
    expect(below.stderr).toContain(`cannot be created: ${ro} is on a read-only disk.`);
  });

  it("as the source's own folder without --out: refused up front, naming the file (exit 2)", async () => {
    const srcro = join(tmp.path, 'srcro');
    await mkdir(srcro);
    const clip = await makeVideo(srcro, 'clip.mp4', { seconds: 1 });
    const byFile = await cliOnReadOnly([srcro], ['convert', clip, '--preset', 'mp3', '--local']);
    expect(byFile.code, byFile.stderr).toBe(2);
    expect(byFile.stderr).toContain(
      `Cannot write next to clip.mp4: ${srcro} is on a read-only disk. Use --out DIR.`,
    );
    // Refused before the queue: no job ran, no progress, no "FAILED" after an encode.
    expect(byFile.stderr).not.toMatch(/queued|uploading|processing|FAILED/);
    expect(byFile.stdout).toBe('');
    // A folder named instead of the file: the same check for the folders its files are in.
    const byFolder = await cliOnReadOnly([srcro], ['convert', srcro, '--preset', 'mp3', '--local']);
    expect(byFolder.code, byFolder.stderr).toBe(2);
    expect(byFolder.stderr).toContain(`Cannot write next to clip.mp4: ${srcro} is on a read-only`);
    // With --out somewhere writable, the read-only source is fine.
    const out = join(tmp.path, 'srcro-out');
    const elsewhere = await cliOnReadOnly(
      [srcro],
      ['convert', clip, '--preset', 'mp3', '--local', '--out', out],
    );
    expect(elsewhere.code, elsewhere.stderr).toBe(0);
    expect(elsewhere.stdout).toBe(`${clip} -> ${join(out, 'clip-mp3.mp3')}\n`);
    expect(await readdir(srcro)).toEqual(['clip.mp4']);
  });
});
