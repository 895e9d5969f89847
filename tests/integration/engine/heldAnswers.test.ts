/**
 * Held answers (`wait_ms`, engine/http/heldAnswer.ts) over real HTTP with the real ffmpeg: a
 * poll is answered the moment the status changes, held no longer than asked while it does not,
 * answered at once when nothing can change, and refused with a reason when malformed.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CommandObject, StoredFile } from '../../../shared/renderioApi';
import { realTool, writeScript } from '../../support/fakeFfmpeg';
import { makeCorrupt, makeVideo } from '../../support/media';
import { messages, startHarness, type Harness } from './engineHarness';

let h: Harness;
let bin: string;
let video: string;
let input: StoredFile;

beforeAll(async () => {
  // ffmpeg starts its conversions 2 s late, so a command stays PROCESSING long enough to hold
  // a poll over it; its checks (-version, -encoders) run at once.
  bin = await mkdtemp(join(tmpdir(), 'held-answers-'));
  const slow = await writeScript(
    bin,
    'ffmpeg',
    `case "$*" in *" -i "*) sleep 2;; esac\nexec '${realTool('ffmpeg')}' "$@"`,
  );
  h = await startHarness({ ffmpegPath: slow });
  video = await makeVideo(h.dir, 'clip.mp4', { seconds: 1 });
  input = await h.uploadStored(video);
});

afterAll(async () => {
  await h.cleanup();
  await rm(bin, { recursive: true, force: true });
});

/** GETs `path`; the answer and how long it took. */
async function timed<T>(path: string): Promise<{ status: number; body: T; ms: number }> {
  const started = performance.now();
  const { status, body } = await h.json<T>(path);
  return { status, body, ms: performance.now() - started };
}

async function submit(): Promise<string> {
  const { status, body } = await h.post<{ command_id: string }>('/api/v1/run-ffmpeg-command', {
    input_files: { in_video: input.storage_url },
    output_files: { out_video: 'out.mp4' },
    ffmpeg_command: 'ffmpeg -i {{in_video}} -c copy {{out_video}}',
  });
  expect(status).toBe(200);
  return body.command_id;
}

describe('held answers (wait_ms)', () => {
  it('a command poll is held while PROCESSING and answered when it ends', async () => {
    const id = await submit();
    // The engine starts it at once; a QUEUED one is held until it starts.
    let seen = (await timed<CommandObject>(`/api/v1/commands/${id}`)).body;
    if (seen.status === 'QUEUED')
      seen = (await timed<CommandObject>(`/api/v1/commands/${id}?wait_ms=20000`)).body;
    expect(seen.status).toBe('PROCESSING');
    // Unchanged: held for the whole wait asked (ffmpeg sleeps 2 s first), not answered at once.
    const held = await timed<CommandObject>(`/api/v1/commands/${id}?wait_ms=300`);
    expect(held.status).toBe(200);
    expect(held.body.status).toBe('PROCESSING');
    expect(held.ms).toBeGreaterThanOrEqual(295);
    // The end arrives inside one held poll, with the outputs as a plain poll gives them.
    const end = await timed<CommandObject>(`/api/v1/commands/${id}?wait_ms=20000`);
    expect(end.body.status).toBe('SUCCESS');
    expect(end.body.output_files.out_video?.storage_url).toMatch(/^http:\/\/127\.0\.0\.1:/);
    expect(end.ms).toBeLessThan(19_000);
    // A final status can never change: answered at once, not after 20 s.
    const again = await timed<CommandObject>(`/api/v1/commands/${id}?wait_ms=20000`);
    expect(again.body.status).toBe('SUCCESS');
    expect(again.ms).toBeLessThan(10_000);
  });

  it('an upload poll is answered when the probe has decided: STORED, or FAILED for a corrupt file', async () => {
    const good = await h.upload(video, 'again.mp4');
    const stored = await timed<StoredFile>(`/api/v1/files/${good}?wait_ms=20000`);
    expect(stored.body.status).toBe('STORED');
    expect(stored.body.duration).toBeGreaterThan(0.5);

    const bad = await h.upload(await makeCorrupt(h.dir), 'corrupt.mp4');
    const refused = await timed<StoredFile>(`/api/v1/files/${bad}?wait_ms=20000`);
    expect(refused.body.status).toBe('FAILED');
    expect(refused.ms).toBeLessThan(19_000);
  });

  it('a client that leaves ends its hold; the engine answers the next poll as usual', async () => {
    const id = await submit();
    const gone = new AbortController();
    const leaving = h.api(`/api/v1/commands/${id}?wait_ms=20000`, { signal: gone.signal });
    setTimeout(() => gone.abort(), 100);
    await expect(leaving).rejects.toThrow();
    const after = await h.json<CommandObject>(`/api/v1/commands/${id}`);
    expect(after.status).toBe(200);
    expect(['QUEUED', 'PROCESSING', 'SUCCESS']).toContain(after.body.status);
    await h.waitCommand(id);
  });

  it('refuses a malformed or too long wait with a reason, and an unknown id at once', async () => {
    for (const [query, words] of [
      ['wait_ms=abc', 'whole number'],
      ['wait_ms=-5', 'whole number'],
      ['wait_ms=1.5', 'whole number'],
      ['wait_ms=25001', 'at most 25000'],
    ] as const) {
      const cmd = await h.json(`/api/v1/files/${input.file_id}?${query}`);
      expect(cmd.status, query).toBe(400);
      expect(messages(cmd.body), query).toContain(words);
    }
    const unknown = await timed(
      '/api/v1/commands/00000000-0000-4000-8000-000000000000?wait_ms=20000',
    );
    expect(unknown.status).toBe(404);
    expect(unknown.ms).toBeLessThan(10_000);
  });
});
