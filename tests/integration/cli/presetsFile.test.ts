/**
 * `renderio-convert presets export` and `presets import FILE`: the bin in a child process,
 * the presets file on disk checked after each run. A refused file imports nothing.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdir, readFile, truncate, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { cli } from './cliProcess';
import { MAX_PRESET_FILE_BYTES } from '../../../cli/presetsFile';
import { tempDir } from '../../support/media';

const good = {
  id: 'small-webm',
  name: 'Small WebM',
  description: 'half size',
  category: 'video',
  accepts: ['video'],
  ffmpegCommand: '-i {{in_file}} -vf scale=-2:120 -c:v libvpx-vp9 -c:a libopus {{out_file}}',
  outputs: [{ alias: 'out_file', extension: 'webm' }],
};
const fileOf = (presets: unknown[], extra: Record<string, unknown> = {}) =>
  JSON.stringify({ format: 'renderio-desktop-presets', version: 1, presets, ...extra });

let tmp: { path: string; cleanup(): Promise<void> };
let n = 0;
async function freshDataDir(): Promise<string> {
  const dir = join(tmp.path, `data-${n++}`);
  await mkdir(dir);
  return dir;
}
async function write(name: string, text: string): Promise<string> {
  const path = join(tmp.path, name);
  await writeFile(path, text);
  return path;
}
async function savedPresets(dataDir: string): Promise<{ name: string }[]> {
  const text = await readFile(join(dataDir, 'presets.json'), 'utf8').catch(() => null);
  return text === null ? [] : (JSON.parse(text) as { presets: { name: string }[] }).presets;
}

beforeAll(async () => {
  tmp = await tempDir('cli-presets-');
});
afterAll(async () => {
  await tmp.cleanup();
});

describe('renderio-convert presets import / export', () => {
  it('imports a file, lists the preset, and exports it again as the same versioned schema', async () => {
    const dataDir = await freshDataDir();
    const file = await write('good.json', fileOf([good]));
    const imported = await cli(['presets', 'import', file, '--data-dir', dataDir]);
    expect(imported.code, imported.stderr).toBe(0);
    expect(imported.stdout).toMatch(/^custom-[0-9a-f-]+ {2}Small WebM$/m);
    expect(await savedPresets(dataDir)).toMatchObject([{ name: 'Small WebM' }]);

    const listed = await cli(['presets', '--data-dir', dataDir]);
    expect(listed.stdout).toMatch(/Small WebM .*\(custom\)/);

    const exported = await cli(['presets', 'export', '--data-dir', dataDir]);
    expect(exported.code, exported.stderr).toBe(0);
    const parsed = JSON.parse(exported.stdout) as {
      format: string;
      version: number;
      presets: unknown[];
    };
    expect(parsed).toMatchObject({ format: 'renderio-desktop-presets', version: 1 });
    expect(parsed.presets).toMatchObject([
      { name: 'Small WebM', ffmpegCommand: good.ffmpegCommand },
    ]);

    // What was exported imports into another data folder as it was.
    const again = await freshDataDir();
    const round = await cli([
      'presets',
      'import',
      await write('round.json', exported.stdout),
      '--data-dir',
      again,
    ]);
    expect(round.code, round.stderr).toBe(0);
    expect(await savedPresets(again)).toMatchObject([{ name: 'Small WebM' }]);
  });

  it.each([
    ['not JSON', 'presets: [oops', /This file is not a presets file: it is not JSON\./],
    ['an unknown version', fileOf([good], { version: 7 }), /newer version \(format version 7\)/],
    ['version 0', fileOf([good], { version: 0 }), /does not know/],
    ['duplicate ids', fileOf([good, { ...good, name: 'Twin' }]), /refused "Twin": .*appears twice/],
    [
      'a template the engine refuses',
      fileOf([
        good,
        {
          ...good,
          id: 'peek',
          name: 'Peek',
          ffmpegCommand: '-i {{in_file}} -vf movie=/etc/passwd {{out_file}}',
        },
      ]),
      /refused "Peek": .*movie/,
    ],
    [
      'a name with control characters',
      fileOf([{ ...good, name: 'Bad\nname' }]),
      /control characters/,
    ],
    [
      '10,000 presets',
      fileOf(Array.from({ length: 10_000 }, (_, i) => ({ ...good, id: `p${i}` }))),
      /10000 presets; at most 1000/,
    ],
  ])('refuses %s: exit 1, nothing imported, the reason said', async (_label, text, why) => {
    const dataDir = await freshDataDir();
    const file = await write(`bad-${n}.json`, text);
    const result = await cli(['presets', 'import', file, '--data-dir', dataDir]);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(why);
    expect(result.stderr).toMatch(/Nothing was imported/);
    expect(await savedPresets(dataDir)).toEqual([]);
  });

  it('needs --data-dir and an existing file (usage errors, exit 2)', async () => {
    expect((await cli(['presets', 'export'])).stderr).toMatch(/needs --data-dir/);
    const dataDir = await freshDataDir();
    const missing = await cli([
      'presets',
      'import',
      join(tmp.path, 'nope.json'),
      '--data-dir',
      dataDir,
    ]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/does not exist/);
    // A name with a newline and a right-to-left override stays on its line, escaped.
    const odd = join(tmp.path, 'new\nline\u202e.json');
    const named = await cli(['presets', 'import', odd, '--data-dir', dataDir]);
    expect(named.code).toBe(2);
    expect(named.stderr).toContain(
      `${JSON.stringify(odd).replace('\u202e', '\\u202e')} does not exist.`,
    );
  });

  it('refuses a file too large to be a preset file unread, its size in the units the window uses', async () => {
    const dataDir = await freshDataDir();
    const big = await write('big.json', '');
    // Sparse: the size is what is checked, nothing is read.
    await truncate(big, MAX_PRESET_FILE_BYTES + 1);
    const result = await cli(['presets', 'import', big, '--data-dir', dataDir]);
    expect(result.code).toBe(1);
    // 32 MiB + 1 byte: "33.6 MB", as a file manager says it (1024-based it read "32 MB").
    expect(result.stderr).toContain(`${big} is too large to be a preset file (33.6 MB).`);
    expect(await savedPresets(dataDir)).toEqual([]);
  });
});
