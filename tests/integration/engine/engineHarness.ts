/**
 * Helpers for the engine's integration tests: a real engine on 127.0.0.1:0 in a temp data
 * directory, a key, and small typed wrappers over fetch. Each harness cleans up after itself.
 */
import { openAsBlob } from 'node:fs';
import { request } from 'node:http';
import { basename } from 'node:path';
import type { CommandObject, StoredFile } from '../../../shared/renderioApi';
import { startEngine, type EngineHandle, type EngineOptions } from '../../../engine/index';
import { tempDir } from '../../support/media';

export interface Harness {
  engine: EngineHandle;
  key: string;
  dir: string;
  dataDir: string;
  api(path: string, init?: RequestInit): Promise<Response>;
  json<T = unknown>(
    path: string,
    init?: RequestInit,
  ): Promise<{ status: number; body: T; res: Response }>;
  post<T = unknown>(
    path: string,
    body: unknown,
  ): Promise<{ status: number; body: T; res: Response }>;
  upload(path: string, name?: string): Promise<string>;
  waitFile(fileId: string): Promise<StoredFile>;
  uploadStored(path: string): Promise<StoredFile>;
  waitCommand(commandId: string, onPoll?: (c: CommandObject) => void): Promise<CommandObject>;
  restart(extra?: Partial<EngineOptions>): Promise<void>;
  cleanup(): Promise<void>;
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function startHarness(options: Partial<EngineOptions> = {}): Promise<Harness> {
  const tmp = await tempDir('renderio-engine-');
  const dataDir = `${tmp.path}/data`;
  // Tests poll fast; the rate limit has its own tests with low settings.
  options = { rateLimit: { ratePerSecond: 1000, burst: 1000 }, ...options };
  let engine = await startEngine({ dataDir, port: 0, ...options });
  const key = await engine.createKey();
  const h: Harness = {
    get engine() {
      return engine;
    },
    key,
    dir: tmp.path,
    dataDir,
    api: (path, init = {}) =>
      fetch(engine.url + path, {
        ...init,
        headers: { 'X-API-KEY': key, ...(init.headers as Record<string, string> | undefined) },
      }),
    async json<T>(path: string, init?: RequestInit) {
      const res = await h.api(path, init);
      const text = await res.text();
      return { status: res.status, body: (text ? JSON.parse(text) : null) as T, res };
    },
    post: <T>(path: string, body: unknown) =>
      h.json<T>(path, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify(body),
      }),
    async upload(path, name = basename(path)) {
      const form = new FormData();
      form.append('file', await openAsBlob(path), name);
      const { status, body } = await h.json<{ file_id: string }>('/api/v1/files/upload', {
        method: 'POST',
        body: form,
      });
      if (status !== 200) throw new Error(`upload answered ${status}: ${JSON.stringify(body)}`);
      return body.file_id;
    },
    async waitFile(fileId) {
      for (;;) {
        const { body } = await h.json<StoredFile>(`/api/v1/files/${fileId}`);
        if (body.status !== 'PROCESSING') return body;
        await sleep(50);
      }
    },
    async uploadStored(path) {
      const file = await h.waitFile(await h.upload(path));
      if (file.status !== 'STORED')
        throw new Error(`file ${path} ended ${file.status}: ${file.error_message}`);
      return file;
    },
    async waitCommand(commandId, onPoll) {
      for (;;) {
        const { status, body } = await h.json<CommandObject>(`/api/v1/commands/${commandId}`);
        if (status !== 200) throw new Error(`poll answered ${status}`);
        onPoll?.(body);
        if (body.status === 'SUCCESS' || body.status === 'FAILED') return body;
        await sleep(100);
      }
    },
    async restart(extra = {}) {
      // Same port, so storage URLs handed out before the restart still point here.
      const port = Number(new URL(engine.url).port);
      await engine.close();
      engine = await startEngine({ dataDir, ...options, port, ...extra });
    },
    async cleanup() {
      await engine.close();
      await tmp.cleanup();
    },
  };
  return h;
}

/** The 422 detail array's messages, for readable assertions. */
export function messages(body: unknown): string {
  const detail = (body as { detail?: unknown }).detail;
  return Array.isArray(detail)
    ? detail.map((d: { msg: string }) => d.msg).join('\n')
    : String(detail);
}

export async function download(
  url: string,
  headers: Record<string, string> = {},
): Promise<{ status: number; bytes: Buffer; res: Response }> {
  const res = await fetch(url, { headers });
  return { status: res.status, bytes: Buffer.from(await res.arrayBuffer()), res };
}

/** A URL on 127.0.0.1 where nothing listens (a port just freed). */
export async function unreachableUrl(path = '/missing.mp4'): Promise<string> {
  const { createServer } = await import('node:net');
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as { port: number };
  await new Promise((r) => server.close(r));
  return `http://127.0.0.1:${port}${path}`;
}

/**
 * Sends only the head of an upload declaring `bytes`, with `Expect: 100-continue`: the engine
 * answers 100 once everything the head decides (the size limit among it) has passed, or its
 * refusal at once. The body is never sent.
 */
export function askToUpload(url: string, key: string, bytes: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(`${url}/api/v1/files/upload`, {
      method: 'POST',
      headers: {
        'X-API-KEY': key,
        'Content-Type': 'multipart/form-data; boundary=x',
        'Content-Length': String(bytes),
        Expect: '100-continue',
      },
    });
    req.on('continue', () => {
      resolve(100);
      req.destroy();
    });
    req.on('response', (res) => {
      resolve(res.statusCode ?? 0);
      res.resume();
      req.destroy();
    });
    req.on('error', (error) => reject(error));
    req.flushHeaders();
  });
}
