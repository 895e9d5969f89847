/**
 * The answer schemas (shared/renderioSchemas.ts) against the local engine's real answers, read
 * raw off the wire: every answer the client reads passes, and passes unchanged (the engine sends
 * every documented field, so no default fills anything and no field is lost). The odd answers
 * the cloud may give are in tests/unit/shared/renderioSchemas.test.ts.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { startEngine, type EngineHandle } from '../../../engine/index';
import { API_KEY_HEADER } from '../../../shared/renderioApi';
import {
  commandListSchema,
  commandSchema,
  deletionAnswerSchema,
  fileIdAnswerSchema,
  parseAnswer,
  presetSchema,
  runMultipleAnswerSchema,
  storedFileSchema,
  submitAnswerSchema,
} from '../../../shared/renderioSchemas';
import type { z } from 'zod';
import { makeVideo, tempDir } from '../../support/media';

let tmp: { path: string; cleanup(): Promise<void> };
let engine: EngineHandle;
let key: string;

beforeAll(async () => {
  tmp = await tempDir('schemas-engine-');
  engine = await startEngine({ dataDir: join(tmp.path, 'engine'), port: 0 });
  key = await engine.createKey();
});
afterAll(async () => {
  await engine.close();
  await tmp.cleanup();
});

/** One call to the engine, its JSON answer as it came. */
async function call(method: string, path: string, body?: unknown): Promise<unknown> {
  const init: RequestInit = { method, headers: { [API_KEY_HEADER]: key } };
  if (body instanceof FormData) init.body = body;
  else if (body !== undefined) {
    init.body = JSON.stringify(body);
    init.headers = { ...init.headers, 'content-type': 'application/json' };
  }
  const res = await fetch(`${engine.url}/api/v1${path}`, init);
  expect(res.ok, `${method} ${path}: ${res.status}`).toBe(true);
  return res.status === 204 ? null : ((await res.json()) as unknown);
}

/** Parses `raw` with `schema`, which must accept it; returns what the client would read. */
function accepted<S extends z.ZodType>(schema: S, raw: unknown): z.output<S> {
  const parsed = parseAnswer(schema, raw);
  if (!parsed.ok) throw new Error(`refused: ${parsed.problem}`);
  return parsed.value;
}

async function until<T>(poll: () => Promise<T>, done: (v: T) => boolean): Promise<T> {
  for (;;) {
    const v = await poll();
    if (done(v)) return v;
    await new Promise((r) => setTimeout(r, 100));
  }
}

const status = (v: unknown): unknown => (v as { status?: unknown }).status;

describe("the schemas accept the engine's answers unchanged", () => {
  it('upload, the stored file, a command run to its end, the list, run-multiple, presets, deletions', async () => {
    const source = await makeVideo(tmp.path, 'clip.mp4');
    const form = new FormData();
    form.append('file', new Blob([await readFile(source)], { type: 'video/mp4' }), 'clip.mp4');
    const upload = await call('POST', '/files/upload', form);
    const { file_id } = accepted(fileIdAnswerSchema, upload);
    expect(upload).toEqual({ file_id });

    const stored = await until(
      () => call('GET', `/files/${file_id}`),
      (f) => status(f) !== 'PROCESSING',
    );
    expect(accepted(storedFileSchema, stored)).toEqual(stored);
    const url = (stored as { storage_url: string }).storage_url;

    const request = {
      input_files: { in_video: url },
      output_files: { out_video: 'short.mkv' },
      ffmpeg_command: '-i {{in_video}} -t 0.5 -c copy {{out_video}}',
      metadata: { client_job_id: 'job-1', client_attempt: 0, note: true },
    };
    const submit = await call('POST', '/run-ffmpeg-command', request);
    const { command_id } = accepted(submitAnswerSchema, submit);
    expect(submit).toEqual({ command_id });

    const running = await call('GET', `/commands/${command_id}`);
    expect(accepted(commandSchema, running)).toEqual(running);
    const finished = await until(
      () => call('GET', `/commands/${command_id}`),
      (c) => status(c) === 'SUCCESS' || status(c) === 'FAILED',
    );
    expect(status(finished)).toBe('SUCCESS');
    const command = accepted(commandSchema, finished);
    expect(command).toEqual(finished);
    expect(command.output_files.out_video?.filename).toBe('short.mkv');
    expect(command.metadata).toEqual(request.metadata);

    const list = await call('GET', '/commands?limit=5');
    const parsedList = accepted(commandListSchema({ limit: 5 }), list);
    expect(parsedList).toEqual(list);
    expect(parsedList.commands.map((c) => c.command_id)).toContain(command_id);

    const multiple = await call('POST', '/run-multiple-ffmpeg-commands', {
      commands: [1, 2].map((n) => ({
        input_files: { in_video: url },
        output_files: { out_video: `part${n}.mkv` },
        ffmpeg_command: '-i {{in_video}} -t 0.2 -c copy {{out_video}}',
      })),
    });
    const ids = accepted(runMultipleAnswerSchema, multiple);
    expect(ids).toEqual(multiple);
    expect(ids.command_ids).toHaveLength(2);

    const presets = (await call('GET', '/presets')) as { presets: unknown[] };
    expect(presets.presets.length).toBeGreaterThan(0);
    for (const preset of presets.presets) expect(accepted(presetSchema, preset)).toEqual(preset);

    const deletedFiles = await call('DELETE', `/commands/${command_id}/files`);
    expect(accepted(deletionAnswerSchema, deletedFiles)).toEqual(deletedFiles);
    const deleted = await call('DELETE', `/files/${file_id}`);
    expect(accepted(deletionAnswerSchema, deleted)).toEqual(deleted);
    const gone = await call('GET', `/files/${file_id}`);
    expect(accepted(storedFileSchema, gone)).toEqual(gone);
  });
});
