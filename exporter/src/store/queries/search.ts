import { numberKey } from '../rows';

/** A WHERE fragment over `calls c` with its named parameters. */
export interface Fragment {
  sql: string;
  params: Record<string, string | number>;
}

const PHONE_LIKE = /^[\d\s+().\-/]+$/;

const ftsPhrase = (s: string): string => `"${s.replace(/"/g, '""')}"`;

/**
 * How `q` searches. Three paths, each as cheap as its meaning allows:
 * - a phone number with 8+ digits, in any format: the calls whose external party (the caller of an inbound call,
 *   the callee of an outbound one) has the same last 8 digits, the stored number key, walked newest first through
 *   its index (`+1 212 555 0101`, `(212) 555-0101` and `912125550101` agree). A substring search would have to
 *   read every call holding the digits' trigrams, which grows with the history;
 * - 3 to 7 digits, or 3+ characters of text: a substring match over all numbers (digits-only, so `555-01` finds
 *   `+15550100`) and names through the trigram full-text index;
 * - one or two characters: a plain substring scan of the caller's and callee's numbers and names (stops at the
 *   page size, as the newest calls are visited first).
 * Text also matches the calls of `contactNumbers` (the numbers of contacts whose name matches), by the external
 * party's number key through its index, as the full-number search does.
 */
export function searchFragment(q: string, contactNumbers: readonly string[] = []): Fragment | undefined {
  const text = q.trim();
  if (!text) return undefined;
  if (PHONE_LIKE.test(text)) {
    const digits = text.replace(/\D/g, '');
    if (digits.length >= 8) {
      // equality on the indexed key, so newest-first with a LIMIT walks the index and stops early
      return { sql: 'c.external_number = @q_key', params: { q_key: numberKey(digits)! } };
    }
    if (digits.length >= 3) {
      return {
        sql: 'c.rowid IN (SELECT rowid FROM calls_fts WHERE calls_fts MATCH @q_fts)',
        params: { q_fts: `numbers : ${ftsPhrase(digits)}` },
      };
    }
  }
  if (text.length >= 3) {
    const fts = 'c.rowid IN (SELECT rowid FROM calls_fts WHERE calls_fts MATCH @q_fts)';
    const keys = [...new Set(contactNumbers.map(numberKey).filter((k) => k !== null))];
    if (!keys.length) return { sql: fts, params: { q_fts: ftsPhrase(text) } };
    return {
      // one JSON parameter, whatever the number of contacts
      sql: `(${fts} OR c.external_number IN (SELECT value FROM json_each(@q_keys)))`,
      params: { q_fts: ftsPhrase(text), q_keys: JSON.stringify(keys) },
    };
  }
  return {
    sql: `(c.from_number LIKE @q_like ESCAPE '\\' OR c.to_number LIKE @q_like ESCAPE '\\'
           OR c.from_name LIKE @q_like ESCAPE '\\' OR c.to_name LIKE @q_like ESCAPE '\\'
           OR c.answered_by LIKE @q_like ESCAPE '\\' OR c.answered_by_name LIKE @q_like ESCAPE '\\')`,
    params: { q_like: `%${text.replace(/[\\%_]/g, (m) => `\\${m}`)}%` },
  };
}
