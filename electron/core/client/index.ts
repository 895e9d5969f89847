export {
  RenderioClient,
  DEFAULT_RETRY,
  normalizeBaseUrl,
  isLoopbackHost,
  type ClientOptions,
  type CallOptions,
  type UploadOptions,
  type ListCommandsQuery,
  type ExecutePresetRequest,
  type KeyCheck,
  type KeyProvider,
  type RetryPolicy,
} from './client';
export { RenderioError, describeDetail, type RenderioErrorKind, type ErrorDetail } from './errors';
export { RateGate, gateForKey, forgetGate, keyFingerprint } from './rateGate';
export {
  parseRetryAfter,
  backoffDelay,
  sendWithRedirects,
  readBounded,
  MAX_ERROR_BODY_BYTES,
} from './http';
