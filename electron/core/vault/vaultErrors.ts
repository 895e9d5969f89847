/** The vault's one error type: a kind the queue and the UI act on, and a redacted message. */
import { redact } from '../../../shared/redact';

export type VaultErrorKind =
  | 'no-key'
  | 'unknown-profile'
  | 'undecryptable'
  /** The OS key store cannot answer right now; the stored key is fine (try again later). */
  | 'store-unavailable'
  /** The OS key store is weak or missing and weak storage was not chosen. */
  | 'insecure-storage'
  | 'invalid-profile'
  | 'profile-changed'
  | 'storage';

export class VaultError extends Error {
  override readonly name = 'VaultError';
  constructor(
    readonly kind: VaultErrorKind,
    message: string,
  ) {
    // Profile names are the person's text: redacted like everything else that may be shown.
    super(redact(message));
  }
}
