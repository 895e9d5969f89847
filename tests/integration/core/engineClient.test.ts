/**
 * The client, the vault and the transfers against the real local engine (real ffmpeg), with
 * a recording server as a second origin.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomBytes } from 'node:crypto';
import { readFile, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { startEngine, type EngineHandle } from '../../../engine/index';
import { RenderioClient, RenderioError } from '../../../electron/core/client';
import { keyFingerprint } from '../../../electron/core/client/rateGate';
import { createKeyVerifier, KeyVault } from '../../../electron/core/vault';
import { createProfileClients } from '../../../electron/core/profileClients';
import { undiciFetch } from '../../../electron/core/client/undiciFetch';
import type { CommandObject } from '../../../shared/renderioApi';
import { codecOf, makeVideo, probe, tempDir } from '../../support/media';
import {
  everythingReceived,
  startRecordingServer,
  type RecordingServer,
} from '../../support/recordingServer';
import { TestCipher } from '../../support/testCipher';

let tmp: { path: string; cleanup(): Promise<void> };
let engine: EngineHandle;
let storageHost: RecordingServer;
let key: string;
let source: string;
let client: RenderioClient;
/** Every error any test here saw: their text is checked for the key at the end. */
const errors: unknown[] = [];
const keysUsed: string[] = [];

beforeAll(async () => {
  tmp = await tempDir('engine-client-');
  engine = await startEngine({ dataDir: join(tmp.path, 'engine'), port: 0 });
  storageHost = await startRecordingServer();
  key = await engine.createKey();
  keysUsed.push(key);
  source = await makeVideo(tmp.path, 'clip.mp4');
  client = new RenderioClient({
    baseUrl: engine.url,
    withKey: (fn) => fn(key),
    fetch: undiciFetch,
    retry: { baseDelayMs: 50 },
  });
});
afterAll(async () => {
  await storageHost.close();
  await engine.close();
  await tmp.cleanup();
  for (const e of errors) {
    const text =
      e instanceof Error ? `${e.message}\n${e.stack}\n${JSON.stringify(e)}` : JSON.stringify(e);
    for (const k of keysUsed) expect(text).not.toContain(k.slice(5, 17));
  }
});

async function caught(p: Promise<unknown>): Promise<RenderioError> {
  const e = await p.then(
    () => {
      throw new Error('expected a failure');
    },
    (x: unknown) => x,
  );
  errors.push(e);
  expect(e).toBeInstanceOf(RenderioError);
  return e as RenderioError;
}

async function finished(c: RenderioClient, id: string): Promise<CommandObject> {
  for (;;) {
    const cmd = await c.getCommand(id);
    if (cmd.status === 'SUCCESS' || cmd.status === 'FAILED') return cmd;
    await new Promise((r) => setTimeout(r, 200));
  }
}

async function convert(c: RenderioClient): Promise<{ cmd: CommandObject; id: string }> {
  const up = await c.uploadFile(source);
  const stored = await c.waitForStoredFile(up.file_id);
  const { command_id } = await c.runCommand({
    input_files: { in_video: stored.storage_url! },
    output_files: { out_video: 'clip.webm' },
    ffmpeg_command:
      '-i {{in_video}} -c:v libvpx-vp9 -deadline realtime -cpu-used 8 -b:v 300k -c:a libopus {{out_video}}',
    metadata: { client_job_id: 'job-1' },
  });
  const cmd = await finished(c, command_id);
  expect(cmd.status, cmd.error_message ?? '').toBe('SUCCESS');
  return { cmd, id: command_id };
}

describe('client against the engine', () => {
  it('uploads, submits, polls and downloads a real MP4 → WebM', async () => {
    const size = (await readFile(source)).length;
    const progress: number[] = [];
    const up = await client.uploadFile(source, {
      onProgress: (sent, total) => progress.push(sent / total),
    });
    expect(progress.at(-1)).toBe(1);
    const stored = await client.waitForStoredFile(up.file_id);
    expect(stored).toMatchObject({ status: 'STORED', rendi_store_type: 'UPLOAD' });
    expect(stored.size_mbytes).toBeCloseTo(size / 1e6, 1);
    const { command_id } = await client.runCommand({
      input_files: { in_video: stored.storage_url! },
      output_files: { out_video: 'clip.webm' },
      ffmpeg_command:
        'ffmpeg -i {{in_video}} -c:v libvpx-vp9 -deadline realtime -cpu-used 8 -b:v 300k -c:a libopus {{out_video}}',
      metadata: { client_job_id: 'job-1' },
    });
    const cmd = await finished(client, command_id);
    expect(cmd.status, cmd.error_message ?? '').toBe('SUCCESS');
    expect(cmd.metadata).toEqual({ client_job_id: 'job-1' });
    const out = cmd.output_files.out_video!;
    const seen: number[] = [];
    const dl = await client.download({
      url: out.storage_url!,
      dir: join(tmp.path, 'out'),
      fileName: out.filename,
      protectedPaths: [source],
      onProgress: (n) => seen.push(n),
    });
    expect(dl.path).toBe(join(tmp.path, 'out', 'clip.webm'));
    expect(seen.at(-1)).toBe(dl.bytes);
    const p = await probe(dl.path);
    expect(codecOf(p, 'video')).toBe('vp9');
    expect(codecOf(p, 'audio')).toBe('opus');
    // The rest of the surface.
    const list = await client.listCommands({ limit: 5, status: 'SUCCESS' });
    expect(list.commands.some((c) => c.command_id === command_id)).toBe(true);
    const presets = await client.listPresets();
    const webm = presets.presets.find(
      (x) => x.is_system && x.output_file_definitions.out_file?.endsWith('.webm'),
    );
    expect(webm).toBeDefined();
    const viaPreset = await client.executePreset(webm!.preset_id, {
      input_files: { in_file: stored.storage_url! },
    });
    expect((await finished(client, viaPreset.command_id)).status).toBe('SUCCESS');
    expect((await client.deleteCommandFiles(command_id)).deleted).toBe(true);
    expect((await client.deleteFile(up.file_id)).deleted).toBe(true);
    expect((await caught(client.deleteFile(up.file_id))).kind).toBe('not-found');
    expect((await caught(client.getCommand('00000000-0000-4000-8000-00000000dead'))).kind).toBe(
      'not-found',
    );
    const invalid = await caught(
      client.runCommand({
        input_files: { in_a: stored.storage_url! },
        output_files: { out_a: 'a.webm' },
        ffmpeg_command: '-i {{in_b}} {{out_a}}',
      }),
    );
    expect(invalid.kind).toBe('validation');
    expect(Array.isArray(invalid.detail)).toBe(true);
    expect((await caught(client.listCommands({ limit: 500 }))).kind).toBe('validation');
  });

  it('a storage host on another origin never sees the key', async () => {
    const { cmd } = await convert(client);
    const out = cmd.output_files.out_video!;
    // The other origin serves the engine's bytes (fetched without a key: signed URL).
    const bytes = Buffer.from(await (await fetch(out.storage_url!)).arrayBuffer());
    storageHost.handle((_req, res) => {
      res.writeHead(200, { 'content-length': bytes.length, 'content-type': 'video/webm' });
      res.end(bytes);
    });
    const dl = await client.download({
      url: `${storageHost.url}/bucket/clip.webm?X-Signature=abc`,
      dir: join(tmp.path, 'other'),
      fileName: 'clip.webm',
    });
    expect(dl.bytes).toBe(bytes.length);
    expect(storageHost.requests).toHaveLength(1);
    expect(everythingReceived(storageHost.requests)).not.toContain(key);
    // And a redirect from there back to the engine's signed URL still works, still keyless outside.
    storageHost.handle((_req, res) => res.writeHead(302, { location: out.storage_url! }).end());
    const viaRedirect = await client.download({
      url: `${storageHost.url}/go`,
      dir: join(tmp.path, 'other'),
      fileName: 'clip.webm',
    });
    expect(viaRedirect.path).toBe(join(tmp.path, 'other', 'clip (1).webm'));
    expect(everythingReceived(storageHost.requests)).not.toContain(key);
  });

  it('detects a truncated download and resumes it with Range', async () => {
    // A few MB, so the half that arrives before the cut is well over one network chunk.
    const long = await makeVideo(tmp.path, 'long.mp4', { seconds: 20, width: 640, height: 480 });
    const up = await client.uploadFile(long);
    const stored = await client.waitForStoredFile(up.file_id);
    const { command_id } = await client.runCommand({
      input_files: { in_v: stored.storage_url! },
      output_files: { out_v: 'long.mkv' },
      ffmpeg_command: '-i {{in_v}} -c copy {{out_v}}',
    });
    const cmd = await finished(client, command_id);
    expect(cmd.status, cmd.error_message ?? '').toBe('SUCCESS');
    const out = cmd.output_files.out_v!;
    const full = Buffer.from(await (await fetch(out.storage_url!)).arrayBuffer());
    expect(full.length).toBeGreaterThan(1_000_000);
    await new Promise((r) => setTimeout(r, 50)); // the engine logs a request when its socket closes
    const before = engine.requestLog.length;
    engine.setFaults({ seed: 7, rules: [{ route: 'GET /storage/*', truncateDownload: 1 }] });
    // The fault is decided when a request arrives: once the first answer has started, lift it.
    const c = new RenderioClient({
      baseUrl: engine.url,
      withKey: (fn) => fn(key),
      fetch: async (url, init) => {
        const response = await fetch(url, init);
        engine.setFaults(undefined);
        return response;
      },
    });
    const dl = await c.download({
      url: out.storage_url!,
      dir: join(tmp.path, 'trunc'),
      fileName: out.filename,
    });
    expect(dl.resumes).toBe(1);
    expect(dl.bytes).toBe(full.length);
    expect((await readFile(dl.path)).equals(full)).toBe(true);
    await new Promise((r) => setTimeout(r, 50));
    const storageHits = engine.requestLog
      .slice(before)
      .filter((r) => r.path.startsWith('/storage/'));
    expect(storageHits.map((r) => r.status)).toEqual([200, 206]);
    expect(await readdir(join(tmp.path, 'trunc'))).toEqual([out.filename]);
  });

  it('refreshes an expired storage URL by polling the command again', async () => {
    const short = await startEngine({
      dataDir: join(tmp.path, 'short'),
      port: 0,
      storageUrlTtlSeconds: 2,
    });
    try {
      const k = await short.createKey();
      keysUsed.push(k);
      const c = new RenderioClient({
        baseUrl: short.url,
        withKey: (fn) => fn(k),
        fetch: undiciFetch,
      });
      const { cmd, id } = await convert(c);
      const stale = cmd.output_files.out_video!.storage_url!;
      // Signed for 2 s (expiry in whole seconds: valid 1–2 s), enough for the engine to read
      // the input; then wait until the output's link is surely stale.
      await new Promise((r) => setTimeout(r, 3100));
      expect((await fetch(stale)).status).toBe(403);
      let refreshed = 0;
      const dl = await c.download({
        url: stale,
        dir: join(tmp.path, 'expired'),
        fileName: 'clip.webm',
        refreshUrl: async () => {
          refreshed++;
          return (await c.getCommand(id)).output_files.out_video!.storage_url!;
        },
      });
      expect(refreshed).toBeGreaterThanOrEqual(1);
      expect(codecOf(await probe(dl.path), 'video')).toBe('vp9');
      // Without a way to refresh: a clear error.
      const e = await caught(
        c.download({ url: stale, dir: join(tmp.path, 'expired'), fileName: 'x.webm' }),
      );
      expect(e.kind).toBe('not-found');
      expect(e.message).toMatch(/expired/);
    } finally {
      await short.close();
    }
  });

  it('after a 429 with Retry-After: 2, no call with that key reaches the engine sooner, from any client', async () => {
    const limited = await startEngine({
      dataDir: join(tmp.path, 'limited'),
      port: 0,
      rateLimit: { ratePerSecond: 0.5, burst: 1 },
    });
    try {
      const k = await limited.createKey();
      keysUsed.push(k);
      const a = new RenderioClient({
        baseUrl: limited.url,
        withKey: (fn) => fn(k),
        fetch: undiciFetch,
      });
      const b = new RenderioClient({
        baseUrl: limited.url,
        withKey: (fn) => fn(k),
        fetch: undiciFetch,
      });
      await a.listCommands({ limit: 1 }); // takes the only token
      const first = a.listCommands({ limit: 1 }); // 429, Retry-After: 2, then waits
      await new Promise((r) => setTimeout(r, 300));
      const second = b.getCommand('00000000-0000-4000-8000-000000000000').catch((e: unknown) => e); // another client, same key
      await first;
      expect(((await second) as RenderioError).kind).toBe('not-found');
      const log = limited.requestLog.filter((r) => r.keyId !== null);
      const ours = log.filter((r) => r.keyId === log[0]!.keyId);
      const limitedAt = ours.filter((r) => r.status === 429).map((r) => r.at);
      expect(limitedAt.length).toBeGreaterThanOrEqual(1);
      for (const t of limitedAt) {
        const tooSoon = ours.filter((r) => r.at > t + 50 && r.at < t + 2000 - 50);
        expect(tooSoon).toEqual([]);
      }
      expect(ours.filter((r) => r.status !== 429)).toHaveLength(3);
      expect(keyFingerprint(k)).not.toContain(k.slice(5, 13));
    } finally {
      await limited.close();
    }
  });
});

describe('vault against the engine', () => {
  it('verifies a real key, refuses an unknown or revoked one (401) and keeps the old key on a failed rotation', async () => {
    const file = join(tmp.path, 'vault', 'keys.json');
    const vault = await KeyVault.open({
      file,
      cipher: new TestCipher(),
      verifier: createKeyVerifier({ fetch: undiciFetch }),
      env: {},
      defaultBaseUrl: engine.url,
    });
    const good = await engine.createKey();
    keysUsed.push(good);
    const set = await vault.set(good);
    expect(set).toMatchObject({ ok: true, status: { verified: true } });
    const unknown = `ffsk_${randomBytes(32).toString('hex')}`;
    keysUsed.push(unknown);
    const refused = await vault.set(unknown);
    expect(refused).toMatchObject({ ok: false, reason: 'rejected' });
    errors.push(refused);
    const revoked = await engine.createKey();
    keysUsed.push(revoked);
    await engine.revokeKey(revoked);
    expect(await vault.set(revoked)).toMatchObject({ ok: false, reason: 'rejected' });
    expect(await vault.withKey(async (k) => k)).toBe(good);
    const text = await readFile(file, 'utf8');
    for (const k of keysUsed) expect(text).not.toContain(k.slice(5, 21));
    // The bound client works, and a 401 later is an auth error without the key in it.
    const clients = createProfileClients({
      fetch: undiciFetch,
      profiles: vault.profiles,
      secrets: vault.secrets,
    });
    const c = clients.clientFor();
    expect((await c.checkKey()).result).toBe('valid');
    await engine.revokeKey(good);
    const e = await caught(c.listCommands());
    expect(e.kind).toBe('auth');
    await vault.reportRejected(set.ok ? set.status.profileId : '');
    expect((await vault.profileStatus())!.verified).toBe(false);
  });

  it('an upload with a revoked key is refused as auth, never as a cut connection, however big', async () => {
    // The engine refuses before it reads the body; the client is still sending. Were the
    // connection closed at once, the kernel's reset would throw the 401 away unread and the
    // queue would retry a revoked key as a network fault (queueFaults' 401 test, 1 run in 5).
    const big = join(tmp.path, 'big.bin');
    await writeFile(big, randomBytes(24 * 1024 * 1024));
    const revoked = await engine.createKey();
    keysUsed.push(revoked);
    await engine.revokeKey(revoked);
    const c = new RenderioClient({
      baseUrl: engine.url,
      withKey: (fn) => fn(revoked),
      fetch: undiciFetch,
      retry: { attempts: 1, baseDelayMs: 10 },
    });
    for (const path of [big, big, source, big, source, big])
      expect((await caught(c.uploadFile(path))).kind).toBe('auth');
  });

  it('unreachable engine: error texts carry no key', async () => {
    const gone = await startEngine({ dataDir: join(tmp.path, 'gone'), port: 0 });
    const k = await gone.createKey();
    keysUsed.push(k);
    const url = gone.url;
    await gone.close();
    const c = new RenderioClient({
      baseUrl: url,
      withKey: (fn) => fn(k),
      fetch: undiciFetch,
      retry: { attempts: 2, baseDelayMs: 10 },
    });
    expect((await caught(c.getCommand('x'))).kind).toBe('network');
    expect((await caught(c.uploadFile(source))).kind).toBe('network');
    expect(
      (
        await caught(
          c.download({ url: `${url}/storage/x/y.webm`, dir: tmp.path, fileName: 'y.webm' }),
        )
      ).kind,
    ).toBe('network');
  });
});
