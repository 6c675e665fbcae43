import { parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js/min';
import type { NumberFormat } from '../types';

/** A running duration: `0:42`, `12:05`, `1:02:03`. */
export function formatDuration(ms: number): string {
  const total = Math.max(0, Math.floor(ms / 1000));
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  const ss = String(s).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${ss}` : `${m}:${ss}`;
}

/** Idle time, coarse on purpose (it changes once a minute after the first): `45s`, `12m`, `2h 05m`, `3d 4h`. */
export function formatIdle(ms: number): string {
  const total = Math.max(0, Math.floor(ms / 1000));
  if (total < 60) {
    return `${total}s`;
  }
  const m = Math.floor(total / 60);
  if (m < 60) {
    return `${m}m`;
  }
  const h = Math.floor(m / 60);
  if (h < 24) {
    return `${h}h ${String(m % 60).padStart(2, '0')}m`;
  }
  return `${Math.floor(h / 24)}d ${h % 24}h`;
}

/**
 * A phone number for people: E.164 in international format (`+1 212 555 0101`); with a default country, national
 * numbers in national format. Extensions and anything unparsable stay as given.
 */
export function formatNumber(number: string | undefined, format: NumberFormat, country?: string): string {
  if (!number) {
    return '';
  }
  if (format === 'raw' || /^\d{1,6}$/.test(number)) {
    return number;
  }
  const cc = country && /^[A-Z]{2}$/i.test(country) ? (country.toUpperCase() as CountryCode) : undefined;
  const parsed = parsePhoneNumberFromString(number, cc);
  if (!parsed || !parsed.isPossible()) {
    return number;
  }
  if (format === 'national' && cc && parsed.country === cc) {
    return parsed.formatNational();
  }
  return parsed.formatInternational();
}

/** The other party as people know it: the name when there is one, else the formatted number. */
export function partyLabel(
  number: string | undefined,
  name: string | undefined,
  format: NumberFormat,
  country?: string
): { primary: string; secondary?: string } {
  const formatted = formatNumber(number, format, country);
  if (name && name !== number) {
    return { primary: name, secondary: formatted || undefined };
  }
  return { primary: formatted || 'unknown' };
}
