/**
 * `npm run bench [-- NAME...]`: runs the benchmarks one after another (they measure the
 * machine, so never in parallel), each in its own process, and prints their reports.
 * Names: engine, engine-state, client, queue-polling, queue-enqueue, cli, local-batch. With none, all of them.
 */
import { spawnSync } from 'node:child_process';
import { loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';

const ALL = [
  'engine',
  'engine-state',
  'client',
  'queue-polling',
  'queue-enqueue',
  'cli',
  'local-batch',
] as const;
const asked = process.argv.slice(2);
const unknown = asked.filter((name) => !(ALL as readonly string[]).includes(name));
if (unknown.length > 0) {
  console.error(`Unknown benchmark(s): ${unknown.join(', ')}. Choose from: ${ALL.join(', ')}.`);
  process.exit(2);
}

let failed = 0;
for (const name of asked.length > 0 ? asked : ALL) {
  const file = fileURLToPath(new URL(`./${name}.ts`, import.meta.url));
  console.log(`\n=== bench/${name}.ts (load average ${loadAverage()}) ===`);
  const result = spawnSync(process.execPath, ['--import', 'tsx', file], { stdio: 'inherit' });
  if (result.status !== 0) {
    failed++;
    console.error(`bench/${name}.ts exited with ${result.status ?? result.signal}`);
  }
}
process.exit(failed === 0 ? 0 : 1);

function loadAverage(): string {
  return loadavg()
    .map((l) => l.toFixed(2))
    .join(' ');
}
