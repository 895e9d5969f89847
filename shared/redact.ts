/**
 * The one redactor. Every log line, error message and crash report that leaves the main
 * process or the engine passes through here, so a RenderIO key never reaches a log, a UI
 * or a file other than its ciphertext.
 */

// Anything that looks like a key or a fragment of one (a truncated key in a log is still a
// leak): `ffsk_` followed by at least 8 key-ish characters. Case-insensitive on purpose,
// so a mistyped upper-case key is caught too.
const KEY_LIKE = /ffsk_[0-9a-zA-Z]{8,}/g;
export const REDACTED_KEY = 'ffsk_[REDACTED]';

/** Exact secrets registered at run time (e.g. a key that does not follow the ffsk_ format). */
const extraSecrets = new Set<string>();

/** Register a secret that must never be printed, whatever its shape. */
export function registerSecret(secret: string): void {
  if (secret.length >= 8) extraSecrets.add(secret);
}

export function forgetSecret(secret: string): void {
  extraSecrets.delete(secret);
}

export function redact(text: string): string {
  let out = text.replace(KEY_LIKE, REDACTED_KEY);
  for (const secret of extraSecrets) {
    if (out.includes(secret)) out = out.split(secret).join('[REDACTED]');
  }
  return out;
}

/** Redacts any value for printing: strings, errors (message, stack, cause), objects. */
export function redactValue(value: unknown): string {
  if (typeof value === 'string') return redact(value);
  if (value instanceof Error) return redact(describeError(value));
  try {
    return redact(JSON.stringify(value) ?? String(value));
  } catch {
    return redact(String(value));
  }
}

function describeError(error: Error, depth = 0): string {
  let text = error.stack ?? `${error.name}: ${error.message}`;
  if (!text.includes(error.message)) text = `${error.name}: ${error.message}\n${text}`;
  if (error.cause !== undefined && depth < 3) {
    text +=
      '\nCaused by: ' +
      (error.cause instanceof Error ? describeError(error.cause, depth + 1) : String(error.cause));
  }
  return text;
}

/**
 * Returns a copy of an error whose message, stack and cause are redacted. Used wherever an
 * error crosses a boundary (IPC, HTTP body, persisted job state).
 */
export function redactError<E extends Error>(error: E): E {
  return redactDeep(error, 0) as E;
}

/**
 * Strings, errors, arrays and plain objects are copied with every string redacted, so a key
 * inside an error's extra fields (a 422 `detail` array, an AggregateError's `errors`) is
 * caught too. Other objects (Dates, Buffers, class instances) are kept as they are.
 */
function redactDeep(value: unknown, depth: number): unknown {
  if (typeof value === 'string') return redact(value);
  if (depth > 8 || value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map((item) => redactDeep(item, depth + 1));
  const proto = Object.getPrototypeOf(value) as object | null;
  if (!(value instanceof Error) && proto !== Object.prototype && proto !== null) return value;
  const copy = Object.create(proto) as Record<string, unknown>;
  for (const key of Object.getOwnPropertyNames(value)) {
    const enumerable = Object.getOwnPropertyDescriptor(value, key)?.enumerable ?? true;
    Object.defineProperty(copy, key, {
      value: redactDeep((value as Record<string, unknown>)[key], depth + 1),
      writable: true,
      enumerable,
      configurable: true,
    });
  }
  return copy;
}

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';
export interface Logger {
  debug(...parts: unknown[]): void;
  info(...parts: unknown[]): void;
  warn(...parts: unknown[]): void;
  error(...parts: unknown[]): void;
}

/** A logger that redacts every part before it reaches the sink. All loggers are made here. */
export function createLogger(
  scope: string,
  sink: (level: LogLevel, line: string) => void,
  minLevel: LogLevel = 'info',
): Logger {
  const order: LogLevel[] = ['debug', 'info', 'warn', 'error'];
  const min = order.indexOf(minLevel);
  const emit =
    (level: LogLevel) =>
    (...parts: unknown[]): void => {
      if (order.indexOf(level) < min) return;
      const text = parts.map((p) => (typeof p === 'string' ? redact(p) : redactValue(p))).join(' ');
      sink(level, `[${scope}] ${text}`);
    };
  return { debug: emit('debug'), info: emit('info'), warn: emit('warn'), error: emit('error') };
}
