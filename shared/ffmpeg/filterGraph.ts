/**
 * Reads a filtergraph (`-vf`, `-af`, `-filter_complex`, ...) the way libavfilter does, to find
 * every filter name and every option value after ffmpeg's own two levels of unescaping. That
 * way `'mo'vie=...` or `subtitles=\/etc/passwd` are seen as what ffmpeg would see.
 */

export interface ParsedFilter {
  name: string;
  /** Option values in order; `key` is null for positional (shorthand) values. */
  options: { key: string | null; value: string }[];
}

const WHITESPACE = ' \n\t\r';

/** av_get_token: reads up to one of `terms`, honouring `\x` escapes and `'...'` quotes. */
function getToken(text: string, start: number, terms: string): { value: string; end: number } {
  let i = start;
  while (i < text.length && WHITESPACE.includes(text[i] as string)) i++;
  let out = '';
  let keep = 0; // length of `out` that must not be trimmed (escaped or quoted characters)
  while (i < text.length && !terms.includes(text[i] as string)) {
    const c = text[i] as string;
    if (c === '\\' && i + 1 < text.length) {
      out += text[i + 1];
      keep = out.length;
      i += 2;
    } else if (c === "'") {
      i++;
      while (i < text.length && text[i] !== "'") out += text[i++];
      keep = out.length;
      i++;
    } else {
      out += c;
      i++;
    }
  }
  let trimmed = out;
  while (trimmed.length > keep && WHITESPACE.includes(trimmed[trimmed.length - 1] as string)) {
    trimmed = trimmed.slice(0, -1);
  }
  return { value: trimmed, end: Math.min(i, text.length) };
}

function skipLabels(text: string, start: number): number {
  let i = start;
  for (;;) {
    while (i < text.length && WHITESPACE.includes(text[i] as string)) i++;
    if (text[i] !== '[') return i;
    const close = text.indexOf(']', i);
    i = close < 0 ? text.length : close + 1;
  }
}

/** Splits `key=value:positional:...` like av_opt_get_key_value / the filter shorthand. */
function parseOptions(args: string): ParsedFilter['options'] {
  const options: ParsedFilter['options'] = [];
  let i = 0;
  while (i < args.length) {
    const keyMatch = /^[A-Za-z0-9_\-/.]+=/.exec(args.slice(i));
    let key: string | null = null;
    if (keyMatch) {
      key = keyMatch[0].slice(0, -1);
      i += keyMatch[0].length;
    }
    const { value, end } = getToken(args, i, ':');
    options.push({ key, value });
    i = end + 1;
  }
  return options;
}

/** Every filter of a graph with its unescaped option values. */
export function parseFilterGraph(graph: string): ParsedFilter[] {
  const filters: ParsedFilter[] = [];
  let i = 0;
  // `sws_flags=...;` may open a graph; it is not a filter and holds no paths.
  const sws = /^\s*sws_flags=[^;]*;/.exec(graph);
  if (sws) i = sws[0].length;
  while (i < graph.length) {
    i = skipLabels(graph, i);
    if (i >= graph.length) break;
    const name = getToken(graph, i, '=,;[');
    i = name.end;
    let args = '';
    if (graph[i] === '=') {
      const opts = getToken(graph, i + 1, '[],;');
      args = opts.value;
      i = opts.end;
    }
    i = skipLabels(graph, i);
    filters.push({ name: name.value.replace(/@.*$/, ''), options: parseOptions(args) });
    if (graph[i] === ',' || graph[i] === ';') i++;
    else if (i < graph.length) i++; // stray character: move on rather than loop
  }
  return filters;
}
