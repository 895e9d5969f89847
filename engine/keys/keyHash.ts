/** Keys are kept only as SHA-256 hashes; a short prefix of the hash names a key in logs. */
import { createHash, randomBytes } from 'node:crypto';
import { API_KEY_PREFIX } from '../../shared/apiKey';

export function hashKey(key: string): string {
  return createHash('sha256').update(key, 'utf8').digest('hex');
}

/** 12 hex characters of the hash: enough to tell keys apart, useless to an attacker. */
export function keyIdOf(hash: string): string {
  return hash.slice(0, 12);
}

export function generateKey(): string {
  return API_KEY_PREFIX + randomBytes(32).toString('hex');
}
