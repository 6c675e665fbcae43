/**
 * How many extensions, queues and trunks one PBX may have in the books. Their names come from PBX text: a stream that
 * keeps inventing names (a corrupted one, a misbehaving PBX) must not grow live state, the API's lists and the
 * metrics' series without bound. Past the cap a new name is refused and counted as a rejected event; the names already
 * known carry on. The caps are far above any office PBX.
 */
export const MAX_NAMES = { extension: 20_000, queue: 2_000, trunk: 2_000 } as const;
export type NameKind = keyof typeof MAX_NAMES;

/** Told of a name a full book did not take. */
export type Refused = (kind: NameKind, name: string) => void;

export const ignoreRefused: Refused = () => undefined;

/**
 * Whether a full book has room for a name it does not know yet: false once it holds `limit`, after telling `refused`.
 * Asked only for a new name, so the known ones carry on.
 */
export function roomFor(
  book: Map<string, unknown>,
  limit: number,
  kind: NameKind,
  name: string,
  refused: Refused,
): boolean {
  if (book.size < limit) return true;
  refused(kind, name);
  return false;
}
