/**
 * "Choose ffmpeg…" and "Use automatic" (issues 11 and 13): the person picks an ffmpeg in main's
 * file dialog; it is checked (is it ffmpeg, does it start, is its ffprobe beside it, what can it
 * run) BEFORE it is saved, and only a working one is saved and handed to the local engine,
 * which the host restarts with it. A refused file changes nothing: the engine keeps the ffmpeg
 * it had and RenderIO stays usable. The person reads one sentence; errno codes and exit
 * statuses go to the log.
 */
import { dirname } from 'node:path';
import type { LocalFfmpeg } from '../../../shared/ffmpegTypes';
import type { FfmpegChoiceResult, LocalEngineStatus } from '../../../shared/localEngine';
import type { Preset } from '../../../shared/presetTypes';
import { findLocalFfmpeg, presetAvailability } from '../../../shared/node/ffmpeg';
import type { Logger } from '../../../shared/redact';

export type FfmpegCheck =
  | { ok: true; ffmpeg: Extract<LocalFfmpeg, { available: true }> }
  | { ok: false; message: string; detail: string };

export interface CheckChosenFfmpegOptions {
  /** Per question to the binary (default 10 s, as at the engine's start). */
  timeoutMs?: number;
  platform?: NodeJS.Platform;
}

/**
 * Checks a file someone chose as ffmpeg. ffprobe must be beside it (the same build): a chosen
 * ffmpeg is never paired with some other ffprobe found on PATH, so nothing but the chosen
 * folder is searched.
 */
export async function checkChosenFfmpeg(
  path: string,
  options: CheckChosenFfmpegOptions = {},
): Promise<FfmpegCheck> {
  const found = await findLocalFfmpeg({
    chosenFfmpeg: path,
    // Nothing but the chosen file and its folder: no FFPROBE_PATH, PATH, packaged copy.
    env: {},
    commonFolders: [],
    bundledDir: null,
    ...(options.platform ? { platform: options.platform } : {}),
    ...(options.timeoutMs !== undefined ? { timeoutMs: options.timeoutMs } : {}),
  });
  if (found.available) return { ok: true, ffmpeg: found };
  const { problem } = found;
  // The resolver's words for "no ffprobe anywhere" talk of installing; here only its folder counts.
  if (found.ffmpeg && !found.ffprobe && /^ffprobe /.test(problem.message))
    return {
      ok: false,
      message: `There is no ffprobe beside ${found.ffmpeg.path}: choose an ffmpeg whose folder also holds ffprobe (they come together).`,
      detail: problem.detail,
    };
  return { ok: false, message: problem.message, detail: problem.detail };
}

/** How many of these presets the checked ffmpeg cannot run (they run on RenderIO only). */
export function presetsNotRunnable(
  ffmpeg: Extract<LocalFfmpeg, { available: true }>,
  presets: readonly Preset[],
): number {
  let count = 0;
  for (const preset of presets) {
    if (preset.source === 'account' || preset.unavailable) continue;
    if (!presetAvailability(preset, ffmpeg.capabilities).available) count += 1;
  }
  return count;
}

export interface FfmpegChoiceOptions {
  /** Main's open dialog for one file; null when cancelled. */
  pickFfmpeg(): Promise<string | null>;
  /** The saved choice (settings.chosenFfmpeg) and how to change it. */
  chosen(): string | null;
  saveChosen(path: string | null): Promise<void>;
  /** Restarts the local engine so it takes the saved choice; resolves once it is up (or failed). */
  restartEngine(): Promise<void>;
  status(): LocalEngineStatus;
  presets(): readonly Preset[];
  logger: Logger;
  check?: (path: string) => Promise<FfmpegCheck>;
}

export interface FfmpegChoice {
  choose(): Promise<FfmpegChoiceResult>;
  useAutomatic(): Promise<FfmpegChoiceResult>;
}

export function createFfmpegChoice(o: FfmpegChoiceOptions): FfmpegChoice {
  const check = o.check ?? ((path: string) => checkChosenFfmpeg(path));
  // One change at a time: a second click while the engine restarts waits for the first.
  let busy: Promise<unknown> = Promise.resolve();
  const serial = <T>(run: () => Promise<T>): Promise<T> => {
    const next = busy.then(run, run);
    busy = next.catch(() => undefined);
    return next;
  };

  const restart = async (): Promise<LocalEngineStatus> => {
    await o.restartEngine().catch((error: unknown) => {
      // The engine's state says why (pushed to the window); the log gets the rest.
      o.logger.error('restarting the local engine with the new ffmpeg failed', error);
    });
    return o.status();
  };

  return {
    choose: () =>
      serial(async () => {
        const path = await o.pickFfmpeg();
        if (path === null) return { outcome: 'cancelled' };
        const verdict = await check(path);
        if (!verdict.ok) {
          o.logger.warn(`refused ffmpeg ${path}: ${verdict.detail}`);
          return { outcome: 'refused', message: verdict.message };
        }
        const saved = verdict.ffmpeg.ffmpeg.path;
        o.logger.info(
          `chose ${verdict.ffmpeg.summary}: ${saved}, ffprobe ${verdict.ffmpeg.ffprobe.path}`,
        );
        await o.saveChosen(saved);
        const status = await restart();
        const notRunnable = presetsNotRunnable(verdict.ffmpeg, o.presets());
        const version = verdict.ffmpeg.summary.replace(/ \(chosen\)$/, '');
        const message =
          `This computer now converts with ${version} from ${dirname(saved)}.` +
          (notRunnable > 0
            ? ` ${notRunnable} ${notRunnable === 1 ? 'preset runs' : 'presets run'} on RenderIO only with it.`
            : '');
        return { outcome: 'applied', chosenFfmpeg: saved, status, message };
      }),
    useAutomatic: () =>
      serial(async () => {
        let status = o.status();
        if (o.chosen() !== null) {
          await o.saveChosen(null);
          o.logger.info('ffmpeg: back to automatic');
          status = await restart();
        }
        return {
          outcome: 'applied',
          chosenFfmpeg: null,
          status,
          message: status.summary
            ? `This computer converts with ${status.summary}, found automatically.`
            : `No ffmpeg was found automatically. ${status.problem ?? ''}`.trim(),
        };
      }),
  };
}
