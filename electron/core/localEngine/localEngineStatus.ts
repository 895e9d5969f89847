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
