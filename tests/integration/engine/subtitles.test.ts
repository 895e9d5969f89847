/**
 * The `subtitles` filter through the engine with the real ffmpeg: ordinary subtitles are
 * burned in, and a subtitles file whose bytes are a playlist (written by an earlier chained
 * step, or downloaded under a .srt name) is refused before ffmpeg could follow it. The file
 * the playlist names is a FIFO: the control run shows the real ffmpeg opens it, and the
 * engine's runs show it never is.
 */
import { execFile } from 'node:child_process';
import { closeSync, constants, openSync } from 'node:fs';
import { open, readFile, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CommandObject, StoredFile } from '../../../shared/renderioApi';
import { ffmpeg, makeVideo } from '../../support/media';
import { download, messages, startHarness, type Harness } from './engineHarness';

const run = promisify(execFile);
const SRT = '1\n00:00:00,000 --> 00:00:05,000\nBURNED IN SUBTITLE TEXT\n\n';

/** A FIFO that tells whether anything opened it for reading while it was armed. */
function tripwire(path: string) {
  let state: { opened: boolean; done: Promise<void> } | null = null;
  return {
    async create() {
      await run('mkfifo', [path]);
    },
    arm() {
      const s = { opened: false, done: Promise.resolve() };
      // Opening a FIFO for writing waits until some process opens it for reading.
      s.done = open(path, 'w').then((handle) => {
        s.opened = true;
        return handle.close();
      });
      state = s;
    },
    /** Whether a reader came; lets a still waiting open through with a reader of our own. */
    async disarm(): Promise<boolean> {
      const s = state;
      if (!s) throw new Error('not armed');
      state = null;
      const opened = s.opened;
      if (opened) {
        await s.done;
      } else {
        const fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
        try {
          await s.done;
        } finally {
          closeSync(fd);
        }
      }
      return opened;
    },
  };
}

let h: Harness;
let input: StoredFile;
let playlistWav: StoredFile;
let playlist: string;
let wire: ReturnType<typeof tripwire>;
let server: Server;
let serverUrl: string;

beforeAll(async () => {
  h = await startHarness();
  input = await h.uploadStored(await makeVideo(h.dir, 'clip.mp4', { seconds: 1, audio: false }));
  // Outside the engine's data dir, with an extension the HLS demuxer accepts for segments.
  const secret = join(h.dir, 'private.mkv');
  wire = tripwire(secret);
  await wire.create();
  playlist = `#EXTM3U\n#EXT-X-TARGETDURATION:2\n#EXTINF:1.0,\n${secret}\n#EXT-X-ENDLIST\n`;
  // A WAV whose 8-bit samples are the playlist's bytes: it is stored as ordinary audio.
  const text = join(h.dir, 'playlist.txt');
  await writeFile(text, playlist);
  const wav = join(h.dir, 'playlist.wav');
  await ffmpeg(['-f', 'u8', '-ar', '8000', '-ac', '1', '-i', text, '-c:a', 'pcm_u8', wav]);
  playlistWav = await h.uploadStored(wav);
  // The same playlist behind a 100 KB ID3v2 tag, which libavformat's probe skips.
  const id3 = Buffer.alloc(10 + 100_000);
  id3.write('ID3\x03\x00\x00', 'latin1');
  id3.set(
    [(100_000 >> 21) & 0x7f, (100_000 >> 14) & 0x7f, (100_000 >> 7) & 0x7f, 100_000 & 0x7f],
    6,
  );
  const bodies: Record<string, Buffer> = {
    '/subs.srt': Buffer.from(SRT),
    '/list.srt': Buffer.concat([id3, Buffer.from(playlist)]),
  };
  server = createServer((req, res) => {
    const body = bodies[req.url ?? ''];
    res.statusCode = body ? 200 : 404;
    res.end(body);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  serverUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise((r) => server.close(r));
  await h.cleanup();
});

async function runCommand(body: Record<string, unknown>): Promise<CommandObject> {
  const chained = 'ffmpeg_commands' in body;
  const { status, body: answer } = await h.post<{ command_id: string }>(
    chained ? '/api/v1/run-chained-ffmpeg-commands' : '/api/v1/run-ffmpeg-command',
    body,
  );
  expect(status, JSON.stringify(answer)).toBe(200);
  return h.waitCommand(answer.command_id);
}

/** The first frame of the clip as PNG bytes, from the engine's output or straight from ffmpeg. */
async function firstFrame(command?: CommandObject): Promise<Buffer> {
  if (command) return (await download(command.output_files.out_png!.storage_url!)).bytes;
  const path = join(h.dir, 'plain.png');
  await ffmpeg(['-i', join(h.dir, 'clip.mp4'), '-frames:v', '1', path]);
  return readFile(path);
}

describe('subtitles filter: ordinary subtitles still work', () => {
  it('burns a downloaded .srt into the video', async () => {
    const done = await runCommand({
      input_files: { in_v: input.storage_url, in_subs: `${serverUrl}/subs.srt` },
      output_files: { out_png: 'with.png' },
      ffmpeg_command: '-i {{in_v}} -vf subtitles={{in_subs}} -frames:v 1 {{out_png}}',
    });
    expect(done.status, done.error_message ?? '').toBe('SUCCESS');
    // The text is drawn: the frame differs from the same frame without the filter.
    expect((await firstFrame(done)).equals(await firstFrame())).toBe(false);
  });

  it('burns a .srt that an earlier chained step wrote', async () => {
    const done = await runCommand({
      input_files: { in_v: input.storage_url, in_subs: `${serverUrl}/subs.srt` },
      output_files: { out_png: 'chained.png' },
      ffmpeg_commands: [
        '-i {{in_subs}} -c:s srt subs.srt',
        '-i {{in_v}} -vf "subtitles=subs.srt:force_style=\'FontSize=30\'" -frames:v 1 {{out_png}}',
      ],
    });
    expect(done.status, done.error_message ?? '').toBe('SUCCESS');
    expect((await firstFrame(done)).equals(await firstFrame())).toBe(false);
  });
});

describe.skipIf(process.platform === 'win32')(
  'subtitles filter: playlists are not followed',
  () => {
    it('control: the real ffmpeg, given the same bytes as subtitles, opens the file they name', async () => {
      await writeFile(join(h.dir, 'control.srt'), playlist);
      wire.arm();
      await run(
        'ffmpeg',
        [
          ...[
            '-hide_banner',
            '-nostdin',
            '-y',
            '-f',
            'lavfi',
            '-i',
            'testsrc2=size=320x240:duration=1',
          ],
          ...['-vf', 'subtitles=control.srt', '-frames:v', '1', '-f', 'null', '-'],
        ],
        { cwd: h.dir },
      ).catch(() => undefined);
      expect(await wire.disarm()).toBe(true);
    });

    it('refuses a chained step whose subtitles file an earlier step filled with a playlist', async () => {
      wire.arm();
      const done = await runCommand({
        input_files: { in_a: playlistWav.storage_url, in_v: input.storage_url },
        output_files: { out_v: 'burned.mp4' },
        ffmpeg_commands: [
          '-i {{in_a}} -c copy -f u8 subs.srt',
          '-i {{in_v}} -vf subtitles=subs.srt -c:v libx264 -preset ultrafast {{out_v}}',
        ],
      });
      // First of all: the file the playlist names was never opened.
      expect(await wire.disarm()).toBe(false);
      expect(done).toMatchObject({ status: 'FAILED', error_status: 'INVALID_COMMAND' });
      expect(done.error_message).toContain('ffmpeg (step 2 of 2) was not run');
      expect(done.error_message).toContain(
        'the file "subs.srt" of the "subtitles" filter holds an HLS playlist ("#EXTM3U" at byte 0)',
      );
      expect(done.output_files).toEqual({});
    });

    it('refuses a downloaded .srt whose bytes are a playlist behind an ID3 tag', async () => {
      wire.arm();
      const done = await runCommand({
        input_files: { in_v: input.storage_url, in_subs: `${serverUrl}/list.srt` },
        output_files: { out_v: 'burned.mp4' },
        ffmpeg_command: '-i {{in_v}} -vf subtitles={{in_subs}} {{out_v}}',
      });
      // First of all: the file the playlist names was never opened.
      expect(await wire.disarm()).toBe(false);
      expect(done).toMatchObject({ status: 'FAILED', error_status: 'INVALID_COMMAND' });
      expect(done.error_message).toMatch(
        /^ffmpeg was not run: the file "inputs\/in_subs\.srt" of the "subtitles" filter holds an HLS playlist \("#EXTM3U" at byte 100010\)/,
      );
    });
  },
);

describe('subtitles filter: other guards', () => {
  it('discards a step that writes the subtitles file it reads, even when ffmpeg succeeds', async () => {
    const done = await runCommand({
      input_files: { in_v: input.storage_url, in_subs: `${serverUrl}/subs.srt` },
      output_files: { out_v: 'burned.mp4' },
      ffmpeg_commands: [
        '-i {{in_subs}} -c:s srt subs.srt',
        '-i {{in_v}} -vf subtitles=subs.srt -c:v libx264 -preset ultrafast {{out_v}} ' +
          '-map 0:v -frames:v 1 -c:v png -f image2 subs.srt',
      ],
    });
    expect(done).toMatchObject({ status: 'FAILED', error_status: 'INVALID_COMMAND' });
    expect(done.error_message).toBe(
      'ffmpeg (step 2 of 2) ran but its outputs were discarded: the file "subs.srt" of the ' +
        '"subtitles" filter changed while the step ran; a step may not write the subtitles file it reads',
    );
    expect(done.output_files).toEqual({});
  });

  it('refuses a subtitles file that no earlier step wrote', async () => {
    const done = await runCommand({
      input_files: { in_v: input.storage_url },
      output_files: { out_v: 'burned.mp4' },
      ffmpeg_command: '-i {{in_v}} -vf subtitles=nowhere.srt {{out_v}}',
    });
    expect(done).toMatchObject({ status: 'FAILED', error_status: 'INVALID_COMMAND' });
    expect(done.error_message).toContain('"nowhere.srt" of the "subtitles" filter is not there');
  });

  it('answers 422 at submit for a subtitles file named like a playlist', async () => {
    const { status, body } = await h.post('/api/v1/run-ffmpeg-command', {
      input_files: { in_v: input.storage_url },
      output_files: { out_v: 'burned.mp4' },
      ffmpeg_command: '-i {{in_v}} -vf subtitles=list.m3u8 {{out_v}}',
    });
    expect(status).toBe(422);
    expect(messages(body)).toContain('must be a subtitle file');
    expect(messages(body)).toContain('not ".m3u8"');
  });
});
