/**
 * A restart in every stage: the CLI (and so the queue) runs in a child process that kills
 * itself with SIGKILL at a named point of a job's life, right after that state was saved; a
 * second run on the same --data-dir must finish every job exactly once: one engine command per
 * job, one output file per job, nothing renamed " (1)" by a duplicate download.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { mkdir, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { startEngine, type EngineHandle } from '../../../engine/index';
import { loadQueue } from '../../../electron/core/queue/queueStore';
import type { Checkpoint } from '../../../electron/core/queue/ports';
import { makeVideo, tempDir } from '../../support/media';
import { API_KEY_HEADER } from '../../../shared/renderioApi';

const CHILD = join(import.meta.dirname, '../../support/queueChild.ts');
// A preset that runs in real time (-re), so the command is seen PROCESSING.
const SLOW_MP3 = {
  id: 'custom-slow-mp3',
  name: 'MP3 in real time',
  description: '',
  category: 'audio',
  accepts: ['video', 'audio'],
  ffmpegCommand: '-re -i {{in_file}} -vn -c:a libmp3lame -q:a 6 {{out_audio}}',
  outputs: [{ alias: 'out_audio', extension: 'mp3' }],
  source: 'custom',
};

let tmp: { path: string; cleanup(): Promise<void> };
let engine: EngineHandle;
let key: string;
let clips: string[];

beforeAll(async () => {
  tmp = await tempDir('restart-');
  engine = await startEngine({ dataDir: join(tmp.path, 'engine'), port: 0, concurrency: 2 });
  key = await engine.createKey();
  const src = join(tmp.path, 'src');
  await mkdir(src);
  clips = [
    await makeVideo(src, 'one.mp4', { seconds: 1 }),
    await makeVideo(src, 'two.mp4', { seconds: 1 }),
  ];
});
afterAll(async () => {
  await engine.close();
  await tmp.cleanup();
});

async function commandCount(): Promise<number> {
  const res = await fetch(`${engine.url}/api/v1/commands?limit=100`, {
    headers: { [API_KEY_HEADER]: key },
  });
  return ((await res.json()) as { commands: unknown[] }).commands.length;
}

function runChild(
  dataDir: string,
  out: string,
  killAt?: Checkpoint,
): Promise<{ code: number | null; signal: string | null; stderr: string }> {
  const spec = {
    argv: [
      'convert',
      ...clips,
      '--preset',
      SLOW_MP3.id,
      '--out',
      out,
      '--api-base',
      engine.url,
      '--data-dir',
      dataDir,
      '--concurrency',
      '2',
      ...(process.env.QDEBUG ? ['--verbose'] : []),
    ],
    killAt,
  };
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', CHILD, JSON.stringify(spec)], {
      env: { ...process.env, RENDERIO_API_KEY: key },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('exit', (code, signal) => resolve({ code, signal, stderr }));
  });
}

const POINTS: Checkpoint[] = [
  'upload-started',
  'uploaded',
  'stored',
  'submit-answered',
  'submitted',
  'processing',
  'succeeded',
  'download-progress',
  // The move of a finished .part to its final name: announced and saved, not yet done ...
  'output-committing',
  // ... done, not yet saved (before the commit was announced, this re-downloaded: "two (1).mp3").
  'output-renamed',
  'output-saved',
];

describe('restart after SIGKILL in every stage', () => {
  it.each(POINTS)('killed at %s: every job finishes exactly once', async (point) => {
    const dataDir = join(tmp.path, `state-${point}`);
    const out = join(tmp.path, `out-${point}`);
    await mkdir(dataDir, { recursive: true });
    await writeFile(
      join(dataDir, 'presets.json'),
      JSON.stringify({ version: 1, presets: [SLOW_MP3] }),
    );
    const before = await commandCount();

    const first = await runChild(dataDir, out, point);
    expect(first.signal, first.stderr).toBe('SIGKILL');
    const second = await runChild(dataDir, out);
    expect(second.code, second.stderr).toBe(0);

    expect((await commandCount()) - before).toBe(clips.length);
    expect((await readdir(out)).sort()).toEqual(['one.mp3', 'two.mp3']);
    const saved = await loadQueue(dataDir);
    expect(saved?.jobs.map((j) => j.stage)).toEqual(['done', 'done']);
    expect(saved?.jobs.every((j) => j.attempts === 0 && j.remote.cleanedUp === true)).toBe(true);
  });
});
