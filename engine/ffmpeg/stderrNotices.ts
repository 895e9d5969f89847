/**
 * The lines of ffmpeg's stderr that say something went wrong ("Error writing trailer of
 * out.gif: Invalid argument", "Output file is empty, nothing was encoded", "Trailing option(s)
 * found in the command: may be ignored."), picked from the whole run. ffmpeg can exit 0 after
 * writing nothing; these lines are then the only explanation, and they can sit above a long
 * report of streams that a tail of the last lines would keep instead.
 */

/** Words of ffmpeg's warnings and errors; its report of inputs, outputs and streams has none. */
const NOTICE_WORDS =
  /error|invalid|empty|nothing was encoded|fail|could not|cannot|can't|unable|unsupported|not supported|no such|not found|does not|too (?:large|small|many|few)|missing|ignored|discard/i;
/** How many lines are kept from the start of the run and from its end. */
const FIRST_KEPT = 4;
const LAST_KEPT = 8;
/** A line longer than this is cut: the start says what went wrong. */
const MAX_LINE_CHARS = 300;

/** Whether a stderr line is a warning or an error rather than ffmpeg's report. */
export function isNotice(line: string): boolean {
  // Indented lines belong to the report (stream details, metadata values such as a title).
  return !/^\s/.test(line) && NOTICE_WORDS.test(line);
}

/** Collects the notices of one ffmpeg run from its stderr, in bounded memory. */
export class StderrNotices {
  private partial = '';
  private readonly first: string[] = [];
  private readonly last: string[] = [];
  private skipped = 0;

  push(chunk: string): void {
    const parts = (this.partial + chunk).split(/\r\n|\r|\n/);
    this.partial = parts.pop() ?? '';
    // A line without an end that grows past any sensible length is taken as it is.
    if (this.partial.length > MAX_LINE_CHARS * 4) {
      parts.push(this.partial);
      this.partial = '';
    }
    for (const line of parts) this.add(line);
  }

  /** The notices, oldest first; a marker stands for those left out in the middle. */
  lines(): string[] {
    if (this.partial !== '') {
      this.add(this.partial);
      this.partial = '';
    }
    const gap = this.skipped > 0 ? [`(${this.skipped} more such lines)`] : [];
    return [...this.first, ...gap, ...this.last];
  }

  private add(raw: string): void {
    const line = raw.trimEnd();
    if (!isNotice(line)) return;
    const kept = line.length > MAX_LINE_CHARS ? `${line.slice(0, MAX_LINE_CHARS - 3)}...` : line;
    // The same warning again and again (one per frame) says nothing new.
    const previous = this.last.at(-1) ?? this.first.at(-1);
    if (kept === previous) return;
    if (this.first.length < FIRST_KEPT) {
      this.first.push(kept);
      return;
    }
    this.last.push(kept);
    if (this.last.length > LAST_KEPT) {
      this.last.shift();
      this.skipped++;
    }
  }
}
