/**
 * Queue polling benchmark (prints figures and ratios, asserts nothing): API calls per job for
 * commands that run 5 s, 30 s and 120 s on the real local engine, with
 *  - the queue's adaptive polling, using the engine's `progress` field (what the app does),
 *  - the same adaptive polling with `progress` stripped (what it does against a service that
 *    does not report progress), and
 *  - a fixed 2-second poll (the baseline),
 * run side by side on one engine. Also: how long after the command's SUCCESS (the engine's
 * finished_at) the download started.
 * Run: npx tsx bench/queue-polling.ts
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startEngine } from '../engine/index';
import { createKeyVerifier, KeyVault } from '../electron/core/vault/index';
import { createProfileClients } from '../electron/core/profileClients';
import { undiciFetch } from '../electron/core/client/undiciFetch';
import { createJobQueue, type JobQueue } from '../electron/core/queue/jobQueue';
import { queueClientOf } from '../electron/core/queue/clientAdapter';
import {
  adaptivePollPolicy,
  fixedPollPolicy,
  type PollPolicy,
} from '../electron/core/queue/pollPolicy';
import type { QueueClient } from '../electron/core/queue/ports';
import { partPathFor } from '../electron/core/transfers/download';
import { DEFAULT_SETTINGS } from '../electron/core/settings/appSettings';
import { makeVideo } from '../tests/support/media';
import { REALTIME_REMUX } from '../tests/support/testPresets';

// Copies the stream at its own pace (-re): the command runs as long as the clip lasts.
const REALTIME = REALTIME_REMUX;
const LENGTHS = [5, 30, 120];

interface Variant {
  name: string;
  policy: PollPolicy;
  stripProgress: boolean;
}

const variants: Variant[] = [
  { name: 'adaptive + progress', policy: adaptivePollPolicy(), stripProgress: false },
  { name: 'adaptive, no progress', policy: adaptivePollPolicy(), stripProgress: true },
  { name: 'fixed 2 s', policy: fixedPollPolicy(2000), stripProgress: false },
];

const dir = await mkdtemp(join(tmpdir(), 'bench-poll-'));
try {
  console.log('Queue polling: API calls per job (real engine, commands of 5 s, 30 s, 120 s)');
  const clips: string[] = [];
  for (const s of LENGTHS)
    clips.push(
      await makeVideo(dir, `clip${s}.mp4`, { seconds: s, width: 160, height: 120, fps: 10 }),
    );
  const engineDir = join(dir, 'engine');
  const engine = await startEngine({
    dataDir: engineDir,
    port: 0,
    concurrency: 12,
    rateLimit: { ratePerSecond: 1000, burst: 1000 },
  });
  const key = await engine.createKey();
  const vault = await KeyVault.open({
    file: join(dir, 'keys.json'),
    cipher: null,
    verifier: createKeyVerifier({ fetch: undiciFetch }),
    env: {},
  });
  await vault.setLocalEngine({ baseUrl: engine.url, key, activate: true });
  const clients = createProfileClients({
    fetch: undiciFetch,
    profiles: vault.profiles,
    secrets: vault.secrets,
  });

  const runs: { variant: Variant; queue: JobQueue; ids: string[] }[] = [];
  for (const [i, variant] of variants.entries()) {
    const base = queueClientOf(clients.clientFor('local'));
    const client: QueueClient = variant.stripProgress
      ? {
          ...base,
          getCommand: async (id, o) => ({ ...(await base.getCommand(id, o)), progress: undefined }),
        }
      : base;
    const queue = await createJobQueue({
      dataDir: join(dir, `state-${i}`),
      clientFor: () => client,
      partPathFor,
      presetById: (id) => (id === REALTIME.id ? REALTIME : undefined),
      kindOf: () => 'video',
      settings: () => ({
        ...DEFAULT_SETTINGS,
        concurrency: { uploads: 3, remote: 3, downloads: 3 },
        cleanupRemote: false,
      }),
      activeProfileId: () => 'local',
      pollPolicy: variant.policy,
    });
    const { added } = await queue.add({
      paths: clips,
      presetId: REALTIME.id,
      outputDir: join(dir, `out-${i}`),
    });
    runs.push({ variant, queue, ids: added });
  }
  const started = Date.now();
  await Promise.all(runs.map((r) => r.queue.whenIdle()));
  console.log(
    `(all ${runs.length * LENGTHS.length} jobs done in ${((Date.now() - started) / 1000).toFixed(0)} s)`,
  );

  const state = JSON.parse(await readFile(join(engineDir, 'state.json'), 'utf8')) as {
    commands: Record<string, { finished_at: string | null }>;
  };
  const log = [...engine.requestLog];
  const table: Record<string, Record<number, { calls: number; polls: number; lagMs: number }>> = {};
  for (const { variant, queue, ids } of runs) {
    table[variant.name] = {};
    ids.forEach((id, i) => {
      const job = queue.get(id)!;
      if (job.stage !== 'done')
        throw new Error(`${variant.name}: job ${i} ended ${job.stage}: ${job.error?.message}`);
      const { fileId, commandId, outputs } = job.remote;
      const outIds = (outputs ?? []).map((o) => o.fileId);
      // Every API call that names this job's file or command, plus its upload and its submit.
      const named = log.filter(
        (e) =>
          e.path.startsWith('/api/') &&
          ((fileId && e.path.includes(fileId)) || (commandId && e.path.includes(commandId))),
      );
      const calls = named.length + 2;
      const download = log.find(
        (e) => e.path.startsWith('/storage/') && outIds.some((o) => o && e.path.includes(o)),
      );
      const finished = Date.parse(state.commands[commandId!]?.finished_at ?? '');
      table[variant.name]![LENGTHS[i]!] = {
        calls,
        polls: queue.pollCount(id),
        lagMs: (download?.at ?? NaN) - finished,
      };
    });
  }
  const pad = (s: string, n: number) => s.padEnd(n);
  console.log(
    `\n${pad('variant', 24)}${LENGTHS.map((s) => pad(`${s} s: calls (polls) · download after`, 40)).join('')}`,
  );
  for (const [name, row] of Object.entries(table)) {
    console.log(
      pad(name, 24) +
        LENGTHS.map((s) =>
          pad(`${row[s]!.calls} (${row[s]!.polls}) · ${(row[s]!.lagMs / 1000).toFixed(2)} s`, 40),
        ).join(''),
    );
  }
  const fixed = table['fixed 2 s']!;
  for (const name of ['adaptive + progress', 'adaptive, no progress']) {
    const row = table[name]!;
    console.log(
      `${pad(name, 24)}calls vs fixed 2 s: ${LENGTHS.map((s) => `${s} s ${(row[s]!.calls / fixed[s]!.calls).toFixed(2)}×`).join(', ')}`,
    );
  }
  for (const r of runs) await r.queue.close();
  await engine.close();
} finally {
  await rm(dir, { recursive: true, force: true });
}
