/**
 * Enqueue benchmark (prints figures, asserts nothing): adding a folder tree of 10,000 files to
 * the queue (walk, stat, dedupe, create jobs, one atomic save), against a bare recursive
 * readdir + stat of the same tree as the baseline; heap and RSS growth; the size of queue.json;
 * reloading it (a restart); a snapshot (what the UI loads); a move (what a person clicks).
 * Run: npx tsx bench/queue-enqueue.ts [count]
 */
import { mkdir, mkdtemp, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createJobQueue } from '../electron/core/queue/jobQueue';
import { loadQueue, openQueuePersistence } from '../electron/core/queue/queueStore';
import { partPathFor } from '../electron/core/transfers/download';
import { DEFAULT_SETTINGS } from '../electron/core/settings/appSettings';
import { BUILT_IN_PRESETS, mediaKindFromExtension } from '../shared/presets';

const COUNT = Number(process.argv[2] ?? 10_000);
const PER_DIR = 100;
const MB = 1024 * 1024;

const gc = (globalThis as { gc?: () => void }).gc;
const mem = () => {
  gc?.();
  const m = process.memoryUsage();
  return { heap: m.heapUsed, rss: m.rss };
};

async function walk(dir: string): Promise<number> {
  let n = 0;
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) n += await walk(path);
    else if ((await stat(path)).isFile()) n++;
  }
  return n;
}

const dir = await mkdtemp(join(tmpdir(), 'bench-enqueue-'));
try {
  const root = join(dir, 'library');
  for (let d = 0; d < Math.ceil(COUNT / PER_DIR); d++) {
    const sub = join(root, `folder-${String(d).padStart(3, '0')}`);
    await mkdir(sub, { recursive: true });
    await Promise.all(
      Array.from({ length: Math.min(PER_DIR, COUNT - d * PER_DIR) }, (_, i) =>
        writeFile(join(sub, `clip-${i}.mp4`), 'x'),
      ),
    );
  }
  console.log(`Enqueue ${COUNT} files (${Math.ceil(COUNT / PER_DIR)} folders of ${PER_DIR})`);

  // Warm the OS cache the same way for both sides, then time the bare walk.
  await walk(root);
  let t = performance.now();
  const walked = await walk(root);
  const walkMs = performance.now() - t;

  const preset = BUILT_IN_PRESETS.find((p) => p.id === 'webm-vp9')!;
  const options = {
    dataDir: join(dir, 'state'),
    clientFor: () => {
      throw new Error('not started');
    },
    partPathFor,
    presetById: (id: string) => BUILT_IN_PRESETS.find((p) => p.id === id),
    kindOf: (name: string) => mediaKindFromExtension(name),
    settings: () => DEFAULT_SETTINGS,
    activeProfileId: () => 'local',
    autoStart: false,
  };
  const queue = await createJobQueue(options);
  const before = mem();
  t = performance.now();
  const { added, rejected } = await queue.add({
    paths: [root],
    presetId: preset.id,
    outputDir: join(dir, 'out'),
    mirrorTree: true,
  });
  const addMs = performance.now() - t;
  const after = mem();
  const fileSize = (await stat(join(dir, 'state', 'queue.json'))).size;

  t = performance.now();
  const snapshot = queue.snapshot();
  const snapshotMs = performance.now() - t;
  const last = added.at(-1)!;
  t = performance.now();
  queue.move(last, 'top');
  const moveMs = performance.now() - t;
  await queue.close();

  t = performance.now();
  const reloaded = await createJobQueue(options);
  const reloadMs = performance.now() - t;
  const count = reloaded.snapshot().jobs.length;
  await reloaded.close();

  // What one job's step (a stage change) costs on disk in a queue this size: a journal line
  // (what the queue writes) against rewriting the whole snapshot (what it would cost without).
  const state = (await loadQueue(join(dir, 'state')))!;
  const persistence = openQueuePersistence(join(dir, 'bench-store'), () => state, state, {
    compactAfterLines: 1e9,
  });
  await persistence.saveAll();
  const STEPS = 50;
  t = performance.now();
  for (let i = 0; i < STEPS; i++) {
    state.jobs[i]!.stage = 'uploading';
    await persistence.saveJob(state.jobs[i]!);
  }
  const lineMs = (performance.now() - t) / STEPS;
  t = performance.now();
  for (let i = 0; i < 5; i++) await persistence.saveAll();
  const snapshotStepMs = (performance.now() - t) / 5;
  await persistence.close();

  const fmt = (ms: number) => `${ms.toFixed(0)} ms`;
  console.log(`bare readdir+stat walk     ${fmt(walkMs)} (${walked} files)`);
  console.log(
    `queue.add (walk+jobs+save) ${fmt(addMs)}  → ${(addMs / walkMs).toFixed(2)}× the bare walk, ${((addMs * 1000) / COUNT).toFixed(0)} µs per file`,
  );
  console.log(`  added ${added.length}, refused ${rejected.length}`);
  console.log(
    `heap growth                ${((after.heap - before.heap) / MB).toFixed(1)} MB (${((after.heap - before.heap) / COUNT / 1024).toFixed(2)} KB per job)${gc ? '' : ' (run with --expose-gc for exact figures)'}`,
  );
  console.log(
    `RSS growth                 ${((after.rss - before.rss) / MB).toFixed(1)} MB, RSS now ${(after.rss / MB).toFixed(0)} MB`,
  );
  console.log(
    `queue.json                 ${(fileSize / MB).toFixed(2)} MB (${(fileSize / COUNT).toFixed(0)} bytes per job)`,
  );
  console.log(`snapshot() for the UI      ${fmt(snapshotMs)} (${snapshot.jobs.length} jobs)`);
  console.log(`move to top                ${fmt(moveMs)}`);
  console.log(`reload after restart       ${fmt(reloadMs)} (${count} jobs)`);
  console.log(
    `one job's step on disk     journal line ${lineMs.toFixed(2)} ms (append + fdatasync) vs whole snapshot ${snapshotStepMs.toFixed(0)} ms → ${(snapshotStepMs / lineMs).toFixed(0)}× less`,
  );
} finally {
  await rm(dir, { recursive: true, force: true });
}
