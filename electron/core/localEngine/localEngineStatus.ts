/**
 * What the window shows of "this computer": the engine's state, the ffmpeg it runs, and which
 * presets that ffmpeg cannot run, with the reason in plain words (shared/node/ffmpeg reads the
 * presets' own commands for what they need).
 */
import type { LocalEngineState, LocalEngineStatus } from '../../../shared/localEngine';
import type { Preset } from '../../../shared/presetTypes';
import { presetAvailability } from '../../../shared/node/ffmpeg';

export function describeLocalEngine(
  state: LocalEngineState,
  presets: readonly Preset[],
): LocalEngineStatus {
  if (state.state !== 'ready')
    return {
      state: state.state,
      summary: null,
      problem:
        state.state === 'starting'
          ? null
          : state.state === 'stopped'
            ? "This computer's converter is not running."
            : state.reason,
      unavailablePresets: {},
    };
  const { ffmpeg } = state;
  if (!ffmpeg.available)
    return {
      state: 'ready',
      summary: null,
      problem: `ffmpeg not found: ${ffmpeg.problem.message}`,
      unavailablePresets: {},
    };
  const unavailablePresets: Record<string, string> = {};
  for (const preset of presets) {
    // Account presets run on RenderIO only; the ones the app cannot run say so themselves.
    if (preset.source === 'account' || preset.unavailable) continue;
    const verdict = presetAvailability(preset, ffmpeg.capabilities);
    if (!verdict.available) unavailablePresets[preset.id] = verdict.reason;
  }
  return { state: 'ready', summary: ffmpeg.summary, problem: null, unavailablePresets };
}

/**
 * Why a job with this preset cannot start on this computer now, or null. No ffmpeg, or one
 * without the preset's encoder, refuses it (issue #11: no job starts on a computer that cannot
 * run it); an engine starting or restarting does not: its jobs wait and are retried.
 */
export function refusalOnThisComputer(state: LocalEngineState, preset: Preset): string | null {
  if (state.state !== 'ready') return null;
  const { ffmpeg } = state;
  if (!ffmpeg.available)
    return `This computer cannot convert: ${ffmpeg.problem.message} Choose ffmpeg in Settings, or run the jobs on RenderIO instead.`;
  if (preset.source === 'account') return null;
  const verdict = presetAvailability(preset, ffmpeg.capabilities);
  return verdict.available
    ? null
    : `"${preset.name}" cannot run on this computer: ${verdict.reason}. It runs on RenderIO.`;
}
