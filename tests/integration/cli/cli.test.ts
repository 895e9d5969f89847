/**
 * The CLI as a person runs it: the `renderio-convert` bin in a child process, against the
 * engine it starts itself (--local) or one started here (--api-base), with real ffmpeg.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { mkdir, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { startEngine, type EngineHandle } from '../../../engine/index';
import { createAccountPreset, WATERMARK } from '../../support/accountPresets';
import {
  codecOf,
  durationOf,
  makeAudio,
  makeCorrupt,
  makeVideo,
  probe,
  tempDir,
} from '../../support/media';
import { BIN, cli } from './cliProcess';

let tmp: { path: string; cleanup(): Promise<void> };
let engine: EngineHandle;
let key: string;

beforeAll(async () => {
  tmp = await tempDir('cli-');
  engine = await startEngine({ dataDir: join(tmp.path, 'engine'), port: 0, concurrency: 2 });
  key = await engine.createKey();
});
afterAll(async () => {
  await engine.close();
  await tmp.cleanup();
});

describe('renderio-convert', () => {
  it('converts a folder with --local, mirrors its tree, prints progress on stderr and a summary', async () => {
    const src = join(tmp.path, 'local', 'album');
    await mkdir(join(src, 'disc2'), { recursive: true });
    await makeVideo(src, 'intro.mp4');
    await makeAudio(join(src, 'disc2'), 'track.wav', { format: 'wav' });
    const out = join(tmp.path, 'local-out');
    const result = await cli([
      'convert',
      src,
      '--preset',
      'mp3',
      '--out',
      out,
      '--local',
      '--concurrency',
      '2',
    ]);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toMatch(/2 file\(s\) queued/);
    expect(result.stderr).toMatch(/intro\.mp4: (uploading|submitted|processing|downloading|done)/);
    // Each job's end is printed, the last one's too: the wait ends once its patches are out.
    expect(result.stderr).toMatch(/intro\.mp4: done/);
    expect(result.stderr).toMatch(/track\.wav: done/);
    expect(result.stderr).toMatch(/2 converted, 0 failed\./);
    expect(result.stdout).toContain(
      `${join(src, 'intro.mp4')} -> ${join(out, 'album', 'intro-mp3.mp3')}`,
    );
    expect(await readdir(join(out, 'album', 'disc2'))).toEqual(['track-mp3.mp3']);
    const mp3 = await probe(join(out, 'album', 'intro-mp3.mp3'));
    expect(codecOf(mp3, 'audio')).toBe('mp3');
    expect(durationOf(mp3)).toBeCloseTo(2, 0);
  });

  it('exits non-zero when a job fails, says why, and converts the rest (--api-base, key from the environment)', async () => {
    const src = join(tmp.path, 'mixed');
    await mkdir(src);
    const good = await makeVideo(src, 'good.mp4', { seconds: 1 });
    const bad = await makeCorrupt(src, 'bad.mp4');
    const silent = await makeVideo(src, 'silent.mp4', { seconds: 1, audio: false });
    const result = await cli(
      [
        'convert',
        good,
        bad,
        silent,
        join(src, 'missing.mp4'),
        '--preset',
        'mp3',
        '--api-base',
        engine.url,
      ],
      { RENDERIO_API_KEY: key },
    );
    expect(result.code).toBe(1);
    expect(result.stdout).toContain(`${good} -> ${join(src, 'good-mp3.mp3')}`);
    expect(result.stdout).toMatch(
      new RegExp(
        `${bad.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} -> FAILED: .*could not be read\\. It is not a video or audio file, or it is damaged or incomplete`,
      ),
    );
    expect(result.stderr).toMatch(/skipped .*missing\.mp4: no such file or folder/);
    // A silent video cannot become an MP3: refused before upload, with the reason.
    expect(result.stderr).toMatch(
      /skipped .*silent\.mp4: "MP3" makes an audio file, but this video has no sound/,
    );
    expect(result.stderr).toMatch(/1 converted, 1 failed, 2 skipped\./);
    expect(
      engine.requestLog.filter((e) => e.method === 'POST' && e.path.endsWith('/files/upload')),
    ).toHaveLength(2);
    expect(result.stdout + result.stderr).not.toContain(key);
  });

  it('refuses bad usage with status 2 and a refused key with status 3, never printing the key', async () => {
    const clip = await makeVideo(tmp.path, 'k.mp4', { seconds: 1 });
    const noPreset = await cli(['convert', clip, '--local']);
    expect(noPreset.code).toBe(2);
    expect(noPreset.stderr).toMatch(/--preset is required/);
    // The key comes from RENDERIO_API_KEY only: argv is readable by every user (ps).
    const keyInArgv = await cli(['convert', clip, '--preset', 'mp3', '--key', key]);
    expect(keyInArgv.code).toBe(2);
    expect(keyInArgv.stderr).toMatch(/Unknown option '--key'/);
    expect(keyInArgv.stdout + keyInArgv.stderr).not.toContain(key);
    const noKey = await cli(['convert', clip, '--preset', 'mp3', '--api-base', engine.url]);
    expect(noKey.code).toBe(2);
    expect(noKey.stderr).toMatch(/Set RENDERIO_API_KEY/);
    const unknown = await cli(['convert', clip, '--preset', 'nope', '--api-base', engine.url], {
      RENDERIO_API_KEY: key,
    });
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/Unknown preset "nope"/);
    const wrongKey = `ffsk_${'0'.repeat(64)}`;
    const refused = await cli(['convert', clip, '--preset', 'mp3', '--api-base', engine.url], {
      RENDERIO_API_KEY: wrongKey,
    });
    expect(refused.code).toBe(3);
    expect(refused.stderr).toMatch(/refused the key/);
    expect(refused.stdout + refused.stderr).not.toContain(wrongKey);
  });

  it('lists account presets it cannot run as unavailable and refuses to convert with one', async () => {
    const watermark = await createAccountPreset(engine.url, key, WATERMARK);
    const reason = 'Takes 2 inputs (in_video, in_logo); RenderIO Desktop sends one file per job.';
    const env = { RENDERIO_API_KEY: key };
    const listed = await cli(['presets', '--api-base', engine.url], env);
    expect(listed.code, listed.stderr).toBe(0);
    expect(listed.stdout).toMatch(
      new RegExp(
        `^account-${watermark.preset_id}\\s+Watermark .*\\(account\\)  UNAVAILABLE: ${reason.replace(/[()]/g, '\\$&')}$`,
        'm',
      ),
    );
    // A runnable account preset is listed without the mark.
    expect(listed.stdout).toMatch(/^account-\S+\s+MP3 audio .*\(account\)$/m);
    const json = await cli(['presets', '--json', '--api-base', engine.url], env);
    expect(JSON.parse(json.stdout)).toContainEqual(
      expect.objectContaining({ id: `account-${watermark.preset_id}`, unavailable: reason }),
    );

    const clip = await makeVideo(tmp.path, 'wm.mp4', { seconds: 1 });
    const uploadsBefore = engine.requestLog.filter((e) => e.path.endsWith('/files/upload')).length;
    const refused = await cli(
      ['convert', clip, '--preset', `account-${watermark.preset_id}`, '--api-base', engine.url],
      env,
    );
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain(`"Watermark" cannot be used here. ${reason}`);
    expect(refused.stderr).not.toContain('Usage:');
    expect(engine.requestLog.filter((e) => e.path.endsWith('/files/upload'))).toHaveLength(
      uploadsBefore,
    );
    // A key the API refuses while the account's presets are listed: status 3, as for a job.
    const wrongKey = `ffsk_${'0'.repeat(64)}`;
    const keyRefused = await cli(
      ['convert', clip, '--preset', `account-${watermark.preset_id}`, '--api-base', engine.url],
      { RENDERIO_API_KEY: wrongKey },
    );
    expect(keyRefused.code, keyRefused.stderr).toBe(3);
    expect(keyRefused.stderr).toMatch(/refused the key/);
    expect(keyRefused.stdout + keyRefused.stderr).not.toContain(wrongKey);

    // A runnable one converts: convert lists the account's presets when given an account id.
    const mp3 = await cli(
      [
        'convert',
        clip,
        '--preset',
        'account-00000000-0000-4000-8000-000000000004',
        '--api-base',
        engine.url,
      ],
      env,
    );
    expect(mp3.code, mp3.stderr).toBe(0);
    expect(mp3.stdout).toContain(`${clip} -> ${join(tmp.path, 'wm-mp3.mp3')}`);
  });

  it('lists presets', async () => {
    const result = await cli(['presets']);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^webm-vp9\s+WebM/m);
    expect(result.stdout.trim().split('\n').length).toBeGreaterThanOrEqual(15);
    const json = await cli(['presets', '--json']);
    expect((JSON.parse(json.stdout) as { id: string }[]).some((p) => p.id === 'mp3')).toBe(true);
    // A reader that is gone before the list is written (`| head`) is no crash.
    const gone = await new Promise<{ code: number | null; stderr: string }>((resolve, reject) => {
      const child = spawn(process.execPath, [BIN, 'presets'], {
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      child.stdout.destroy();
      let stderr = '';
      child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
      child.on('error', reject);
      child.on('exit', (code) => resolve({ code, stderr }));
    });
    expect(gone).toEqual({ code: 0, stderr: '' });
  });
});
