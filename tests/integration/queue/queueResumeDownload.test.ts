/**
 * A download cut by a crash continues from its .part after the restart (issue 5: "a partial
 * download resumes"). The CLI (and so the queue) runs in a child process; the storage body is
 * held after HOLD bytes (tests/support/queueChild.ts, `downloads.holdAfterBytes`), and once
 * that much of the output is in `<name>.part` on disk the child is killed with SIGKILL (once, or
 * again in the middle of the resumed download). The next run on the same --data-dir must ask
 * for the rest with Range (206), receive only the rest, and leave one output identical to the
 * engine's, from one command.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdir, readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { startEngine, type EngineHandle } from '../../../engine/index';
import { loadQueue } from '../../../electron/core/queue/queueStore';
import { API_KEY_HEADER, type CommandObject } from '../../../shared/renderioApi';
import { ffmpeg, tempDir } from '../../support/media';
import { convertArgv, startQueueChild, type RunningQueueChild } from '../../support/queueChildRun';

const MiB = 1024 * 1024;
/** Bytes of the output (about 40 MB) let through before a killed run's download stalls. */
const HOLD = 16 * MiB;

let tmp: { path: string; cleanup(): Promise<void> };
let engine: EngineHandle;
let key: string;
let source: string;

beforeAll(async () => {
  tmp = await tempDir('resume-download-');
  engine = await startEngine({ dataDir: join(tmp.path, 'engine'), port: 0, concurrency: 1 });
  key = await engine.createKey();
  await mkdir(join(tmp.path, 'src'));
  // Uncompressed 320×240 video, 14 s: about 40 MB that ffmpeg writes in a fraction of a second
  // and remux-mkv copies as is, so the output is as big as the input.
  source = join(tmp.path, 'src', 'big.mkv');
  await ffmpeg([
    '-f',
    'lavfi',
    '-i',
    'testsrc2=size=320x240:rate=25:duration=14',
    '-c:v',
    'rawvideo',
    '-pix_fmt',
    'yuv420p',
    source,
  ]);
});
afterAll(async () => {
  await engine.close();
  await tmp.cleanup();
});

async function api<T>(path: string): Promise<T> {
  const res = await fetch(`${engine.url}/api/v1${path}`, { headers: { [API_KEY_HEADER]: key } });
  expect(res.status).toBe(200);
  return (await res.json()) as T;
}

async function sha256Of(
  chunks: AsyncIterable<Uint8Array>,
): Promise<{ sha256: string; bytes: number }> {
  const hash = createHash('sha256');
  let bytes = 0;
  for await (const chunk of chunks) {
    hash.update(chunk);
    bytes += chunk.byteLength;
  }
  return { sha256: hash.digest('hex'), bytes };
}

async function sha256OfUrl(url: string): Promise<{ sha256: string; bytes: number }> {
  const res = await fetch(url);
  expect(res.status).toBe(200);
  return sha256Of(res.body as unknown as AsyncIterable<Uint8Array>);
}

async function sha256OfFile(path: string): Promise<string> {
  return (await sha256Of(createReadStream(path))).sha256;
}

async function sizeOf(path: string): Promise<number> {
  return (await stat(path).catch(() => undefined))?.size ?? 0;
}

function startChild(dataDir: string, out: string, holdAfterBytes?: number): RunningQueueChild {
  const spec = {
    argv: convertArgv({
      inputs: [source],
      preset: 'remux-mkv',
      out,
      engineArgs: ['--api-base', engine.url],
      dataDir,
      concurrency: 1,
    }),
    downloads: holdAfterBytes === undefined ? {} : { holdAfterBytes },
  };
  return startQueueChild(spec, { ...process.env, RENDERIO_API_KEY: key });
}

/** Polls until `ready` holds; fails early (with the child's stderr) if the child ends first. */
async function until(
  run: RunningQueueChild,
  ready: () => Promise<boolean>,
  what: string,
): Promise<void> {
  let ended = false;
  void run.exited.then(() => (ended = true));
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (await ready()) return;
    if (ended) throw new Error(`the child ended before ${what}:\n${run.stderr()}`);
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}:\n${run.stderr()}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

const storageGets = (from: number): { path: string; status: number }[] =>
  engine.requestLog.slice(from).filter((e) => e.method === 'GET' && e.path.startsWith('/storage/'));

// Bytes let through to each killed run (its response counted from where it started).
const CASES: { name: string; holds: number[] }[] = [
  { name: 'killed once', holds: [HOLD] },
  // The resumed download is killed too: what it appended survives, and the next run resumes again.
  { name: 'killed again while resuming', holds: [HOLD / 2, HOLD / 2] },
];

describe('restart in the middle of a download', () => {
  it.each(CASES)(
    '$name: the .part is continued with Range, the job finishes once',
    async ({ name, holds }) => {
      const dataDir = join(tmp.path, `state-${name}`);
      const out = join(tmp.path, `out-${name}`);
      const part = join(out, 'big-mkv.mkv.part');
      await mkdir(dataDir, { recursive: true });
      const commandsBefore = (await api<{ commands: CommandObject[] }>('/commands?limit=100'))
        .commands.length;

      // Runs killed with SIGKILL while their download stalls with `hold` more bytes received.
      let partBytes = 0;
      for (const [n, hold] of holds.entries()) {
        const logStart = engine.requestLog.length;
        const run = startChild(dataDir, out, hold);
        // The download writes 1 MiB batches: at most one is still in memory at the stall.
        const onDiskAtLeast = partBytes + hold - MiB;
        await until(
          run,
          async () =>
            run.stderr().includes(`download held at ${hold}`) &&
            (await sizeOf(part)) >= onDiskAtLeast,
          `${onDiskAtLeast} bytes in the .part`,
        );
        run.child.kill('SIGKILL');
        expect((await run.exited).signal).toBe('SIGKILL');
        const before = partBytes;
        partBytes = await sizeOf(part);
        expect(partBytes).toBeGreaterThanOrEqual(onDiskAtLeast);
        expect(partBytes).toBeLessThanOrEqual(before + hold);
        // The first run downloads from 0; a killed resume had asked for the rest.
        expect(storageGets(logStart).map((e) => e.status)).toEqual([n === 0 ? 200 : 206]);
      }

      // What the engine holds: the command's output, read straight from its storage URL.
      const { commands } = await api<{ commands: CommandObject[] }>('/commands?limit=100');
      expect(commands).toHaveLength(commandsBefore + 1);
      const command = commands[0]!;
      expect(command.status).toBe('SUCCESS');
      const stored = Object.values(command.output_files ?? {});
      expect(stored).toHaveLength(1);
      const expected = await sha256OfUrl(stored[0]!.storage_url ?? '');
      expect(expected.bytes).toBeGreaterThan(30 * MiB);
      // Some of the output is still to come: the resume has something to do.
      expect(partBytes).toBeLessThan(expected.bytes);

      // The last run: the same command line on the same data, left to finish.
      const logStart = engine.requestLog.length;
      const last = startChild(dataDir, out);
      const { code } = await last.exited;
      expect(code, last.stderr()).toBe(0);

      // One storage GET, answered 206 from where the .part ended; only the rest came over.
      expect(storageGets(logStart).map((e) => e.status)).toEqual([206]);
      const received = [...last.stderr().matchAll(/download (\d+) from (\d+) received (\d+)/g)];
      expect(received.map((m) => [Number(m[1]), Number(m[2]), Number(m[3])])).toEqual([
        [206, partBytes, expected.bytes - partBytes],
      ]);
      expect(expected.bytes - partBytes).toBeLessThan(expected.bytes);

      // Exactly once: one command, one output file, identical to the engine's.
      expect(
        (await api<{ commands: CommandObject[] }>('/commands?limit=100')).commands,
      ).toHaveLength(commandsBefore + 1);
      expect(await readdir(out)).toEqual(['big-mkv.mkv']);
      expect(await sha256OfFile(join(out, 'big-mkv.mkv'))).toBe(expected.sha256);
      const saved = await loadQueue(dataDir);
      expect(saved?.jobs.map((j) => j.stage)).toEqual(['done']);
      expect(saved?.jobs[0]?.outputPaths).toEqual([join(out, 'big-mkv.mkv')]);
      expect(saved?.jobs[0]?.attempts).toBe(0);
      expect(saved?.jobs[0]?.remote.cleanedUp).toBe(true);
    },
  );
});
