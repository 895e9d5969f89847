/** Presets over HTTP: system presets, create/get/update/delete, execute with exact input keys. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PresetObject, StoredFile } from '../../../shared/renderioApi';
import { codecOf, makeVideo, probe } from '../../support/media';
import { download, messages, startHarness, type Harness } from './engineHarness';

let h: Harness;
let input: StoredFile;

beforeAll(async () => {
  h = await startHarness();
  input = await h.uploadStored(await makeVideo(h.dir, 'clip.mp4'));
});

afterAll(() => h.cleanup());

const definition = {
  name: 'Thumbnail',
  description: 'First frame as PNG',
  input_file_keys: ['in_file'],
  output_file_definitions: { out_thumb: 'thumb.png' },
  ffmpeg_command: '-i {{in_file}} -frames:v 1 {{out_thumb}}',
  metadata: { kind: 'thumb' },
};

describe('presets', () => {
  it('lists system presets that refuse changes', async () => {
    const { status, body } = await h.json<{ presets: PresetObject[] }>('/api/v1/presets');
    expect(status).toBe(200);
    const system = body.presets.filter((p) => p.is_system);
    expect(system.length).toBeGreaterThanOrEqual(3);
    const webm = system.find((p) => p.output_file_definitions.out_file === 'output.webm')!;
    const put = await h.json(`/api/v1/presets/${webm.preset_id}`, {
      method: 'PUT',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ name: 'mine now' }),
    });
    expect(put).toMatchObject({
      status: 403,
      body: { detail: 'System presets cannot be changed' },
    });
    expect((await h.json<PresetObject>(`/api/v1/presets/${webm.preset_id}`)).body.name).toBe(
      webm.name,
    );
  });

  it('creates (201), gets, updates and deletes its own preset', async () => {
    const created = await h.post<PresetObject>('/api/v1/presets', definition);
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      ...definition,
      is_system: false,
      command_type: 'FFMPEG_COMMAND',
      ffmpeg_commands: null,
      category: null,
    });
    const id = created.body.preset_id;
    expect((await h.json(`/api/v1/presets/${id}`)).body).toEqual(created.body);

    const updated = await h.json<PresetObject>(`/api/v1/presets/${id}`, {
      method: 'PUT',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({
        name: 'Thumb 2',
        output_file_definitions: { out_thumb: 'thumb.jpg' },
      }),
    });
    expect(updated.status).toBe(200);
    expect(updated.body).toMatchObject({
      name: 'Thumb 2',
      output_file_definitions: { out_thumb: 'thumb.jpg' },
      ffmpeg_command: definition.ffmpeg_command,
    });
    expect(updated.body.updated_at >= created.body.updated_at).toBe(true);

    const listed = (await h.json<{ presets: PresetObject[] }>('/api/v1/presets')).body.presets;
    expect(listed.some((p) => p.preset_id === id && !p.is_system)).toBe(true);

    expect((await h.json(`/api/v1/presets/${id}`, { method: 'DELETE' })).status).toBe(200);
    expect(await h.json(`/api/v1/presets/${id}`)).toMatchObject({
      status: 404,
      body: { detail: 'Preset not found' },
    });
  });

  it('refuses an invalid preset with 422', async () => {
    const { status, body } = await h.post('/api/v1/presets', {
      ...definition,
      ffmpeg_command: '-i {{in_file}} -frames:v 1 {{out_other}}',
    });
    expect(status).toBe(422);
    expect(messages(body)).toMatch(
      /placeholder \{\{out_other\}\} names no declared input or output file/,
    );
    const noName = await h.post('/api/v1/presets', { ...definition, name: undefined });
    expect(noName.body).toEqual({
      detail: [{ loc: ['name'], msg: 'name must be a non-empty string', type: 'missing' }],
    });
  });

  it('executes a preset with exactly its input keys', async () => {
    const { body: preset } = await h.post<PresetObject>('/api/v1/presets', definition);
    const { status, body } = await h.post<{ command_id: string }>(
      `/api/v1/presets/${preset.preset_id}/execute`,
      { input_files: { in_file: input.storage_url } },
    );
    expect(status).toBe(200);
    const done = await h.waitCommand(body.command_id);
    expect(done.status).toBe('SUCCESS');
    expect(done.command_type).toBe('FFMPEG_COMMAND');
    expect(done.metadata).toEqual({ kind: 'thumb' });
    expect(done.original_request.ffmpeg_command).toBe(definition.ffmpeg_command);
    expect(done.output_files.out_thumb).toMatchObject({
      filename: 'thumb.png',
      file_type: 'image',
      width: 320,
    });
  });

  it('executes a chained preset as a CHAINED_COMMAND, steps in order', async () => {
    const chained = {
      name: 'Small thumbnail',
      input_file_keys: ['in_file'],
      output_file_definitions: { out_big: 'big.png', out_small: 'small.png' },
      ffmpeg_commands: [
        '-i {{in_file}} -frames:v 1 {{out_big}}',
        '-i {{out_big}} -vf scale=80:-2 {{out_small}}',
      ],
    };
    const created = await h.post<PresetObject>('/api/v1/presets', chained);
    expect(created.body).toMatchObject({ command_type: 'CHAINED_COMMAND', ffmpeg_command: null });
    const run = await h.post<{ command_id: string }>(
      `/api/v1/presets/${created.body.preset_id}/execute`,
      { input_files: { in_file: input.storage_url } },
    );
    expect(run.status).toBe(200);
    const done = await h.waitCommand(run.body.command_id);
    expect(done.status).toBe('SUCCESS');
    expect(done.command_type).toBe('CHAINED_COMMAND');
    expect(done.metadata).toBeNull();
    expect(done.original_request.ffmpeg_commands).toEqual(chained.ffmpeg_commands);
    expect(done.original_request.ffmpeg_command).toBeUndefined();
    expect(done.output_files.out_big).toMatchObject({ width: 320 });
    expect(done.output_files.out_small).toMatchObject({ width: 80 });
  });

  it('refuses execute with a bad webhook_url, submitting nothing', async () => {
    const { body: preset } = await h.post<PresetObject>('/api/v1/presets', definition);
    const before = (await h.json<{ commands: unknown[] }>('/api/v1/commands?limit=100')).body
      .commands.length;
    const refused = await h.post(`/api/v1/presets/${preset.preset_id}/execute`, {
      input_files: { in_file: input.storage_url },
      webhook_url: 'ftp://x',
    });
    expect(refused.status).toBe(422);
    expect(refused.body).toEqual({
      detail: [
        {
          loc: ['webhook_url'],
          msg: expect.stringMatching(/^webhook_url must be an http\(s\) URL/) as unknown,
          type: 'value_error',
        },
      ],
    });
    const after = (await h.json<{ commands: unknown[] }>('/api/v1/commands?limit=100')).body
      .commands.length;
    expect(after).toBe(before);
  });

  it('executes a system preset (MP4 → WebM)', async () => {
    const { body } = await h.json<{ presets: PresetObject[] }>('/api/v1/presets');
    const webm = body.presets.find(
      (p) => p.is_system && p.output_file_definitions.out_file === 'output.webm',
    )!;
    const run = await h.post<{ command_id: string }>(`/api/v1/presets/${webm.preset_id}/execute`, {
      input_files: { in_file: input.storage_url },
      metadata: { client_job_id: 'p1' },
    });
    const done = await h.waitCommand(run.body.command_id);
    expect(done.status).toBe('SUCCESS');
    expect(done.metadata).toEqual({ client_job_id: 'p1' });
    const bytes = (await download(done.output_files.out_file!.storage_url!)).bytes;
    const path = `${h.dir}/preset.webm`;
    await (await import('node:fs/promises')).writeFile(path, bytes);
    expect(codecOf(await probe(path), 'video')).toBe('vp9');
  });

  it('refuses execute with missing or extra input keys', async () => {
    const { body: preset } = await h.post<PresetObject>('/api/v1/presets', definition);
    const extra = await h.post(`/api/v1/presets/${preset.preset_id}/execute`, {
      input_files: { in_file: input.storage_url, in_more: input.storage_url },
    });
    expect(extra.status).toBe(422);
    expect(extra.body).toEqual({
      detail: [
        {
          loc: ['input_files'],
          msg: "input_files must have exactly the preset's keys (in_file); not in the preset: in_more",
          type: 'value_error',
        },
      ],
    });
    const missing = await h.post(`/api/v1/presets/${preset.preset_id}/execute`, {
      input_files: {},
    });
    expect(messages(missing.body)).toMatch(/missing: in_file/);
    const unknown = await h.post('/api/v1/presets/nope/execute', { input_files: {} });
    expect(unknown).toMatchObject({ status: 404, body: { detail: 'Preset not found' } });
  });
});
