/**
 * The placeholders of one command template while argumentRules checks it. Each is swapped for a
 * marker before tokenizing, so `<<in_x>>` is not read as a redirection and a resolved path is
 * never re-split or re-checked. The checks see a marker as a harmless plain file name (the
 * mask), and a refusal quotes the text with each placeholder as the person wrote it
 * (`{{in_video}}`, `<< in_b >>`), never the marker or the mask.
 */
import { findPlaceholders } from '../commandTemplate';

/** Private-use characters; a template that contains them is refused, so markers are ours. */
export const MARK_OPEN = '\uE000';
export const MARK_CLOSE = '\uE001';
const MARK = new RegExp(`${MARK_OPEN}(\\d+)${MARK_CLOSE}`, 'g');
/** Longer quotes are cut: the start shows where the problem is. */
const MAX_QUOTE_CHARS = 80;

export class PlaceholderMask {
  /** The template with every placeholder replaced by a marker. */
  readonly marked: string;
  /** The alias of each marker, by number. */
  readonly aliases: string[] = [];
  /** Each placeholder exactly as it stands in the template, by number. */
  private readonly written: string[] = [];
  /**
   * What a masked placeholder is called: random, so that no text the person wrote can pass
   * for one when a message turns masks back into placeholders.
   */
  // Web crypto, so these rules run in the engine, the core and the window alike.
  private readonly stem = `placeholder${[...crypto.getRandomValues(new Uint8Array(6))]
    .map((b) => b.toString(16).padStart(2, '0'))
    .join('')}n`;
  private readonly masks = new RegExp(`${this.stem}(\\d+)x`, 'g');

  constructor(text: string) {
    let marked = '';
    let last = 0;
    for (const use of findPlaceholders(text)) {
      marked += text.slice(last, use.index) + `${MARK_OPEN}${this.aliases.length}${MARK_CLOSE}`;
      this.aliases.push(use.alias);
      this.written.push(use.token);
      last = use.index + use.token.length;
    }
    this.marked = marked + text.slice(last);
  }

  /** Marked text as the checks read it: each placeholder a plain file name. */
  mask(marked: string): string {
    return marked.replace(MARK, (_m, i: string) => `${this.stem}${i}x`);
  }

  /** Whether marked or masked text holds a placeholder. */
  holdsPlaceholder(text: string): boolean {
    return this.mask(text).includes(this.stem);
  }

  /** Masked text without its placeholders: only what the person wrote around them. */
  withoutPlaceholders(masked: string): string {
    return masked.replace(this.masks, '');
  }

  /** Marked or masked text, quoted for a message, each placeholder as it was written. */
  quote(text: string): string {
    const asWritten = (_m: string, i: string): string => this.written[Number(i)] ?? '';
    const shown = text.replace(MARK, asWritten).replace(this.masks, asWritten);
    return JSON.stringify(
      shown.length > MAX_QUOTE_CHARS ? `${shown.slice(0, MAX_QUOTE_CHARS - 3)}...` : shown,
    );
  }

  /** Marked text with each placeholder replaced by what `resolve` gives for its alias. */
  resolve(marked: string, resolve: (alias: string) => string): string {
    return marked.replace(MARK, (_m, i: string) => resolve(this.aliases[Number(i)] ?? ''));
  }
}
