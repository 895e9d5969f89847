export {
  downloadToFile,
  partPathFor,
  type DownloadOptions,
  type DownloadResult,
  type OpenPart,
  type BeforeCommit,
  type CommitIntent,
} from './download';
export {
  placeFinished,
  numberedName,
  checkFileName,
  ProtectedSet,
  type CollisionPolicy,
} from './collision';
export {
  multipartFileBody,
  quoteFileName,
  UPLOAD_CHUNK_BYTES,
  type MultipartBody,
  type MultipartFile,
} from './multipart';
export { LocalFileError, type LocalFileErrorKind } from './errors';
