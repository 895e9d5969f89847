/**
 * Bad input to the CLI: each gets one clear message, the documented exit status, no stack
 * trace, never the key, and nothing uploaded or converted. Against a real engine started here
 * (--api-base), so the request log shows what was (not) sent.
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEngine, type EngineHandle } from '../../../engine/index';
import { createAccountPreset } from '../../support/accountPresets';
import { makeVideo, tempDir } from '../../support/media';
import { cli, type CliRun } from './cliProcess';

let tmp: { path: string; cleanup(): Promise<void> };
let engine: EngineHandle;
let key: string;
let clip: string;

beforeAll(async () => {
  tmp = await tempDir('cli-input-');
  engine = await startEngine({ dataDir: join(tmp.path, 'engine'), port: 0, concurrency: 2 });
  key = await engine.createKey();
  clip = await makeVideo(tmp.path, 'clip.mp4', { seconds: 1 });
});
afterAll(async () => {
  await engine.close();
  await tmp.cleanup();
});

const requestCount = (): number => engine.requestLog.length;
const uploads = (): number =>
  engine.requestLog.filter((e) => e.path.endsWith('/files/upload')).length;

/** One message, no stack trace, no usage text unless asked for. */
function expectOneMessage(run: CliRun, message: RegExp | string): void {
  expect(run.stderr).not.toMatch(/\n\s+at /);
  expect(run.stderr).not.toContain('Usage:');
  if (typeof message === 'string') expect(run.stderr).toContain(message);
  else expect(run.stderr).toMatch(message);
}

describe('the key in RENDERIO_API_KEY', () => {
  it.each([
    ['a wrong prefix', `sk_live_${'a'.repeat(64)}`, 'A RenderIO API key starts with "ffsk_".'],
    [
      'too short',
      'ffsk_0123456789abcdef',
      'A RenderIO API key is 69 characters long; this one has 21.',
    ],
    [
      'not hex',
      `ffsk_${'z'.repeat(64)}`,
      'A RenderIO API key has only lower-case hex digits (0-9, a-f) after "ffsk_".',
    ],
    [
      'upper-case hex',
      `ffsk_${'A'.repeat(64)}`,
      'A RenderIO API key has only lower-case hex digits (0-9, a-f) after "ffsk_".',
    ],
  ])(
    'with %s: says what is wrong, never echoes it, exits 3 before sending anything',
    async (_what, badKey, problem) => {
      const before = requestCount();
      const run = await cli(['convert', clip, '--preset', 'mp3', '--api-base', engine.url], {
        RENDERIO_API_KEY: badKey,
      });
      expect(run.code).toBe(3);
      expectOneMessage(run, `RENDERIO_API_KEY does not hold a RenderIO API key: ${problem}`);
      expect(run.stdout + run.stderr).not.toContain(badKey);
      expect(run.stderr).not.toContain('No such profile');
      expect(requestCount()).toBe(before);
    },
  );

  it('is checked by `presets` too', async () => {
    const badKey = `ffsk_${'A'.repeat(64)}`;
    const run = await cli(['presets', '--api-base', engine.url], { RENDERIO_API_KEY: badKey });
    expect(run.code).toBe(3);
    expectOneMessage(run, 'RENDERIO_API_KEY does not hold a RenderIO API key');
    expect(run.stdout + run.stderr).not.toContain(badKey);
  });
});

describe('the API address', () => {
  it.each([
    ['not a URL', 'renderio dot dev', 'is not a valid URL'],
    ['ftp://', 'ftp://renderio.dev', 'must start with https://'],
    [
      'plain http to another host',
      'http://renderio.dev',
      'must use https:// (plain http is allowed only for this computer)',
    ],
  ])('--api-base %s: says so and exits 2', async (_what, base, reason) => {
    const before = requestCount();
    const run = await cli(['convert', clip, '--preset', 'mp3', '--api-base', base], {
      RENDERIO_API_KEY: key,
    });
    expect(run.code).toBe(2);
    expectOneMessage(run, `--api-base: The API address ${reason}\n`);
    expect(run.stdout + run.stderr).not.toContain(key);
    expect(requestCount()).toBe(before);
  });

  it('RENDERIO_BASE_URL is checked the same way', async () => {
    const run = await cli(['convert', clip, '--preset', 'mp3'], {
      RENDERIO_API_KEY: key,
      RENDERIO_BASE_URL: 'ftp://renderio.dev',
    });
    expect(run.code).toBe(2);
    expectOneMessage(run, 'RENDERIO_BASE_URL: The API address must start with https://\n');
  });
});

describe('folders', () => {
  it('refuses --out and --data-dir that name a file, and an --out that cannot be created, before any upload', async () => {
    const aFile = join(tmp.path, 'not-a-folder.txt');
    await writeFile(aFile, 'just a file');
    const env = { RENDERIO_API_KEY: key };
    const base = ['convert', clip, '--preset', 'mp3', '--api-base', engine.url];
    const before = uploads();

    const outIsFile = await cli([...base, '--out', aFile], env);
    expect(outIsFile.code).toBe(2);
    expectOneMessage(outIsFile, `--out ${aFile} is a file, not a folder.`);

    const outUnderFile = await cli([...base, '--out', join(aFile, 'converted')], env);
    expect(outUnderFile.code).toBe(2);
    expectOneMessage(
      outUnderFile,
      `--out ${join(aFile, 'converted')} cannot be created: ${aFile} is a file, not a folder.`,
    );

    const dataDirIsFile = await cli([...base, '--data-dir', aFile], env);
    expect(dataDirIsFile.code).toBe(2);
    expectOneMessage(dataDirIsFile, `--data-dir ${aFile} is a file, not a folder.`);
    expect(dataDirIsFile.stderr).not.toContain('EEXIST');

    expect(uploads()).toBe(before);
    expect(await readFile(aFile, 'utf8')).toBe('just a file');
  });
});

describe('what there is to convert', () => {
  it('exits 1 for an empty folder, as for a selection with nothing convertible', async () => {
    const empty = join(tmp.path, 'empty');
    await mkdir(empty);
    const run = await cli(['convert', empty, '--preset', 'mp3', '--api-base', engine.url], {
      RENDERIO_API_KEY: key,
    });
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('Nothing to convert');
  });

  it("fails an empty output with ffmpeg's reason, not a missing download link", async () => {
    const oneFrame = await makeVideo(tmp.path, 'one-frame.mp4', { seconds: 0.04, audio: false });
    // A GIF of a one-frame video at fps=10 is empty (the built-in gif preset now keeps the
    // last frame; this account preset has the plain filter that wrote nothing).
    const plainGif = await createAccountPreset(engine.url, key, {
      name: 'Plain GIF',
      ffmpeg_command: '-i {{in_file}} -vf fps=10 {{out_file}}',
      input_file_keys: ['in_file'],
      output_file_definitions: { out_file: 'one-frame.gif' },
    });
    const run = await cli(
      ['convert', oneFrame, '--preset', `account-${plainGif.preset_id}`, '--api-base', engine.url],
      { RENDERIO_API_KEY: key },
    );
    expect(run.code).toBe(1);
    expect(run.stdout).toContain(
      `${oneFrame} -> FAILED: ffmpeg finished but the output out_file ("one-frame.gif") is empty (0 bytes).`,
    );
    expect(run.stdout).toContain('Output file is empty, nothing was encoded');
    expect(run.stdout).not.toContain('no download link');
  });
});

describe('refused command templates, in the words they were written in', () => {
  const CONCAT = "-i 'concat:{{in_file}}|{{in_file}}' -c copy {{out_file}}";

  it('an account preset the engine refuses', async () => {
    const joined = await createAccountPreset(engine.url, key, {
      name: 'Joined',
      ffmpeg_command: CONCAT,
      input_file_keys: ['in_file'],
      output_file_definitions: { out_file: 'joined.mp4' },
    });
    const run = await cli(
      ['convert', clip, '--preset', `account-${joined.preset_id}`, '--api-base', engine.url],
      { RENDERIO_API_KEY: key },
    );
    expect(run.code).toBe(1);
    expect(run.stdout).toContain('"concat:{{in_file}}|{{in_file}}" uses the "concat:" protocol');
    expect(run.stdout + run.stderr).not.toMatch(/\{\{#\d|placeholder/);
  });

  it('a custom preset in --data-dir that is refused: said why, not "unknown preset"', async () => {
    const dataDir = join(tmp.path, 'custom-data');
    await mkdir(dataDir);
    await writeFile(
      join(dataDir, 'presets.json'),
      JSON.stringify({
        version: 1,
        presets: [
          {
            id: 'custom-joined',
            name: 'Joined',
            description: '',
            category: 'video',
            accepts: ['video'],
            ffmpegCommand: CONCAT,
            outputs: [{ alias: 'out_file', extension: 'mp4' }],
            source: 'custom',
          },
        ],
      }),
    );
    const before = uploads();
    const run = await cli(
      [
        'convert',
        clip,
        '--preset',
        'custom-joined',
        '--data-dir',
        dataDir,
        '--api-base',
        engine.url,
      ],
      { RENDERIO_API_KEY: key },
    );
    expect(run.code).toBe(2);
    expectOneMessage(
      run,
      `The custom preset "Joined" (custom-joined) in ${join(dataDir, 'presets.json')} cannot be used:`,
    );
    expect(run.stderr).toContain('"concat:{{in_file}}|{{in_file}}" uses the "concat:" protocol');
    expect(run.stderr).not.toMatch(/\{\{#\d|placeholder|Unknown preset/);
    expect(uploads()).toBe(before);
  });
});

describe('exit statuses', () => {
  it('--help lists the same exit statuses as docs/CLI.md', async () => {
    const docs = await readFile(join(import.meta.dirname, '../../../docs/CLI.md'), 'utf8');
    const table = docs.slice(docs.indexOf('## Exit status'));
    const documented = [...table.matchAll(/^\| `(\d+)`\s+\|/gm)].map((m) => Number(m[1]));
    const help = await cli(['--help']);
    expect(help.code).toBe(0);
    const listed = help.stdout.slice(help.stdout.indexOf('Exit status:'));
    const helped = [...listed.matchAll(/^ {2}(\d+) /gm)].map((m) => Number(m[1]));
    expect(documented).toEqual([0, 1, 2, 3, 4, 130]);
    expect(helped).toEqual(documented);
  });
});

describe('an API that cannot be reached', () => {
  it('retries, says so, and gives up after --offline-timeout with exit 4 naming the address', async () => {
    // A port that was just free: nothing listens there.
    const closed = await startEngine({ dataDir: join(tmp.path, 'gone'), port: 0 });
    const url = closed.url;
    await closed.close();
    const run = await cli(
      ['convert', clip, '--preset', 'mp3', '--api-base', url, '--offline-timeout', '3'],
      { RENDERIO_API_KEY: key },
    );
    expect(run.code).toBe(4);
    expect(run.stderr).toContain(`Could not reach ${url}: the connection was refused; retrying`);
    expectOneMessage(
      run,
      `renderio-convert: Could not reach ${url}: the connection was refused; gave up after 3 s (--offline-timeout).`,
    );
    expect(run.stderr).not.toContain(key);
  });

  it('refuses an --offline-timeout that is not a number of seconds', async () => {
    const run = await cli([
      'convert',
      clip,
      '--preset',
      'mp3',
      '--local',
      '--offline-timeout',
      'soon',
    ]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('--offline-timeout must be a number of seconds from 1 to 86400.');
  });
});
