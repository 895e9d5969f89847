/** State survives a restart; commands running at shutdown end FAILED, queued ones run later. */
import { readFile, writeFile } from 'node:fs/promises';
import { afterEach, describe, expect, it } from 'vitest';
import type { CommandObject, PresetObject, StoredFile } from '../../../shared/renderioApi';
import { makeVideo } from '../../support/media';
import { download, startHarness, type Harness } from './engineHarness';

let h: Harness | null = null;
afterEach(async () => {
  await h?.cleanup();
  h = null;
});

describe('persistence', () => {
  it('keeps keys, files, commands, presets and the webhook config across a restart', async () => {
    h = await startHarness();
    const video = await makeVideo(h.dir, 'clip.mp4');
    const file = await h.uploadStored(video);
    const { body: run } = await h.post<{ command_id: string }>('/api/v1/run-ffmpeg-command', {
      input_files: { in_v: file.storage_url },
      output_files: { out_a: 'a.mp3' },
      ffmpeg_command: '-i {{in_v}} -vn {{out_a}}',
      metadata: { client_job_id: 'persist' },
    });
    const before = await h.waitCommand(run.command_id);
    const { body: preset } = await h.post<PresetObject>('/api/v1/presets', {
      name: 'keep me',
      input_file_keys: ['in_file'],
      output_file_definitions: { out_file: 'x.mp3' },
      ffmpeg_command: '-i {{in_file}} {{out_file}}',
    });
    await h.json('/api/v1/webhook-config', {
      method: 'PUT',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ url: 'http://127.0.0.1:1/hook', secret: 'x' }),
    });

    await h.restart();

    // The same stored key still works (only its hash is on disk).
    const keys = await readFile(`${h.dataDir}/keys.json`, 'utf8');
    expect(keys).not.toContain(h.key);
    const gotFile = await h.json<StoredFile>(`/api/v1/files/${file.file_id}`);
    expect(gotFile.status).toBe(200);
    expect(gotFile.body).toMatchObject({ status: 'STORED', codec: 'h264' });
    // A storage URL handed out before the restart still downloads.
    expect((await download(file.storage_url!)).bytes.equals(await readFile(video))).toBe(true);
    const after = await h.json<CommandObject>(`/api/v1/commands/${run.command_id}`);
    expect(after.body).toMatchObject({
      status: 'SUCCESS',
      metadata: { client_job_id: 'persist' },
      output_files: { out_a: { file_id: before.output_files.out_a!.file_id, status: 'STORED' } },
    });
    expect((await h.json(`/api/v1/presets/${preset.preset_id}`)).body).toEqual(preset);
    expect((await h.json('/api/v1/webhook-config')).body).toMatchObject({
      configured: true,
      url: 'http://127.0.0.1:1/hook',
    });
  });

  it('fails a command that was running at shutdown and runs one that was still queued', async () => {
    h = await startHarness({ concurrency: 1 });
    const video = await makeVideo(h.dir, 'clip.mp4');
    const file = await h.uploadStored(video);
    const submit = async (cmd: string, out: string) =>
      (
        await h!.post<{ command_id: string }>('/api/v1/run-ffmpeg-command', {
          input_files: { in_v: file.storage_url },
          output_files: { out_v: out },
          ffmpeg_command: cmd,
        })
      ).body.command_id;
    // Runs until stopped: reads the input in real time, looping.
    const running = await submit(
      '-stream_loop -1 -re -i {{in_v}} -c:v libx264 -preset ultrafast {{out_v}}',
      'loop.mp4',
    );
    const queued = await submit('-i {{in_v}} -vn {{out_v}}', 'later.mp3');
    for (;;) {
      const { body } = await h.json<CommandObject>(`/api/v1/commands/${running}`);
      if (body.status === 'PROCESSING') break;
      await new Promise((r) => setTimeout(r, 50));
    }
    expect((await h.json<CommandObject>(`/api/v1/commands/${queued}`)).body.status).toBe('QUEUED');

    await h.restart();

    const stopped = await h.waitCommand(running);
    expect(stopped).toMatchObject({
      status: 'FAILED',
      error_status: 'ENGINE_STOPPED',
      error_message: 'The engine was stopped while this command was running; submit it again.',
    });
    const later = await h.waitCommand(queued);
    expect(later.status).toBe('SUCCESS');
  });

  it('fails a command found PROCESSING after a crash (state written mid-run)', async () => {
    h = await startHarness();
    const file = await h.uploadStored(await makeVideo(h.dir, 'clip.mp4'));
    const { body } = await h.post<{ command_id: string }>('/api/v1/run-ffmpeg-command', {
      input_files: { in_v: file.storage_url },
      output_files: { out_a: 'a.mp3' },
      ffmpeg_command: '-i {{in_v}} -vn {{out_a}}',
    });
    await h.waitCommand(body.command_id);
    await h.engine.close();
    // What a crash mid-run leaves on disk: the command still PROCESSING.
    const path = `${h.dataDir}/state.json`;
    const state = JSON.parse(await readFile(path, 'utf8')) as {
      commands: Record<string, { status: string }>;
    };
    state.commands[body.command_id]!.status = 'PROCESSING';
    await writeFile(path, JSON.stringify(state));
    await h.restart();
    const after = await h.waitCommand(body.command_id);
    expect(after).toMatchObject({ status: 'FAILED', error_status: 'ENGINE_RESTARTED' });
  });

  it('deletes command outputs past the retention period (swept at start)', async () => {
    h = await startHarness();
    const file = await h.uploadStored(await makeVideo(h.dir, 'clip.mp4'));
    const { body } = await h.post<{ command_id: string }>('/api/v1/run-ffmpeg-command', {
      input_files: { in_v: file.storage_url },
      output_files: { out_a: 'a.mp3' },
      ffmpeg_command: '-i {{in_v}} -vn {{out_a}}',
    });
    const done = await h.waitCommand(body.command_id);
    const url = done.output_files.out_a!.storage_url!;
    await new Promise((r) => setTimeout(r, 1100));
    // About a third of a second: the output made above is older than that now.
    await h.restart({ outputRetentionHours: 0.0001 });
    let out = done.output_files.out_a!;
    while (!out.is_deleted) {
      await new Promise((r) => setTimeout(r, 50));
      out = (await h.waitCommand(body.command_id)).output_files.out_a!;
    }
    expect(out).toMatchObject({ is_deleted: true, storage_url: null });
    expect((await download(url)).status).toBe(404);
    // Uploads are not outputs: they stay.
    expect((await h.json<StoredFile>(`/api/v1/files/${file.file_id}`)).body.is_deleted).toBe(false);
  });
});
