/**
 * A real full disk without root: the engine (engine/cli.ts) runs in its own user and mount
 * namespace (`unshare --user --map-root-user --mount`, util-linux) with its data folder on a
 * tmpfs of a few MB. Every write beyond it fails with the kernel's own ENOSPC, and statfs
 * reports that tmpfs's free space: nothing is simulated. The mount lives and dies with the
 * engine's process; outside it the folder stays an empty directory.
 *
 * Linux only, and only where unprivileged user namespaces are allowed (Debian's default, and
 * this project's CI); `smallDiskSupported()` says whether this machine can, and the tests that
 * need it are skipped with that reason where it cannot.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { findLocalFfmpeg } from '../../shared/node/ffmpeg';
import type { LocalEngineLink } from '../../shared/localEngine';

const TSX = 'node_modules/.bin/tsx';

/** Mounts a tmpfs of `sizeKb` on $1, then runs the rest of the script inside the namespace. */
function namespaceArgs(sizeKb: number, script: string, dir: string): string[] {
  return [
    '--user',
    '--map-root-user',
    '--mount',
    'sh',
    '-c',
    `mount -t tmpfs -o size=${sizeKb}k,mode=0700 tmpfs "$1" && ${script}`,
    'sh',
    dir,
  ];
}

let supported: boolean | null = null;

/** Whether this machine lets an unprivileged process mount a tmpfs in a namespace of its own. */
export function smallDiskSupported(): boolean {
  if (supported !== null) return supported;
  if (process.platform !== 'linux') return (supported = false);
  const dir = mkdtempSync(join(tmpdir(), 'renderio-small-disk-check-'));
  try {
    const result = spawnSync('unshare', namespaceArgs(64, 'test -w "$1"', dir), {
      stdio: 'ignore',
      timeout: 10_000,
    });
    supported = result.status === 0;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return supported;
}

export interface SmallDiskEngine {
  /** The engine's address and key, as the app's core is handed them. */
  link: LocalEngineLink;
  /** The data folder (the tmpfs inside the engine's namespace; an empty folder outside it). */
  dataDir: string;
  /** Stops the engine: the tmpfs and all on it go with it. */
  close(): Promise<void>;
}

/**
 * The engine CLI on a tmpfs of `sizeKb` KB, with `--keep-free-mb keepFreeMb` (default 0: only
 * the kernel's ENOSPC stops a write). Its key is made by `keys create` in the same namespace.
 */
export async function startEngineOnSmallDisk(o: {
  sizeKb: number;
  keepFreeMb?: number;
  concurrency?: number;
}): Promise<SmallDiskEngine> {
  const dataDir = mkdtempSync(join(tmpdir(), 'renderio-small-disk-'));
  const engineArgs = [
    '--port 0',
    '--data-dir "$1"',
    `--keep-free-mb ${o.keepFreeMb ?? 0}`,
    `--concurrency ${o.concurrency ?? 1}`,
  ].join(' ');
  const script = `${TSX} engine/cli.ts keys create --data-dir "$1" && exec ${TSX} engine/cli.ts ${engineArgs}`;
  const child = spawn('unshare', namespaceArgs(o.sizeKb, script, dataDir), {
    cwd: process.cwd(),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-4000);
  });
  try {
    const { url, key } = await readKeyAndUrl(child, () => stderr);
    const ffmpeg = await findLocalFfmpeg();
    return {
      link: { url, key, ffmpeg, commandSlots: o.concurrency ?? 1 },
      dataDir,
      close: async () => {
        child.kill('SIGTERM');
        await exited;
        rmSync(dataDir, { recursive: true, force: true });
      },
    };
  } catch (error) {
    child.kill('SIGKILL');
    await exited;
    rmSync(dataDir, { recursive: true, force: true });
    throw error;
  }
}

/** `keys create` prints the key on its first line; the engine then prints where it listens. */
function readKeyAndUrl(
  child: ChildProcess,
  stderr: () => string,
): Promise<{ url: string; key: string }> {
  return new Promise((resolve, reject) => {
    let key: string | null = null;
    const lines = createInterface({ input: child.stdout! });
    lines.on('line', (line) => {
      if (key === null && /^ffsk_[0-9a-f]{64}$/.test(line.trim())) key = line.trim();
      const m = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(line);
      if (m && key !== null) resolve({ url: m[1]!, key });
    });
    child.once('exit', (code) =>
      reject(new Error(`the engine on a small disk exited (${code}): ${stderr()}`)),
    );
  });
}

/**
 * Takes `bytes` of the small disk, as an earlier job's upload still stored would: a WAV of
 * silence (a file the engine can read, so it is STORED and kept; one it cannot read ends
 * FAILED and its bytes go). Answers its file id, whose deletion (`freeFiller`) is how a test
 * frees the space again.
 */
export async function storeFiller(engine: SmallDiskEngine, bytes: number): Promise<string> {
  const form = new FormData();
  form.append('file', new Blob([silentWav(bytes)], { type: 'audio/wav' }), 'earlier.wav');
  const res = await fetch(`${engine.link.url}/api/v1/files/upload`, {
    method: 'POST',
    headers: { 'X-API-KEY': engine.link.key },
    body: form,
  });
  if (res.status !== 200) throw new Error(`the filler was refused (${res.status})`);
  return ((await res.json()) as { file_id: string }).file_id;
}

/** Deletes what storeFiller stored: the person freeing space. */
export async function freeFiller(engine: SmallDiskEngine, fileId: string): Promise<void> {
  const res = await fetch(`${engine.link.url}/api/v1/files/${fileId}`, {
    method: 'DELETE',
    headers: { 'X-API-KEY': engine.link.key },
  });
  if (res.status !== 200) throw new Error(`the filler was not deleted (${res.status})`);
}

/** A mono 16-bit 48 kHz WAV of silence, `bytes` long in all (its 44-byte header included). */
function silentWav(bytes: number): Buffer {
  const data = Math.max(0, Math.floor((bytes - 44) / 2) * 2);
  const wav = Buffer.alloc(44 + data);
  wav.write('RIFF', 0, 'ascii');
  wav.writeUInt32LE(36 + data, 4);
  wav.write('WAVEfmt ', 8, 'ascii');
  wav.writeUInt32LE(16, 16); // the fmt chunk's size
  wav.writeUInt16LE(1, 20); // PCM
  wav.writeUInt16LE(1, 22); // one channel
  wav.writeUInt32LE(48_000, 24);
  wav.writeUInt32LE(48_000 * 2, 28); // bytes a second
  wav.writeUInt16LE(2, 32); // bytes a frame
  wav.writeUInt16LE(16, 34); // bits a sample
  wav.write('data', 36, 'ascii');
  wav.writeUInt32LE(data, 40);
  return wav;
}
