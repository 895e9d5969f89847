/**
 * "Choose ffmpeg…" and "Use automatic" from the window: main opens its own file dialog and
 * checks the file before saving it (engine:choose-ffmpeg); here the answer becomes one line
 * to show, and a new status goes to the stores (the push of engine:status-changed says the
 * same; whichever comes first wins nothing, they agree).
 */
import { errorMessage, requireApi } from '../api';
import { useAppStore } from '../store/appStore';
import { useToolsStore } from '../store/toolsStore';

/** What to show after the choice; null when the dialog was cancelled. */
export type FfmpegChoiceNotice = { kind: 'ok' | 'error'; text: string } | null;

export async function runFfmpegChoice(which: 'choose' | 'automatic'): Promise<FfmpegChoiceNotice> {
  try {
    const api = requireApi();
    const result =
      which === 'choose' ? await api.engine.chooseFfmpeg() : await api.engine.useAutomaticFfmpeg();
    if (result.outcome === 'cancelled') return null;
    if (result.outcome === 'refused') return { kind: 'error', text: result.message };
    useAppStore.getState().setEngine(result.status);
    const tools = useToolsStore.getState();
    if (tools.settings) tools.setSettings({ ...tools.settings, chosenFfmpeg: result.chosenFfmpeg });
    return { kind: 'ok', text: result.message };
  } catch (error) {
    return { kind: 'error', text: errorMessage(error) };
  }
}
