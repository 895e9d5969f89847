/**
 * "Start converter again" (engine:restart): once this computer's converter gave up (it crashed
 * again and again) or was stopped, nothing starts it on its own, and "Retry now" only asks a
 * converter that is not there. The engine's box and the offline banner both offer it; they
 * share one start, so both say "Starting…" while it runs and a second press does nothing. A
 * start that failed keeps main's reason to show until the engine's state moves on.
 */
import { create } from 'zustand';
import type { LocalEngineStatus } from '../../../shared/localEngine';
import { errorMessage, requireApi } from '../api';
import { useAppStore } from '../store/appStore';

export const START_CONVERTER_LABEL = 'Start converter again';

interface ConverterStart {
  starting: boolean;
  /**
   * Why the last start failed, and the engine's problem when it did: shown only while that
   * problem stands (a later give-up has its own reason, and its own button press).
   */
  failure: { message: string; problem: string | null } | null;
  /** Started from the engine's box: the line that replaces it takes the focus. */
  focusLine: boolean;
  lineFocused(): void;
}

export const useConverterStart = create<ConverterStart>()((set) => ({
  starting: false,
  failure: null,
  focusLine: false,
  lineFocused: () => set({ focusLine: false }),
}));

/**
 * Whether starting again can help: the converter gave up or was stopped. Not while it starts
 * or restarts on its own, and not when it runs without an ffmpeg ("ffmpeg not found": there
 * only another ffmpeg helps).
 */
export function canStartConverter(engine: LocalEngineStatus | null): boolean {
  return engine?.state === 'failed' || engine?.state === 'stopped';
}

/** The failure to show now, or null (none, or the engine has moved on since). */
export function shownFailure(
  failure: ConverterStart['failure'],
  engine: LocalEngineStatus | null,
): string | null {
  if (!failure || !canStartConverter(engine) || engine?.problem !== failure.problem) return null;
  return failure.message;
}

export async function startConverterAgain(from: 'box' | 'banner'): Promise<void> {
  if (useConverterStart.getState().starting) return;
  useConverterStart.setState({ starting: true, failure: null, focusLine: false });
  let failure: string | null = null;
  try {
    const result = await requireApi().engine.restart();
    useAppStore.getState().setEngine(result.status);
    if (result.outcome === 'failed') failure = result.message;
  } catch (error) {
    failure = errorMessage(error);
  }
  const problem = useAppStore.getState().engine?.problem ?? null;
  useConverterStart.setState({
    starting: false,
    failure: failure === null ? null : { message: failure, problem },
    focusLine: failure === null && from === 'box',
  });
}
