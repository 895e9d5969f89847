/**
 * One table of media types by file extension, for the upload's part header (client), the
 * engine's download answers and the `mime_type` of a probed file, so all three agree.
 */
const MIME_BY_EXTENSION: Readonly<Record<string, string>> = {
  mp4: 'video/mp4',
  m4v: 'video/mp4',
  mov: 'video/quicktime',
  mkv: 'video/x-matroska',
  mka: 'audio/x-matroska',
  webm: 'video/webm',
  avi: 'video/x-msvideo',
  wmv: 'video/x-ms-wmv',
  flv: 'video/x-flv',
  mpg: 'video/mpeg',
  mpeg: 'video/mpeg',
  ts: 'video/mp2t',
  mts: 'video/mp2t',
  m2ts: 'video/mp2t',
  '3gp': 'video/3gpp',
  ogv: 'video/ogg',
  mp3: 'audio/mpeg',
  wav: 'audio/wav',
  flac: 'audio/flac',
  m4a: 'audio/mp4',
  aac: 'audio/aac',
  ogg: 'audio/ogg',
  oga: 'audio/ogg',
  // An .opus file is Opus in an Ogg container (RFC 7845), served as audio/ogg.
  opus: 'audio/ogg',
  wma: 'audio/x-ms-wma',
  aiff: 'audio/aiff',
  aif: 'audio/aiff',
  gif: 'image/gif',
  png: 'image/png',
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  webp: 'image/webp',
  avif: 'image/avif',
  bmp: 'image/bmp',
  tif: 'image/tiff',
  tiff: 'image/tiff',
  srt: 'application/x-subrip',
  vtt: 'text/vtt',
};

/** The media type of an extension (with or without the dot), or null when unknown. */
export function mimeTypeForExtension(extension: string): string | null {
  return MIME_BY_EXTENSION[extension.replace(/^\./, '').toLowerCase()] ?? null;
}

/** The Content-Type for a file name: its extension's media type, else octet-stream. */
export function contentTypeForName(fileName: string): string {
  const dot = fileName.lastIndexOf('.');
  return (dot >= 0 && mimeTypeForExtension(fileName.slice(dot + 1))) || 'application/octet-stream';
}
