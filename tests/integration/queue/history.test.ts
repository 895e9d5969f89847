/**
 * The history of finished jobs with the real core, the local engine and ffmpeg: jobs that
 * finished (done, failed, cancelled) are in it the moment they finish, stay after "Clear
 * finished" and Remove, and after a restart of the core; the window reaches it through the
 * real IPC router (validation, paging, search, Open / Show in folder by entry id only).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { readFile, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { undiciFetch } from '../../../electron/core/client/undiciFetch';
import { createIpcCore } from '../../../electron/core/ipc/appBinding';
import { createIpcRouter, type IpcRouter } from '../../../electron/core/ipc/router';
import type { IpcEnvelope } from '../../../shared/ipc/contract';
import type { HistoryPage } from '../../../shared/history';
import { openCoreWithEngine, type CoreWithEngine } from '../../support/coreWithEngine';
import { fakeIpcMain } from '../../support/fakeIpcMain';
import { makeCorrupt, makeVideo, tempDir } from '../../support/media';
import { waitFinished } from './harness';

const fromApp = { senderFrame: { url: 'app://renderer/index.html' } };

let tmp: { path: string; cleanup(): Promise<void> } | null = null;
let opened: CoreWithEngine | null = null;
let router: IpcRouter | null = null;
afterEach(async () => {
  router?.dispose();
  await opened?.close();
  await tmp?.cleanup();
  router = null;
  opened = null;
  tmp = null;
});

async function open(dataDir: string) {
  opened = await openCoreWithEngine({
    dataDir,
    cipher: null,
    fetch: undiciFetch,
    env: {},
    activateLocalEngine: true,
  });
  const { core } = opened;
  const shown: string[] = [];
  const openedFiles: string[] = [];
  const ipc = fakeIpcMain();
  router = createIpcRouter({
    ipcMain: ipc.ipcMain,
    core: createIpcCore(core, {
      dialogs: {
        pickSources: async () => [],
        pickOutputDir: async () => null,
        pickKeyFile: async () => null,
        locateSource: async () => null,
      },
      clipboard: { readText: () => '' },
      shell: {
        showItemInFolder: (path) => void shown.push(path),
        openPath: async (path) => {
          openedFiles.push(path);
          return '';
        },
        startDrag: () => undefined,
        openExternal: async () => undefined,
      },
    }),
    allowedOrigins: ['app://renderer'],
    push: { send: () => undefined },
  });
  const invoke = async <T>(channel: string, arg?: unknown): Promise<IpcEnvelope<T>> => {
    const handler = ipc.handlers.get(channel);
    if (!handler) throw new Error(`no handler for ${channel}`);
    return (await handler(fromApp, arg)) as IpcEnvelope<T>;
  };
  const list = async (arg: object): Promise<HistoryPage> => {
    const answer = await invoke<HistoryPage>('history:list', arg);
    if (!answer.ok) throw new Error(answer.error.message);
    return answer.value;
  };
  return { core, invoke, list, shown, openedFiles };
}

describe('the history of finished jobs', () => {
  it('keeps done, failed and cancelled jobs after Clear finished, Remove and a restart', async () => {
    tmp = await tempDir('history-core-');
    const dataDir = join(tmp.path, 'data');
    const clip = await makeVideo(tmp.path, 'clip.mp4', { seconds: 1 });
    const broken = await makeCorrupt(tmp.path, 'broken.mp4');
    const later = await makeVideo(tmp.path, 'later.mp4', { seconds: 1 });

    const first = await open(dataDir);
    const { core } = first;
    const { added } = await core.queue.add({ paths: [clip, broken], presetId: 'webm-vp9-fast' });
    await waitFinished(core.queue, added);
    const done = core.queue.get(added[0]!)!;
    expect(done.stage, done.error?.message).toBe('done');
    expect(core.queue.get(added[1]!)!.stage).toBe('failed');
    // Recorded as they finished, before anything was cleared.
    expect(core.history.size()).toBe(2);

    // A job cancelled before it ran.
    core.queue.pauseAll();
    const { added: waiting } = await core.queue.add({ paths: [later], presetId: 'mp3' });
    await core.queue.cancel(waiting[0]!);
    core.queue.resumeAll();

    core.queue.clearFinished();
    await core.queue.remove([added[1]!]);
    expect(core.queue.snapshot().jobs).toHaveLength(0);

    const page = await first.list({ offset: 0, limit: 50 });
    expect(page.total).toBe(3);
    // Newest first: the cancelled one, then the other two in the order they finished.
    expect(page.entries.map((e) => e.finishedAt)).toEqual(
      page.entries.map((e) => e.finishedAt).sort((a, b) => b - a),
    );
    const find = (name: string) => page.entries.find((e) => e.sourceName === name);
    const [cancelled, failed, ok] = [find('later.mp4'), find('broken.mp4'), find('clip.mp4')];
    expect(page.entries[0]).toBe(cancelled);
    expect([cancelled!.status, failed!.status, ok!.status]).toEqual([
      'cancelled',
      'failed',
      'done',
    ]);
    expect(cancelled).toMatchObject({ reason: 'Cancelled.', outputPaths: [], presetId: 'mp3' });
    expect(failed!.reason).toMatch(/\S/);
    expect(failed!.reason).not.toContain('\n');
    expect(ok).toMatchObject({
      jobId: done.id,
      sourcePath: clip,
      sourceSize: (await stat(clip)).size,
      presetId: 'webm-vp9-fast',
      ranOn: { local: true, profileId: 'local', label: 'this computer' },
      outputPaths: done.outputPaths,
      outputBytes: (await stat(done.outputPaths[0]!)).size,
      startedAt: done.startedAt,
      finishedAt: done.finishedAt,
      reason: null,
      outputsExist: [true],
    });
    expect(ok!.presetName).toBe(done.settings.preset.name);
    expect(ok!.tookMs).toBe(done.finishedAt! - done.startedAt!);

    // Search by name, preset and status; paging.
    expect((await first.list({ text: 'clip', offset: 0, limit: 50 })).matching).toBe(1);
    expect((await first.list({ text: 'mp3', offset: 0, limit: 50 })).entries[0]!.sourceName).toBe(
      'later.mp4',
    );
    expect((await first.list({ status: 'failed', offset: 0, limit: 50 })).matching).toBe(1);
    const second = await first.list({ offset: 1, limit: 1 });
    expect(second.entries.map((e) => e.id)).toEqual([page.entries[1]!.id]);
    expect(second.matching).toBe(3);

    // Open and Show in folder by entry id: main looks the path up.
    expect((await first.invoke('history:open', { id: ok!.id })).ok).toBe(true);
    expect((await first.invoke('history:reveal', { id: ok!.id, output: 0 })).ok).toBe(true);
    expect(first.openedFiles).toEqual(done.outputPaths);
    expect(first.shown).toEqual(done.outputPaths);
    // A path is never an argument, and a page cannot ask for everything at once.
    const refused = await first.invoke('history:open', { id: ok!.id, path: '/etc/passwd' });
    expect(refused.ok === false && refused.error.code).toBe('invalid-argument');
    const huge = await first.invoke('history:list', { offset: 0, limit: 10_000 });
    expect(huge.ok === false && huge.error.code).toBe('invalid-argument');
    const none = await first.invoke('history:reveal', { id: failed!.id });
    expect(none.ok === false && none.error.code).toBe('not-found');

    // The file is the history: no key, no storage link.
    const text = await readFile(join(dataDir, 'history.jsonl'), 'utf8');
    expect(text).not.toMatch(/ffsk_/);
    expect(text).not.toMatch(/https?:\/\//);

    await opened!.close();
    router!.dispose();
    opened = null;

    // A restart: the same entries, and an output deleted meanwhile says so.
    await rm(done.outputPaths[0]!);
    const again = await open(dataDir);
    const after = await again.list({ offset: 0, limit: 50 });
    expect(after.entries.map((e) => e.id)).toEqual(page.entries.map((e) => e.id));
    expect(after.entries.find((e) => e.id === ok!.id)!.outputsExist).toEqual([false]);
    const gone = await again.invoke('history:open', { id: ok!.id });
    expect(gone.ok === false && gone.error.code).toBe('output-gone');
    expect(again.openedFiles).toEqual([]);

    // Remove one, then clear: on disk, and nothing comes back from the queue.
    expect((await again.invoke('history:remove', { id: cancelled!.id })).ok).toBe(true);
    expect((await again.list({ offset: 0, limit: 50 })).total).toBe(2);
    expect((await again.invoke('history:clear')).ok).toBe(true);
    expect((await again.list({ offset: 0, limit: 50 })).total).toBe(0);
  });

  it('the first start with a history records the finished jobs the queue still lists', async () => {
    tmp = await tempDir('history-seed-');
    const dataDir = join(tmp.path, 'data');
    const clip = await makeVideo(tmp.path, 'clip.mp4', { seconds: 1 });
    const first = await open(dataDir);
    const { added } = await first.core.queue.add({ paths: [clip], presetId: 'webm-vp9-fast' });
    await waitFinished(first.core.queue, added);
    await opened!.close();
    router!.dispose();
    opened = null;
    // As if this build were the first with a history: the queue has a finished job, no history.
    await rm(join(dataDir, 'history.jsonl'));
    const again = await open(dataDir);
    const page = await again.list({ offset: 0, limit: 10 });
    expect(page.entries.map((e) => [e.jobId, e.status])).toEqual([[added[0], 'done']]);
  });
});
