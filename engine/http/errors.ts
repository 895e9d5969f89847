/**
 * Error answers in the API's `detail` convention: a string for 400/401/403/404/409/413/429/500,
 * the issue array for 422 (renderio-api.md §3 and §4).
 */
import type { ValidationIssue } from '../../shared/commandTemplate';
import { INVALID_KEY_DETAIL } from '../../shared/renderioApi';

export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly detail: string | ValidationIssue[],
    readonly headers: Record<string, string> = {},
  ) {
    super(typeof detail === 'string' ? detail : detail.map((d) => d.msg).join('; '));
  }
}

export const badRequest = (detail: string) => new HttpError(400, detail);
export const unauthorized = () => new HttpError(401, INVALID_KEY_DETAIL);
export const forbidden = (detail: string) => new HttpError(403, detail);
export const notFound = (detail = 'Not Found') => new HttpError(404, detail);
export const tooLarge = (detail: string) => new HttpError(413, detail);

export function unprocessable(issues: ValidationIssue[]): HttpError {
  return new HttpError(422, issues);
}

/** One 422 issue. */
export function issue(
  loc: (string | number)[],
  msg: string,
  type: ValidationIssue['type'] = 'value_error',
): ValidationIssue {
  return { loc, msg, type };
}
