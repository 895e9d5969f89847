/**
 * One line that says why ffmpeg failed, for a command's error_message: the person reads it in
 * a job's row, where ffmpeg's report of inputs and streams ("Input #0 … Metadata: …") says
 * nothing. The first warning or error of the run is the cause ("Could not find tag for codec
 * qtrle in stream #0, codec not currently supported in container"); the lines after it are
 * usually its consequences ("Could not write header …"): the first two errors are kept. The
 * whole tail goes to the log.
 */
import { isNotice } from './stderrNotices';

/** ffmpeg's context tag before a message: "[mp4 @ 0x55e0a0d52780] ". */
const CONTEXT_TAG = /^\[[^\]]*@ 0x[0-9a-f]+\]\s*/i;
/** Lines that are never the reason: the report's headings and ffmpeg's bookkeeping. */
const NOT_A_REASON =
  /^(Input #|Output #|Stream mapping|Press \[q\]|Last message repeated|Conversion failed!?$|Error initializing output stream)/;

/** Words of an error, as against a warning that ffmpeg got past. */
const ERROR_WORDS =
  /error|invalid|could not|cannot|can't|unable|no such|not supported|unsupported|does not|not found|matches no streams/i;

/** `text` without ffmpeg's context tags, whose addresses change on every run. */
export function withoutContextTags(text: string): string {
  return text.replace(/\[[^\]]*@ 0x[0-9a-f]+\]\s*/gi, '');
}

export function failureReason(notices: readonly string[], stderrTail: string): string {
  const candidates = [...notices, ...stderrTail.split(/\r\n|\r|\n/).filter(isNotice)]
    .map((line) => line.replace(CONTEXT_TAG, '').trim())
    .filter(
      (line) => line !== '' && !NOT_A_REASON.test(line) && !/^\(\d+ more such lines\)$/.test(line),
    );
  // Errors beat a warning that came before them ("Too many bits per frame requested"). Two
  // of them: the cause and what it did ("moov atom not found; in.mp4: Invalid data found…").
  const errors = [...new Set(candidates.filter((line) => ERROR_WORDS.test(line)))].slice(0, 2);
  if (errors.length > 0) return errors.join('; ');
  const first = candidates[0];
  if (first !== undefined) return first;
  // No warning or error words at all: the last thing ffmpeg said.
  const lines = stderrTail
    .split(/\r\n|\r|\n/)
    .map((line) => line.replace(CONTEXT_TAG, '').trim())
    .filter((line) => line !== '');
  return lines.at(-1) ?? 'ffmpeg gave no reason';
}
