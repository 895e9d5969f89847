/**
 * A client that closed its connection before it had sent the whole body. Not an engine
 * failure: the dispatcher logs it as one line (no stack trace) and answers nobody.
 */
import type { IncomingMessage } from 'node:http';

export class ClientAbortedError extends Error {
  override name = 'ClientAbortedError';

  constructor(
    /** Body bytes that arrived. */
    readonly received: number,
    /** The Content-Length the client promised, or null (chunked). */
    readonly declared: number | null,
  ) {
    super(
      `client closed the connection after ${received}${declared === null ? '' : ` of ${declared}`} bytes`,
    );
  }
}

/**
 * Calls `onAbort` once when the connection goes before the body was read to its end, including
 * when it went before anyone listened (the client left while its key was being checked): node
 * then drops what was buffered, so the body can never be read. Returns the function that
 * stops watching.
 */
export function watchForClientAbort(req: IncomingMessage, onAbort: () => void): () => void {
  if (req.destroyed) {
    if (!req.readableEnded) queueMicrotask(onAbort);
    return () => undefined;
  }
  const onClose = (): void => {
    if (!req.readableEnded) onAbort();
  };
  req.once('close', onClose);
  return () => req.off('close', onClose);
}
