/**
 * What the renderer may learn about API keys and profiles: status only, never a key.
 * Produced by the key vault in electron/core/vault and sent over IPC as-is.
 */

/** The profile of the local engine the app starts (jobs that run on this computer). */
export const LOCAL_PROFILE_ID = 'local';

/** Where a profile's key comes from. */
export type ProfileKind =
  /** A RenderIO cloud (or self-hosted) account whose key the person entered. */
  | 'cloud'
  /** The local engine started by the app, with a per-launch random key held in memory. */
  | 'local'
  /** The RENDERIO_API_KEY environment variable: session-only, never written to disk. */
  | 'env';

export interface ProfileStatus {
  profileId: string;
  name: string;
  /** API origin (e.g. https://renderio.dev); the key is only ever sent there. */
  baseUrl: string;
  kind: ProfileKind;
  /** Whether this is the active profile. */
  active: boolean;
  /** Whether a key is available for this profile (stored or held in memory). */
  configured: boolean;
  /** Masked hint such as `ffsk_…a1b2`, or null when no key is set. */
  hint: string | null;
  /** true: the API accepted the key; false: it refused it; null: not checked (e.g. offline). */
  verified: boolean | null;
  /** Storage backend reported by the cipher (e.g. 'keychain', 'gnome_libsecret', 'basic_text'), or 'memory'. */
  backend: string;
  /** Whether the key is protected by a secure OS store (or never leaves memory). */
  secure: boolean;
  /** The key lives only in memory for this session and is lost on quit. */
  sessionOnly: boolean;
}

/** Alias kept for callers that think of it per key. */
export type KeyStatus = ProfileStatus;

export interface VaultStorageStatus {
  /** The cipher's backend name ('unknown' when it could not be determined). */
  backend: string;
  /** true when the backend protects secrets (Keychain, DPAPI, libsecret, KWallet). */
  secure: boolean;
  /** Whether keys may be written to disk: a secure backend, or an explicit opt-in to weak storage. */
  persistAllowed: boolean;
}

export interface VaultStatus {
  profiles: ProfileStatus[];
  activeProfileId: string | null;
  storage: VaultStorageStatus;
}
