export {
  KeyVault,
  VaultError,
  ENV_PROFILE_ID,
  LOCAL_PROFILE_ID,
  DEFAULT_PROFILE_NAME,
  type VaultOptions,
  type ProfileRef,
  type SetKeyOptions,
  type SetKeyResult,
  type SetKeyFailure,
  type VaultErrorKind,
} from './keyVault';
export { readVaultFile, writeVaultFile, type VaultFileData, type StoredProfile } from './vaultFile';
