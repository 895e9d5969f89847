/**
 * What the engine's state file costs as work piles up (prints, asserts nothing). The engine
 * rewrites `state.json` whole after each change (atomic: temp file, fsync, rename, folder
 * fsync), several times a job. Each job leaves a command and two file records behind; before
 * `recordRetentionHours` they stayed for ever. This times one write of a state with 0, 1,000
 * and 10,000 spent jobs behind it (tests/support/spentJobs: the records as the engine writes
 * them for an app job, ~2.2 KB a job), beside the baseline of writing the same bytes with a
 * plain `writeFile` (no fsync, no rename), and the same state after the retention sweep has
 * forgotten the spent jobs.
 * Run: npx tsx bench/engine-state.ts [--writes 20]
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { writeFileAtomic } from '../shared/node/atomicWrite';
import { forgetSpentRecords } from '../engine/retention';
import type { EngineState } from '../engine/state/records';
import { tempDir } from '../tests/support/media';
import { spentState } from '../tests/support/spentJobs';

const { values } = parseArgs({ options: { writes: { type: 'string', default: '20' } } });
const writes = Number(values.writes);
const temp = await tempDir('bench-engine-state-');

async function timeWrites(write: (text: string) => Promise<void>, state: EngineState) {
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  for (let i = 0; i < writes; i++) await write(JSON.stringify(state));
  const cpu = process.cpuUsage(cpu0);
  return { wall: (performance.now() - t0) / writes, cpu: (cpu.user + cpu.system) / 1000 / writes };
}

try {
  const target = join(temp.path, 'state.json');
  console.log(`Engine state writes, ${writes} each (${new Date().toISOString()})`);
  console.log(
    'jobs behind | state size | atomic write (wall, CPU) | plain writeFile (wall, CPU) | after the sweep',
  );
  for (const n of [0, 1000, 10_000]) {
    // Spent two days ago: the sweep's default window (24 h) forgets every one of them.
    const state = spentState(n, 48);
    const size = JSON.stringify(state).length;
    const atomic = await timeWrites((t) => writeFileAtomic(target, t), state);
    const plain = await timeWrites((t) => writeFile(target, t), state);
    const ctx = {
      store: { state, changed: () => undefined },
      config: { recordRetentionHours: 24 },
      logger: { info: () => undefined },
    } as unknown as Parameters<typeof forgetSpentRecords>[0];
    forgetSpentRecords(ctx);
    const swept = await timeWrites((t) => writeFileAtomic(target, t), state);
    console.log(
      `${String(n).padStart(11)} | ${(size / 1e6).toFixed(2).padStart(7)} MB | ${atomic.wall.toFixed(1)} ms, ${atomic.cpu.toFixed(1)} ms (${(atomic.wall / plain.wall).toFixed(2)}× plain) | ${plain.wall.toFixed(1)} ms, ${plain.cpu.toFixed(1)} ms | ${swept.wall.toFixed(1)} ms, ${swept.cpu.toFixed(1)} ms (${JSON.stringify(state).length} bytes)`,
    );
  }
} finally {
  await temp.cleanup();
}
