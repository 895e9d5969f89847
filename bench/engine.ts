/**
 * Local engine benchmark (prints ratios, asserts nothing):
 *  1. 1 GiB upload and download through the engine: a plain streaming node:http client (a
 *     reference; the core's own client is measured by bench/client.ts) against curl, both on
 *     the same engine; plus curl against a bare Node server that only streams to/from disk, to
 *     show what the engine's own handling costs.
 *  2. The engine's peak RSS (VmHWM of the engine process, run as a child).
 *  3. One 20-second 720p MP4 → WebM command through the engine against the same ffmpeg
 *     arguments run directly.
 * Run: npx tsx bench/engine.ts
 */
import { spawn, execFile } from 'node:child_process';
import { createReadStream, createWriteStream, openAsBlob } from 'node:fs';
import { mkdtemp, open, rm, stat, unlink } from 'node:fs/promises';
import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { pipeline } from 'node:stream/promises';
import { randomFillSync } from 'node:crypto';
import { build } from 'esbuild';
import { promisify } from 'node:util';
import type { CommandObject, StoredFile, WebhookDelivery } from '../shared/renderioApi';
import { prepareFfmpegArgs } from '../shared/ffmpeg/argumentRules';
import { DOWNLOAD_CHUNK_BYTES } from '../engine/storage/streamChunk';
import { curlDownload, curlUpload, writeHeaderFile } from './support/curl';
import { readRss } from './support/rss';
import { median } from './support/stats';
import { makeVideo } from '../tests/support/media';

const run = promisify(execFile);
const GIB = 1024 ** 3;
const MB = 1024 * 1024;
// Client-side chunk size: 64 KiB moved data faster than 1 MiB on loopback (fewer stalls).
const CHUNK = 64 * 1024;
const VP9 = '-c:v libvpx-vp9 -deadline realtime -cpu-used 8 -b:v 2M -c:a libopus';
const TEMPLATE = `-i {{in_video}} ${VP9} {{out_video}}`;

const fmt = (n: number, digits = 2) => n.toFixed(digits);
const mbps = (bytes: number, s: number) => `${fmt(bytes / MB / s, 0)} MB/s`;

/**
 * `size` bytes of random data behind a 44-byte WAV header (16-bit stereo PCM): incompressible
 * like real media, and ffprobe accepts it, so the engine stores it and hands out a storage URL.
 */
async function makeRandomFile(path: string, size: number): Promise<void> {
  const handle = await open(path, 'w');
  const header = Buffer.alloc(44);
  const data = size - header.length;
  header.write('RIFF', 0);
  header.writeUInt32LE(size - 8, 4);
  header.write('WAVEfmt ', 8);
  header.writeUInt32LE(16, 16);
  header.writeUInt16LE(1, 20); // PCM
  header.writeUInt16LE(2, 22); // channels
  header.writeUInt32LE(48000, 24);
  header.writeUInt32LE(48000 * 4, 28);
  header.writeUInt16LE(4, 32);
  header.writeUInt16LE(16, 34);
  header.write('data', 36);
  header.writeUInt32LE(data, 40);
  const chunk = Buffer.alloc(64 * MB);
  try {
    await handle.write(header);
    for (let written = 0; written < data; written += chunk.length) {
      randomFillSync(chunk);
      await handle.write(chunk, 0, Math.min(chunk.length, data - written));
    }
  } finally {
    await handle.close();
  }
}

/** A streaming multipart upload over node:http (what electron/core's transfer does). */
function nodeUpload(
  url: string,
  path: string,
  size: number,
  key?: string,
): Promise<{ seconds: number; body: string }> {
  const boundary = `----bench${Date.now()}`;
  const head = Buffer.from(
    `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="big.wav"\r\nContent-Type: application/octet-stream\r\n\r\n`,
  );
  const tail = Buffer.from(`\r\n--${boundary}--\r\n`);
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const req = request(url, {
      method: 'POST',
      headers: {
        'Content-Type': `multipart/form-data; boundary=${boundary}`,
        'Content-Length': head.length + size + tail.length,
        ...(key ? { 'X-API-KEY': key } : {}),
      },
    });
    req.on('response', (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const body = Buffer.concat(chunks).toString();
        if (res.statusCode !== 200) reject(new Error(`upload answered ${res.statusCode}: ${body}`));
        else resolve({ seconds: (performance.now() - started) / 1000, body });
      });
    });
    req.on('error', reject);
    req.write(head);
    const source = createReadStream(path, { highWaterMark: CHUNK });
    source.pipe(req, { end: false });
    source.on('end', () => req.end(tail));
    source.on('error', reject);
  });
}

/** A streaming download to a file over node:http. */
function nodeDownload(url: string, target: string): Promise<number> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    request(url, (res) => {
      if (res.statusCode !== 200) return reject(new Error(`download answered ${res.statusCode}`));
      pipeline(res, createWriteStream(target, { highWaterMark: CHUNK })).then(
        () => resolve((performance.now() - started) / 1000),
        reject,
      );
    })
      .on('error', reject)
      .end();
  });
}

/** The bare baseline: a server that only streams request bodies to disk and files back. */
async function bareServer(
  dir: string,
  servePath: string,
): Promise<{ url: string; server: Server }> {
  const server = createServer((req, res) => {
    const failed = (error: Error) => console.error(`bare server: ${req.method} ${error.message}`);
    if (req.method === 'POST') {
      pipeline(req, createWriteStream(join(dir, 'bare-upload.bin'), { highWaterMark: CHUNK })).then(
        () => res.end('{}'),
        failed,
      );
    } else {
      void stat(servePath).then((s) => {
        res.setHeader('Content-Length', s.size);
        // The engine's own download chunk, so the floor streams the way the engine does.
        pipeline(createReadStream(servePath, { highWaterMark: DOWNLOAD_CHUNK_BYTES }), res).catch(
          failed,
        );
      });
    }
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server };
}

/**
 * The engine runs as a child from an esbuild bundle of engine/cli.ts under plain node, as
 * shipped code runs (the tsx loader would add its own ~40 MB to the RSS being measured).
 */
async function startEngineProcess(dir: string, dataDir: string) {
  const bundle = join(dir, 'engine-cli.mjs');
  await build({
    entryPoints: [join(import.meta.dirname, '..', 'engine', 'cli.ts')],
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    outfile: bundle,
    logLevel: 'warning',
    // busboy is CommonJS: give the ESM bundle a require for node's built-ins.
    banner: {
      js: "import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);",
    },
  });
  const cli = [bundle];
  const { stdout } = await run(process.execPath, [...cli, 'keys', 'create', '--data-dir', dataDir]);
  const key = stdout.trim();
  const child = spawn(
    process.execPath,
    [
      ...cli,
      '--port',
      '0',
      '--data-dir',
      dataDir,
      '--upload-limit-mb',
      '4096',
      '--rate',
      '1000',
      '--burst',
      '1000',
    ],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  const url = await new Promise<string>((resolve, reject) => {
    createInterface({ input: child.stdout }).on('line', (line) => {
      const m = /listening on (\S+)/.exec(line);
      if (m) resolve(m[1]!);
    });
    child.on('exit', (code) => reject(new Error(`engine exited (${code})`)));
  });
  return { child, url, key };
}

async function api<T>(base: string, key: string, path: string, init: RequestInit = {}): Promise<T> {
  const res = await fetch(base + path, {
    ...init,
    headers: {
      'X-API-KEY': key,
      ...(init.body instanceof FormData ? {} : { 'Content-Type': 'application/json' }),
    },
  });
  if (!res.ok) throw new Error(`${path} answered ${res.status}: ${await res.text()}`);
  return (await res.json()) as T;
}

async function waitFile(base: string, key: string, id: string): Promise<StoredFile> {
  for (;;) {
    const f = await api<StoredFile>(base, key, `/api/v1/files/${id}`);
    if (f.status !== 'PROCESSING') return f;
    await new Promise((r) => setTimeout(r, 50));
  }
}

/**
 * Completion is learned from the command's webhook, not by polling: polls every few tens of
 * milliseconds would compete with ffmpeg for the 2 cores and add their own latency, so the
 * ratio would measure the bench as much as the engine.
 */
async function startWebhookReceiver(): Promise<{
  url: string;
  next(commandId: string): Promise<CommandObject>;
  close(): Promise<void>;
}> {
  const waiting = new Map<string, (c: CommandObject) => void>();
  const arrived = new Map<string, CommandObject>();
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      res.writeHead(200).end();
      const { data } = JSON.parse(Buffer.concat(chunks).toString('utf8')) as WebhookDelivery;
      const resolve = waiting.get(data.command_id);
      if (resolve) resolve(data);
      else arrived.set(data.command_id, data);
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/hook`,
    next: (commandId) =>
      new Promise((resolve) => {
        const early = arrived.get(commandId);
        if (early) resolve(early);
        else waiting.set(commandId, resolve);
      }),
    close: () => new Promise((r) => server.close(() => r())),
  };
}

async function timeCommand(
  base: string,
  key: string,
  inputUrl: string,
  hooks: Awaited<ReturnType<typeof startWebhookReceiver>>,
): Promise<{ seconds: number; command: CommandObject }> {
  const started = performance.now();
  const { command_id } = await api<{ command_id: string }>(
    base,
    key,
    '/api/v1/run-ffmpeg-command',
    {
      method: 'POST',
      body: JSON.stringify({
        input_files: { in_video: inputUrl },
        output_files: { out_video: 'out.webm' },
        ffmpeg_command: TEMPLATE,
        webhook_url: hooks.url,
      }),
    },
  );
  const c = await hooks.next(command_id);
  const seconds = (performance.now() - started) / 1000;
  if (c.status !== 'SUCCESS') throw new Error(`command ended ${c.status}: ${c.error_message}`);
  return { seconds, command: c };
}

async function timeDirect(input: string, dir: string): Promise<number> {
  const args = prepareFfmpegArgs(TEMPLATE, (alias) =>
    alias === 'in_video' ? input : './direct.webm',
  );
  const started = performance.now();
  await new Promise<void>((resolve, reject) => {
    const p = spawn('ffmpeg', args, { cwd: dir, stdio: 'ignore' });
    p.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`ffmpeg exited ${code}`))));
  });
  return (performance.now() - started) / 1000;
}

async function main(): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'renderio-bench-engine-'));
  const dataDir = join(dir, 'data');
  let engine: Awaited<ReturnType<typeof startEngineProcess>> | null = null;
  let bare: Awaited<ReturnType<typeof bareServer>> | null = null;
  try {
    engine = await startEngineProcess(dir, dataDir);
    bare = await bareServer(dir, join(dir, 'big.wav'));
    const big = join(dir, 'big.wav');
    console.log('generating 1 GiB of random data…');
    await makeRandomFile(big, GIB);
    const headerFile = await writeHeaderFile(join(dir, 'headers.txt'), { 'X-API-KEY': engine.key });
    const uploadUrl = `${engine.url}/api/v1/files/upload`;
    const idleRss = await readRss(engine.child.pid!);

    // Upload: alternate curl and node three times each; the best of each counts.
    const up = { curl: Infinity, node: Infinity, bare: Infinity, nodeBare: Infinity };
    let storedUrl = '';
    for (let round = 0; round < 3; round++) {
      const c = await curlUpload(uploadUrl, big, headerFile);
      if (c.status !== 200) throw new Error(`curl upload answered ${c.status}: ${c.body}`);
      up.curl = Math.min(up.curl, c.seconds);
      const cid = (JSON.parse(c.body) as { file_id: string }).file_id;
      const n = await nodeUpload(uploadUrl, big, GIB, engine.key);
      up.node = Math.min(up.node, n.seconds);
      const nid = (JSON.parse(n.body) as { file_id: string }).file_id;
      const b = await curlUpload(`${bare.url}/upload`, big);
      up.bare = Math.min(up.bare, b.seconds);
      up.nodeBare = Math.min(
        up.nodeBare,
        (await nodeUpload(`${bare.url}/upload`, big, GIB)).seconds,
      );
      const stored = await waitFile(engine.url, engine.key, nid);
      if (stored.status !== 'STORED')
        throw new Error(`upload ended ${stored.status}: ${stored.error_message}`);
      storedUrl = stored.storage_url ?? '';
      await api(engine.url, engine.key, `/api/v1/files/${cid}`, { method: 'DELETE' });
      if (round < 2)
        await api(engine.url, engine.key, `/api/v1/files/${nid}`, { method: 'DELETE' });
    }
    await unlink(join(dir, 'bare-upload.bin')).catch(() => undefined);
    const afterUploadRss = await readRss(engine.child.pid!);

    // Download the stored 1 GiB the same way.
    const down = { curl: Infinity, node: Infinity, bare: Infinity, nodeBare: Infinity };
    const target = join(dir, 'download.bin');
    for (let round = 0; round < 3; round++) {
      const c = await curlDownload(storedUrl, target);
      if (c.status !== 200 || c.bytes !== GIB)
        throw new Error(`curl download: ${c.status} ${c.bytes}`);
      down.curl = Math.min(down.curl, c.seconds);
      await unlink(target);
      down.node = Math.min(down.node, await nodeDownload(storedUrl, target));
      if ((await stat(target)).size !== GIB) throw new Error('node download incomplete');
      await unlink(target);
      const b = await curlDownload(`${bare.url}/big.wav`, target);
      if (b.bytes !== GIB) throw new Error(`bare download: ${b.status} ${b.bytes}`);
      down.bare = Math.min(down.bare, b.seconds);
      await unlink(target);
      down.nodeBare = Math.min(down.nodeBare, await nodeDownload(`${bare.url}/big.wav`, target));
      if ((await stat(target)).size !== GIB) throw new Error('node download from bare incomplete');
      await unlink(target);
    }
    const afterDownloadRss = await readRss(engine.child.pid!);
    await unlink(big);

    // One 20 s 720p MP4 → WebM through the engine against ffmpeg run directly.
    console.log('generating a 20 s 720p MP4…');
    const clip = await makeVideo(dir, 'clip720.mp4', {
      seconds: 20,
      width: 1280,
      height: 720,
      fps: 30,
      x264Preset: 'veryfast',
    });
    // A file-backed Blob: the clip streams from disk instead of being read into memory.
    const form = new FormData();
    form.append('file', await openAsBlob(clip), 'clip720.mp4');
    const { file_id } = await api<{ file_id: string }>(
      engine.url,
      engine.key,
      '/api/v1/files/upload',
      {
        method: 'POST',
        body: form,
      },
    );
    const clipUrl = (await waitFile(engine.url, engine.key, file_id)).storage_url!;
    // Five alternating rounds: on a shared machine single runs vary a lot; best and median.
    const engineRuns: number[] = [];
    const directRuns: number[] = [];
    // Within one engine run, its wall time against the ffmpeg run time it reports: the
    // engine's own overhead (input copy, output move and probe, the webhook), free of the noise
    // between separate runs.
    const overheads: number[] = [];
    const hooks = await startWebhookReceiver();
    for (let round = 0; round < 5; round++) {
      directRuns.push(await timeDirect(clip, dir));
      const { seconds, command } = await timeCommand(engine.url, engine.key, clipUrl, hooks);
      engineRuns.push(seconds);
      overheads.push(seconds / (command.ffmpeg_command_run_seconds ?? seconds));
    }
    await hooks.close();
    const cmd = {
      engine: Math.min(...engineRuns),
      direct: Math.min(...directRuns),
      engineMedian: median(engineRuns),
      overhead: median(overheads),
      directMedian: median(directRuns),
    };
    const finalRss = await readRss(engine.child.pid!);

    const r = (baseline: number, ours: number) => fmt(baseline / ours);
    console.log('\n## Local engine benchmark');
    console.log(
      `upload 1 GiB   curl→engine ${fmt(up.curl)} s (${mbps(GIB, up.curl)})  node client→engine ${fmt(up.node)} s (${mbps(GIB, up.node)})  curl→bare server ${fmt(up.bare)} s`,
    );
    console.log(
      `  node client vs curl (same engine): ${r(up.curl, up.node)}×   engine vs bare server (curl): ${r(up.bare, up.curl)}×   (node client→bare server ${fmt(up.nodeBare)} s)`,
    );
    console.log(
      `download 1 GiB curl←engine ${fmt(down.curl)} s (${mbps(GIB, down.curl)})  node client←engine ${fmt(down.node)} s (${mbps(GIB, down.node)})  curl←bare server ${fmt(down.bare)} s`,
    );
    console.log(
      `  node client vs curl (same engine): ${r(down.curl, down.node)}×   engine vs bare server (curl): ${r(down.bare, down.curl)}×   (node client←bare server ${fmt(down.nodeBare)} s)`,
    );
    console.log(
      `engine RSS     idle ${fmt(idleRss.rssMb, 0)} MB, after uploads ${fmt(afterUploadRss.rssMb, 0)} MB, after downloads ${fmt(afterDownloadRss.rssMb, 0)} MB, peak (VmHWM) ${fmt(finalRss.peakMb, 0)} MB`,
    );
    console.log(
      `20 s 720p MP4→WebM  best: engine ${fmt(cmd.engine)} s, direct ffmpeg ${fmt(cmd.direct)} s, engine/direct ${fmt(cmd.engine / cmd.direct, 3)}×; median: ${fmt(cmd.engineMedian)} s vs ${fmt(cmd.directMedian)} s, ${fmt(cmd.engineMedian / cmd.directMedian, 3)}×; engine wall / its ffmpeg run time (median): ${fmt(cmd.overhead, 3)}×`,
    );
  } finally {
    if (engine && engine.child.exitCode === null) {
      const child = engine.child;
      const exited = new Promise((r) => child.on('exit', r));
      child.kill('SIGTERM');
      await exited;
    }
    if (bare) await new Promise((r) => bare!.server.close(r));
    await rm(dir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
