/**
 * What the queue does with a failure. The client's RenderioError carries a `kind`; failures of
 * our own (ffmpeg FAILED, a missing source, a full disk) are JobFailure. Everything is redacted
 * before it is stored in a job, because jobs are persisted and shown.
 */
import { redact } from '../../../shared/redact';
import type { JobError } from '../../../shared/jobs';
import { inPlainWords } from './plainWords';

export class JobFailure extends Error {
  override readonly name = 'JobFailure';
  constructor(
    readonly code: string,
    message: string,
    readonly retryable = true,
  ) {
    super(redact(message));
  }
}

export type ErrorAction =
  | { action: 'aborted' }
  | { action: 'auth' }
  | { action: 'rate-limited'; waitMs: number }
  /**
   * Try the same step again after a back-off. `limited`: false, without limit (the network comes
   * back on its own, and the window says it is retrying); 'stuck', a few tries (it fails alike
   * until someone changes something: TLS, a request refused before it left); true, a budget
   * (a server error may clear).
   */
  | { action: 'transient'; limited: boolean | 'stuck' }
  | { action: 'fail' };

interface KindedError {
  kind?: unknown;
  retryAfterMs?: unknown;
  code?: unknown;
  name?: unknown;
}

export function errorKind(error: unknown): string | null {
  const kind = (error as KindedError | null)?.kind;
  return typeof kind === 'string' ? kind : null;
}

export function classifyError(error: unknown, signal?: AbortSignal): ErrorAction {
  if (signal?.aborted) return { action: 'aborted' };
  if (error instanceof JobFailure) return { action: 'fail' };
  const kind = errorKind(error);
  switch (kind) {
    case 'aborted':
      return { action: 'aborted' };
    case 'auth':
    case 'no-key': // the vault has no key for the profile (VaultError)
      return { action: 'auth' };
    case 'rate-limited': {
      const wait = (error as KindedError).retryAfterMs;
      return { action: 'rate-limited', waitMs: typeof wait === 'number' && wait > 0 ? wait : 5000 };
    }
    case 'network':
    case 'timeout':
      // The network comes back on its own: keep trying, without a budget.
      return { action: 'transient', limited: false };
    case 'server':
      return { action: 'transient', limited: true };
    case 'protocol': {
      // A 4xx the client has no meaning for answers the same way next time; anything else
      // (an HTML page from a captive portal, a malformed body) may clear.
      const status = (error as { status?: unknown }).status;
      const refused = typeof status === 'number' && status >= 400 && status < 500;
      return { action: 'transient', limited: refused ? 'stuck' : true };
    }
    case 'storage-full':
      // The server's disk (this computer's, for local jobs) has no room: trying again now fails
      // alike, so the job fails with the reason, and Retry works once space is freed.
      return { action: 'fail' };
    case 'tls':
    case 'not-sent':
    case 'store-unavailable': // the OS key store: a few tries, then the reason
      return { action: 'transient', limited: 'stuck' };
    case null: {
      // Plain Node errors from the file system or sockets.
      const code = (error as KindedError | null)?.code;
      if (
        code === 'ECONNRESET' ||
        code === 'ECONNREFUSED' ||
        code === 'ETIMEDOUT' ||
        code === 'EPIPE'
      )
        return { action: 'transient', limited: false };
      if ((error as KindedError | null)?.name === 'AbortError') return { action: 'aborted' };
      return { action: 'fail' };
    }
    default:
      return { action: 'fail' };
  }
}

/** A submit that failed like this may have reached the server: reconcile before resubmitting. */
export function answerMayBeLost(error: unknown): boolean {
  const kind = errorKind(error);
  if (
    kind === 'network' ||
    kind === 'timeout' ||
    kind === 'server' ||
    kind === 'protocol' ||
    kind === 'aborted'
  )
    return true;
  const code = (error as KindedError | null)?.code;
  return code === 'ECONNRESET' || code === 'EPIPE' || code === 'ETIMEDOUT';
}

function messageOf(error: unknown): string {
  if (error instanceof Error) return error.message;
  return String(error);
}

/**
 * The error a job keeps and shows. `where.local`: the job runs on this computer, whose words
 * differ (plainWords.ts). The raw message, codes and all, is for the log (`rawMessage`).
 */
export function toJobError(error: unknown, where: { local: boolean } = { local: false }): JobError {
  if (error instanceof JobFailure)
    return {
      code: error.code,
      message: inPlainWords(error.message, where),
      retryable: error.retryable,
    };
  const kind = errorKind(error);
  if (kind === 'storage-full') return storageFull(error, where);
  const code =
    kind ??
    (((error as KindedError | null)?.code as string | undefined) === 'ENOSPC'
      ? 'disk'
      : 'internal');
  const retryable = kind !== 'validation';
  return { code, message: inPlainWords(redact(messageOf(error)), where).slice(0, 2000), retryable };
}

/** The failure as the log keeps it: kind or errno code and the message as raised, redacted. */
export function rawMessage(error: unknown): string {
  const code = errorKind(error) ?? (error as KindedError | null)?.code;
  return redact(`${typeof code === 'string' ? `${code}: ` : ''}${messageOf(error)}`);
}

/** Exponential back-off with jitter: 1 s, 2 s, 4 s ... capped. */
export function backoffMs(attempt: number, capMs = 30_000): number {
  const base = Math.min(capMs, 1000 * 2 ** Math.max(0, attempt));
  return Math.round(base * (0.75 + Math.random() * 0.5));
}

/**
 * The server had no room for the file (507). Its detail says which disk and how much (this
 * computer's engine words it for people, storage/diskSpace.ts); the request line and status
 * around it are for the log.
 */
function storageFull(error: unknown, where: { local: boolean }): JobError {
  const detail = (error as { detail?: unknown }).detail;
  const said = typeof detail === 'string' && detail.trim() !== '' ? detail.trim() : null;
  const message = where.local
    ? (said ?? "This computer's disk is full. Free some space, then try again.")
    : `RenderIO has no room to store the file${said ? `: ${said}` : '.'} Try again later.`;
  return { code: 'storage-full', message: inPlainWords(redact(message), where), retryable: true };
}
