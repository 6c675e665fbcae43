/** Where a page of calls ended: the last row's start time and rowid (the ordering key, newest first). */
export interface CallKey {
  startedAt: number;
  rowid: number;
}

/** Opaque to clients; base64url so it survives query strings untouched. */
export function encodeCursor(k: CallKey): string {
  return Buffer.from(`${k.startedAt}:${k.rowid}`).toString('base64url');
}

/** The key, or undefined when the string is not a cursor this API made. */
export function decodeCursor(s: string): CallKey | undefined {
  if (!/^[A-Za-z0-9_-]{1,64}$/.test(s)) return undefined;
  const m = /^(-?\d{1,16}):(\d{1,16})$/.exec(Buffer.from(s, 'base64url').toString('utf8'));
  if (!m) return undefined;
  const k = { startedAt: Number(m[1]), rowid: Number(m[2]) };
  return Number.isSafeInteger(k.startedAt) && Number.isSafeInteger(k.rowid) ? k : undefined;
}
