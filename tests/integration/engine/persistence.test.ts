/**
 * State survives a restart; commands cut off by a stop or a crash run again under the same id,
 * queued ones run later, a webhook cut off is sent after the start.
 */
import { createHmac } from 'node:crypto';
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { afterEach, describe, expect, it } from 'vitest';
import type { CommandObject, PresetObject, StoredFile } from '../../../shared/renderioApi';
import { durationOf, makeVideo, probe } from '../../support/media';
import { startRecordingServer } from '../../support/recordingServer';
import { download, sleep, startHarness, type Harness } from './engineHarness';

let h: Harness | null = null;
afterEach(async () => {
  await h?.cleanup();
  h = null;
});

/** Converts a new clip to a.mp3 on the engine; the stored input, the command id, its end. */
async function convertClipToMp3(
  h: Harness,
): Promise<{ file: StoredFile; commandId: string; done: CommandObject }> {
  const file = await h.uploadStored(await makeVideo(h.dir, 'clip.mp4'));
  const { body } = await h.post<{ command_id: string }>('/api/v1/run-ffmpeg-command', {
    input_files: { in_v: file.storage_url },
    output_files: { out_a: 'a.mp3' },
    ffmpeg_command: '-i {{in_v}} -vn {{out_a}}',
  });
  return { file, commandId: body.command_id, done: await h.waitCommand(body.command_id) };
}

/** Changes one command as the engine saved it in state.json (as a crash would have left it). */
async function editSavedCommand(
  h: Harness,
  id: string,
  edit: (command: { status: string; webhook_pending?: boolean }) => void,
): Promise<void> {
  const path = `${h.dataDir}/state.json`;
  const state = JSON.parse(await readFile(path, 'utf8')) as {
    commands: Record<string, { status: string; webhook_pending?: boolean }>;
  };
  edit(state.commands[id]!);
  await writeFile(path, JSON.stringify(state));
}

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

  it('re-runs a command cut off by close() after the next start (new port), runs a queued one, one webhook each', async () => {
    const hooks = await startRecordingServer((_req, res) => res.end('ok'));
    try {
      h = await startHarness({ concurrency: 1 });
      const video = await makeVideo(h.dir, 'clip.mp4', { seconds: 3 });
      const file = await h.uploadStored(video);
      const submit = async (cmd: string, out: string) =>
        (
          await h!.post<{ command_id: string }>('/api/v1/run-ffmpeg-command', {
            input_files: { in_v: file.storage_url },
            output_files: { out_v: out },
            ffmpeg_command: cmd,
            webhook_url: hooks.url,
          })
        ).body.command_id;
      // Reads the input in real time: still running when the engine closes.
      const running = await submit(
        '-re -i {{in_v}} -c:v libx264 -preset ultrafast {{out_v}}',
        'slow.mp4',
      );
      const queued = await submit('-i {{in_v}} -vn {{out_v}}', 'later.mp3');
      for (;;) {
        const { body } = await h.json<CommandObject>(`/api/v1/commands/${running}`);
        if (body.status === 'PROCESSING' && (body.progress ?? 0) > 0) break;
        expect(body.status).not.toMatch(/SUCCESS|FAILED/);
        await sleep(50);
      }
      expect((await h.json<CommandObject>(`/api/v1/commands/${queued}`)).body.status).toBe(
        'QUEUED',
      );

      // Port 0: a new port, as the app's engine gets at each launch; the storage URLs in the
      // commands name the old one.
      await h.restart({ port: 0 });

      const seen: string[] = [];
      const rerun = await h.waitCommand(running, (c) => seen.push(c.status));
      expect(seen).not.toContain('QUEUED');
      expect(rerun, rerun.error_message ?? '').toMatchObject({
        status: 'SUCCESS',
        error_status: null,
      });
      const out = await download(rerun.output_files.out_v!.storage_url!);
      const saved = `${h.dir}/slow.mp4`;
      await writeFile(saved, out.bytes);
      expect(durationOf(await probe(saved))).toBeCloseTo(3, 0);
      expect((await h.waitCommand(queued)).status).toBe('SUCCESS');
      const { body: list } = await h.json<{ commands: CommandObject[] }>('/api/v1/commands');
      expect(list.commands.map((c) => c.command_id).sort()).toEqual([running, queued].sort());

      // Webhooks: once per command, at its real end; none for the cut-off run.
      while (hooks.requests.length < 2) await sleep(50);
      await h.engine.close();
      const delivered = hooks.requests.map(
        (r) => JSON.parse(r.bodyHead.toString()) as { data: CommandObject },
      );
      expect(delivered.map((d) => [d.data.command_id, d.data.status]).sort()).toEqual(
        [
          [running, 'SUCCESS'],
          [queued, 'SUCCESS'],
        ].sort(),
      );
    } finally {
      await hooks.close();
    }
  });

  it('re-runs a command found PROCESSING after a crash, dropping what the cut-off run left', async () => {
    h = await startHarness();
    const { commandId, done: first } = await convertClipToMp3(h);
    const stale = first.output_files.out_a!.file_id;
    await h.engine.close();
    // What a crash while the outputs were being stored leaves: the command still PROCESSING,
    // an output already in storage, a work directory with a partial file.
    await editSavedCommand(h, commandId, (c) => (c.status = 'PROCESSING'));
    await mkdir(`${h.dataDir}/work/${commandId}/inputs`, { recursive: true });
    await writeFile(`${h.dataDir}/work/${commandId}/a.mp3`, 'half');

    await h.restart();
    const after = await h.waitCommand(commandId);
    expect(after, after.error_message ?? '').toMatchObject({
      status: 'SUCCESS',
      error_status: null,
    });
    const fresh = after.output_files.out_a!;
    expect(fresh.file_id).not.toBe(stale);
    expect(fresh).toMatchObject({ status: 'STORED', codec: 'mp3' });
    expect((await h.json(`/api/v1/files/${stale}`)).status).toBe(404);
    expect(await readdir(`${h.dataDir}/blobs`)).not.toContain(stale);
    expect(await readdir(`${h.dataDir}/work`).catch(() => [])).toEqual([]);
    const { body: list } = await h.json<{ commands: unknown[] }>('/api/v1/commands');
    expect(list.commands).toHaveLength(1);
  });

  it('fails a re-run whose stored input was deleted meanwhile, with a clear message', async () => {
    h = await startHarness();
    const { file, commandId } = await convertClipToMp3(h);
    expect((await h.json(`/api/v1/files/${file.file_id}`, { method: 'DELETE' })).status).toBe(200);
    await h.engine.close();
    await editSavedCommand(h, commandId, (c) => (c.status = 'PROCESSING'));

    await h.restart();
    const after = await h.waitCommand(commandId);
    expect(after).toMatchObject({ status: 'FAILED', error_status: 'INPUT_ERROR' });
    expect(after.error_message).toBe(
      `input in_v: the stored file ${file.file_id} was deleted before the command ran; store the file again and submit a new command.`,
    );
    expect(after.output_files).toEqual({});
  });

  it('sends after the next start a webhook that a crash cut off, signed, once', async () => {
    const hooks = await startRecordingServer((_req, res) => res.end('ok'));
    try {
      h = await startHarness();
      await h.json('/api/v1/webhook-config', {
        method: 'PUT',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ url: hooks.url, secret: 'restart-secret' }),
      });
      const { commandId } = await convertClipToMp3(h);
      const path = `${h.dataDir}/state.json`;
      type Saved = { commands: Record<string, { webhook_pending?: boolean }> };
      const pending = async () =>
        (JSON.parse(await readFile(path, 'utf8')) as Saved).commands[commandId]!.webhook_pending;
      // Pending on disk until the delivery has been answered, then cleared.
      while ((await pending()) !== undefined) await sleep(50);
      expect(hooks.requests).toHaveLength(1);
      await h.engine.close();
      // A crash between the end of the command and the delivery leaves it pending.
      await editSavedCommand(h, commandId, (c) => (c.webhook_pending = true));

      await h.restart({ port: 0 });
      while ((await pending()) !== undefined) await sleep(50);
      await h.engine.close();
      expect(hooks.requests).toHaveLength(2);
      const again = hooks.requests[1]!;
      const raw = again.bodyHead.toString();
      expect(again.headers['x-webhook-signature']).toBe(
        createHmac('sha256', 'restart-secret').update(raw).digest('hex'),
      );
      const delivered = JSON.parse(raw) as { data: CommandObject };
      expect(delivered.data).toMatchObject({ command_id: commandId, status: 'SUCCESS' });
      // Signed on the origin the engine has now.
      expect(delivered.data.output_files.out_a!.storage_url!.startsWith(h.engine.url)).toBe(true);
      expect(await pending()).toBeUndefined();
    } finally {
      await hooks.close();
    }
  });

  it('deletes command outputs past the retention period (swept at start)', async () => {
    h = await startHarness();
    const { file, commandId, done } = await convertClipToMp3(h);
    const url = done.output_files.out_a!.storage_url!;
    await new Promise((r) => setTimeout(r, 1100));
    // About a third of a second: the output made above is older than that now.
    await h.restart({ outputRetentionHours: 0.0001 });
    let out = done.output_files.out_a!;
    while (!out.is_deleted) {
      await new Promise((r) => setTimeout(r, 50));
      out = (await h.waitCommand(commandId)).output_files.out_a!;
    }
    expect(out).toMatchObject({ is_deleted: true, storage_url: null });
    expect((await download(url)).status).toBe(404);
    // Uploads are not outputs: they stay.
    expect((await h.json<StoredFile>(`/api/v1/files/${file.file_id}`)).body.is_deleted).toBe(false);
  });

  it('forgets spent records a day after (recordRetentionHours): the state file stops growing with every job', async () => {
    h = await startHarness();
    const spent = await convertClipToMp3(h);
    const kept = await convertClipToMp3(h);
    // The client cleans up the first job as the app does: its outputs, then its input.
    const del = (path: string) => h!.json(path, { method: 'DELETE' });
    expect((await del(`/api/v1/commands/${spent.commandId}/files`)).status).toBe(200);
    expect((await del(`/api/v1/files/${spent.file.file_id}`)).status).toBe(200);
    // Deleted a moment ago: with a day's window, still answered (is_deleted).
    expect((await h.json<StoredFile>(`/api/v1/files/${spent.file.file_id}`)).body.is_deleted).toBe(
      true,
    );
    await new Promise((r) => setTimeout(r, 1100));
    // About a third of a second: the sweep at start forgets what was spent before that.
    await h.restart({ recordRetentionHours: 0.0001 });
    await expect
      .poll(async () => (await h!.api(`/api/v1/commands/${spent.commandId}`)).status)
      .toBe(404);
    expect((await h.api(`/api/v1/files/${spent.file.file_id}`)).status).toBe(404);
    const spentOutput = spent.done.output_files.out_a!.file_id;
    expect((await h.api(`/api/v1/files/${spentOutput}`)).status).toBe(404);
    // What still has bytes behind it stays: the other job's command, output and input.
    const still = await h.waitCommand(kept.commandId);
    expect(still.output_files.out_a).toMatchObject({ is_deleted: false, status: 'STORED' });
    expect((await download(still.output_files.out_a!.storage_url!)).status).toBe(200);
    expect((await h.json<StoredFile>(`/api/v1/files/${kept.file.file_id}`)).body.is_deleted).toBe(
      false,
    );
    // On disk too, once the engine has written what it forgot (flushed when it stops).
    await h.engine.close();
    const state = JSON.parse(await readFile(`${h.dataDir}/state.json`, 'utf8')) as {
      files: Record<string, unknown>;
      commands: Record<string, unknown>;
    };
    expect(Object.keys(state.commands)).toEqual([kept.commandId]);
    expect(Object.keys(state.files).sort()).toEqual(
      [kept.file.file_id, still.output_files.out_a!.file_id].sort(),
    );
  });
});
