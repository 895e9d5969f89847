/**
 * The watch service over real temp folders and real files, with a queue that records what it
 * is given (the 50-file test in tests/integration/watch runs the real queue).
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { chmod, mkdir, open, rename, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { AddJobsRequest, AddJobsResult } from '../../../../../shared/jobs';
import {
  createWatchService,
  type WatchService,
} from '../../../../../electron/core/watch/watchService';
import type { scanFolder } from '../../../../../electron/core/watch/folderScan';
import { tempDir } from '../../../../support/media';

const STABLE_MS = 300;

class RecordingQueue {
  readonly requests: AddJobsRequest[] = [];
  readonly outputs: string[] = [];
  get paths(): string[] {
    return this.requests.flatMap((r) => r.paths);
  }
  async add(request: AddJobsRequest): Promise<AddJobsResult> {
    this.requests.push(request);
    return { added: request.paths.map((_, i) => `job-${i}`), rejected: [], alreadyDone: [] };
  }
  outputPaths(): string[] {
    return this.outputs;
  }
}

let tmp: { path: string; cleanup(): Promise<void> };
let inbox: string;
let out: string;
let queue: RecordingQueue;
let service: WatchService | null;

async function open_(dataDir = join(tmp.path, 'data')): Promise<WatchService> {
  service = await createWatchService({
    dataDir,
    queue,
    presetProblem: (id) => (id === 'webm-vp9' ? null : `Unknown preset "${id}".`),
    stableMs: STABLE_MS,
    pollMs: 60_000, // the test scans when it chooses
  });
  return service;
}

/** Scans until the wait is surely over (two scans at least STABLE_MS apart). */
async function settle(w: WatchService): Promise<void> {
  await w.scanNow();
  await new Promise((r) => setTimeout(r, STABLE_MS + 50));
  await w.scanNow();
}

beforeEach(async () => {
  tmp = await tempDir('watch-unit-');
  inbox = join(tmp.path, 'inbox');
  out = join(tmp.path, 'out');
  await mkdir(inbox);
  await mkdir(join(tmp.path, 'data'));
  queue = new RecordingQueue();
  service = null;
});
afterEach(async () => {
  await service?.close();
  await tmp.cleanup();
});

describe('watch folders', () => {
  it('queues a new file once it stops growing, and never a file still being written', async () => {
    const w = await open_();
    await w.add({ folder: inbox, presetId: 'webm-vp9', outputDir: out });
    const growing = await open(join(inbox, 'growing.mp4'), 'w');
    await growing.write(Buffer.alloc(1000, 1));
    await writeFile(join(inbox, 'done.mp4'), Buffer.alloc(500, 2));
    await w.scanNow();
    expect(queue.paths).toEqual([]);
    expect(w.list()[0]?.waitingCount).toBe(2);
    for (let i = 0; i < 3; i++) {
      await new Promise((r) => setTimeout(r, STABLE_MS / 2));
      await growing.write(Buffer.alloc(1000, 1));
      await w.scanNow();
    }
    // done.mp4 held still for longer than the wait; growing.mp4 kept changing.
    expect(queue.paths).toEqual([join(inbox, 'done.mp4')]);
    await growing.close();
    await settle(w);
    expect(queue.paths).toEqual([join(inbox, 'done.mp4'), join(inbox, 'growing.mp4')]);
    expect(queue.requests[0]).toMatchObject({ presetId: 'webm-vp9', outputDir: out });
    expect(w.list()[0]).toMatchObject({ state: 'watching', queuedCount: 2, waitingCount: 0 });
  });

  it('never queues the same file twice, across restarts too; a replaced file is new', async () => {
    let w = await open_();
    await w.add({ folder: inbox, presetId: 'webm-vp9', outputDir: out });
    await writeFile(join(inbox, 'a.mp4'), 'first');
    await settle(w);
    await settle(w);
    expect(queue.paths).toEqual([join(inbox, 'a.mp4')]);
    await w.close();
    w = await open_();
    expect(w.list()).toHaveLength(1);
    await settle(w);
    expect(queue.paths).toHaveLength(1);
    await writeFile(join(inbox, 'a.mp4'), 'second, longer');
    await settle(w);
    expect(queue.paths).toEqual([join(inbox, 'a.mp4'), join(inbox, 'a.mp4')]);
  });

  it("skips the app's own outputs, files in the output folder, hidden and partial files", async () => {
    const w = await open_();
    const inner = join(inbox, 'converted');
    await w.add({ folder: inbox, presetId: 'webm-vp9', outputDir: inner });
    await writeFile(join(inner, 'result.webm'), 'an output');
    await writeFile(join(inbox, 'mine.webm'), 'written by a job');
    queue.outputs.push(join(inbox, 'mine.webm'));
    for (const name of ['.hidden.mp4', 'copy.mp4.part', 'dl.crdownload', 'x.tmp'])
      await writeFile(join(inbox, name), 'not yet');
    await mkdir(join(inbox, 'sub'));
    await writeFile(join(inbox, 'sub', 'deep.mp4'), 'in a sub-folder');
    await settle(w);
    expect(queue.paths).toEqual([join(inbox, 'sub', 'deep.mp4')]);
  });

  it('refuses the output folder itself, a watched folder inside the output folder, and an unknown preset', async () => {
    const w = await open_();
    await expect(w.add({ folder: inbox, presetId: 'webm-vp9', outputDir: inbox })).rejects.toThrow(
      /cannot be the watched folder itself/,
    );
    await expect(
      w.add({ folder: inbox, presetId: 'webm-vp9', outputDir: resolve(inbox, '..') }),
    ).rejects.toThrow(/inside the output folder/);
    await expect(w.add({ folder: inbox, presetId: 'nope', outputDir: out })).rejects.toThrow(
      'Unknown preset "nope".',
    );
    await expect(
      w.add({ folder: join(tmp.path, 'absent'), presetId: 'webm-vp9', outputDir: out }),
    ).rejects.toThrow(/not there any more/);
    await writeFile(join(tmp.path, 'file.txt'), 'x');
    await expect(
      w.add({ folder: join(tmp.path, 'file.txt'), presetId: 'webm-vp9', outputDir: out }),
    ).rejects.toThrow(/not a folder|a file/);
    expect(w.list()).toEqual([]);
  });

  it('says when the folder disappears (a share that drops) and resumes when it is back', async () => {
    const w = await open_();
    await w.add({ folder: inbox, presetId: 'webm-vp9', outputDir: out });
    const seen: string[] = [];
    w.subscribe((list) => seen.push(list[0]?.state ?? 'none'));
    await rename(inbox, `${inbox}-away`);
    await w.scanNow();
    expect(w.list()[0]).toMatchObject({ state: 'missing' });
    expect(w.list()[0]?.problem).toMatch(/not there any more.*resumes when it is back/);
    await writeFile(join(`${inbox}-away`, 'while-away.mp4'), 'x');
    await rename(`${inbox}-away`, inbox);
    await settle(w);
    expect(w.list()[0]).toMatchObject({ state: 'watching', problem: null });
    expect(queue.paths).toEqual([join(inbox, 'while-away.mp4')]);
    expect(seen).toContain('missing');
  });

  it('pauses (nothing queued) and resumes; removing a watch forgets it on disk', async () => {
    const w = await open_();
    const added = await w.add({ folder: inbox, presetId: 'webm-vp9', outputDir: out });
    await w.setPaused(added.id, true);
    await writeFile(join(inbox, 'a.mp4'), 'x');
    await settle(w);
    expect(queue.paths).toEqual([]);
    expect(w.list()[0]?.state).toBe('paused');
    await w.setPaused(added.id, false);
    await settle(w);
    expect(queue.paths).toEqual([join(inbox, 'a.mp4')]);
    await w.remove(added.id);
    await w.close();
    expect((await open_()).list()).toEqual([]);
  });

  it.runIf(process.getuid?.() === 0)(
    'reports a folder this app may not read (checked as an unprivileged user)',
    async () => {
      // Root reads everything, so the scan runs in a child process as "nobody".
      await chmod(tmp.path, 0o755);
      const locked = join(tmp.path, 'locked');
      await mkdir(locked, { mode: 0o700 });
      const script = `import { scanFolder } from ${JSON.stringify(resolve('electron/core/watch/folderScan.ts'))};
console.log(JSON.stringify(await scanFolder(${JSON.stringify(locked)}, '/nowhere')));`;
      const child = spawnSync(
        process.execPath,
        ['--import', 'tsx', '--input-type=module', '-e', script],
        {
          uid: 65534,
          gid: 65534,
          cwd: resolve('.'),
          encoding: 'utf8',
        },
      );
      expect(child.status, child.stderr).toBe(0);
      const result = JSON.parse(child.stdout) as Awaited<ReturnType<typeof scanFolder>>;
      expect(result).toMatchObject({ ok: false, state: 'unreadable' });
      expect(!result.ok && result.problem).toMatch(/not allowed to read/);
      expect(!result.ok && result.problem).not.toMatch(/EACCES/);
    },
  );
});
