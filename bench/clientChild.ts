/**
 * One client transfer in its own process, so its peak RSS is the client's alone.
 * bench/client.ts bundles it and runs it with plain node:
 *   node clientChild.mjs upload <baseUrl> <file>
 *   node clientChild.mjs download <baseUrl> <storageUrl> <dir> <name>
 * The transport is the CLI's (undiciFetch, whose downloads from this computer are read by
 * loopbackGet and pumped into the file) by default, undici alone with CLIENT_TRANSPORT=undici-only
 * (downloads read from its web body), Node's global fetch with CLIENT_TRANSPORT=fetch (a
 * web-stream body), or the app's transport over the Electron double with CLIENT_TRANSPORT=app.
 * The key arrives on stdin (never argv). Prints one JSON line:
 * { seconds, bytes, maxRssMb, peakBuffersMb, peakHeapMb, userCpuS, systemCpuS, fileId? }; the CPU times
 * cover the transfer only, and vary far less with the machine's load than the seconds do.
 */
import { stat } from 'node:fs/promises';
import { RenderioClient } from '../electron/core/client';
import type { FetchLike } from '../electron/core/ports';
import { undiciFetch } from '../electron/core/client/undiciFetch';
import { createNetRequestFetch } from '../electron/core/client/netRequestFetch';
import { createElectronDouble } from '../tests/support/electron';

function appTransport(): FetchLike {
  const electron = createElectronDouble({ userData: '/nonexistent' });
  electron.control.emitReady();
  return createNetRequestFetch((o) => electron.main.net.request(o));
}

async function readKey(): Promise<string> {
  let text = '';
  for await (const chunk of process.stdin) text += String(chunk);
  return text.trim();
}

async function main(): Promise<void> {
  const [mode, baseUrl, a, b, c] = process.argv.slice(2);
  if (baseUrl === undefined || a === undefined)
    throw new Error('usage: upload|download <baseUrl> ...');
  const key = await readKey();
  const choice = process.env.CLIENT_TRANSPORT;
  const transport: FetchLike =
    choice === 'fetch'
      ? (input, init) => fetch(input, init)
      : choice === 'app'
        ? appTransport()
        : choice === 'undici-only'
          ? // Without its variant for downloads: undici reads them too (web body, no pump).
            (input: string, init?: RequestInit) => undiciFetch(input, init)
          : undiciFetch;
  const client = new RenderioClient({ baseUrl, withKey: (fn) => fn(key), fetch: transport });
  let peakBuffers = 0;
  let peakHeap = 0;
  const sampler = setInterval(() => {
    const m = process.memoryUsage();
    peakBuffers = Math.max(peakBuffers, m.arrayBuffers);
    peakHeap = Math.max(peakHeap, m.heapUsed);
  }, 10);
  // The app's client has made API calls before it transfers anything: load and warm the
  // transport (Node loads undici on first use, ~50 ms) outside the timing, as curl's start-up is.
  await transport(new URL('/', baseUrl).toString(), { redirect: 'manual' })
    .then((r) => r.body?.cancel())
    .catch(() => undefined);
  const cpuBefore = process.cpuUsage();
  const started = performance.now();
  let bytes: number;
  let fileId: string | undefined;
  if (mode === 'upload') {
    fileId = (await client.uploadFile(a)).file_id;
    bytes = (await stat(a)).size;
  } else if (mode === 'download' && b !== undefined && c !== undefined) {
    bytes = (await client.download({ url: a, dir: b, fileName: c, collision: 'overwrite' })).bytes;
  } else {
    throw new Error(`unknown mode ${mode}`);
  }
  const seconds = (performance.now() - started) / 1000;
  const cpu = process.cpuUsage(cpuBefore);
  clearInterval(sampler);
  const maxRssMb = process.resourceUsage().maxRSS / 1024;
  const mib = (n: number): number => Math.round(n / 1024 / 1024);
  process.stdout.write(
    JSON.stringify({
      seconds,
      bytes,
      maxRssMb,
      peakBuffersMb: mib(peakBuffers),
      peakHeapMb: mib(peakHeap),
      userCpuS: cpu.user / 1e6,
      systemCpuS: cpu.system / 1e6,
      fileId,
    }) + '\n',
    // The double's pooled keep-alive sockets would hold the process open.
    () => process.exit(0),
  );
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : String(error));
  process.exit(1);
});
