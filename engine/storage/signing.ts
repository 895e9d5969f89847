/**
 * Signed storage URLs: `<origin>/storage/<file_id>/<filename>?expires=<unix s>&signature=<hex>`.
 * The signature is an HMAC-SHA256 over id, name and expiry with a secret kept in the data
 * directory (so URLs survive a restart). Such a URL works without the API key until it expires.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { writeFileAtomic } from '../../shared/node/atomicWrite';

export const STORAGE_PREFIX = '/storage/';

export async function loadSigningSecret(dataDir: string): Promise<Buffer> {
  const path = join(dataDir, 'signing.key');
  try {
    const hex = (await readFile(path, 'utf8')).trim();
    if (/^[0-9a-f]{64}$/.test(hex)) return Buffer.from(hex, 'hex');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  const secret = randomBytes(32);
  await writeFileAtomic(path, secret.toString('hex'));
  return secret;
}

export class UrlSigner {
  constructor(
    private readonly secret: Buffer,
    private readonly ttlSeconds: number,
  ) {}

  private mac(fileId: string, filename: string, expires: number): string {
    return createHmac('sha256', this.secret)
      .update(`${fileId}\n${filename}\n${expires}`)
      .digest('hex');
  }

  sign(origin: string, fileId: string, filename: string, nowMs = Date.now()): string {
    const expires = Math.floor(nowMs / 1000) + this.ttlSeconds;
    const sig = this.mac(fileId, filename, expires);
    return `${origin}${STORAGE_PREFIX}${encodeURIComponent(fileId)}/${encodeURIComponent(filename)}?expires=${expires}&signature=${sig}`;
  }

  /** 'ok', or why the URL is refused. */
  check(
    fileId: string,
    filename: string,
    expires: string | null,
    signature: string | null,
    nowMs = Date.now(),
  ): 'ok' | 'invalid' | 'expired' {
    if (!expires || !signature || !/^\d+$/.test(expires) || !/^[0-9a-f]{64}$/.test(signature))
      return 'invalid';
    const expected = Buffer.from(this.mac(fileId, filename, Number(expires)), 'hex');
    if (!timingSafeEqual(expected, Buffer.from(signature, 'hex'))) return 'invalid';
    if (Number(expires) * 1000 < nowMs) return 'expired';
    return 'ok';
  }
}
