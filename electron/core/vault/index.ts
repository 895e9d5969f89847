export { KeyVault, type VaultOptions } from './keyVault';
export { VaultError, type VaultErrorKind } from './vaultErrors';
export { SecretStore, type SecretChange, type SecretInfo } from './secretStore';
export { ProfileStore, type Profile } from './profileStore';
export { createKeyVerifier, type KeyVerifier, type KeyCheckResult } from './keyVerifier';
export { lendKey, boundCredentials, type ProfileRef, type BoundCredentials } from './keyAccess';
export {
  DEFAULT_PROFILE_NAME,
  type SetKeyOptions,
  type SetKeyResult,
  type SetKeyFailure,
} from './keyEntry';
export { ENV_PROFILE_ID } from './envProfile';
export { LOCAL_PROFILE_ID } from '../../../shared/profileTypes';
export { loadVaultFiles, type VaultFiles, type VaultFileData } from './vaultFile';
