/**
 * What each call of a local job costs in CPU (prints, asserts nothing): the calls the queue
 * makes for one job on this computer, one kind at a time, through the app's own RenderIO client
 * (undici) against the engine in its own process as the window runs it (the built bundle under
 * the utilityProcess double; needs `npm run build`). Each is repeated and the CPU of both sides
 * is divided by the count: this process (the client's side), the engine's process, and the
 * engine's children (ffprobe, ffmpeg). Beside each, a baseline in the same run: curl making the
 * same upload or download (its own CPU, and the engine's while it serves it), and the same
 * ffmpeg command run directly.
 *
 * bench/local-batch.ts gives the app's whole CPU a job beside ffmpeg's; this says how much of
 * it the calls are (and which), and so what a change to them could save: the rest is the
 * queue's own bookkeeping (its journal, the change stream, the history).
 *
 * Run: npm run build && npx tsx bench/engine-calls.ts [--reps 40] [--seconds 20]
 *        [--size 320x240] [--polls 2.5] [--ffmpeg PATH]
 *      (`--ffmpeg`: a file or folder with ffprobe beside it, for the engine and the direct run;
 *      `--polls`: status polls a job beyond the one that sees the end, counted in its budget:
 *      bench/local-batch.ts saw ~3.4 a job in all at 320×240, 2026-12-07)
 */
import { mkdir, mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { parseArgs } from 'node:util';
import { RenderioClient } from '../electron/core/client/client';
import { undiciFetch } from '../electron/core/client/undiciFetch';
import type { CommandObject, StoredFile } from '../shared/renderioApi';
import { makeVideo } from '../tests/support/media';
import { cpuSeconds, type CpuSeconds } from './support/cpu';
import { curlDownload, curlUpload, writeHeaderFile } from './support/curl';
import { openEngineProcess } from './support/engineProcess';
import { runFfmpegDirect } from './support/directFfmpeg';

const { values: opts } = parseArgs({
  options: {
    reps: { type: 'string', default: '40' },
    seconds: { type: 'string', default: '20' },
    size: { type: 'string', default: '320x240' },
    polls: { type: 'string', default: '2.5' },
    ffmpeg: { type: 'string' },
  },
});
const REPS = Number(opts.reps);
const WARM = 5;
const [WIDTH, HEIGHT] = opts.size.split('x').map(Number) as [number, number];
const POLLS = Number(opts.polls);
/**
 * Requests a second at most. A job's calls come seconds apart, between ffmpeg's runs, and find
 * the caches cold; back to back the same calls cost a third less (a job's 56.6 ms against
 * 89.1 paced, 2026-12-07 23:16), below what bench/local-batch.ts sees a job cost.
 */
const PACE_PER_SECOND = 12;
/** A stream copy: what is left of a command's cost once ffmpeg's own encoding is taken away. */
const COMMAND = '-i {{in_file}} -map 0 -c copy -movflags +faststart {{out_file}}';

/** CPU milliseconds per repetition, on each side. */
interface Cost {
  client: number;
  engine: number;
  children: number;
}

const total = (c: Cost): number => c.client + c.engine + c.children;
const ms = (n: number): string => n.toFixed(1).padStart(6);

/** The direct ffmpeg's path: the one given, or ffmpeg from PATH. */
async function ffmpegBinary(): Promise<string> {
  if (!opts.ffmpeg) return 'ffmpeg';
  const isDir = (await stat(opts.ffmpeg)).isDirectory();
  return isDir ? join(opts.ffmpeg, 'ffmpeg') : opts.ffmpeg;
}

const dir = await mkdtemp(join(tmpdir(), 'bench-engine-calls-'));
const engine = await openEngineProcess({
  dataDir: join(dir, 'engine'),
  ...(opts.ffmpeg ? { ffmpegPath: opts.ffmpeg } : {}),
  // BENCH_ENGINE_PROF=DIR: a CPU profile of the engine's process in DIR (node --cpu-prof).
  ...(process.env.BENCH_ENGINE_PROF
    ? { execArgv: ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_ENGINE_PROF}`] }
    : {}),
});
try {
  const { link } = engine;
  const client = new RenderioClient({
    baseUrl: link.url,
    withKey: (fn) => fn(link.key),
    fetch: undiciFetch,
  });
  const headers = await writeHeaderFile(join(dir, 'headers'), { 'X-API-KEY': link.key });
  const clip = await makeVideo(dir, 'clip.mp4', {
    seconds: Number(opts.seconds),
    width: WIDTH,
    height: HEIGHT,
  });
  const clipBytes = (await stat(clip)).size;
  const ffmpeg = await ffmpegBinary();

  /**
   * Runs `step` (making about `requests` requests) WARM times unmeasured, then REPS times; CPU
   * per repetition on each side. Paced (PACE_PER_SECOND): a job's calls are spread over
   * seconds, never a burst.
   */
  async function measure(requests: number, step: (i: number) => Promise<void>): Promise<Cost> {
    const paced = async (i: number): Promise<void> => {
      const started = performance.now();
      await step(i);
      const wait = (requests * 1000) / PACE_PER_SECOND - (performance.now() - started);
      if (wait > 0) await sleep(wait);
    };
    for (let i = 0; i < WARM; i++) await paced(i);
    const here: CpuSeconds = cpuSeconds();
    const there = engine.engineCpu();
    for (let i = 0; i < REPS; i++) await paced(WARM + i);
    const hereAfter = cpuSeconds();
    const thereAfter = engine.engineCpu();
    const per = (s: number): number => (s * 1000) / REPS;
    return {
      // This process and its reaped children (curl, the direct ffmpeg): the client's side.
      client: per(hereAfter.self - here.self + hereAfter.children - here.children),
      engine: per(thereAfter.self - there.self),
      children: per(thereAfter.children - there.children),
    };
  }

  /** Holds a poll until the file leaves PROCESSING, as the queue does. */
  async function stored(fileId: string): Promise<StoredFile> {
    for (;;) {
      const file = await client.getFile(fileId, { holdMs: 2000 });
      if (file.status === 'STORED') return file;
      if (file.status === 'FAILED') throw new Error(`upload failed: ${file.error_message}`);
    }
  }

  async function finished(commandId: string): Promise<CommandObject> {
    for (;;) {
      const command = await client.getCommand(commandId, { holdMs: 2000 });
      if (command.status === 'SUCCESS') return command;
      if (command.status === 'FAILED') throw new Error(`command failed: ${command.error_message}`);
    }
  }

  // One stored input per command, made ahead so the command rows time the command alone.
  const uploads: StoredFile[] = [];
  const upload = await measure(3, async () => {
    const { file_id } = await client.uploadFile(clip);
    uploads.push(await stored(file_id));
  });
  const curlUploads: string[] = [];
  const curlUploadCost = await measure(3, async () => {
    const answer = await curlUpload(`${link.url}/api/v1/files/upload`, clip, headers);
    const { file_id } = JSON.parse(answer.body) as { file_id: string };
    await stored(file_id);
    curlUploads.push(file_id);
  });

  const commands: CommandObject[] = [];
  const command = await measure(3, async (i) => {
    const input = uploads[i]!;
    const { command_id } = await client.runCommand({
      input_files: { in_file: input.storage_url! },
      output_files: { out_file: `out-${i}.mp4` },
      ffmpeg_command: COMMAND,
    });
    commands.push(await finished(command_id));
  });
  await mkdir(join(dir, 'direct'));
  const directCommand = await measure(0, async (i) => {
    const out = join(dir, 'direct', `out-${i}.mp4`);
    await runFfmpegDirect(ffmpeg, [
      '-nostdin',
      '-y',
      ...COMMAND.split(' ').map((a) => a.replace('{{in_file}}', clip).replace('{{out_file}}', out)),
    ]);
  });

  const poll = await measure(1, async (i) => {
    await client.getCommand(commands[i]!.command_id);
  });

  const outputUrl = (i: number): string => {
    const url = Object.values(commands[i]!.output_files)[0]?.storage_url;
    if (!url) throw new Error('a command without an output URL');
    return url;
  };
  const download = await measure(1, async (i) => {
    await client.download({
      url: outputUrl(i),
      dir: join(dir, 'downloads'),
      fileName: `out-${i}.mp4`,
      collision: 'overwrite',
    });
  });
  await mkdir(join(dir, 'curl-downloads'));
  const curlDownloadCost = await measure(1, async (i) => {
    await curlDownload(outputUrl(i), join(dir, 'curl-downloads', `out-${i}.mp4`));
  });

  const cleanUp = await measure(2, async (i) => {
    await client.deleteCommandFiles(commands[i]!.command_id);
    await client.deleteFile(uploads[i]!.file_id);
  });
  for (const id of curlUploads) await client.deleteFile(id);

  const rows: [string, Cost, Cost | null][] = [
    [`upload until STORED (${(clipBytes / 1e6).toFixed(1)} MB)`, upload, curlUploadCost],
    ['command until SUCCESS (stream copy)', command, directCommand],
    ['one poll', poll, null],
    ['download', download, curlDownloadCost],
    ['clean-up (outputs, input)', cleanUp, null],
  ];
  console.log(
    `The calls of a local job, ${REPS} of each (after ${WARM} unmeasured), a ${opts.seconds} s ${opts.size} clip; CPU ms per call:`,
  );
  console.log(
    '                                       client  engine  its children  total │ baseline (curl or ffmpeg directly, with the engine serving curl)',
  );
  for (const [name, cost, base] of rows)
    console.log(
      `${name.padEnd(38)} ${ms(cost.client)}  ${ms(cost.engine)}  ${ms(cost.children)}        ${ms(total(cost))} │ ${
        base
          ? `${ms(total(base))} (${ms(base.client)} + ${ms(base.engine)} + ${ms(base.children)}) → ${(total(cost) / total(base)).toFixed(2)}×`
          : ''
      }`,
    );
  // A job's calls: one of each, POLLS polls more than the command row's own, and the command's
  // cost beyond running the same ffmpeg directly.
  const job =
    total(upload) +
    total(command) -
    total(directCommand) +
    POLLS * total(poll) +
    total(download) +
    total(cleanUp);
  console.log(
    `a job's calls beside ffmpeg's own work (${POLLS} polls more): ${job.toFixed(1)} ms of CPU (the engine's probes included); compare the app's own CPU a job in bench/local-batch.ts`,
  );
} finally {
  await engine.close();
  await rm(dir, { recursive: true, force: true });
}
