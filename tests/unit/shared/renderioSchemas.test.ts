/**
 * The answer schemas against the odd answers renderio-api.md says the cloud may give (extra
 * fields, null or missing media fields, sparse objects, run-multiple's undocumented key) and
 * against broken ones, whose problem must name what was missing or wrong. The engine's real
 * answers: tests/integration/core/renderioSchemasEngine.test.ts.
 */
import { describe, expect, it } from 'vitest';
import {
  commandListSchema,
  commandSchema,
  deletionAnswerSchema,
  fileIdAnswerSchema,
  parseAnswer,
  presetListSchema,
  runMultipleAnswerSchema,
  storedFileSchema,
  submitAnswerSchema,
} from '../../../shared/renderioSchemas';
import type { z } from 'zod';

function ok<S extends z.ZodType>(schema: S, raw: unknown): z.output<S> {
  const parsed = parseAnswer(schema, raw);
  if (!parsed.ok) throw new Error(`refused: ${parsed.problem}`);
  return parsed.value;
}

function problem(schema: z.ZodType, raw: unknown): string {
  const parsed = parseAnswer(schema, raw);
  if (parsed.ok) throw new Error(`accepted: ${JSON.stringify(parsed.value)}`);
  return parsed.problem;
}

const MEDIA_NULLS = {
  size_mbytes: null,
  duration: null,
  file_type: null,
  file_format: null,
  codec: null,
  pixel_format: null,
  mime_type: null,
  width: null,
  height: null,
  frame_rate: null,
  bitrate_video_kb: null,
  bitrate_audio_kb: null,
  sample_rate: null,
  channels: null,
};

describe('submit and upload answers', () => {
  it('take the id and keep fields they do not know', () => {
    expect(ok(submitAnswerSchema, { command_id: 'c1', queued_at: 'now' })).toEqual({
      command_id: 'c1',
      queued_at: 'now',
    });
    expect(ok(fileIdAnswerSchema, { file_id: 'f1', status: 'PROCESSING' }).file_id).toBe('f1');
  });

  it('name the id that is missing, empty or of the wrong type', () => {
    expect(problem(submitAnswerSchema, { id: 'x' })).toBe('command_id: missing');
    expect(problem(submitAnswerSchema, { command_id: '' })).toBe('command_id: empty');
    expect(problem(submitAnswerSchema, { command_id: 7 })).toBe(
      'command_id: expected string, got number',
    );
    expect(problem(fileIdAnswerSchema, null)).toBe('expected object, got null');
    expect(problem(fileIdAnswerSchema, ['f1'])).toBe('expected object, got array');
  });
});

describe('a stored file', () => {
  it('reads a sparse cloud object: media fields null, the rest at values that change nothing', () => {
    const file = ok(storedFileSchema, {
      file_id: 'f1',
      status: 'STORED',
      storage_url: 'https://storage.example/f1.mp4',
      width: null,
      duration: '12.5', // not a number: shown as unknown, never an error
      cloud_only: { region: 'eu' },
    });
    expect(file).toEqual({
      file_id: 'f1',
      status: 'STORED',
      storage_url: 'https://storage.example/f1.mp4',
      rendi_store_type: 'UPLOAD',
      is_deleted: false,
      original_file_url: null,
      error_status: null,
      error_message: null,
      created_at: '',
      ...MEDIA_NULLS,
      cloud_only: { region: 'eu' },
    });
  });

  it('reads a file still being probed, with no storage_url yet', () => {
    expect(ok(storedFileSchema, { file_id: 'f1', status: 'PROCESSING' }).storage_url).toBeNull();
  });

  it('names a missing or unknown status, and a storage_url of the wrong type', () => {
    expect(problem(storedFileSchema, { file_id: 'f1' })).toBe('status: missing');
    expect(problem(storedFileSchema, { file_id: 'f1', status: 'stored' })).toBe(
      'status: expected one of PROCESSING, STORED, FAILED',
    );
    expect(problem(storedFileSchema, { file_id: 'f1', status: 'STORED', storage_url: 5 })).toBe(
      'storage_url: expected string, got number',
    );
  });
});

describe('a command', () => {
  it('fills what a sparse (cloud or older) poll leaves out', () => {
    expect(ok(commandSchema, { command_id: 'c1', status: 'QUEUED' })).toEqual({
      command_id: 'c1',
      status: 'QUEUED',
      command_type: 'FFMPEG_COMMAND',
      total_processing_seconds: null,
      ffmpeg_command_run_seconds: null,
      metadata: null,
      error_status: null,
      error_message: null,
      original_request: { input_files: {}, output_files: {} },
      output_files: {},
    });
    expect(
      ok(commandSchema, { command_id: 'c1', status: 'QUEUED', output_files: null }),
    ).toMatchObject({ output_files: {} });
  });

  it('keeps metadata of strings, numbers and booleans, and drops values of other kinds', () => {
    const c = ok(commandSchema, {
      command_id: 'c1',
      status: 'SUCCESS',
      metadata: { client_job_id: 'j1', client_attempt: 2, ok: true, nested: { a: 1 }, gone: null },
    });
    expect(c.metadata).toEqual({ client_job_id: 'j1', client_attempt: 2, ok: true });
  });

  it('reads outputs with null media fields, and an engine progress that is odd as absent', () => {
    const c = ok(commandSchema, {
      command_id: 'c1',
      status: 'SUCCESS',
      progress: 'half',
      output_files: {
        out_video: {
          file_id: 'o1',
          storage_url: 'https://s/o1.webm',
          filename: 'o1.webm',
          codec: null,
        },
      },
    });
    expect(c.progress).toBeUndefined();
    expect(c.output_files.out_video).toEqual({
      file_id: 'o1',
      storage_url: 'https://s/o1.webm',
      status: 'STORED',
      rendi_store_type: 'OUTPUT',
      is_deleted: false,
      filename: 'o1.webm',
      ...MEDIA_NULLS,
    });
  });

  it('names what the app cannot do without: the id, the status, an output without its file_id', () => {
    expect(problem(commandSchema, { status: 'QUEUED' })).toBe('command_id: missing');
    expect(problem(commandSchema, { command_id: 'c1', status: 'DONE' })).toBe(
      'status: expected one of QUEUED, PROCESSING, SUCCESS, FAILED',
    );
    expect(
      problem(commandSchema, {
        command_id: 'c1',
        status: 'SUCCESS',
        output_files: { out_video: { storage_url: 'https://s/x' } },
      }),
    ).toBe('output_files.out_video.file_id: missing');
  });
});

describe('a list of commands', () => {
  it('takes limit and offset from what was asked when the answer leaves them out', () => {
    const l = ok(commandListSchema({ limit: 10, offset: 20 }), {
      commands: [{ command_id: 'c1', status: 'FAILED' }],
    });
    expect(l.limit).toBe(10);
    expect(l.offset).toBe(20);
    expect(l.commands[0]!.command_id).toBe('c1');
    expect(ok(commandListSchema({}), { commands: [] })).toEqual({
      commands: [],
      limit: 0,
      offset: 0,
    });
  });

  it('names the item that is broken, and more than three problems are counted', () => {
    expect(
      problem(commandListSchema({}), {
        commands: [{ command_id: 'ok', status: 'QUEUED' }, { command_id: 'c2' }],
      }),
    ).toBe('commands.1.status: missing');
    expect(problem(commandListSchema({}), { items: [] })).toBe('commands: missing');
    expect(problem(commandListSchema({}), { commands: [{}, {}, {}] })).toBe(
      'commands.0.command_id: missing; commands.0.status: missing; commands.1.command_id: missing; and 3 more',
    );
  });
});

describe("run-multiple's undocumented answer", () => {
  it('reads command_ids (the engine), or commands as ids or submit objects', () => {
    expect(ok(runMultipleAnswerSchema, { command_ids: ['a', 'b'] })).toEqual({
      command_ids: ['a', 'b'],
    });
    expect(ok(runMultipleAnswerSchema, { commands: ['a', { command_id: 'b', extra: 1 }] })).toEqual(
      { command_ids: ['a', 'b'] },
    );
  });

  it('says what it expected when neither key holds ids', () => {
    for (const raw of [{ ids: ['a'] }, { command_ids: [1] }, { commands: [{ id: 'a' }] }])
      expect(problem(runMultipleAnswerSchema, raw)).toBe(
        'expected a list of command ids (command_ids or commands)',
      );
  });
});

describe('presets and deletions', () => {
  it('leaves out a preset it cannot read and keeps the others, filled in', () => {
    const l = ok(presetListSchema, {
      presets: [
        { preset_id: 'p1', name: 'Watermark', input_file_keys: ['in_video'], custom: 1 },
        { name: 'no id' },
        'junk',
      ],
    });
    expect(l.presets).toEqual([
      {
        preset_id: 'p1',
        name: 'Watermark',
        description: null,
        is_system: false,
        category: null,
        command_type: 'FFMPEG_COMMAND',
        ffmpeg_command: null,
        ffmpeg_commands: null,
        input_file_keys: ['in_video'],
        output_file_definitions: {},
        metadata: null,
        created_at: '',
        updated_at: '',
        custom: 1,
      },
    ]);
    expect(problem(presetListSchema, { items: [] })).toBe('presets: missing');
  });

  it('reads a deletion with or without a body (204)', () => {
    expect(ok(deletionAnswerSchema, null)).toBeNull();
    expect(ok(deletionAnswerSchema, { deleted: true, files_deleted: 2 })).toEqual({
      deleted: true,
      files_deleted: 2,
    });
    expect(ok(deletionAnswerSchema, { deleted: 'yes' })).toEqual({ deleted: undefined });
  });
});
