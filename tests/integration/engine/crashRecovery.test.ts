/**
 * A crash mid-command: the engine runs as its own process (engine/cli.ts, as `npm run engine`),
 * is killed with SIGKILL while ffmpeg is encoding, and is started again on the same data
 * directory (on a new port, like the app's in-process engine). The command must run again
 * under the same id and end SUCCESS with a valid output, without a second command or a stray
 * output of the cut-off run.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { openAsBlob } from 'node:fs';
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { afterEach, describe, expect, it } from 'vitest';
import type { CommandObject, StoredFile } from '../../../shared/renderioApi';
import { API_KEY_HEADER } from '../../../shared/renderioApi';
import { KeyStore } from '../../../engine/keys/keyStore';
import { codecOf, durationOf, makeVideo, probe, tempDir } from '../../support/media';
import { sleep } from './engineHarness';

interface EngineProcess {
  child: ChildProcess;
  url: string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

const started: EngineProcess[] = [];
let tmp: { path: string; cleanup(): Promise<void> } | null = null;

afterEach(async () => {
  for (const e of started.splice(0)) {
    // The whole process group: an ffmpeg orphaned by the SIGKILL goes too.
    try {
      process.kill(-e.child.pid!, 'SIGKILL');
    } catch {
      // already gone
    }
    await e.exited;
  }
  await tmp?.cleanup();
  tmp = null;
});

/** `node --import tsx engine/cli.ts --port 0 --data-dir DIR` in a process group of its own. */
async function startEngineProcess(dataDir: string): Promise<EngineProcess> {
  const child = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      'engine/cli.ts',
      '--port',
      '0',
      '--data-dir',
      dataDir,
      '--concurrency',
      '1',
    ],
    { cwd: process.cwd(), stdio: ['ignore', 'pipe', 'pipe'], detached: true },
  );
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((r) =>
    child.on('exit', (code, signal) => r({ code, signal })),
  );
  const url = await new Promise<string>((resolve, reject) => {
    createInterface({ input: child.stdout! }).on('line', (line) => {
      const m = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(line);
      if (m) resolve(m[1]!);
    });
    void exited.then(({ code }) => reject(new Error(`engine exited with ${code}: ${stderr}`)));
  });
  const e = { child, url, exited };
  started.push(e);
  return e;
}

type Call = <T>(
  base: string,
  path: string,
  init?: RequestInit,
) => Promise<{ status: number; body: T }>;

/**
 * JSON calls to an engine with a key stored in `dataDir`, as `keys create` makes it: only its
 * hash is on disk, and every engine started on that directory accepts it.
 */
async function callWithStoredKey(dataDir: string): Promise<Call> {
  await mkdir(dataDir, { recursive: true });
  const key = await new KeyStore(dataDir).create();
  return async <T>(base: string, path: string, init: RequestInit = {}) => {
    const res = await fetch(base + path, {
      ...init,
      headers: { ...(init.headers as Record<string, string>), [API_KEY_HEADER]: key },
    });
    return { status: res.status, body: (await res.json()) as T };
  };
}

/** Submits one command (POST /api/v1/run-ffmpeg-command). */
function runCommand(
  call: Call,
  base: string,
  request: object,
): Promise<{ status: number; body: { command_id: string } }> {
  return call<{ command_id: string }>(base, '/api/v1/run-ffmpeg-command', {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify(request),
  });
}

/** Uploads the clip and waits until the engine has done with it (the file as it then is). */
async function uploadClip(call: Call, base: string, clip: string): Promise<StoredFile> {
  const form = new FormData();
  form.append('file', await openAsBlob(clip), 'clip.mp4');
  const { body: up } = await call<{ file_id: string }>(base, '/api/v1/files/upload', {
    method: 'POST',
    body: form,
  });
  for (;;) {
    const file = (await call<StoredFile>(base, `/api/v1/files/${up.file_id}`)).body;
    if (file.status !== 'PROCESSING') return file;
    await sleep(100);
  }
}

describe('engine crash mid-command', () => {
  it('runs a command cut off by SIGKILL again after the next start, under the same id', async () => {
    tmp = await tempDir('renderio-engine-crash-');
    const dataDir = join(tmp.path, 'data');
    const clip = await makeVideo(tmp.path, 'clip.mp4', { seconds: 6, audio: false });
    const call = await callWithStoredKey(dataDir);
    const first = await startEngineProcess(dataDir);

    const file = await uploadClip(call, first.url, clip);
    expect(file.status).toBe('STORED');
    // Read in real time (-re): about 6 s of encoding, so the kill lands mid-run.
    const { status: submitted, body: run } = await runCommand(call, first.url, {
      input_files: { in_v: file.storage_url },
      output_files: { out_v: 'out.webm' },
      ffmpeg_command:
        '-re -i {{in_v}} -c:v libvpx-vp9 -deadline realtime -cpu-used 8 -b:v 300k {{out_v}}',
    });
    expect(submitted).toBe(200);
    for (;;) {
      const { body } = await call<CommandObject>(first.url, `/api/v1/commands/${run.command_id}`);
      expect(body.status).not.toMatch(/SUCCESS|FAILED/);
      if (body.status === 'PROCESSING' && (body.progress ?? 0) > 0) break;
      await sleep(100);
    }

    first.child.kill('SIGKILL');
    expect((await first.exited).signal).toBe('SIGKILL');
    // What the next start finds: the command PROCESSING, its half-written work directory.
    const onDisk = JSON.parse(await readFile(join(dataDir, 'state.json'), 'utf8')) as {
      commands: Record<string, { status: string }>;
    };
    expect(onDisk.commands[run.command_id]?.status).toBe('PROCESSING');

    const second = await startEngineProcess(dataDir);
    expect(second.url).not.toBe(first.url);
    const seen: string[] = [];
    let done: CommandObject;
    for (;;) {
      const { status, body } = await call<CommandObject>(
        second.url,
        `/api/v1/commands/${run.command_id}`,
      );
      expect(status).toBe(200);
      seen.push(body.status);
      if (body.status === 'SUCCESS' || body.status === 'FAILED') {
        done = body;
        break;
      }
      await sleep(100);
    }
    // Forward only: never back to QUEUED.
    expect(seen).not.toContain('QUEUED');
    expect(done, done.error_message ?? '').toMatchObject({
      command_id: run.command_id,
      status: 'SUCCESS',
      error_status: null,
    });
    const out = done.output_files.out_v!;
    expect(out.storage_url!.startsWith(`${second.url}/storage/`)).toBe(true);
    const res = await fetch(out.storage_url!);
    expect(res.status).toBe(200);
    const saved = join(tmp.path, 'out.webm');
    await writeFile(saved, Buffer.from(await res.arrayBuffer()));
    const probed = await probe(saved);
    expect(codecOf(probed, 'video')).toBe('vp9');
    expect(durationOf(probed)).toBeGreaterThan(5.5);
    expect(durationOf(probed)).toBeLessThan(6.5);

    // One command, one upload and one output: nothing from the cut-off run survives.
    const { body: list } = await call<{ commands: CommandObject[] }>(
      second.url,
      '/api/v1/commands?limit=100',
    );
    expect(list.commands.map((c) => c.command_id)).toEqual([run.command_id]);
    const { body: files } = await call<{ files: StoredFile[] }>(second.url, '/api/v1/files');
    expect(files.files.map((f) => f.file_id).sort()).toEqual([file.file_id, out.file_id].sort());
    expect((await readdir(join(dataDir, 'blobs'))).sort()).toEqual(
      [file.file_id, out.file_id].sort(),
    );
    expect(await readdir(join(dataDir, 'work')).catch(() => [])).toEqual([]);
  });

  it('keeps an upload and a command whose ids were answered just before a SIGKILL', async () => {
    tmp = await tempDir('renderio-engine-crash-');
    const dataDir = join(tmp.path, 'data');
    const clip = await makeVideo(tmp.path, 'clip.mp4', { audio: false });
    const call = await callWithStoredKey(dataDir);
    const first = await startEngineProcess(dataDir);
    const file = await uploadClip(call, first.url, clip);
    const { body: run } = await runCommand(call, first.url, {
      input_files: { in_v: file.storage_url },
      output_files: { out_v: 'out.mp4' },
      ffmpeg_command: '-i {{in_v}} -c:v libx264 -preset ultrafast {{out_v}}',
    });
    const form2 = new FormData();
    form2.append('file', await openAsBlob(clip), 'again.mp4');
    const { body: up2 } = await call<{ file_id: string }>(first.url, '/api/v1/files/upload', {
      method: 'POST',
      body: form2,
    });
    // No pause: the answers are all the client has.
    first.child.kill('SIGKILL');
    await first.exited;

    const second = await startEngineProcess(dataDir);
    for (;;) {
      const { status, body } = await call<StoredFile>(second.url, `/api/v1/files/${up2.file_id}`);
      expect(status).toBe(200);
      if (body.status !== 'PROCESSING') {
        expect(body.status).toBe('STORED');
        break;
      }
      await sleep(100);
    }
    for (;;) {
      const { status, body } = await call<CommandObject>(
        second.url,
        `/api/v1/commands/${run.command_id}`,
      );
      expect(status).toBe(200);
      if (body.status === 'SUCCESS' || body.status === 'FAILED') {
        expect(body.status, body.error_message ?? '').toBe('SUCCESS');
        break;
      }
      await sleep(100);
    }
  });
});
