/**
 * Client transfers against curl on the same local engine: upload and download of a 1 GiB
 * media file. Each round runs every contender once, in an order that alternates between
 * rounds, so they share the machine's load as evenly as it allows. The client runs in a
 * child process (bench/clientChild.ts, bundled with esbuild, run by plain node) so its peak
 * RSS is measured alone.
 *
 *   npx tsx bench/client.ts [--size-mib 1024] [--rounds 5]
 *
 * Download is compared with two baselines: curl as is, and curl followed by an fsync of its
 * file (the client fsyncs before renaming the .part; curl does not). For each: MB/s best of N
 * and median, the ratios (goal ≥ 0.9 against plain curl), the client's peak RSS (goal ≤ 150 MB)
 * and CPU time, and the load average, which on a shared machine explains most of the spread.
 * BENCH_VERBOSE=1 prints every run.
 */
import { execFile, spawn } from 'node:child_process';
import { mkdir, mkdtemp, open, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { build } from 'esbuild';
import { startEngine } from '../engine/index';
import { RenderioClient } from '../electron/core/client';

const run = promisify(execFile);
const verbose = process.env.BENCH_VERBOSE !== undefined && process.env.BENCH_VERBOSE !== '';

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
}

const sizeMiB = arg('size-mib', 1024);
const rounds = arg('rounds', 5);

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
  });
  return out;
}

let childScript = '';

function child(args: string[], key: string): Promise<ChildResult> {
  return new Promise((resolve, reject) => {
    const p = spawn(process.execPath, [childScript, ...args], {
      stdio: ['pipe', 'pipe', 'inherit'],
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

/**
 * curl's own transfer time (-w %{time_total}), so process start-up counts on neither side,
 * and what it printed before that (the answer's body, unless it went to a file).
 */
async function curl(
  args: string[],
  keyHeaderFile?: string,
): Promise<{ seconds: number; body: string }> {
  // The key goes through a header file (-H @file), not argv.
  const { stdout } = await run(
    'curl',
    [
      '-sS',
      '--fail',
      '-w',
      '\n%{time_total}',
      ...(keyHeaderFile ? ['-H', `@${keyHeaderFile}`] : []),
      ...args,
    ],
    { maxBuffer: 1 << 20 },
  );
  const lines = stdout.trimEnd().split('\n');
  const seconds = Number(lines.pop());
  return { seconds, body: lines.join('\n') };
}

async function fsyncFile(path: string): Promise<number> {
  const started = performance.now();
  const fh = await open(path, 'r+');
  await fh.sync();
  await fh.close();
  return (performance.now() - started) / 1000;
}

async function loadAverage(): Promise<number[]> {
  const text = await readFile('/proc/loadavg', 'utf8').catch(() => '');
  return text.split(' ').slice(0, 3).map(Number);
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

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 === 1 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

const fmt = (n: number, digits = 0): string => n.toFixed(digits);

function report(
  title: string,
  mb: number,
  baselines: Series[],
  client: Series,
  children: ChildResult[],
  pairedRatios: Map<Series, number[]>,
): void {
  console.log(`\n${title} (MB/s over ${rounds} runs each: best / median)`);
  const rows = [...baselines, client];
  const width = Math.max(...rows.map((r) => r.label.length));
  for (const s of rows) {
    console.log(
      `  ${s.label.padEnd(width)}  ${fmt(mb / s.best()).padStart(5)} / ${fmt(mb / s.median()).padStart(5)}` +
        `   engine CPU ${fmt(median(s.engineCpu), 2)} s`,
    );
  }
  for (const b of baselines) {
    const paired = pairedRatios.get(b) ?? [];
    console.log(
      `  client / ${b.label.padEnd(width)}  ${fmt(b.best() / client.best(), 2)}x best, ${fmt(b.median() / client.median(), 2)}x median, ` +
        `${fmt(median(paired), 2)}x median of same-round pairs` +
        (b === baselines[0] ? ' (goal >= 0.9)' : ''),
    );
  }
  const rss = children.map((c) => c.maxRssMb);
  const cpu = children.map((c) => c.userCpuS + c.systemCpuS);
  console.log(
    `  client peak RSS ${fmt(Math.max(...rss))} MB max, ${fmt(median(rss))} MB median (goal <= 150); ` +
      `client CPU ${fmt(median(children.map((c) => c.userCpuS)), 2)} s user + ` +
      `${fmt(median(children.map((c) => c.systemCpuS)), 2)} s system (median ${fmt(median(cpu), 2)} s)`,
  );
  const loads = rows.flatMap((r) => r.loads);
  console.log(
    `  load average (1 min) at the runs' start: ${fmt(Math.min(...loads), 2)}–${fmt(Math.max(...loads), 2)}, median ${fmt(median(loads), 2)}`,
  );
}

async function main(): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'bench-client-'));
  const engine = await startEngine({
    dataDir: join(dir, 'engine'),
    port: 0,
    uploadLimitBytes: 64 * 1024 ** 3,
  });
  try {
    const key = await engine.createKey();
    const headerFile = join(dir, 'key.header');
    await writeFile(headerFile, `X-API-KEY: ${key}\n`, { mode: 0o600 });
    const client = new RenderioClient({ baseUrl: engine.url, withKey: (fn) => fn(key) });
    childScript = await bundleChild(dir);

    console.log(`making a ${sizeMiB} MiB media file...`);
    const file = await makeBigMedia(dir);
    const size = (await stat(file)).size;
    const mb = size / 1e6;
    const loadStart = await loadAverage();
    console.log(
      `file: ${fmt(size / 1024 ** 2)} MiB; engine ${engine.url} (in this process); ${rounds} rounds; ` +
        `${cpus().length} CPUs; load average ${loadStart.join(' ')}`,
    );

    // Each uploaded copy is deleted after its run: ten 1 GiB files left in the engine's folder
    // (and the page cache) made the runs after them slower, the later ones more.
    const forget = async (fileId: string | undefined): Promise<void> => {
      if (fileId !== undefined) await client.deleteFile(fileId);
    };

    // ---- upload ----
    const upCurl = new Series('curl');
    const upClient = new Series('client');
    const upChildren: ChildResult[] = [];
    const upPaired = new Map<Series, number[]>([[upCurl, []]]);
    for (let r = 0; r < rounds; r++) {
      if (verbose) console.log(`upload round ${r + 1}`);
      let curlSeconds = 0;
      let clientSeconds = 0;
      const runCurl = async (): Promise<void> => {
        const load = (await loadAverage())[0] ?? NaN;
        const { value, engineCpuS } = await engineCpu(() =>
          curl(
            ['-F', `file=@${file};type=video/x-matroska`, `${engine.url}/api/v1/files/upload`],
            headerFile,
          ),
        );
        curlSeconds = value.seconds;
        upCurl.add(value.seconds, load, engineCpuS);
        await forget((JSON.parse(value.body) as { file_id: string }).file_id);
      };
      const runClient = async (): Promise<void> => {
        const load = (await loadAverage())[0] ?? NaN;
        const { value, engineCpuS } = await engineCpu(() =>
          child(['upload', engine.url, file], key),
        );
        clientSeconds = value.seconds;
        upChildren.push(value);
        upClient.add(value.seconds, load, engineCpuS);
        await forget(value.fileId);
      };
      for (const step of r % 2 === 0 ? [runCurl, runClient] : [runClient, runCurl]) await step();
      upPaired.get(upCurl)!.push(curlSeconds / clientSeconds);
    }

    // ---- download ----
    const { file_id } = await client.uploadFile(file);
    const storageUrl = (await client.waitForStoredFile(file_id)).storage_url!;
    const outDir = join(dir, 'out');
    await mkdir(outDir, { recursive: true });
    const downCurl = new Series('curl');
    const downCurlSync = new Series('curl + fsync');
    const downClient = new Series('client');
    const downChildren: ChildResult[] = [];
    const downPaired = new Map<Series, number[]>([
      [downCurl, []],
      [downCurlSync, []],
    ]);
    for (let r = 0; r < rounds; r++) {
      if (verbose) console.log(`download round ${r + 1}`);
      let curlSeconds = 0;
      let curlSyncSeconds = 0;
      let clientSeconds = 0;
      const runCurl = async (): Promise<void> => {
        const curlOut = join(outDir, 'curl.mkv');
        const load = (await loadAverage())[0] ?? NaN;
        const { value, engineCpuS } = await engineCpu(() => curl(['-o', curlOut, storageUrl]));
        // The same run, then its file made durable: what the client promises before its rename.
        const synced = value.seconds + (await fsyncFile(curlOut));
        curlSeconds = value.seconds;
        curlSyncSeconds = synced;
        downCurl.add(value.seconds, load, engineCpuS);
        downCurlSync.add(synced, load, engineCpuS);
        await rm(curlOut, { force: true });
      };
      const runClient = async (): Promise<void> => {
        const load = (await loadAverage())[0] ?? NaN;
        const { value, engineCpuS } = await engineCpu(() =>
          child(['download', engine.url, storageUrl, outDir, 'client.mkv'], key),
        );
        if (value.bytes !== size)
          throw new Error(`client downloaded ${value.bytes} of ${size} bytes`);
        clientSeconds = value.seconds;
        downChildren.push(value);
        downClient.add(value.seconds, load, engineCpuS);
        if (verbose)
          console.log(
            `    client RSS ${fmt(value.maxRssMb)} MB, CPU ${fmt(value.userCpuS, 2)} s user + ${fmt(value.systemCpuS, 2)} s system`,
          );
        await rm(join(outDir, 'client.mkv'), { force: true });
      };
      for (const step of r % 2 === 0 ? [runCurl, runClient] : [runClient, runCurl]) await step();
      downPaired.get(downCurl)!.push(curlSeconds / clientSeconds);
      downPaired.get(downCurlSync)!.push(curlSyncSeconds / clientSeconds);
    }
    const idle = await child(['upload', engine.url, headerFile], key).catch(() => null);

    report('upload', mb, [upCurl], upClient, upChildren, upPaired);
    report('download', mb, [downCurl, downCurlSync], downClient, downChildren, downPaired);
    if (idle)
      console.log(
        `\nbaseline: the same child uploading a tiny file peaks at ${fmt(idle.maxRssMb)} MB RSS`,
      );
    console.log(`load average at the end: ${(await loadAverage()).join(' ')}`);
  } finally {
    await engine.close();
    await rm(dir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
