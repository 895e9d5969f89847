/**
 * Client transfers against curl on the same local engine: upload and download of a 1 GiB
 * media file, each side run alternately, best of N. The client runs in a child process
 * (bench/clientChild.ts, bundled with esbuild, run by plain node) so its peak RSS is measured alone.
 *
 *   npx tsx bench/client.ts [--size-mib 1024] [--rounds 2]
 *
 * Prints MB/s for both, the ratio client/curl (goal ≥ 0.9 each way) and the client's peak
 * RSS (goal ≤ 150 MB), next to the RSS of an idle child started the same way.
 */
import { execFile, spawn } from 'node:child_process';
import { mkdir, open, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { mkdtemp } from 'node:fs/promises';
import { build } from 'esbuild';
import { startEngine } from '../engine/index';
import { RenderioClient } from '../electron/core/client';

const run = promisify(execFile);

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
}

const sizeMiB = arg('size-mib', 1024);
const rounds = arg('rounds', 2);

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
      const result = JSON.parse(out.trim().split('\n').at(-1)!) as ChildResult;
      if (process.env.BENCH_VERBOSE) console.log(`  child ${args[0]}: ${JSON.stringify(result)}`);
      resolve(result);
    });
    p.stdin.end(key);
  });
}

async function curl(args: string[], keyHeaderFile?: string): Promise<number> {
  const started = performance.now();
  // The key goes through a header file (-H @file), not argv.
  await run(
    'curl',
    ['-sS', '--fail', ...(keyHeaderFile ? ['-H', `@${keyHeaderFile}`] : []), ...args],
    { maxBuffer: 1 << 20 },
  );
  return (performance.now() - started) / 1000;
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
    const { writeFile } = await import('node:fs/promises');
    await writeFile(headerFile, `X-API-KEY: ${key}\n`, { mode: 0o600 });
    const client = new RenderioClient({ baseUrl: engine.url, withKey: (fn) => fn(key) });
    childScript = await bundleChild(dir);

    console.log(`making a ${sizeMiB} MiB media file...`);
    const file = await makeBigMedia(dir);
    const size = (await stat(file)).size;
    const mb = size / 1e6;
    console.log(
      `file: ${(size / 1024 ** 2).toFixed(0)} MiB; engine ${engine.url}; ${rounds} rounds each, alternating`,
    );

    const up = { curl: [] as number[], client: [] as number[], rss: [] as number[] };
    const down = { curl: [] as number[], client: [] as number[], rss: [] as number[] };
    /** curl followed by an fsync of its file: the same durability the client gives. */
    const curlSynced: number[] = [];
    let storageUrl = '';
    for (let r = 0; r < rounds; r++) {
      up.curl.push(
        await curl(
          [
            '-o',
            '/dev/null',
            '-F',
            `file=@${file};type=video/x-matroska`,
            `${engine.url}/api/v1/files/upload`,
          ],
          headerFile,
        ),
      );
      const c = await child(['upload', engine.url, file], key);
      up.client.push(c.seconds);
      up.rss.push(c.maxRssMb);
    }
    // A stored copy to download.
    const { file_id } = await client.uploadFile(file);
    storageUrl = (await client.waitForStoredFile(file_id)).storage_url!;
    const outDir = join(dir, 'out');
    await mkdir(outDir, { recursive: true });
    for (let r = 0; r < rounds; r++) {
      const curlOut = join(outDir, 'curl.mkv');
      const t = await curl(['-o', curlOut, storageUrl]);
      down.curl.push(t);
      const syncStart = performance.now();
      const fh = await open(curlOut, 'r+');
      await fh.sync();
      await fh.close();
      curlSynced.push(t + (performance.now() - syncStart) / 1000);
      await rm(curlOut, { force: true });
      const c = await child(['download', engine.url, storageUrl, outDir, 'client.mkv'], key);
      if (c.bytes !== size) throw new Error(`client downloaded ${c.bytes} of ${size} bytes`);
      down.client.push(c.seconds);
      down.rss.push(c.maxRssMb);
      await rm(join(outDir, 'client.mkv'), { force: true });
    }
    const idle = await child(['upload', engine.url, headerFile], key).catch(() => null);

    const best = (xs: number[]) => Math.min(...xs);
    const line = (what: string, s: { curl: number[]; client: number[]; rss: number[] }) => {
      const curlRate = mb / best(s.curl);
      const clientRate = mb / best(s.client);
      console.log(
        `${what}: curl ${curlRate.toFixed(0)} MB/s, client ${clientRate.toFixed(0)} MB/s, ` +
          `ratio ${(clientRate / curlRate).toFixed(2)}x (goal >= 0.9); client peak RSS ${Math.max(...s.rss).toFixed(0)} MB (goal <= 150)`,
      );
      console.log(
        `  runs (s): curl ${s.curl.map((x) => x.toFixed(2)).join(', ')}; client ${s.client.map((x) => x.toFixed(2)).join(', ')}`,
      );
    };
    line('upload  ', up);
    line('download', down);
    if (idle)
      console.log(
        `baseline: the same child uploading a tiny file peaks at ${idle.maxRssMb.toFixed(0)} MB RSS`,
      );
    const synced = mb / best(curlSynced);
    console.log(
      `download vs curl + fsync (the client fsyncs before renaming; curl does not): curl+fsync ${synced.toFixed(0)} MB/s, ` +
        `ratio ${(mb / best(down.client) / synced).toFixed(2)}x`,
    );
  } finally {
    await engine.close();
    await rm(dir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
