/** A bounded ring of recent requests (no query strings, no keys), for tests and diagnostics. */
import type { RequestLogEntry } from '../types';

export class RequestLog {
  readonly entries: RequestLogEntry[] = [];

  constructor(private readonly size: number) {}

  add(entry: RequestLogEntry): void {
    this.entries.push(entry);
    if (this.entries.length > this.size) this.entries.splice(0, this.entries.length - this.size);
  }
}
