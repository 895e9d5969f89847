/**
 * The composition root as main, the CLI and the end-to-end harness use it: the local engine
 * with a per-launch key as the active profile, built-in presets, settings, and account presets
 * (listed from a cloud profile and run through execute).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createAppCore, type AppCore } from '../../../electron/core/appCore';
import { undiciFetch } from '../../../electron/core/client/undiciFetch';
import type { EngineHandle, EngineOptions } from '../../../engine/index';
import { openCoreWithEngine } from '../../support/coreWithEngine';
import { createIpcCore } from '../../../electron/core/ipc/appBinding';
import { codecOf, makeVideo, probe, tempDir } from '../../support/media';
import { createAccountPreset, WATERMARK } from '../../support/accountPresets';
import { addSessionProfile, waitFinished, waitStage } from './harness';
import { quietHost } from '../../support/quietHost';

let core: AppCore | null = null;
let engine: EngineHandle | null = null;
let tmp: { path: string; cleanup(): Promise<void> } | null = null;
afterEach(async () => {
  await core?.close();
  await engine?.close();
  await tmp?.cleanup();
  core = null;
  engine = null;
  tmp = null;
});

/**
 * The app's core over a fresh temp data dir, with the local engine started here as the
 * wiring does (both closed after each test).
 */
async function openCore(options: {
  localEngine: boolean;
  engineOptions?: Partial<EngineOptions>;
}): Promise<AppCore> {
  tmp = await tempDir('core-');
  const base = { dataDir: join(tmp.path, 'data'), cipher: null, fetch: undiciFetch, env: {} };
  if (options.localEngine) {
    const opened = await openCoreWithEngine({ ...base, engineOptions: options.engineOptions });
    engine = opened.engine;
    core = opened.core;
  } else {
    core = await createAppCore(base);
  }
  return core;
}

/** The engine openCore started. */
function started(): EngineHandle {
  if (!engine) throw new Error('no engine was started');
  return engine;
}

/** A folder for the test's source files in the temp dir. */
async function srcDir(): Promise<string> {
  const src = join(tmp!.path, 'src');
  await mkdir(src);
  return src;
}

describe('createAppCore', () => {
  it('refuses a custom preset the engine would refuse, before anything is uploaded', async () => {
    const core = await openCore({ localEngine: false });
    const base = {
      description: '',
      category: 'video' as const,
      accepts: ['video' as const],
      outputs: [{ alias: 'out_video', extension: 'mp4' }],
    };
    await expect(
      core.presets.create({
        ...base,
        name: 'Sneaky',
        ffmpegCommand: '-i {{in_file}} -i /etc/passwd -map 0 {{out_video}}',
      }),
    ).rejects.toThrow(/absolute|outside|path/i);
    const imported = await core.presets.importJson(
      JSON.stringify([
        {
          ...base,
          name: 'Net',
          ffmpegCommand: '-i {{in_file}} -i http://127.0.0.1:9/x {{out_video}}',
        },
      ]),
    );
    expect(imported.imported).toEqual([]);
    expect(imported.rejected[0]?.name).toBe('Net');
    const fine = await core.presets.create({
      ...base,
      name: 'Half',
      ffmpegCommand: '-i {{in_file}} -vf scale=iw/2:-2 {{out_video}}',
    });
    expect(fine.source).toBe('custom');
  });

  it('starts the local engine as the active profile and runs a built-in preset', async () => {
    const core = await openCore({ localEngine: true, engineOptions: { concurrency: 2 } });
    const status = await core.vault.status();
    expect(status.activeProfileId).toBe('local');
    expect(status.profiles.find((p) => p.profileId === 'local')).toMatchObject({
      kind: 'local',
      sessionOnly: true,
    });
    expect(
      core.presets.list().filter((p) => p.source === 'built-in').length,
    ).toBeGreaterThanOrEqual(15);
    expect(core.settings.get().cleanupRemote).toBe(true);
    expect(core.kindOf('a.MOV')).toBe('video');

    const src = await srcDir();
    const clip = await makeVideo(src, 'clip.mp4');
    const { added, rejected } = await core.queue.add({
      paths: [clip, join(src, 'x.txt')],
      presetId: 'webm-vp9-fast',
    });
    expect(rejected).toHaveLength(1);
    await waitFinished(core.queue, added);
    const job = core.queue.get(added[0]!)!;
    expect(job.stage, job.error?.message).toBe('done');
    expect(codecOf(await probe(job.outputPaths[0]!), 'video')).toBe('vp9');
    // The per-launch key is nowhere on disk.
    const vaultFile = await readFile(join(tmp!.path, 'data', 'keys.json'), 'utf8').catch(() => '');
    expect(vaultFile).not.toMatch(/ffsk_[0-9a-f]{64}/);
    expect(await readFile(join(tmp!.path, 'data', 'queue.json'), 'utf8')).not.toMatch(
      /ffsk_[0-9a-f]{64}/,
    );
  });

  it('lists account presets for a cloud profile and runs one through execute', async () => {
    const core = await openCore({ localEngine: true });
    const engine = started();
    // The engine stands in for the cloud: a cloud profile at its address with a key of its own.
    const key = await engine.createKey();
    const profile = await addSessionProfile(core.vault, 'Cloud', engine.url, key);
    const account = await core.presets.refreshAccount();
    const mp3 = account.find((p) => p.name === 'MP3 audio');
    expect(mp3).toMatchObject({ source: 'account', remoteInputKey: 'in_file' });
    const src = await srcDir();
    const clip = await makeVideo(src, 'clip.mp4', { seconds: 1 });
    const { added } = await core.queue.add({ paths: [clip], presetId: mp3!.id });
    await waitFinished(core.queue, added);
    const job = core.queue.get(added[0]!)!;
    expect(job.stage, job.error?.message).toBe('done');
    expect(job.settings.profileId).toBe(profile.profileId);
    expect(codecOf(await probe(job.outputPaths[0]!), 'audio')).toBe('mp3');
    expect(
      engine.requestLog.some(
        (e) => e.method === 'POST' && /\/presets\/[^/]+\/execute$/.test(e.path),
      ),
    ).toBe(true);
    // Back on the local engine, account presets are not offered.
    await core.vault.setActive('local');
    expect(await core.presets.refreshAccount()).toEqual([]);
  });

  it('lists an account preset with two inputs as unavailable and refuses jobs with it before upload', async () => {
    const core = await openCore({ localEngine: true });
    const engine = started();
    const key = await engine.createKey();
    await addSessionProfile(core.vault, 'Cloud', engine.url, key);
    const made = await createAccountPreset(engine.url, key, WATERMARK);
    const watermark = (await core.presets.refreshAccount()).find((p) => p.name === 'Watermark');
    const reason = 'Takes 2 inputs (in_video, in_logo); RenderIO Desktop sends one file per job.';
    expect(watermark).toMatchObject({ id: `account-${made.preset_id}`, unavailable: reason });
    expect(core.presets.list()).toContainEqual(watermark);
    const refusal = `"Watermark" cannot be used here. ${reason}`;

    const src = await srcDir();
    const clip = await makeVideo(src, 'clip.mp4', { seconds: 1 });
    expect(await core.queue.add({ paths: [clip, src], presetId: watermark!.id })).toEqual({
      added: [],
      rejected: [
        { path: clip, reason: refusal },
        { path: src, reason: refusal },
      ],
      alreadyDone: [],
    });
    // Nor can a queued job be switched to it.
    core.queue.pauseAll();
    const { added } = await core.queue.add({ paths: [clip], presetId: 'mp3' });
    expect(core.queue.applyPreset(added, watermark!.id)).toEqual({
      applied: [],
      // The reason names the file: Change… on a selection lists several.
      skipped: [{ id: added[0], reason: expect.stringContaining(refusal) }],
    });
    expect(core.queue.get(added[0]!)?.settings.presetId).toBe('mp3');
    expect(
      engine.requestLog.filter((e) => e.method === 'POST' && e.path.includes('/files')),
    ).toEqual([]);
  });

  it("never lists one account's presets under another, even when the other cannot be reached", async () => {
    const core = await openCore({ localEngine: true });
    const engine = started();
    const key = await engine.createKey();
    await addSessionProfile(core.vault, 'Studio', engine.url, key);
    await createAccountPreset(engine.url, key, WATERMARK);
    // The binding the renderer's presets:refresh-account reaches; no dialog, clipboard or shell.
    const ipc = createIpcCore(core, quietHost());
    const studio = await ipc.presets.refreshAccount();
    expect(studio.accountError).toBeNull();
    expect(studio.presets.filter((p) => p.source === 'account').map((p) => p.name)).toContain(
      'Watermark',
    );

    // A second account whose RenderIO is gone: its key is kept unverified, its listing fails.
    const gone = await core.vault.addProfile({ name: 'Gone', baseUrl: 'http://127.0.0.1:9' });
    await core.vault.set(key, { profileId: gone.profileId, sessionOnly: true });
    await core.vault.setActive(gone.profileId);
    const offline = await ipc.presets.refreshAccount();
    expect(offline.accountError).toMatch(/^Your RenderIO presets could not be listed: .+/);
    expect(offline.accountError).not.toContain(key.slice(5, 21));
    expect(offline.presets.filter((p) => p.source === 'account')).toEqual([]);
    expect(offline.presets.some((p) => p.id === 'webm-vp9')).toBe(true);
  });

  it('holds jobs after a 401 and releases them when a new key is set through the app', async () => {
    const core = await openCore({ localEngine: true });
    const engine = started();
    const key1 = await engine.createKey();
    const profile = await addSessionProfile(core.vault, 'Cloud', engine.url, key1);
    await engine.revokeKey(key1);
    const src = await srcDir();
    const clips = [
      await makeVideo(src, 'one.mp4', { seconds: 1 }),
      await makeVideo(src, 'two.mp4', { seconds: 1 }),
    ];
    const { added } = await core.queue.add({ paths: clips, presetId: 'mp3' });
    for (const id of added) await waitStage(core.queue, id, ['waiting-for-key']);
    expect((await core.vault.profileStatus(profile.profileId))?.verified).toBe(false);

    // The same call the Account panel and the CLI make; nobody tells the queue by hand.
    const key2 = await engine.createKey();
    expect(
      (await core.vault.set(key2, { profileId: profile.profileId, sessionOnly: true })).ok,
    ).toBe(true);
    await waitFinished(core.queue, added);
    for (const id of added) {
      const job = core.queue.get(id)!;
      expect(job.stage, job.error?.message).toBe('done');
      expect(codecOf(await probe(job.outputPaths[0]!), 'audio')).toBe('mp3');
    }
  });
});
