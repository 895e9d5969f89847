/**
 * Whether a refusal is fit to show a person: one line of plain words. What it must not carry
 * is what leaks from the inside: a stack trace, an errno code (ENOENT, ERR_…), internal
 * placeholders ({{in_file}}), or the cloud's name on a job that ran on this computer.
 */

/** Why `reason` is not a one-line plain reason, or null when it is. */
export function reasonProblem(reason: string | null | undefined): string | null {
  if (reason === null || reason === undefined || reason.trim() === '') return 'no reason given';
  if (/\r|\n/.test(reason.trim())) return 'reason spans several lines';
  if (/\bat \S+ \(?[^\s()]+:\d+:\d+\)?|\bat (async )?[\w.<>]+ \(/.test(reason))
    return 'stack trace in the reason';
  const errno = /\b(E[A-Z]{3,}|ERR_[A-Z_]+)\b/.exec(reason);
  if (errno) return `errno code in the reason (${errno[1]})`;
  if (/renderio/i.test(reason)) return 'a local job’s reason names RenderIO';
  if (/\{\{|\}\}/.test(reason)) return 'internal placeholder in the reason';
  return null;
}
