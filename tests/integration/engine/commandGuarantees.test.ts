/**
 * Guarantees of issue 3 that the broader command tests could pass without: progress really
 * reported while running, multiple commands really at the same time, a fresh directory per
 * command (a chain's intermediate file is not visible to the next command), keys redacted in
 * ffmpeg's reason, and the engine's own storage URLs read from disk, never over HTTP.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CommandList, CommandObject, StoredFile } from '../../../shared/renderioApi';
import { REDACTED_KEY } from '../../../shared/redact';
import { codecOf, makeVideo, probe } from '../../support/media';
import { download, sleep, startHarness, type Harness } from './engineHarness';
import { writeFile } from 'node:fs/promises';

let h: Harness;
let input: StoredFile;

beforeAll(async () => {
  h = await startHarness({ concurrency: 3 });
  input = await h.uploadStored(await makeVideo(h.dir, 'clip.mp4'));
});
afterAll(() => h.cleanup());

const submit = async (ffmpeg_command: string, output_files: Record<string, string>) => {
  const { status, body } = await h.post<{ command_id: string }>('/api/v1/run-ffmpeg-command', {
    input_files: { in_v: input.storage_url },
    output_files,
    ffmpeg_command,
  });
  expect(status).toBe(200);
  return body.command_id;
};

describe('command guarantees', () => {
  it('reports progress between 0 and 1, rising, only while PROCESSING', async () => {
    // Real time: about 2 s of PROCESSING, so several polls land mid-run.
    const id = await submit('-re -i {{in_v}} -c:v libx264 -preset ultrafast {{out_v}}', {
      out_v: 'p.mp4',
    });
    const seen: number[] = [];
    const done = await h.waitCommand(id, (c) => {
      if (c.status === 'PROCESSING') seen.push(c.progress ?? NaN);
      else expect(c).not.toHaveProperty('progress');
    });
    expect(done.status).toBe('SUCCESS');
    expect(seen.some((p) => p > 0 && p < 1)).toBe(true);
    for (const p of seen) expect(p >= 0 && p <= 1).toBe(true);
    expect(seen).toEqual([...seen].sort((a, b) => a - b));
  });

  it('runs the commands of a multiple request at the same time', async () => {
    const one = {
      input_files: { in_v: input.storage_url },
      ffmpeg_command: '-re -i {{in_v}} -vn -c:a libmp3lame {{out_a}}',
    };
    const { status, body } = await h.post<{ command_ids: string[] }>(
      '/api/v1/run-multiple-ffmpeg-commands',
      {
        commands: ['m1', 'm2', 'm3'].map((n) => ({ ...one, output_files: { out_a: `${n}.mp3` } })),
      },
    );
    expect(status).toBe(200);
    const ids = new Set(body.command_ids);
    let most = 0;
    for (;;) {
      const { body: list } = await h.json<CommandList>('/api/v1/commands?limit=100');
      const mine = list.commands.filter((c) => ids.has(c.command_id));
      most = Math.max(most, mine.filter((c) => c.status === 'PROCESSING').length);
      if (mine.every((c) => c.status === 'SUCCESS' || c.status === 'FAILED')) {
        expect(mine.map((c) => c.status)).toEqual(['SUCCESS', 'SUCCESS', 'SUCCESS']);
        break;
      }
      await sleep(50);
    }
    expect(most).toBe(3);
  });

  it("reads a chain's plain intermediate file, which the next command's fresh directory lacks", async () => {
    const { body } = await h.post<{ command_id: string }>('/api/v1/run-chained-ffmpeg-commands', {
      input_files: { in_v: input.storage_url },
      output_files: { out_gif: 'anim.gif' },
      ffmpeg_commands: [
        '-i {{in_v}} -vf fps=5,scale=160:-1,palettegen palette.png',
        "-i {{in_v}} -i palette.png -lavfi 'fps=5,scale=160:-1[x];[x][1:v]paletteuse' {{out_gif}}",
      ],
    });
    const chained = await h.waitCommand(body.command_id);
    expect(chained.status, chained.error_message ?? '').toBe('SUCCESS');
    const gif = `${h.dir}/anim.gif`;
    await writeFile(gif, (await download(chained.output_files.out_gif!.storage_url!)).bytes);
    expect(codecOf(await probe(gif), 'video')).toBe('gif');
    // Only the outputs left the chain's directory, and it is gone.
    expect(Object.keys(chained.output_files)).toEqual(['out_gif']);

    const other = await submit('-i palette.png -i {{in_v}} {{out_p}}', { out_p: 'p.png' });
    const done = await h.waitCommand(other);
    expect(done).toMatchObject({ status: 'FAILED', error_status: 'FFMPEG_ERROR' });
    expect(done.error_message).toMatch(/palette\.png: No such file or directory/);
  });

  it('redacts a key that ffmpeg repeats in its reason for failing', async () => {
    const key = `ffsk_${'c'.repeat(64)}`;
    // A pixel format, not an encoder: an unknown encoder is refused before ffmpeg runs
    // (UNSUPPORTED_BY_FFMPEG, tests/integration/ffmpeg), and this is about ffmpeg's own words.
    const id = await submit(`-i {{in_v}} -pix_fmt ${key} {{out_v}}`, { out_v: 'k.mp4' });
    const done: CommandObject = await h.waitCommand(id);
    expect(done).toMatchObject({ status: 'FAILED', error_status: 'FFMPEG_ERROR' });
    expect(done.error_message).toContain(REDACTED_KEY);
    expect(done.error_message).not.toContain('c'.repeat(16));
  });

  it('reads its own storage URLs from disk: commands and store-file work while /storage fails', async () => {
    h.engine.setFaults({ seed: 1, rules: [{ route: 'GET /storage/*', error500: 1 }] });
    try {
      // The fault is on: a download over HTTP fails.
      expect((await download(input.storage_url!)).status).toBe(500);
      const id = await submit('-i {{in_v}} -vn {{out_a}}', { out_a: 'disk.mp3' });
      expect((await h.waitCommand(id)).status).toBe('SUCCESS');
      const { body } = await h.post<{ file_id: string }>('/api/v1/files/store-file', {
        file_url: input.storage_url,
      });
      expect((await h.waitFile(body.file_id)).status).toBe('STORED');
    } finally {
      h.engine.setFaults(undefined);
    }
  });
});
