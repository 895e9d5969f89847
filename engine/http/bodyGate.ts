/**
 * What the engine can tell about a request's body from its head alone: too large for the
 * route, or (for an upload) not multipart. The dispatcher asks before any byte of the body is
 * read, so a client that sent `Expect: 100-continue` gets the refusal instead of a go-ahead,
 * and a client that did not gets it without the engine reading a body it will throw away.
 */
import type { IncomingHttpHeaders } from 'node:http';
import { issue, tooLarge, unprocessable, type HttpError } from './errors';

/** The body a route reads: none, one JSON document, or a multipart upload. */
export type BodyKind = 'none' | 'json' | 'upload';

export interface BodyLimits {
  jsonBytes: number;
  /** The uploaded file itself; the multipart framing around it comes on top. */
  uploadBytes: number;
}

/** Multipart framing around one file: boundaries, part headers, a few small fields. */
export const MULTIPART_SLACK_BYTES = 64 * 1024;

export const jsonTooLarge = (limitBytes: number): HttpError =>
  tooLarge(`Request body is larger than the limit of ${limitBytes} bytes`);

export const uploadTooLarge = (limitBytes: number): HttpError =>
  tooLarge(`The upload is larger than the limit of ${limitBytes} bytes`);

export const notMultipart = (): HttpError =>
  unprocessable([
    issue(['file'], 'the upload must be multipart/form-data with one part named "file"', 'missing'),
  ]);

/** The Content-Length the client declared, or null (chunked, or not a number). */
export function declaredLength(headers: IncomingHttpHeaders): number | null {
  const raw = headers['content-length'];
  if (raw === undefined || !/^\d+$/.test(raw)) return null;
  return Number(raw);
}

/** The refusal the head alone warrants, or null when the body is worth reading. */
export function refuseBodyEarly(
  kind: BodyKind,
  headers: IncomingHttpHeaders,
  limits: BodyLimits,
): HttpError | null {
  if (kind === 'none') return null;
  const declared = declaredLength(headers);
  if (kind === 'json')
    return declared !== null && declared > limits.jsonBytes ? jsonTooLarge(limits.jsonBytes) : null;
  if (!/^multipart\/form-data/i.test(headers['content-type'] ?? '')) return notMultipart();
  if (declared !== null && declared > limits.uploadBytes + MULTIPART_SLACK_BYTES)
    return uploadTooLarge(limits.uploadBytes);
  return null;
}
