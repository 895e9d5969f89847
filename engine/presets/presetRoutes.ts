/** /api/v1/presets: create (201), list, get, update (not system ones), delete, execute. */
import { randomUUID } from 'node:crypto';
import { validateCommandTemplate, type ValidationIssue } from '../../shared/commandTemplate';
import type { CommandType, Metadata, PresetObject } from '../../shared/renderioApi';
import { API_PREFIX } from '../../shared/renderioApi';
import type { CommandService } from '../commands/commandService';
import { submitOne } from '../commands/commandRoutes';
import { validateExtras } from '../commands/validateRequest';
import type { EngineContext } from '../engineContext';
import type { FileService } from '../files/fileService';
import { readJsonObject } from '../http/body';
import { forbidden, issue, notFound, unprocessable } from '../http/errors';
import { sendJson } from '../http/respond';
import type { Router } from '../http/router';
import { SYSTEM_PRESETS } from './systemPresets';

export const PRESET_NOT_FOUND = 'Preset not found';
const COMMAND_TYPES: CommandType[] = ['FFMPEG_COMMAND', 'CHAINED_COMMAND'];

function findPreset(ctx: EngineContext, id: string): PresetObject | undefined {
  return SYSTEM_PRESETS.find((p) => p.preset_id === id) ?? ctx.store.state.presets[id];
}

/** Checks a preset definition; returns its normalised fields or throws 422. */
function checkDefinition(
  body: Record<string, unknown>,
): Omit<PresetObject, 'preset_id' | 'is_system' | 'created_at' | 'updated_at'> {
  const issues: ValidationIssue[] = [];
  if (typeof body.name !== 'string' || body.name.trim() === '')
    issues.push(
      issue(
        ['name'],
        'name must be a non-empty string',
        body.name === undefined ? 'missing' : 'type_error',
      ),
    );
  if (
    body.description !== undefined &&
    body.description !== null &&
    typeof body.description !== 'string'
  )
    issues.push(issue(['description'], 'description must be a string', 'type_error'));
  if (body.category !== undefined && body.category !== null && typeof body.category !== 'string')
    issues.push(issue(['category'], 'category must be a string', 'type_error'));
  const type = (body.command_type ??
    (body.ffmpeg_commands !== undefined && body.ffmpeg_command === undefined
      ? 'CHAINED_COMMAND'
      : 'FFMPEG_COMMAND')) as CommandType;
  if (!COMMAND_TYPES.includes(type))
    issues.push(issue(['command_type'], `command_type must be one of ${COMMAND_TYPES.join(', ')}`));
  const keys = body.input_file_keys;
  if (!Array.isArray(keys) || keys.some((k) => typeof k !== 'string'))
    issues.push(
      issue(
        ['input_file_keys'],
        'input_file_keys must be an array of "in_" keys',
        keys === undefined ? 'missing' : 'type_error',
      ),
    );
  const chained = type === 'CHAINED_COMMAND';
  if (issues.length === 0) {
    const inputs = Object.fromEntries(
      (keys as string[]).map((k) => [k, 'https://example.invalid/input']),
    );
    issues.push(
      ...validateCommandTemplate({
        input_files: inputs,
        output_files: body.output_file_definitions,
        ...(chained
          ? { ffmpeg_commands: body.ffmpeg_commands ?? [] }
          : { ffmpeg_command: body.ffmpeg_command }),
        metadata: body.metadata,
      }).map((i) => ({
        ...i,
        loc:
          i.loc[0] === 'input_files'
            ? ['input_file_keys', ...i.loc.slice(1)]
            : i.loc[0] === 'output_files'
              ? ['output_file_definitions', ...i.loc.slice(1)]
              : i.loc,
      })),
    );
  }
  if (issues.length > 0) throw unprocessable(issues);
  return {
    name: (body.name as string).trim(),
    description: (body.description as string | undefined) ?? null,
    category: (body.category as string | undefined) ?? null,
    command_type: type,
    ffmpeg_command: chained ? null : (body.ffmpeg_command as string),
    ffmpeg_commands: chained ? (body.ffmpeg_commands as string[]) : null,
    input_file_keys: [...(keys as string[])],
    output_file_definitions: { ...(body.output_file_definitions as Record<string, string>) },
    metadata: (body.metadata as Metadata | undefined) ?? null,
  };
}

export function registerPresetRoutes(
  router: Router,
  ctx: EngineContext,
  files: FileService,
  commands: CommandService,
): void {
  const limit = ctx.config.jsonLimitBytes;

  router.add('POST', `${API_PREFIX}/presets`, async (c) => {
    const def = checkDefinition(await readJsonObject(c.req, limit));
    const now = new Date().toISOString();
    const preset: PresetObject = {
      preset_id: randomUUID(),
      is_system: false,
      created_at: now,
      updated_at: now,
      ...def,
    };
    ctx.store.state.presets[preset.preset_id] = preset;
    ctx.store.changed();
    sendJson(c, 201, preset);
  });

  router.add('GET', `${API_PREFIX}/presets`, (c) => {
    sendJson(c, 200, { presets: [...SYSTEM_PRESETS, ...Object.values(ctx.store.state.presets)] });
  });

  router.add('GET', `${API_PREFIX}/presets/:presetId`, (c) => {
    const preset = findPreset(ctx, c.params.presetId ?? '');
    if (!preset) throw notFound(PRESET_NOT_FOUND);
    sendJson(c, 200, preset);
  });

  router.add('PUT', `${API_PREFIX}/presets/:presetId`, async (c) => {
    const preset = findPreset(ctx, c.params.presetId ?? '');
    if (!preset) throw notFound(PRESET_NOT_FOUND);
    if (preset.is_system) throw forbidden('System presets cannot be changed');
    const body = await readJsonObject(c.req, limit);
    // PUT carries the fields to change; the rest stay as they were.
    const merged: Record<string, unknown> = { ...preset, ...body };
    if (body.ffmpeg_commands !== undefined && body.ffmpeg_command === undefined)
      delete merged.ffmpeg_command;
    if (body.ffmpeg_command !== undefined && body.ffmpeg_commands === undefined)
      delete merged.ffmpeg_commands;
    for (const k of Object.keys(merged)) if (merged[k] === null) delete merged[k];
    const def = checkDefinition(merged);
    const updated: PresetObject = { ...preset, ...def, updated_at: new Date().toISOString() };
    ctx.store.state.presets[preset.preset_id] = updated;
    ctx.store.changed();
    sendJson(c, 200, updated);
  });

  router.add('DELETE', `${API_PREFIX}/presets/:presetId`, (c) => {
    const preset = findPreset(ctx, c.params.presetId ?? '');
    if (!preset) throw notFound(PRESET_NOT_FOUND);
    if (preset.is_system) throw forbidden('System presets cannot be deleted');
    delete ctx.store.state.presets[preset.preset_id];
    ctx.store.changed();
    sendJson(c, 200, { deleted: true, preset_id: preset.preset_id });
  });

  router.add('POST', `${API_PREFIX}/presets/:presetId/execute`, async (c) => {
    const preset = findPreset(ctx, c.params.presetId ?? '');
    if (!preset) throw notFound(PRESET_NOT_FOUND);
    const body = await readJsonObject(c.req, limit);
    const extras = validateExtras(body);
    const inputs = body.input_files;
    if (typeof inputs !== 'object' || inputs === null || Array.isArray(inputs))
      throw unprocessable([
        issue(
          ['input_files'],
          'input_files must be an object of alias → URL',
          inputs === undefined ? 'missing' : 'type_error',
        ),
      ]);
    const given = Object.keys(inputs);
    const missing = preset.input_file_keys.filter((k) => !given.includes(k));
    const extra = given.filter((k) => !preset.input_file_keys.includes(k));
    if (missing.length > 0 || extra.length > 0) {
      const parts = [
        missing.length ? `missing: ${missing.join(', ')}` : '',
        extra.length ? `not in the preset: ${extra.join(', ')}` : '',
      ].filter(Boolean);
      throw unprocessable([
        issue(
          ['input_files'],
          `input_files must have exactly the preset's keys (${preset.input_file_keys.join(', ')}); ${parts.join('; ')}`,
        ),
      ]);
    }
    // submitOne reads the field that the command type names and ignores the other.
    const request = {
      input_files: inputs,
      output_files: preset.output_file_definitions,
      ffmpeg_command: preset.ffmpeg_command,
      ffmpeg_commands: preset.ffmpeg_commands ?? [],
    };
    const metadata = extras.metadata ?? preset.metadata;
    await submitOne(c, ctx, files, commands, request, preset.command_type, extras, metadata);
  });
}
