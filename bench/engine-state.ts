/**
 * What the engine's state file costs as work piles up (prints, asserts nothing). The engine
 * rewrites `state.json` whole after each change (atomic: temp file, fsync, rename, folder
 * fsync), several times a job. Each job leaves a command and two file records behind; before
 * `recordRetentionHours` they stayed for ever. This runs one real job through the engine to get
 * real records, then times one write of the state with 0, 1,000 and 10,000 such jobs behind it,
 * beside the baseline of writing the same bytes with a plain `writeFile` (no fsync, no
 * rename), and the same state after the retention sweep has forgotten the spent jobs.
 * Run: npx tsx bench/engine-state.ts [--writes 20]
 */
import { randomUUID } from 'node:crypto';
import { openAsBlob } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { writeFileAtomic } from '../shared/node/atomicWrite';
import { startLocalEngine } from '../engine/localEngine';
import { forgetSpentRecords } from '../engine/retention';
import type { EngineState } from '../engine/state/records';
import { makeVideo, tempDir } from '../tests/support/media';

const { values } = parseArgs({ options: { writes: { type: 'string', default: '20' } } });
const writes = Number(values.writes);

const temp = await tempDir('bench-engine-state-');
const dir = temp.path;
const { handle, link } = await startLocalEngine({ dataDir: join(dir, 'engine') });
const api = (path: string, init: RequestInit = {}) =>
  fetch(link.url + path, { ...init, headers: { ...init.headers, 'X-API-KEY': link.key } });
// One real job, cleaned up as the app cleans up: its outputs, then its input.
const clip = await makeVideo(dir, 'clip.mp4', { seconds: 1 });
const form = new FormData();
form.append('file', await openAsBlob(clip), 'clip.mp4');
const upload = await api('/api/v1/files/upload', { method: 'POST', body: form });
const { file_id } = (await upload.json()) as { file_id: string };
let url: string | null = null;
while (!url) {
  const f = (await (await api(`/api/v1/files/${file_id}`)).json()) as {
    storage_url: string | null;
  };
  url = f.storage_url;
  if (!url) await new Promise((r) => setTimeout(r, 50));
}
const submitted = await api('/api/v1/run-ffmpeg-command', {
  method: 'POST',
  headers: { 'Content-Type': 'application/json' },
  body: JSON.stringify({
    input_files: { in_v: url },
    output_files: { out_v: 'out.mp4' },
    ffmpeg_command: '-i {{in_v}} -c copy {{out_v}}',
  }),
});
const { command_id } = (await submitted.json()) as { command_id: string };
for (;;) {
  const c = (await (await api(`/api/v1/commands/${command_id}?wait_ms=2000`)).json()) as {
    status: string;
  };
  if (c.status === 'SUCCESS' || c.status === 'FAILED') break;
}
await api(`/api/v1/commands/${command_id}/files`, { method: 'DELETE' });
await api(`/api/v1/files/${file_id}`, { method: 'DELETE' });
await handle.close();
const real = JSON.parse(await readFile(join(dir, 'engine', 'state.json'), 'utf8')) as EngineState;
const command = Object.values(real.commands)[0]!;
const files = Object.values(real.files);

/** A state with `n` spent jobs behind it, each a copy of the real one under new ids. */
function stateWith(n: number): EngineState {
  const state: EngineState = { ...real, files: {}, commands: {} };
  for (let i = 0; i < n; i++) {
    const ids = new Map(files.map((f) => [f.file_id, randomUUID()]));
    for (const f of files)
      state.files[ids.get(f.file_id)!] = { ...f, file_id: ids.get(f.file_id)! };
    const id = randomUUID();
    const outputs = Object.fromEntries(
      Object.entries(command.outputs).map(([k, o]) => [k, { ...o, file_id: ids.get(o.file_id)! }]),
    );
    state.commands[id] = { ...command, command_id: id, outputs };
  }
  return state;
}

async function timeWrites(write: (text: string) => Promise<void>, state: EngineState) {
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  for (let i = 0; i < writes; i++) await write(JSON.stringify(state));
  const cpu = process.cpuUsage(cpu0);
  return { wall: (performance.now() - t0) / writes, cpu: (cpu.user + cpu.system) / 1000 / writes };
}

const target = join(dir, 'state.json');
console.log(
  `Engine state writes, ${writes} each (one real job's records copied; ${new Date().toISOString()})`,
);
console.log(
  'jobs behind | state size | atomic write (wall, CPU) | plain writeFile (wall, CPU) | after the sweep',
);
for (const n of [0, 1000, 10_000]) {
  const state = stateWith(n);
  const size = JSON.stringify(state).length;
  const atomic = await timeWrites((t) => writeFileAtomic(target, t), state);
  const plain = await timeWrites((t) => writeFile(target, t), state);
  // The sweep with a window already passed: every spent job goes.
  const ctx = {
    store: { state, changed: () => undefined },
    config: { recordRetentionHours: 0 },
    logger: { info: () => undefined },
  } as unknown as Parameters<typeof forgetSpentRecords>[0];
  forgetSpentRecords(ctx, Date.now() + 1000);
  const swept = await timeWrites((t) => writeFileAtomic(target, t), state);
  console.log(
    `${String(n).padStart(11)} | ${(size / 1e6).toFixed(2).padStart(7)} MB | ${atomic.wall.toFixed(1)} ms, ${atomic.cpu.toFixed(1)} ms (${(atomic.wall / plain.wall).toFixed(2)}× plain) | ${plain.wall.toFixed(1)} ms, ${plain.cpu.toFixed(1)} ms | ${swept.wall.toFixed(1)} ms, ${swept.cpu.toFixed(1)} ms (${JSON.stringify(state).length} bytes)`,
  );
}
await temp.cleanup();
