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
 * - a phone number with 8+ digits, in any format: the calls whose external party has the same last 8 digits
 *   (the stored number key, an index lookup; `+1 212 555 0101`, `2125550101` and `912125550101` agree), plus calls
 *   with a leg to that number as dialled;
 * - 3 to 7 digits, or 3+ characters of text: a substring match over all numbers (digits-only, so `555-01` finds
 *   `+15550100`) and names through the trigram full-text index;
 * - one or two characters: a plain substring scan of the caller's and callee's numbers and names (stops at the
 *   page size, as the newest calls are visited first).
 */
export function searchFragment(q: string): Fragment | undefined {
  const text = q.trim();
  if (!text) return undefined;
  if (PHONE_LIKE.test(text)) {
    const digits = text.replace(/\D/g, '');
    if (digits.length >= 8) {
      const variants = [...new Set([text, digits, `+${digits}`])];
      const params: Record<string, string> = { q_key: numberKey(digits)! };
      variants.forEach((v, i) => (params[`q_v${i}`] = v));
      const list = variants.map((_, i) => `@q_v${i}`).join(', ');
      return {
        sql: `c.rowid IN (SELECT rowid FROM calls WHERE external_number = @q_key
                UNION SELECT call_rowid FROM call_legs WHERE party IN (${list}))`,
        params,
      };
    }
    if (digits.length >= 3) {
      return {
        sql: 'c.rowid IN (SELECT rowid FROM calls_fts WHERE calls_fts MATCH @q_fts)',
        params: { q_fts: `numbers : ${ftsPhrase(digits)}` },
      };
    }
  }
  if (text.length >= 3) {
    return {
      sql: 'c.rowid IN (SELECT rowid FROM calls_fts WHERE calls_fts MATCH @q_fts)',
      params: { q_fts: ftsPhrase(text) },
    };
  }
  return {
    sql: `(c.from_number LIKE @q_like ESCAPE '\\' OR c.to_number LIKE @q_like ESCAPE '\\'
           OR c.from_name LIKE @q_like ESCAPE '\\' OR c.to_name LIKE @q_like ESCAPE '\\'
           OR c.answered_by LIKE @q_like ESCAPE '\\' OR c.answered_by_name LIKE @q_like ESCAPE '\\')`,
    params: { q_like: `%${text.replace(/[\\%_]/g, (m) => `\\${m}`)}%` },
  };
}
