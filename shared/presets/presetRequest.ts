/** A preset plus an input URL → the RenderIO request that runs it. */
import { describeOutputNameProblem } from '../commandTemplate';
import type { Preset } from '../presetTypes';
import { PRESET_INPUT_ALIAS } from '../presetTypes';
import type { RunChainedRequest, RunCommandRequest } from '../renderioApi';

const MAX_BASE_NAME = 150;

/**
 * A base name that makes valid output file names: path separators, control and reserved
 * characters become `_`, no leading dots, dashes or underscores, no `..`, not too long.
 */
export function safeOutputBaseName(baseName: string): string {
  let name = baseName
    .normalize('NFC')
    .replace(/[\p{Cc}<>:"/\\|?*]/gu, '_')
    .replace(/\.{2,}/g, '.')
    .replace(/^[\s._-]+/, '')
    .replace(/[\s.]+$/, '');
  if (name.length > MAX_BASE_NAME) name = name.slice(0, MAX_BASE_NAME).replace(/[\s.]+$/, '');
  return name === '' ? 'output' : name;
}

/** The output file names a preset writes for one input: alias → `base[suffix].ext`. */
export function presetOutputFiles(
  preset: Pick<Preset, 'outputs'>,
  baseName: string,
): Record<string, string> {
  const base = safeOutputBaseName(baseName);
  const files: Record<string, string> = {};
  for (const output of preset.outputs) {
    const name = `${base}${output.suffix ?? ''}.${output.extension}`;
    const problem = describeOutputNameProblem(name);
    if (problem) throw new Error(`output file name "${name}" ${problem}`);
    files[output.alias] = name;
  }
  return files;
}

/**
 * The run-ffmpeg-command request (or run-chained, for a preset with several commands) for one
 * input (an account preset's own input key when it has one). Account presets without command
 * text run through `execute` instead.
 */
export function presetToCommandRequest(
  preset: Preset,
  inputUrl: string,
  baseName: string,
): RunCommandRequest | RunChainedRequest {
  const input_files = { [preset.remoteInputKey ?? PRESET_INPUT_ALIAS]: inputUrl };
  const output_files = presetOutputFiles(preset, baseName);
  if (preset.ffmpegCommands && preset.ffmpegCommands.length > 0)
    return { input_files, output_files, ffmpeg_commands: [...preset.ffmpegCommands] };
  if (typeof preset.ffmpegCommand === 'string')
    return { input_files, output_files, ffmpeg_command: preset.ffmpegCommand };
  throw new Error(
    `preset "${preset.name}" has no command text; run it through the presets execute endpoint`,
  );
}
