import { parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js/max';

/** What the number itself says: its E.164 form, country and kind (libphonenumber-js with its full metadata). */
export interface NumberInfo {
  e164: string;
  /** ISO 3166 country, e.g. DE */
  country: string | null;
  /** the country's English name, e.g. Germany */
  place: string | null;
  /** FIXED_LINE, MOBILE, TOLL_FREE, … as libphonenumber names them; null when it cannot tell */
  type: string | null;
  /** international format: +49 30 1234567 */
  formatted: string;
  /** country calling code, 49: where the town data is kept */
  callingCode: string;
  /** national significant number, 301234567: what the town data is keyed by */
  national: string;
}

const regionNames = new Intl.DisplayNames(['en'], { type: 'region' });
/** each country's name made once: Intl makes a new string every time, and cached answers would keep each copy */
const placeNames = new Map<string, string | null>();
function placeOf(country: string): string | null {
  let name = placeNames.get(country);
  if (name === undefined) placeNames.set(country, (name = regionNames.of(country) ?? null));
  return name;
}

/**
 * Parses a number as a PBX writes it: E.164, with a 00 prefix, or national in `region` (030 1234567 in DE).
 * undefined for what is no valid phone number (an extension, a withheld number).
 */
export function numberInfo(raw: string, region?: string): NumberInfo | undefined {
  const text = raw.trim().replace(/^00/, '+');
  if (!/\d{5,}/.test(text.replace(/\D/g, ''))) return undefined;
  const p = parsePhoneNumberFromString(text, region as CountryCode | undefined);
  if (!p || !p.isValid()) return undefined;
  const country = p.country ?? null;
  return {
    e164: p.number,
    country,
    place: country ? placeOf(country) : null,
    type: p.getType() ?? null,
    formatted: p.formatInternational(),
    callingCode: p.countryCallingCode,
    national: p.nationalNumber,
  };
}

/** Landlines can carry direct-dial extensions after a company's main number; mobiles cannot. */
export const isLandline = (info: NumberInfo): boolean =>
  info.type === 'FIXED_LINE' || info.type === 'FIXED_LINE_OR_MOBILE';
