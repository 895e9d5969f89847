/** Commands over HTTP with the real ffmpeg: single, chained, multiple, list, delete, failures. */
import { execFile } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import { createReadStream } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CommandList, CommandObject, StoredFile } from '../../../shared/renderioApi';
import { codecOf, durationOf, makeCorrupt, makeVideo, probe } from '../../support/media';
import { realTool, writeScript, writeWrapper } from '../../support/fakeFfmpeg';
import { download, startHarness, unreachableUrl, type Harness } from './engineHarness';
import { processesNaming } from '../../support/processes';

const VP9 = '-c:v libvpx-vp9 -deadline realtime -cpu-used 8 -b:v 300k -c:a libopus';

let h: Harness;
let video: string;
let input: StoredFile;
let server: Server;
let serverUrl: string;

beforeAll(async () => {
  h = await startHarness();
  video = await makeVideo(h.dir, 'clip.mp4');
  const corrupt = await makeCorrupt(h.dir);
  input = await h.uploadStored(video);
  server = createServer((req, res) => {
    const path = req.url === '/clip.mp4' ? video : req.url === '/corrupt.mp4' ? corrupt : null;
    if (!path) {
      res.statusCode = 404;
      res.end();
      return;
    }
    createReadStream(path).pipe(res);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  serverUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise((r) => server.close(r));
  await h.cleanup();
});

async function saveOutput(c: CommandObject, alias: string, name: string): Promise<string> {
  const out = c.output_files[alias];
  if (!out?.storage_url) throw new Error(`no output ${alias}`);
  const { status, bytes } = await download(out.storage_url);
  expect(status).toBe(200);
  const path = `${h.dir}/${name}`;
  await writeFile(path, bytes);
  return path;
}

describe('run-ffmpeg-command', () => {
  it('converts MP4 to WebM: VP9, same duration, probed output, progress while running', async () => {
    const { status, body } = await h.post<{ command_id: string }>('/api/v1/run-ffmpeg-command', {
      input_files: { in_video: input.storage_url },
      output_files: { out_video: 'clip.webm' },
      ffmpeg_command: `ffmpeg -i {{in_video}} ${VP9} {{out_video}}`,
      metadata: { client_job_id: 'job-1', n: 3, ok: true },
    });
    expect(status).toBe(200);
    const progress: number[] = [];
    const done = await h.waitCommand(body.command_id, (c) => {
      if (c.status === 'PROCESSING') progress.push(c.progress ?? -1);
      else expect(c.progress).toBeUndefined();
    });
    expect(done).toMatchObject({
      command_id: body.command_id,
      status: 'SUCCESS',
      command_type: 'FFMPEG_COMMAND',
      metadata: { client_job_id: 'job-1', n: 3, ok: true },
      error_status: null,
      error_message: null,
      original_request: {
        input_files: { in_video: input.storage_url },
        output_files: { out_video: 'clip.webm' },
        ffmpeg_command: `ffmpeg -i {{in_video}} ${VP9} {{out_video}}`,
      },
    });
    for (const p of progress) expect(p >= 0 && p <= 1).toBe(true);
    expect(done.total_processing_seconds).toBeGreaterThan(0);
    expect(done.ffmpeg_command_run_seconds).toBeGreaterThan(0);
    const out = done.output_files.out_video!;
    expect(out).toMatchObject({
      status: 'STORED',
      rendi_store_type: 'OUTPUT',
      is_deleted: false,
      filename: 'clip.webm',
      codec: 'vp9',
      file_type: 'video',
    });
    const local = await saveOutput(done, 'out_video', 'clip.webm');
    const probed = await probe(local);
    expect(codecOf(probed, 'video')).toBe('vp9');
    expect(codecOf(probed, 'audio')).toBe('opus');
    expect(durationOf(probed)).toBeCloseTo(2, 0);
    // Outputs are files too.
    const asFile = await h.json<StoredFile>(`/api/v1/files/${out.file_id}`);
    expect(asFile.body.rendi_store_type).toBe('OUTPUT');
  });

  it('reads an http input from another server', async () => {
    const { body } = await h.post<{ command_id: string }>('/api/v1/run-ffmpeg-command', {
      input_files: { in_video: `${serverUrl}/clip.mp4` },
      output_files: { out_audio: 'sound.mp3' },
      ffmpeg_command: '-i {{in_video}} -vn -c:a libmp3lame <<out_audio>>',
    });
    const done = await h.waitCommand(body.command_id);
    expect(done.status).toBe('SUCCESS');
    expect(done.output_files.out_audio).toMatchObject({ codec: 'mp3', file_type: 'audio' });
  });

  it("ends FAILED with ffmpeg's reason for a corrupt input", async () => {
    const { body } = await h.post<{ command_id: string }>('/api/v1/run-ffmpeg-command', {
      input_files: { in_video: `${serverUrl}/corrupt.mp4` },
      output_files: { out_video: 'x.webm' },
      ffmpeg_command: `-i {{in_video}} ${VP9} {{out_video}}`,
    });
    const done = await h.waitCommand(body.command_id);
    expect(done.status).toBe('FAILED');
    expect(done.error_status).toBe('FFMPEG_ERROR');
    expect(done.error_message).toMatch(/^ffmpeg exited with code \d+:/);
    expect(done.error_message).toMatch(/Invalid data found when processing input/);
    // One line a person reads in a job's row; ffmpeg's report of streams goes to the log.
    expect(done.error_message).not.toContain('\n');
    expect(done.output_files).toEqual({});
  });

  it('ends FAILED with a clear message for an unreachable input URL', async () => {
    const url = await unreachableUrl('/clip.mp4');
    const { status, body } = await h.post<{ command_id: string }>('/api/v1/run-ffmpeg-command', {
      input_files: { in_video: url },
      output_files: { out_video: 'x.webm' },
      ffmpeg_command: `-i {{in_video}} ${VP9} {{out_video}}`,
    });
    expect(status).toBe(200);
    const done = await h.waitCommand(body.command_id);
    expect(done).toMatchObject({
      status: 'FAILED',
      error_status: 'INPUT_ERROR',
      error_message: `input in_video: could not reach ${url}: ECONNREFUSED`,
    });
  });

  it('ends FAILED when ffmpeg writes no declared output, with the warning that explains it', async () => {
    const { body } = await h.post<{ command_id: string }>('/api/v1/run-ffmpeg-command', {
      input_files: { in_video: input.storage_url },
      output_files: { out_a: 'a.mp4', out_b: 'b.txt' },
      ffmpeg_command: '-i {{in_video}} -t 0.5 -c copy {{out_a}} -metadata title={{out_b}}',
    });
    const done = await h.waitCommand(body.command_id);
    expect(done.status).toBe('FAILED');
    expect(done.error_status).toBe('OUTPUT_MISSING');
    // ffmpeg exits 0; its warning sits above the report of streams, so a tail would miss it.
    expect(done.error_message).toBe(
      'ffmpeg finished but did not write the output out_b ("b.txt"). ffmpeg said: ' +
        'Trailing option(s) found in the command: may be ignored.',
    );
  });
});

describe('chained and multiple', () => {
  it('chains scale then GIF in one working directory', async () => {
    const { status, body } = await h.post<{ command_id: string }>(
      '/api/v1/run-chained-ffmpeg-commands',
      {
        input_files: { in_video: input.storage_url },
        output_files: { out_small: 'small.mp4', out_gif: 'anim.gif' },
        ffmpeg_commands: [
          '-i {{in_video}} -vf scale=160:-2 -c:v libx264 -preset ultrafast -an {{out_small}}',
          '-i {{out_small}} -vf fps=5 {{out_gif}}',
        ],
      },
    );
    expect(status).toBe(200);
    const done = await h.waitCommand(body.command_id);
    expect(done.status).toBe('SUCCESS');
    expect(done.command_type).toBe('CHAINED_COMMAND');
    expect(done.original_request.ffmpeg_commands).toHaveLength(2);
    expect(done.output_files.out_small).toMatchObject({ width: 160, height: 120, codec: 'h264' });
    expect(done.output_files.out_gif).toMatchObject({ width: 160, codec: 'gif' });
    const gif = await probe(await saveOutput(done, 'out_gif', 'anim.gif'));
    expect(codecOf(gif, 'video')).toBe('gif');
  });

  it('runs three commands in parallel, each with its own id and fate', async () => {
    const { status, body } = await h.post<{ command_ids: string[] }>(
      '/api/v1/run-multiple-ffmpeg-commands',
      {
        commands: [
          {
            input_files: { in_v: input.storage_url },
            output_files: { out_1: 'one.mp3' },
            ffmpeg_command: '-i {{in_v}} -vn {{out_1}}',
          },
          {
            input_files: { in_v: input.storage_url },
            output_files: { out_2: 'two.png' },
            ffmpeg_command: '-i {{in_v}} -frames:v 1 {{out_2}}',
          },
          {
            input_files: { in_v: `${serverUrl}/corrupt.mp4` },
            output_files: { out_3: 'three.mp3' },
            ffmpeg_command: '-i {{in_v}} {{out_3}}',
          },
        ],
        metadata: { batch: 'b1' },
      },
    );
    expect(status).toBe(200);
    expect(body.command_ids).toHaveLength(3);
    expect(new Set(body.command_ids).size).toBe(3);
    const done = await Promise.all(body.command_ids.map((id) => h.waitCommand(id)));
    expect(done.map((c) => c.status)).toEqual(['SUCCESS', 'SUCCESS', 'FAILED']);
    for (const c of done) {
      expect(c.command_type).toBe('MULTIPLE_COMMAND');
      expect(c.metadata).toEqual({ batch: 'b1' });
    }
    expect(done[1]!.output_files.out_2).toMatchObject({ file_type: 'image', width: 320 });
  });
});

describe('list and delete', () => {
  it('lists newest first, filters by status, pages, and refuses bad parameters', async () => {
    const ids: string[] = [];
    for (const name of ['l1.mp3', 'l2.mp3']) {
      const { body } = await h.post<{ command_id: string }>('/api/v1/run-ffmpeg-command', {
        input_files: { in_v: input.storage_url },
        output_files: { out_a: name },
        ffmpeg_command: '-i {{in_v}} -vn {{out_a}}',
      });
      ids.push(body.command_id);
    }
    await Promise.all(ids.map((id) => h.waitCommand(id)));
    const { status, body } = await h.json<CommandList>('/api/v1/commands?limit=2');
    expect(status).toBe(200);
    expect(body.limit).toBe(2);
    expect(body.offset).toBe(0);
    expect(body.commands.map((c) => c.command_id)).toEqual([ids[1], ids[0]]);
    const second = await h.json<CommandList>('/api/v1/commands?limit=1&offset=1');
    expect(second.body.commands[0]!.command_id).toBe(ids[0]);
    const failed = await h.json<CommandList>('/api/v1/commands?status=FAILED&limit=100');
    expect(failed.body.commands.length).toBeGreaterThan(0);
    expect(failed.body.commands.every((c) => c.status === 'FAILED')).toBe(true);
    const defaults = await h.json<CommandList>('/api/v1/commands');
    expect(defaults.body.limit).toBe(50);

    expect(await h.json('/api/v1/commands?limit=101')).toMatchObject({
      status: 400,
      body: { detail: 'limit must be at most 100' },
    });
    expect(await h.json('/api/v1/commands?status=DONE')).toMatchObject({
      status: 400,
      body: { detail: 'status must be one of QUEUED, PROCESSING, SUCCESS, FAILED' },
    });
    expect(await h.json('/api/v1/commands?offset=-1')).toMatchObject({
      status: 400,
      body: { detail: 'offset must be a whole number' },
    });
  });

  it("deletes a command's output files", async () => {
    const { body } = await h.post<{ command_id: string }>('/api/v1/run-ffmpeg-command', {
      input_files: { in_v: input.storage_url },
      output_files: { out_a: 'del.mp3', out_b: 'del.png' },
      ffmpeg_command: '-i {{in_v}} -vn {{out_a}} -an -frames:v 1 {{out_b}}',
    });
    const done = await h.waitCommand(body.command_id);
    expect(done.status).toBe('SUCCESS');
    const url = done.output_files.out_a!.storage_url!;
    const del = await h.json(`/api/v1/commands/${body.command_id}/files`, { method: 'DELETE' });
    expect(del).toMatchObject({ status: 200, body: { deleted: true, files_deleted: 2 } });
    expect((await download(url)).status).toBe(404);
    const after = await h.waitCommand(body.command_id);
    expect(after.output_files.out_a).toMatchObject({ is_deleted: true, storage_url: null });
    const again = await h.json(`/api/v1/commands/${body.command_id}/files`, { method: 'DELETE' });
    expect(again.body).toEqual({ deleted: true, files_deleted: 0 });
  });
});

describe('limits', () => {
  it('ends a command that runs past the time limit FAILED with TIMEOUT', async () => {
    const slow = await startHarness({ commandTimeoutMs: 1500 });
    try {
      const file = await slow.uploadStored(video);
      const { body } = await slow.post<{ command_id: string }>('/api/v1/run-ffmpeg-command', {
        input_files: { in_v: file.storage_url },
        output_files: { out_v: 'loop.mp4' },
        // Loops the input for ever: only the time limit ends it.
        ffmpeg_command: '-stream_loop -1 -re -i {{in_v}} -c:v libx264 -preset ultrafast {{out_v}}',
      });
      const done = await slow.waitCommand(body.command_id);
      expect(done.status).toBe('FAILED');
      expect(done.error_status).toBe('TIMEOUT');
      expect(done.error_message).toMatch(/^ffmpeg ran longer than the limit of 2 s/);
    } finally {
      await slow.cleanup();
    }
  });

  it('ends a command whose ffmpeg makes no progress FAILED with STALLED, and runs one that moves', async () => {
    // ffmpeg behind a wrapper: the conversion to hang.mp4 becomes the real ffmpeg reading a FIFO
    // that nobody writes, blocked for good without a progress line; the rest run as they are.
    const bin = join(h.dir, 'stalling-ffmpeg');
    const fifo = join(bin, 'nobody-writes.fifo');
    await mkdir(bin, { recursive: true });
    await promisify(execFile)('mkfifo', [fifo]);
    const real = realTool('ffmpeg');
    const ffmpeg = await writeScript(
      bin,
      'ffmpeg',
      [
        `case "$*" in *hang.mp4*) exec '${real}' -hide_banner -loglevel warning -nostdin -f s16le -i '${fifo}' -f null - ;; esac`,
        `exec '${real}' "$@"`,
      ].join('\n'),
    );
    await writeWrapper(bin, 'ffprobe');
    const stalling = await startHarness({ stallTimeoutMs: 1500, ffmpegPath: ffmpeg });
    try {
      const file = await stalling.uploadStored(video);
      const submit = async (output: string) =>
        (
          await stalling.post<{ command_id: string }>('/api/v1/run-ffmpeg-command', {
            input_files: { in_v: file.storage_url },
            output_files: { out_v: output },
            ffmpeg_command: '-i {{in_v}} -c:v libx264 -preset ultrafast -c:a aac {{out_v}}',
          })
        ).body.command_id;
      const hung = await stalling.waitCommand(await submit('hang.mp4'));
      expect(hung).toMatchObject({
        status: 'FAILED',
        error_status: 'STALLED',
        error_message: 'ffmpeg made no progress for 1.5 seconds and was stopped',
      });
      expect(await processesNaming(fifo)).toEqual([]);
      // The same small limit leaves a short encode alone.
      const fine = await stalling.waitCommand(await submit('fine.mp4'));
      expect(fine).toMatchObject({ status: 'SUCCESS', error_status: null });
    } finally {
      await stalling.cleanup();
    }
  });

  it('runs no more ffmpeg processes at once than the concurrency setting', async () => {
    // ffmpeg behind a wrapper that notes when each conversion starts and ends. The slot is given
    // back once ffmpeg is done (outputs are probed after), so PROCESSING may overlap briefly;
    // ffmpeg runs may not.
    const bin = join(h.dir, 'counted-ffmpeg');
    const log = join(h.dir, 'ffmpeg-runs.log');
    const ffmpeg = await writeScript(
      bin,
      'ffmpeg',
      [
        `case "$*" in *" -i "*) echo start >> '${log}';; esac`,
        `'${realTool('ffmpeg')}' "$@"; rc=$?`,
        `case "$*" in *" -i "*) echo end >> '${log}';; esac`,
        'exit $rc',
      ].join('\n'),
    );
    await writeWrapper(bin, 'ffprobe');
    const one = await startHarness({ concurrency: 1, ffmpegPath: ffmpeg });
    try {
      const file = await one.uploadStored(video);
      const ids: string[] = [];
      for (let i = 0; i < 3; i++) {
        const { body } = await one.post<{ command_id: string }>('/api/v1/run-ffmpeg-command', {
          input_files: { in_v: file.storage_url },
          output_files: { out_v: `c${i}.webm` },
          ffmpeg_command: `-i {{in_v}} ${VP9} {{out_v}}`,
        });
        ids.push(body.command_id);
      }
      let maxRunning = 0;
      for (;;) {
        const { body } = await one.json<CommandList>('/api/v1/commands?limit=10');
        const running = body.commands.filter((c) => c.status === 'PROCESSING').length;
        maxRunning = Math.max(maxRunning, running);
        if (body.commands.every((c) => c.status === 'SUCCESS' || c.status === 'FAILED')) {
          expect(body.commands.map((c) => c.status)).toEqual(['SUCCESS', 'SUCCESS', 'SUCCESS']);
          break;
        }
        await new Promise((r) => setTimeout(r, 30));
      }
      expect(maxRunning).toBeGreaterThanOrEqual(1);
      let running = 0;
      let maxFfmpeg = 0;
      for (const line of (await readFile(log, 'utf8')).split('\n').filter(Boolean)) {
        running += line === 'start' ? 1 : -1;
        maxFfmpeg = Math.max(maxFfmpeg, running);
      }
      expect(maxFfmpeg).toBe(1);
    } finally {
      await one.cleanup();
    }
  });
});
