/** `limit` and `offset` query parameters: limit 1..100 (default 50), offset ≥ 0; 400 otherwise. */
import { badRequest } from './errors';

export const DEFAULT_LIMIT = 50;
export const MAX_LIMIT = 100;

function integer(name: string, raw: string | null, fallback: number, min: number): number {
  if (raw === null || raw === '') return fallback;
  if (!/^\d+$/.test(raw.trim())) throw badRequest(`${name} must be a whole number`);
  const value = Number(raw);
  if (value < min) throw badRequest(`${name} must be at least ${min}`);
  return value;
}

export function parsePaging(query: URLSearchParams): { limit: number; offset: number } {
  const limit = integer('limit', query.get('limit'), DEFAULT_LIMIT, 1);
  if (limit > MAX_LIMIT) throw badRequest(`limit must be at most ${MAX_LIMIT}`);
  const offset = integer('offset', query.get('offset'), 0, 0);
  return { limit, offset };
}
