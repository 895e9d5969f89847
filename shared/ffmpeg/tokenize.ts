/**
 * Splits a command template into arguments the way a POSIX shell would split one simple
 * command, without ever running a shell. The rule this module enforces: the argument array
 * means exactly what `sh -c "ffmpeg <template>"` would have passed to ffmpeg, or the template
 * is refused. So quoting and backslash escapes behave as in sh, while everything a shell would
 * have *interpreted* to run something else or reach outside (`;`, `|`, `&`, redirections,
 * `$(...)`, backticks, `$VAR`, a leading `~`) is refused with a clear message instead of
 * silently becoming a literal argument. Inside single quotes a shell interprets nothing, so
 * there those characters are plain text. Harmless characters a shell would also treat
 * specially but that RenderIO's cloud passes through (`(`, `)`, `*`, `#`) stay literal, so
 * commands written for the cloud keep working.
 */

export class TokenizeError extends Error {}

/** Characters that end a word and start shell syntax when they appear unquoted. */
const OPERATORS = new Set([';', '|', '&', '<', '>']);

function isSpace(c: string): boolean {
  return c === ' ' || c === '\t' || c === '\n' || c === '\r';
}

function refuseExpansion(what: string): never {
  throw new TokenizeError(
    `${what} is shell syntax; commands run without a shell, so it is not allowed (quote it with '...' if it is meant literally)`,
  );
}

export function tokenize(text: string): string[] {
  const tokens: string[] = [];
  let current = '';
  let inWord = false;
  let i = 0;
  const n = text.length;

  // `$` followed by `(`, `{`, a letter, `_` or a special parameter would be expanded by a shell.
  const checkDollar = (at: number): void => {
    const next = text[at + 1] ?? '';
    if (next === '(') refuseExpansion('"$(...)" (command substitution)');
    if (/[{A-Za-z_0-9@*#?$!-]/.test(next)) refuseExpansion(`"$${next}" (variable expansion)`);
  };

  while (i < n) {
    const c = text[i] as string;
    if (isSpace(c)) {
      if (inWord) tokens.push(current);
      current = '';
      inWord = false;
      i++;
      continue;
    }
    if (c === '\0') throw new TokenizeError('the command contains a NUL character');
    if (OPERATORS.has(c)) {
      refuseExpansion(
        `"${c}" (${c === ';' || c === '&' || c === '|' ? 'command separator or pipe' : 'redirection'})`,
      );
    }
    if (c === '`') refuseExpansion('"`...`" (command substitution)');
    if (c === '$') checkDollar(i);
    if (!inWord && c === '~') refuseExpansion('"~" (home directory)');

    if (c === '\\') {
      // Outside quotes a backslash makes the next character literal; backslash-newline joins
      // lines (and is no word by itself).
      const next = text[i + 1];
      if (next === undefined) throw new TokenizeError('the command ends with a lone backslash');
      if (next !== '\n') {
        current += next;
        inWord = true;
      }
      i += 2;
      continue;
    }
    inWord = true;
    if (c === "'") {
      const end = text.indexOf("'", i + 1);
      if (end < 0) throw new TokenizeError('unterminated single quote');
      const quoted = text.slice(i + 1, end);
      if (quoted.includes('\0')) throw new TokenizeError('the command contains a NUL character');
      current += quoted;
      i = end + 1;
      continue;
    }
    if (c === '"') {
      i++;
      let closed = false;
      while (i < n) {
        const d = text[i] as string;
        if (d === '"') {
          closed = true;
          i++;
          break;
        }
        if (d === '\0') throw new TokenizeError('the command contains a NUL character');
        if (d === '`') refuseExpansion('"`...`" (command substitution)');
        if (d === '$') checkDollar(i);
        if (d === '\\') {
          // In double quotes a backslash escapes only $ ` " \ and newline; otherwise it stays.
          const next = text[i + 1];
          if (next === undefined) break;
          if (next === '$' || next === '`' || next === '"' || next === '\\') current += next;
          else if (next !== '\n') current += '\\' + next;
          i += 2;
          continue;
        }
        current += d;
        i++;
      }
      if (!closed) throw new TokenizeError('unterminated double quote');
      continue;
    }
    current += c;
    i++;
  }
  if (inWord) tokens.push(current);
  return tokens;
}
