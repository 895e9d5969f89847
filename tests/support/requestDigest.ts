/** What a test server received as a request body: its SHA-256, its size and how it was framed. */
import { createHash } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

export interface RequestDigest {
  sha: string;
  bytes: number;
  /** The content-length header, or null when none was sent. */
  length: string | null;
  /** The transfer-encoding header (`chunked`), or null. */
  te: string | null;
}

/** Reads the whole body without keeping it. */
export function digestRequest(req: IncomingMessage): Promise<RequestDigest> {
  return new Promise((resolve, reject) => {
    const hash = createHash('sha256');
    let bytes = 0;
    req.on('data', (c: Buffer) => {
      hash.update(c);
      bytes += c.length;
    });
    req.on('error', reject);
    req.on('end', () =>
      resolve({
        sha: hash.digest('hex'),
        bytes,
        length: req.headers['content-length'] ?? null,
        te: req.headers['transfer-encoding'] ?? null,
      }),
    );
  });
}
