/**
 * A transport may offer a Response's body as a pump: each chunk handed to a callback as it
 * arrives, with no web stream and no promise per chunk. The download writes each chunk before
 * the next (transfers/partWriter.ts), which is what brings a download from the local engine to
 * curl's speed (docs/PERFORMANCE.md, "Client transfers"). Only the CLI's transport offers one,
 * for downloads from this computer (loopbackGet.ts): its writes block, which the app's main
 * process must never do, so the app's transport gives web bodies only.
 */

/**
 * A body read chunk by chunk. Each chunk is valid during its call only: write or copy it before
 * returning. Throwing from onChunk stops the body (its connection is closed) and rejects with
 * that error; a body cut short or aborted rejects as the web body's read would.
 */
export interface BodyPump {
  pump(onChunk: (chunk: Uint8Array) => void): Promise<void>;
}

const offers = new WeakMap<Response, () => BodyPump>();

/** Called by a transport: `take` gives the pump and makes the web body unusable. */
export function offerBodyPump(response: Response, take: () => BodyPump): void {
  offers.set(response, take);
}

/**
 * The answer's body as a pump, when its transport offered one and its web body has not been
 * touched; null otherwise (then read response.body). Taken once.
 */
export function takeBodyPump(response: Response): BodyPump | null {
  const take = offers.get(response);
  if (take === undefined || response.bodyUsed || response.body?.locked === true) return null;
  offers.delete(response);
  // Locked, so the web body cannot be read as well.
  response.body?.getReader();
  return take();
}
