/**
 * A result much shorter than its source, said beside a finished job. ffmpeg converts what it
 * can read and exits 0: a source cut short after its header (a download that stopped, a
 * card pulled mid-copy) still says its whole length, and came out as a 7 s video from a 20 s
 * one with nothing but "done" to show for it. Both lengths are the server's own measures (the
 * stored input's and each output's `duration`, renderio-api.md), so this holds for the cloud
 * and this computer alike.
 */
import { formatClock } from '../../../shared/clockTime';
import type { MediaLength } from '../../../shared/jobs';

/** A result shorter than this share of its source is worth a word... */
const SHORT_SHARE = 0.9;
/** ...and only when the seconds missing are more than rounding and frame rates explain. */
const SHORT_SECONDS = 1.5;

/**
 * Options and filters that make a result shorter on purpose (a cut, a frame count, a speed
 * change, the shortest stream): a preset with any of them is not held to its source's length.
 */
const SHORTENS =
  /(?:^|\s)-(?:t|to|ss|sseof|fs|shortest|frames(?::\S+)?|[va]frames|itsscale)(?=\s|$)|\b(?:a?trim|a?select|a?setpts|atempo|rubberband|a?segment)\b/;

/** Whether the preset's command shortens its result on purpose. */
export function shortensOnPurpose(ffmpegCommand: string): boolean {
  return SHORTENS.test(ffmpegCommand);
}

/**
 * The words for the outputs that came out much shorter than the source, or null. Only an
 * output of the source's own kind is held to its length: a soundtrack may end before its
 * picture, so an audio file drawn from a video may rightly be shorter. `name` tells outputs
 * apart when a preset makes several (null: "The result").
 */
export function shortResultWarning(
  source: MediaLength | undefined,
  outputs: readonly (MediaLength & { name: string | null })[],
  ffmpegCommand: string,
): string | null {
  const whole = source?.seconds ?? null;
  if (whole === null || source?.kind === 'image' || whole < SHORT_SECONDS * 2) return null;
  if (shortensOnPurpose(ffmpegCommand)) return null;
  const short = outputs.filter(
    (o) =>
      o.kind === source?.kind &&
      o.seconds !== null &&
      o.seconds < whole * SHORT_SHARE &&
      whole - o.seconds > SHORT_SECONDS,
  );
  if (short.length === 0) return null;
  const lengths = short
    .map((o) => `${o.name ?? 'The result'} is ${formatClock(Math.round(o.seconds ?? 0))} long`)
    .join(', ');
  return (
    `${lengths}, its source ${formatClock(Math.round(whole))}. The source may be damaged or cut short ` +
    '(ffmpeg converts what it can read), or its tracks end at different times.'
  );
}
