/**
 * "Choose ffmpeg…" against real binaries in a temp folder (electron/core/localEngine/
 * ffmpegChoice.ts): the Debian ffmpeg through a symlink and a wrapper under a folder named with
 * spaces and a non-ASCII letter works; a build lacking an encoder works with its presets marked;
 * /bin/ls, a text file, an ffmpeg that crashes or fails at -version, one without the execute bit
 * and one without ffprobe beside it are each refused in one plain sentence (no errno codes; those
 * go to the log). Then the whole row through the IPC router on a real core whose engine found
 * no ffmpeg: a refused choice saves nothing and restarts nothing; a good one is saved, the engine
 * restarted with it and the status pushed; "Use automatic" goes back.
 */
import { symlink, writeFile, readFile, chmod, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  checkChosenFfmpeg,
  type FfmpegCheck,
} from '../../../electron/core/localEngine/ffmpegChoice';
import { createIpcCore } from '../../../electron/core/ipc/appBinding';
import { createIpcRouter, type IpcInvokeEventLike } from '../../../electron/core/ipc/router';
import { undiciFetch } from '../../../electron/core/client/undiciFetch';
import type { IpcEnvelope } from '../../../shared/ipc/contract';
import type { FfmpegChoiceResult, LocalEngineStatus } from '../../../shared/localEngine';
import { ipcChannels, ENGINE_STATUS_CHANNEL } from '../../../shared/ipc/channels';
import { openCoreWithEngine, type CoreWithEngine } from '../../support/coreWithEngine';
import { realTool, writeScript, writeWrapper } from '../../support/fakeFfmpeg';
import { fakeIpcMain } from '../../support/fakeIpcMain';
import { tempDir } from '../../support/media';
import { TestCipher } from '../../support/testCipher';
import { quietHost } from '../../support/quietHost';

const ERRNO = /\bE[A-Z]{3,}\b/;

let dir: { path: string; cleanup(): Promise<void> };
/** A folder whose name has spaces and a non-ASCII letter, as people's folders do. */
let odd: string;
beforeAll(async () => {
  dir = await tempDir('renderio-choose-ffmpeg-');
  odd = join(dir.path, 'my ffmpeg ü');
  await mkdir(odd, { recursive: true });
});
afterAll(async () => {
  await dir.cleanup();
});

function refusal(check: FfmpegCheck): { message: string; detail: string } {
  expect(check.ok).toBe(false);
  if (check.ok) throw new Error('expected a refusal');
  expect(check.message).not.toMatch(ERRNO);
  expect(check.message).not.toContain('\n');
  return check;
}

/** A folder with an ffprobe that works, for the stand-ins whose ffmpeg is the thing tested. */
async function folderWithProbe(name: string): Promise<string> {
  const folder = join(dir.path, name);
  await writeWrapper(folder, 'ffprobe');
  return folder;
}

describe('checkChosenFfmpeg on real files', () => {
  it('the Debian ffmpeg through symlinks in "my ffmpeg ü" works, under the path chosen', async () => {
    const folder = join(odd, 'links');
    await mkdir(folder);
    await symlink(realTool('ffmpeg'), join(folder, 'ffmpeg'));
    await symlink(realTool('ffprobe'), join(folder, 'ffprobe'));
    const check = await checkChosenFfmpeg(join(folder, 'ffmpeg'));
    expect(check.ok).toBe(true);
    if (!check.ok) return;
    expect(check.ffmpeg.ffmpeg).toEqual({ path: join(folder, 'ffmpeg'), source: 'chosen' });
    expect(check.ffmpeg.ffprobe).toMatchObject({
      path: join(folder, 'ffprobe'),
      besideFfmpeg: true,
    });
    expect(check.ffmpeg.summary).toMatch(/^ffmpeg 5\.\d+ \(chosen\)$/);
  });

  it('a wrapper script of the real ffmpeg in "my ffmpeg ü" works', async () => {
    const folder = join(odd, 'wrapper');
    const ffmpeg = await writeWrapper(folder, 'ffmpeg');
    await writeWrapper(folder, 'ffprobe');
    const check = await checkChosenFfmpeg(ffmpeg);
    expect(check.ok).toBe(true);
  });

  it('a build without libx264 is accepted; the presets that need it are counted out', async () => {
    const folder = join(dir.path, 'no x264');
    const ffmpeg = await writeWrapper(folder, 'ffmpeg', { withoutEncoders: ['libx264'] });
    await writeWrapper(folder, 'ffprobe');
    const check = await checkChosenFfmpeg(ffmpeg);
    expect(check.ok).toBe(true);
    if (!check.ok) return;
    expect(check.ffmpeg.capabilities.encoders).not.toContain('libx264');
    expect(check.ffmpeg.capabilities.encoders).toContain('libvpx-vp9');
  });

  it('/bin/ls is not ffmpeg', async () => {
    const r = refusal(await checkChosenFfmpeg('/bin/ls'));
    expect(r.message).toBe('/bin/ls is not ffmpeg: it does not answer as ffmpeg does.');
    expect(r.detail).toContain('exited with code');
  });

  it('a text file marked as a program is not ffmpeg', async () => {
    const folder = await folderWithProbe('text');
    const path = join(folder, 'ffmpeg');
    await writeFile(path, 'these are my notes about ffmpeg\n');
    await chmod(path, 0o755);
    const r = refusal(await checkChosenFfmpeg(path));
    expect(r.message).toBe(`${path} is not ffmpeg: it does not answer as ffmpeg does.`);
  });

  it('an ffmpeg that crashes at -version (killed by a signal)', async () => {
    const folder = await folderWithProbe('crash');
    const path = await writeScript(folder, 'ffmpeg', 'kill -SEGV $$');
    const r = refusal(await checkChosenFfmpeg(path));
    expect(r.message).toBe(
      `ffmpeg at ${path} crashed when it was started (it may be damaged or built for another system).`,
    );
    expect(r.detail).toContain('SIGSEGV');
  });

  it('an ffmpeg that prints its version, then exits non-zero', async () => {
    const folder = await folderWithProbe('broken');
    const path = await writeScript(
      folder,
      'ffmpeg',
      'echo "ffmpeg version 6.1 Copyright"; echo "error while loading shared libraries: libavdevice.so.60" >&2; exit 127',
    );
    const r = refusal(await checkChosenFfmpeg(path));
    expect(r.message).toBe(
      `ffmpeg at ${path} stopped with an error when it was started (it may be damaged or missing a library).`,
    );
    expect(r.detail).toContain('libavdevice');
  });

  it('an ffmpeg without the execute bit', async () => {
    const folder = await folderWithProbe('no exec');
    const path = await writeWrapper(folder, 'ffmpeg');
    await chmod(path, 0o644);
    const r = refusal(await checkChosenFfmpeg(path));
    expect(r.message).toBe(
      `The ffmpeg you chose cannot be run: ${path} is not marked as a program.`,
    );
    // The errno code is for the log only.
    expect(r.detail).toContain('EACCES');
  });

  it('an ffmpeg with no ffprobe beside it (PATH has one, but another build is not taken)', async () => {
    const folder = join(dir.path, 'alone ü');
    const path = await writeWrapper(folder, 'ffmpeg');
    const r = refusal(await checkChosenFfmpeg(path));
    expect(r.message).toBe(
      `There is no ffprobe beside ${path}: choose an ffmpeg whose folder also holds ffprobe (they come together).`,
    );
  });

  it('a file that is gone', async () => {
    const path = join(dir.path, 'gone', 'ffmpeg');
    const r = refusal(await checkChosenFfmpeg(path));
    expect(r.message).toBe(`The ffmpeg you chose was not found at ${path}.`);
  });
});

describe('engine:choose-ffmpeg and engine:use-automatic-ffmpeg on a core without ffmpeg', () => {
  const fromApp: IpcInvokeEventLike = { senderFrame: { url: 'app://renderer/index.html' } };
  let data: { path: string; cleanup(): Promise<void> };
  let opened: CoreWithEngine;
  let invoke: (channel: string, arg?: unknown) => Promise<IpcEnvelope<unknown>>;
  const answers: (string | null)[] = [];
  const pushed: LocalEngineStatus[] = [];
  const logLines: string[] = [];
  let restarts = 0;
  let dispose: () => void;

  beforeAll(async () => {
    data = await tempDir('renderio-choose-ffmpeg-core-');
    opened = await openCoreWithEngine({
      dataDir: data.path,
      fetch: undiciFetch,
      cipher: new TestCipher({ backend: 'gnome_libsecret', secure: true }),
      env: { RENDERIO_BASE_URL: 'http://127.0.0.1:9' },
      activateLocalEngine: true,
      logSink: (_level, line) => void logLines.push(line),
      engineOptions: { ffmpegSearch: { env: { PATH: '' }, commonFolders: [] } },
    });
    const { ipcMain, handlers } = fakeIpcMain();
    const router = createIpcRouter({
      ipcMain,
      core: createIpcCore(opened.core, {
        ...quietHost(),
        toolsDialogs: {
          pickPresetFile: async () => null,
          pickPresetSaveFile: async () => null,
          pickWatchFolder: async () => null,
        },
        engineControl: {
          pickFfmpeg: async () => answers.shift() ?? null,
          restart: async () => {
            restarts += 1;
            await opened.restartEngine();
          },
        },
      }),
      allowedOrigins: ['app://renderer'],
      push: {
        send: (channel, payload) => {
          if (channel === ENGINE_STATUS_CHANNEL) pushed.push(payload as LocalEngineStatus);
        },
      },
    });
    dispose = () => router.dispose();
    invoke = async (channel, arg) =>
      (await handlers.get(channel)!(
        fromApp,
        ...(arg === undefined ? [] : [arg]),
      )) as IpcEnvelope<unknown>;
  });
  afterAll(async () => {
    dispose();
    await opened.close();
    await data.cleanup();
  });

  const choose = async (): Promise<FfmpegChoiceResult> => {
    const envelope = await invoke(ipcChannels.engine.chooseFfmpeg);
    expect(envelope.ok).toBe(true);
    return (envelope as { value: FfmpegChoiceResult }).value;
  };
  const savedChoice = async (): Promise<unknown> =>
    (
      JSON.parse(await readFile(join(data.path, 'settings.json'), 'utf8').catch(() => '{}')) as {
        chosenFfmpeg?: unknown;
      }
    ).chosenFfmpeg;

  it('starts without ffmpeg', () => {
    expect(opened.core.localEngineStatus().problem).toMatch(/^ffmpeg not found/);
  });

  it('a cancelled dialog changes nothing', async () => {
    answers.push(null);
    expect(await choose()).toEqual({ outcome: 'cancelled' });
    expect(restarts).toBe(0);
  });

  it('a refused file is neither saved nor handed to the engine; the log has the detail', async () => {
    const folder = await folderWithProbe('refused');
    const noExec = await writeWrapper(folder, 'ffmpeg');
    await chmod(noExec, 0o644);
    for (const path of ['/bin/ls', noExec]) {
      answers.push(path);
      const result = await choose();
      expect(result.outcome).toBe('refused');
      if (result.outcome !== 'refused') return;
      expect(result.message).not.toMatch(ERRNO);
      expect(result.message).toContain(path);
    }
    expect(restarts).toBe(0);
    expect(await savedChoice()).toBeUndefined();
    expect(opened.core.settings.get().chosenFfmpeg).toBeNull();
    expect(logLines.some((l) => l.includes('refused ffmpeg') && l.includes('EACCES'))).toBe(true);
  });

  it('the page cannot name an ffmpeg itself through the settings rows', async () => {
    const tools = await invoke(ipcChannels.appSettings.update, { chosenFfmpeg: '/bin/ls' });
    expect(tools).toMatchObject({ ok: false, error: { code: 'invalid-argument' } });
    const output = await invoke(ipcChannels.settings.update, { chosenFfmpeg: '/bin/ls' });
    expect(output).toMatchObject({ ok: false, error: { code: 'invalid-argument' } });
    expect(opened.core.settings.get().chosenFfmpeg).toBeNull();
  });

  it('a working ffmpeg in "my ffmpeg ü" is saved, the engine restarted with it, the status pushed', async () => {
    const folder = join(odd, 'for the core');
    await mkdir(folder);
    const ffmpeg = join(folder, 'ffmpeg');
    await symlink(realTool('ffmpeg'), ffmpeg);
    await symlink(realTool('ffprobe'), join(folder, 'ffprobe'));
    pushed.length = 0;
    answers.push(ffmpeg);
    const result = await choose();
    expect(result).toMatchObject({ outcome: 'applied', chosenFfmpeg: ffmpeg });
    if (result.outcome !== 'applied') return;
    expect(result.message).toBe(`This computer now converts with ffmpeg 5.1 from ${folder}.`);
    expect(result.status).toMatchObject({
      state: 'ready',
      problem: null,
      summary: 'ffmpeg 5.1 (chosen)',
      unavailablePresets: {},
    });
    expect(restarts).toBe(1);
    expect(await savedChoice()).toBe(ffmpeg);
    expect(pushed.at(-1)).toMatchObject({ summary: 'ffmpeg 5.1 (chosen)', problem: null });
    const tools = await invoke(ipcChannels.appSettings.get);
    expect(tools).toMatchObject({ ok: true, value: { chosenFfmpeg: ffmpeg } });
  });

  it('a build lacking libx264 says how many presets it leaves to RenderIO', async () => {
    const folder = join(dir.path, 'no x264 for the core');
    const ffmpeg = await writeWrapper(folder, 'ffmpeg', { withoutEncoders: ['libx264'] });
    await writeWrapper(folder, 'ffprobe');
    answers.push(ffmpeg);
    const result = await choose();
    expect(result.outcome).toBe('applied');
    if (result.outcome !== 'applied') return;
    const marked = Object.keys(result.status.unavailablePresets);
    expect(marked).toContain('mp4-h264');
    expect(result.message).toContain(`${marked.length} presets run on RenderIO only with it.`);
  });

  it('"Use automatic" forgets the choice and restarts: this computer has none again', async () => {
    const envelope = await invoke(ipcChannels.engine.useAutomaticFfmpeg);
    expect(envelope.ok).toBe(true);
    const result = (envelope as { value: FfmpegChoiceResult }).value;
    expect(result).toMatchObject({ outcome: 'applied', chosenFfmpeg: null });
    if (result.outcome !== 'applied') return;
    expect(result.status.problem).toMatch(/^ffmpeg not found/);
    expect(result.message).toMatch(/^No ffmpeg was found automatically\./);
    expect(await savedChoice()).toBeNull();
    expect(restarts).toBe(3);
  });
});
