import { parse } from 'csv-parse/sync';
import { numberInfo } from './number';

/**
 * A directory number's key, its E.164 form. Written internationally (+49…, 0049…, with or without a German "(0)") it
 * is its digits: no need for libphonenumber, which makes loading 50,000 contacts take well under a second;
 * national numbers (030 1234567) need the region's rules and go through libphonenumber.
 */
export function directoryKey(raw: string, region?: string): string | undefined {
  const t = raw.trim().replace(/\(0\)/g, '');
  if (/^(\+|00)/.test(t) && !/[a-z]/i.test(t)) {
    const digits = t.startsWith('+') ? t.replace(/\D/g, '') : t.replace(/\D/g, '').slice(2);
    return digits.length >= 6 && digits.length <= 15 && digits[0] !== '0' ? `+${digits}` : undefined;
  }
  return numberInfo(t, region)?.e164;
}

/** One person or company in the directory. */
export interface Contact {
  name: string;
  company: string | null;
}

/** The contacts by E.164 number. */
export type Directory = Map<string, Contact>;

const NAME = ['name', 'full name', 'display name', 'fn'];
const COMPANY = ['company', 'organisation', 'organization', 'org'];
const NUMBER = /^(number|phone|tel|telephone|mobile|work|home|office|fax|main)\b/;

/**
 * A CSV export of an address book: a header row, a name column (name / full name), optionally a company, and any
 * number of phone columns (phone, mobile, work phone, …). Numbers that do not parse are skipped and counted.
 */
export function fromCsv(text: string, region?: string): { directory: Directory; skipped: number } {
  const rows = parse(text, {
    columns: (h: string[]) => h.map((x) => x.trim().toLowerCase()),
    skip_empty_lines: true,
    relax_column_count: true,
    bom: true,
  }) as Record<string, string>[];
  const directory: Directory = new Map();
  let skipped = 0;
  for (const row of rows) {
    const keys = Object.keys(row);
    const company =
      COMPANY.map((k) => row[k])
        .find((v) => v?.trim())
        ?.trim() ?? null;
    const name =
      NAME.map((k) => row[k])
        .find((v) => v?.trim())
        ?.trim() ?? company;
    if (!name) continue;
    for (const k of keys.filter((k) => NUMBER.test(k))) {
      for (const raw of (row[k] ?? '').split(/[;|]/)) {
        if (!raw.trim()) continue;
        const key = directoryKey(raw, region);
        if (!key) {
          skipped += 1;
          continue;
        }
        if (!directory.has(key)) directory.set(key, { name, company });
      }
    }
  }
  return { directory, skipped };
}

/** vCard 3/4 (one file, many cards): FN or N for the name, ORG for the company, every TEL. */
export function fromVcard(text: string, region?: string): { directory: Directory; skipped: number } {
  // unfold continuation lines (RFC 6350 §3.2)
  const lines = text.replace(/\r?\n[ \t]/g, '').split(/\r?\n/);
  const directory: Directory = new Map();
  let skipped = 0;
  let card: { fn?: string; n?: string; org?: string; tels: string[] } | undefined;
  const unescape = (v: string) =>
    v
      .replace(/\\([,;\\])/g, '$1')
      .replace(/\\n/gi, ' ')
      .trim();
  for (const line of lines) {
    const colon = line.indexOf(':');
    if (colon < 0) continue;
    const prop = line.slice(0, colon).split(';')[0].split('.').pop()!.toUpperCase();
    const value = line.slice(colon + 1);
    if (prop === 'BEGIN' && value.trim().toUpperCase() === 'VCARD') card = { tels: [] };
    else if (!card) continue;
    else if (prop === 'FN') card.fn = unescape(value);
    else if (prop === 'N') card.n = value.split(';').slice(0, 2).reverse().map(unescape).filter(Boolean).join(' ');
    else if (prop === 'ORG') card.org = unescape(value.split(';')[0]);
    else if (prop === 'TEL') card.tels.push(value.replace(/^tel:/i, ''));
    else if (prop === 'END') {
      const company = card.org || null;
      const name = card.fn || card.n || company;
      if (name) {
        for (const tel of card.tels) {
          const key = directoryKey(tel, region);
          if (!key) skipped += 1;
          else if (!directory.has(key)) directory.set(key, { name, company });
        }
      }
      card = undefined;
    }
  }
  return { directory, skipped };
}
