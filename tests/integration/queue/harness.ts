/**
 * Shared set-up for the queue's integration tests: the real local engine on 127.0.0.1:0, the
 * real vault and client, and the queue over them, in temp directories. Presets here are small
 * and fast on purpose (the built-in ones are tested by the presets' own suite).
 */
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { expect } from 'vitest';
import { startEngine, type EngineHandle, type EngineOptions } from '../../../engine/index';
import { createKeyVerifier, KeyVault, LOCAL_PROFILE_ID } from '../../../electron/core/vault/index';
import { createProfileClients, type ProfileClients } from '../../../electron/core/profileClients';
import { undiciFetch } from '../../../electron/core/client/undiciFetch';
import type { ProfileStatus } from '../../../shared/profileTypes';
import {
  createJobQueue,
  type JobQueue,
  type JobQueueOptions,
} from '../../../electron/core/queue/jobQueue';
import { queueClientOf } from '../../../electron/core/queue/clientAdapter';
import { partPathFor } from '../../../electron/core/transfers/download';
import { DEFAULT_SETTINGS, type AppSettings } from '../../../electron/core/settings/appSettings';
import type { QueueClient } from '../../../electron/core/queue/ports';
import { FINISHED_STAGES } from '../../../shared/jobs';
import type { MediaKind, Preset } from '../../../shared/presetTypes';
import type { CommandObject } from '../../../shared/renderioApi';
import { createLogger, type Logger } from '../../../shared/redact';
import { tempDir } from '../../support/media';
import { REALTIME_REMUX } from '../../support/testPresets';

export const TEST_PRESETS: Preset[] = [
  {
    id: 'test-webm',
    name: 'WebM (fast)',
    description: '',
    category: 'video',
    accepts: ['video'],
    ffmpegCommand:
      '-i {{in_file}} -c:v libvpx-vp9 -deadline realtime -cpu-used 8 -b:v 200k -c:a libopus {{out_video}}',
    outputs: [{ alias: 'out_video', extension: 'webm' }],
    source: 'built-in',
  },
  {
    id: 'test-mp3',
    name: 'MP3',
    description: '',
    category: 'audio',
    accepts: ['video', 'audio'],
    ffmpegCommand: '-i {{in_file}} -vn -c:a libmp3lame -q:a 5 {{out_audio}}',
    outputs: [{ alias: 'out_audio', extension: 'mp3' }],
    source: 'built-in',
  },
  // Runs in real time (-re): a command that stays PROCESSING long enough to act on.
  REALTIME_REMUX,
  {
    id: 'test-thumbs',
    name: 'Poster + audio',
    description: '',
    category: 'video',
    accepts: ['video'],
    ffmpegCommand: '-i {{in_file}} -frames:v 1 {{out_poster}} -vn -c:a libmp3lame {{out_sound}}',
    outputs: [
      { alias: 'out_poster', extension: 'jpg', suffix: '-poster' },
      { alias: 'out_sound', extension: 'mp3', suffix: '-sound' },
    ],
    source: 'built-in',
  },
];

export function kindOf(name: string): MediaKind | null {
  const ext = name.split('.').pop()?.toLowerCase() ?? '';
  if (['mp4', 'mov', 'mkv', 'webm'].includes(ext)) return 'video';
  if (['mp3', 'wav', 'flac', 'm4a', 'ogg'].includes(ext)) return 'audio';
  if (['png', 'jpg', 'jpeg'].includes(ext)) return 'image';
  return null;
}

export interface Harness {
  engine: EngineHandle;
  vault: KeyVault;
  /** Clients of the vault's profiles over node:http, as the app builds them. */
  clients: ProfileClients;
  key: string;
  dir: string;
  settings: AppSettings;
  client(): QueueClient;
  openQueue(overrides?: Partial<JobQueueOptions>): Promise<JobQueue>;
  /** Every command the engine knows of (newest first). */
  commands(): Promise<CommandObject[]>;
  close(): Promise<void>;
}

/**
 * What the queue and its clients logged, the newest lines last, per queue: a job stuck under CI
 * load is reported with them (waitFinished), since its snapshot alone cannot say whether it
 * waited on a timer, a request or the disk.
 */
const logOf = new WeakMap<JobQueue, string[]>();
const LOG_LINES_KEPT = 40;

function ringLogger(lines: string[], started: number): Logger {
  return createLogger(
    'it',
    (level, line) => {
      lines.push(`+${Date.now() - started} ms ${level} ${line}`);
      if (lines.length > LOG_LINES_KEPT) lines.shift();
    },
    // From debug: when each phase starts and each call is sent, which the app does not log.
    'debug',
  );
}

export async function startHarness(
  engineOptions: Partial<EngineOptions> = {},
  settings: Partial<AppSettings> = {},
): Promise<Harness> {
  const tmp = await tempDir('queue-it-');
  const engine = await startEngine({
    dataDir: join(tmp.path, 'engine'),
    port: 0,
    concurrency: 2,
    ...engineOptions,
  });
  const key = await engine.createKey();
  const vault = await KeyVault.open({
    file: join(tmp.path, 'keys.json'),
    cipher: null,
    verifier: createKeyVerifier({ fetch: undiciFetch }),
    env: {},
  });
  const started = Date.now();
  const log: string[] = [];
  const clients = createProfileClients({
    fetch: undiciFetch,
    profiles: vault.profiles,
    secrets: vault.secrets,
    logger: ringLogger(log, started),
  });
  await vault.setLocalEngine({ baseUrl: engine.url, key, activate: true });
  const queues: JobQueue[] = [];
  const merged: AppSettings = {
    ...DEFAULT_SETTINGS,
    // These tests name outputs after the source alone ({name}), so what they check (collision,
    // refusal, mirroring) reads plainly; the default {name}-{format} is proven in
    // tests/unit/shared/fileNameTemplate.test.ts and the e2e suite.
    nameTemplate: '{name}',
    ...settings,
    concurrency: { ...DEFAULT_SETTINGS.concurrency, ...settings.concurrency },
  };
  const client = (): QueueClient => queueClientOf(clients.clientFor());
  return {
    engine,
    vault,
    clients,
    key,
    dir: tmp.path,
    settings: merged,
    client,
    async openQueue(overrides = {}) {
      const queue = await createJobQueue({
        dataDir: join(tmp.path, 'state'),
        clientFor: (profileId) =>
          queueClientOf(clients.clientFor(profileId, { logger: ringLogger(log, started) })),
        partPathFor,
        presetById: (id) => TEST_PRESETS.find((p) => p.id === id),
        kindOf,
        settings: () => merged,
        activeProfileId: () => vault.credentials().profileId,
        throttleMs: 50,
        // As the app does (appCore): jobs on this computer's engine poll at its loopback pace,
        // held, and take its lanes.
        isLocalProfile: (profileId) => profileId === LOCAL_PROFILE_ID,
        onAuthRejected: (profileId) => void vault.reportRejected(profileId),
        logger: ringLogger(log, started),
        ...overrides,
      });
      logOf.set(queue, log);
      queues.push(queue);
      return queue;
    },
    async commands() {
      const all: CommandObject[] = [];
      for (let offset = 0; ; offset += 100) {
        const page = await client().listCommands({ limit: 100, offset });
        all.push(...page.commands);
        if (page.commands.length < 100) return all;
      }
    },
    async close() {
      for (const q of queues) await q.close();
      clients.dispose();
      await engine.close();
      await tmp.cleanup();
    },
  };
}

/**
 * A harness that runs one upload, one command and one download at a time (so the order of
 * work shows), with an empty source folder `src` for the test's files. Its jobs go to the
 * engine as to RenderIO (a cloud profile at its address): the settings' limits are the
 * network's, and jobs on this computer run in lanes as wide as the engine's slots instead.
 */
export async function startSerialHarness(): Promise<{ h: Harness; src: string }> {
  const h = await startHarness({}, { concurrency: { uploads: 1, remote: 1, downloads: 1 } });
  await addSessionProfile(h.vault, 'Serial', h.engine.url, h.key);
  const src = join(h.dir, 'src');
  await mkdir(src, { recursive: true });
  return { h, src };
}

export { LOCAL_PROFILE_ID };

/** Adds an active profile at `baseUrl` and gives it `key` for this session (asserted taken). */
export async function addSessionProfile(
  vault: KeyVault,
  name: string,
  baseUrl: string,
  key: string,
): Promise<ProfileStatus> {
  const profile = await vault.addProfile({ name, baseUrl, activate: true });
  expect((await vault.set(key, { profileId: profile.profileId, sessionOnly: true })).ok).toBe(true);
  return profile;
}

/** Polls `read` until `done` says so; past the deadline, throws with `describe`'s sentence. */
async function pollUntil<T>(
  read: () => T,
  done: (value: T) => boolean,
  describe: (value: T) => string,
  timeoutMs: number,
  intervalMs: number,
): Promise<void> {
  // The time the process ran, not the wall clock's: a gap between two looks far longer than
  // asked (the VM or the worker stalled) counts as STALL_COUNTED_MS. Otherwise a stall is charged
  // to the app, and the first look after it fails the test before the app's timers and answers,
  // due in that same stall, have run. A CI run failed with a job 26 s past a retry due after 3 s
  // that passes in 3.5 s here even under load; the log in the message now says what it waited on.
  let ran = 0;
  let last = Date.now();
  for (;;) {
    const value = read();
    if (done(value)) return;
    if (ran > timeoutMs) throw new Error(describe(value));
    await new Promise((r) => setTimeout(r, intervalMs));
    const now = Date.now();
    ran += Math.min(now - last, STALL_COUNTED_MS);
    last = now;
  }
}

const STALL_COUNTED_MS = 1_000;

/** Resolves when every listed job has reached a finished stage. */
export function waitFinished(queue: JobQueue, ids: string[], timeoutMs = 45_000): Promise<void> {
  return pollUntil(
    () => ids.map((id) => queue.stageOf(id)),
    (stages) => stages.every((s) => s !== undefined && FINISHED_STAGES.includes(s)),
    // What a stuck job was doing (its error, retry and progress) and whether the queue thought
    // it was offline: a timeout under CI load must say more than the stage.
    (stages) =>
      `jobs did not finish: ${stages.join(', ')}; ` +
      JSON.stringify({
        offline: queue.snapshot().offline,
        jobs: ids.map((id) => queue.get(id)),
      }).slice(0, 2000) +
      `\nlog:\n${(logOf.get(queue) ?? []).join('\n')}`,
    timeoutMs,
    50,
  );
}

/** Resolves when the job reaches the stage (or one of them). */
export function waitStage(
  queue: JobQueue,
  id: string,
  stages: string[],
  timeoutMs = 30_000,
): Promise<void> {
  return pollUntil(
    () => queue.stageOf(id),
    (stage) => stage !== undefined && stages.includes(stage),
    (stage) => `job ${id} stayed in ${stage}, expected ${stages.join('|')}`,
    timeoutMs,
    20,
  );
}
