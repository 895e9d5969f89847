/** The `code` of a Node system error (`ENOENT`, `ENOSPC`, ...), or undefined for anything else. */
export function errnoCode(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
}

/** ENOSPC (no space) or EDQUOT (the user's quota): either way, no room to write. */
export function isNoRoomCode(code: string | undefined): boolean {
  return code === 'ENOSPC' || code === 'EDQUOT';
}
