/**
 * Client transfers against curl on the same local engine: upload and download of a 1 GiB
 * media file. Each round runs every contender once, in an order that alternates between
 * rounds, so they share the machine's load as evenly as it allows. The client runs in a
 * child process (bench/clientChild.ts, bundled with esbuild, run by plain node) so its peak
 * RSS is measured alone.
 *
 *   npx tsx bench/client.ts [--size-mib 1024] [--rounds 5] [--no-pin]
 *
 * Pinning (the default with 2+ CPUs and `taskset`): the engine (this process) runs on CPU 0 and
 * each contender, curl or client, on CPU 1. RenderIO runs on other machines; unpinned on a
 * 2-core box the engine and the contender take CPU from each other, and the figure says more
 * about how much CPU a contender leaves the server than about its transfer. --no-pin measures
 * that shared case.
 *
 * Contenders: curl; the client over the CLI's transport (undiciFetch, as the CLI and any
 * plain-Node use: undici, and for a download from this computer loopbackGet, which pumps the
 * body into the file); for downloads, undici alone (its web body: what loopbackGet is worth);
 * the client over Node's global fetch (a web-stream body); the client over the app's transport (net.request, chunked uploads) under
 * the strict Electron double (tests/support/electron), whose loader is node:http: its memory is
 * the app transport's own, its speed says little about Chromium's. Download has two curl
 * baselines from the same run: curl as is, and curl followed by an fsync of its file (the
 * client fsyncs before renaming the .part; curl does not). Downloads go to the disk and to
 * memory (tmpfs), where the fsync is free and the transfers alone are compared. For each: MB/s
 * best of N and median, the ratios (goal >= 0.9), the client's peak RSS (goal <= 150 MB) and
 * CPU time, and the load average.
 * BENCH_VERBOSE=1 prints every run.
 */
import { execFile, spawn } from 'node:child_process';
import { mkdir, mkdtemp, open, rm, stat, statfs } from 'node:fs/promises';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { build } from 'esbuild';
import { startEngine } from '../engine/index';
import { RenderioClient } from '../electron/core/client';
import { undiciFetch } from '../electron/core/client/undiciFetch';
import { curl, writeHeaderFile } from './support/curl';
import { median } from './support/stats';

const run = promisify(execFile);
const verbose = process.env.BENCH_VERBOSE !== undefined && process.env.BENCH_VERBOSE !== '';

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
}

const sizeMiB = arg('size-mib', 1024);
const rounds = arg('rounds', 5);
const wantPin = !process.argv.includes('--no-pin');

/** Where contenders run: `taskset -c 1` when pinned (see the header), else as they are. */
let contenderPrefix: string[] = [];

async function pinEngineAndContenders(): Promise<boolean> {
  if (!wantPin || cpus().length < 2) return false;
  try {
    // -a: every thread of this process (libuv's pool included), so the engine stays on CPU 0.
    await run('taskset', ['-a', '-p', '-c', '0', String(process.pid)]);
  } catch {
    return false;
  }
  contenderPrefix = ['taskset', '-c', '1'];
  return true;
}

function contender(command: string, args: string[]): [string, string[]] {
  const [first, ...rest] = [...contenderPrefix, command, ...args];
  return [first!, rest];
}

type Transport = 'undici' | 'undici-only' | 'fetch' | 'app';

/** A real media file of about sizeMiB: raw 1080p video in Matroska (cheap to make, quick to probe). */
async function makeBigMedia(dir: string): Promise<string> {
  const frameBytes = 1920 * 1080 * 1.5;
  const frames = Math.max(1, Math.round((sizeMiB * 1024 * 1024) / frameBytes));
  const out = join(dir, 'big.mkv');
  await run('ffmpeg', [
    '-hide_banner',
    '-loglevel',
    'error',
    '-y',
    '-f',
    'lavfi',
    '-i',
    'testsrc2=size=1920x1080:rate=25',
    '-frames:v',
    String(frames),
    '-c:v',
    'rawvideo',
    '-pix_fmt',
    'yuv420p',
    out,
  ]);
  return out;
}

interface ChildResult {
  seconds: number;
  bytes: number;
  maxRssMb: number;
  peakBuffersMb: number;
  peakHeapMb: number;
  userCpuS: number;
  systemCpuS: number;
  fileId?: string;
}

/**
 * The child is bundled with esbuild and run by plain node, as the app runs bundled code:
 * the tsx loader would add ~40 MB of its own to the RSS being measured.
 */
async function bundleChild(dir: string): Promise<string> {
  const out = join(dir, 'clientChild.mjs');
  await build({
    entryPoints: [join(import.meta.dirname, 'clientChild.ts')],
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    outfile: out,
    logLevel: 'warning',
    // Bundled CommonJS dependencies (undici) call require(): give the ESM bundle one.
    banner: {
      js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);",
    },
  });
  return out;
}

let childScript = '';

function child(args: string[], key: string, transport: Transport = 'undici'): Promise<ChildResult> {
  return new Promise((resolve, reject) => {
    const [command, argv] = contender(process.execPath, [childScript, ...args]);
    const p = spawn(command, argv, {
      stdio: ['pipe', 'pipe', 'inherit'],
      env: { ...process.env, CLIENT_TRANSPORT: transport },
    });
    let out = '';
    p.stdout.on('data', (c: Buffer) => (out += c.toString()));
    p.on('error', reject);
    p.on('exit', (code) => {
      if (code !== 0) return reject(new Error(`client child exited ${code}`));
      resolve(JSON.parse(out.trim().split('\n').at(-1)!) as ChildResult);
    });
    p.stdin.end(key);
  });
}

async function fsyncFile(path: string): Promise<number> {
  const started = performance.now();
  const fh = await open(path, 'r+');
  await fh.sync();
  await fh.close();
  return (performance.now() - started) / 1000;
}

/** CPU seconds the bench process (that is, the engine) spends during fn. */
async function engineCpu<T>(fn: () => Promise<T>): Promise<{ value: T; engineCpuS: number }> {
  const before = process.cpuUsage();
  const value = await fn();
  const used = process.cpuUsage(before);
  return { value, engineCpuS: (used.user + used.system) / 1e6 };
}

class Series {
  readonly seconds: number[] = [];
  readonly loads: number[] = [];
  readonly engineCpu: number[] = [];
  constructor(readonly label: string) {}
  add(seconds: number, load: number, engineCpuS: number): void {
    this.seconds.push(seconds);
    this.loads.push(load);
    this.engineCpu.push(engineCpuS);
    if (verbose)
      console.log(
        `  ${this.label}: ${seconds.toFixed(2)} s (load ${load.toFixed(2)}, engine CPU ${engineCpuS.toFixed(2)} s)`,
      );
  }
  best(): number {
    return Math.min(...this.seconds);
  }
  median(): number {
    return median(this.seconds);
  }
}

const fmt = (n: number, digits = 0): string => n.toFixed(digits);

/** One client contender: its timings, and what each of its child processes reported. */
interface ClientRuns {
  series: Series;
  transport: Transport;
  children: ChildResult[];
}

/**
 * The client contenders (see the header): the CLI's transport, for downloads also undici alone
 * (an upload takes the same path in both), fetch, and the app's transport (net.request with
 * chunkedEncoding) under the strict Electron double.
 */
function clientContenders(download: boolean): ClientRuns[] {
  return [
    { series: new Series('client'), transport: 'undici', children: [] },
    ...(download
      ? [
          {
            series: new Series('client (undici only)'),
            transport: 'undici-only' as const,
            children: [],
          },
        ]
      : []),
    { series: new Series('client (fetch)'), transport: 'fetch', children: [] },
    { series: new Series('client (app: net.request)'), transport: 'app', children: [] },
  ];
}

/** One timed run of the client child; its figures go to `c`. */
async function timeClient(c: ClientRuns, args: string[], key: string): Promise<ChildResult> {
  const load = loadavg()[0] ?? NaN;
  const { value, engineCpuS } = await engineCpu(() => child(args, key, c.transport));
  c.children.push(value);
  c.series.add(value.seconds, load, engineCpuS);
  return value;
}

/**
 * Baseline seconds / client seconds, round by round: every series gets one run per round
 * (interleave), so the runs at the same index were made side by side.
 */
function sameRoundRatios(baseline: Series, client: Series): number[] {
  return client.seconds.map((seconds, round) => baseline.seconds[round]! / seconds);
}

function report(title: string, mb: number, baselines: Series[], clients: ClientRuns[]): void {
  console.log(`\n${title} (MB/s over ${rounds} runs each: best / median)`);
  const rows = [...baselines, ...clients.map((c) => c.series)];
  const width = Math.max(...rows.map((r) => r.label.length));
  for (const s of rows) {
    console.log(
      `  ${s.label.padEnd(width)}  ${fmt(mb / s.best()).padStart(5)} / ${fmt(mb / s.median()).padStart(5)}` +
        `   engine CPU ${fmt(median(s.engineCpu), 2)} s`,
    );
  }
  for (const c of clients) {
    for (const b of baselines) {
      console.log(
        `  ${c.series.label} / ${b.label.padEnd(width)}  ${fmt(b.best() / c.series.best(), 2)}x best, ` +
          `${fmt(b.median() / c.series.median(), 2)}x median, ` +
          `${fmt(median(sameRoundRatios(b, c.series)), 2)}x median of same-round pairs` +
          (b === baselines[0] ? ' (goal >= 0.9)' : ''),
      );
    }
    const rss = c.children.map((r) => r.maxRssMb);
    const cpu = c.children.map((r) => r.userCpuS + r.systemCpuS);
    console.log(
      `  ${c.series.label}: peak RSS ${fmt(Math.max(...rss))} MB max, ${fmt(median(rss))} MB median (goal <= 150); ` +
        `CPU ${fmt(median(c.children.map((r) => r.userCpuS)), 2)} s user + ` +
        `${fmt(median(c.children.map((r) => r.systemCpuS)), 2)} s system (median ${fmt(median(cpu), 2)} s)`,
    );
  }
  const loads = rows.flatMap((r) => r.loads);
  console.log(
    `  load average (1 min) at the runs' start: ${fmt(Math.min(...loads), 2)}–${fmt(Math.max(...loads), 2)}, median ${fmt(median(loads), 2)}`,
  );
}

/**
 * Where downloads are written: the disk (the temp folder), and memory (tmpfs) when there is
 * one with room. On tmpfs an fsync costs nothing, so that row compares the transfers alone;
 * on the disk, the client's fsync (which the issue asks for, and curl does not do) waits for
 * the disk to take the whole file.
 */
async function downloadTargets(
  dir: string,
): Promise<{ label: string; dir: string; cleanup: boolean }[]> {
  const targets = [{ label: 'the disk', dir: join(dir, 'out'), cleanup: false }];
  const shm = '/dev/shm';
  const free = await statfs(shm)
    .then((s) => s.bavail * s.bsize)
    .catch(() => 0);
  if (free > 3 * sizeMiB * 1024 * 1024)
    targets.push({
      label: 'memory (tmpfs: fsync is free)',
      dir: await mkdtemp(join(shm, 'bench-client-')),
      cleanup: true,
    });
  return targets;
}

/** One run of each step per round, the order reversed every other round. */
async function interleave(steps: (() => Promise<void>)[]): Promise<void> {
  for (let r = 0; r < rounds; r++) {
    if (verbose) console.log(`round ${r + 1}`);
    for (const step of r % 2 === 0 ? steps : [...steps].reverse()) await step();
  }
}

async function main(): Promise<void> {
  const pinned = await pinEngineAndContenders();
  const dir = await mkdtemp(join(tmpdir(), 'bench-client-'));
  const engine = await startEngine({
    dataDir: join(dir, 'engine'),
    port: 0,
    uploadLimitBytes: 64 * 1024 ** 3,
  });
  try {
    const key = await engine.createKey();
    // The key goes through a header file (-H @file), not curl's argv.
    const headerFile = await writeHeaderFile(join(dir, 'key.header'), { 'X-API-KEY': key });
    const client = new RenderioClient({
      baseUrl: engine.url,
      withKey: (fn) => fn(key),
      fetch: undiciFetch,
    });
    childScript = await bundleChild(dir);

    console.log(`making a ${sizeMiB} MiB media file...`);
    const file = await makeBigMedia(dir);
    const size = (await stat(file)).size;
    const mb = size / 1e6;
    const loadStart = loadavg();
    console.log(
      `file: ${fmt(size / 1024 ** 2)} MiB; engine ${engine.url} (in this process); ${rounds} rounds; ` +
        `${cpus().length} CPUs; ` +
        (pinned ? 'engine pinned to CPU 0, contenders to CPU 1' : 'not pinned') +
        `; load average ${loadStart.join(' ')}`,
    );

    // Each uploaded copy is deleted after its run: ten 1 GiB files left in the engine's folder
    // (and the page cache) made the runs after them slower, the later ones more.
    const forget = async (fileId: string | undefined): Promise<void> => {
      if (fileId !== undefined) await client.deleteFile(fileId);
    };

    // ---- upload ----
    const upCurl = new Series('curl');
    const upClients = clientContenders(false);
    await interleave([
      async () => {
        const load = loadavg()[0] ?? NaN;
        const { value, engineCpuS } = await engineCpu(() =>
          curl(
            [
              '-H',
              `@${headerFile}`,
              '-F',
              `file=@${file};type=video/x-matroska`,
              `${engine.url}/api/v1/files/upload`,
            ],
            contenderPrefix,
          ),
        );
        upCurl.add(value.seconds, load, engineCpuS);
        await forget((JSON.parse(value.body) as { file_id: string }).file_id);
      },
      ...upClients.map((c) => async () => {
        await forget((await timeClient(c, ['upload', engine.url, file], key)).fileId);
      }),
    ]);

    // ---- download ----
    const { file_id } = await client.uploadFile(file);
    const storageUrl = (await client.waitForStoredFile(file_id)).storage_url!;
    const downloads: { title: string; baselines: Series[]; clients: ClientRuns[] }[] = [];
    for (const target of await downloadTargets(dir)) {
      const outDir = target.dir;
      await mkdir(outDir, { recursive: true });
      const downCurl = new Series('curl');
      const downCurlSync = new Series('curl + fsync');
      const downClients = clientContenders(true);
      try {
        await interleave([
          async () => {
            const curlOut = join(outDir, 'curl.mkv');
            const load = loadavg()[0] ?? NaN;
            const { value, engineCpuS } = await engineCpu(() =>
              curl(['-o', curlOut, storageUrl], contenderPrefix),
            );
            // The same run, then its file made durable: what the client promises before its rename.
            const synced = value.seconds + (await fsyncFile(curlOut));
            downCurl.add(value.seconds, load, engineCpuS);
            downCurlSync.add(synced, load, engineCpuS);
            await rm(curlOut, { force: true });
          },
          ...downClients.map((c) => async () => {
            const value = await timeClient(
              c,
              ['download', engine.url, storageUrl, outDir, 'client.mkv'],
              key,
            );
            if (value.bytes !== size)
              throw new Error(`client downloaded ${value.bytes} of ${size} bytes`);
            if (verbose)
              console.log(
                `    ${c.series.label} RSS ${fmt(value.maxRssMb)} MB, CPU ${fmt(value.userCpuS, 2)} s user + ${fmt(value.systemCpuS, 2)} s system`,
              );
            await rm(join(outDir, 'client.mkv'), { force: true });
          }),
        ]);
      } finally {
        // A 1 GiB file left in tmpfs would hold that much memory until the next reboot.
        if (target.cleanup) await rm(outDir, { recursive: true, force: true });
      }
      downloads.push({
        title: `download to ${target.label}`,
        baselines: [downCurl, downCurlSync],
        clients: downClients,
      });
    }
    const idle = await child(['upload', engine.url, headerFile], key).catch(() => null);

    report('upload', mb, [upCurl], upClients);
    for (const d of downloads) report(d.title, mb, d.baselines, d.clients);
    if (idle)
      console.log(
        `\nbaseline: the same child uploading a tiny file peaks at ${fmt(idle.maxRssMb)} MB RSS`,
      );
    console.log(`load average at the end: ${loadavg().join(' ')}`);
  } finally {
    await engine.close();
    await rm(dir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
