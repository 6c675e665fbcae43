/**
 * What a 3CX party is, from either vocabulary: the CDR output's types (`Extension`, `Line`, `Queue`, `VMail`…) and
 * the v20 `cdroutput` dn/entity types (`extension`, `provider`, `external_line`, `ring_group_ring_all`, `script`…).
 * Only `extension` and `external` can be people; everything else is the PBX answering for itself.
 */
export type PartyClass = 'extension' | 'external' | 'queue' | 'ringgroup' | 'voicemail' | 'service' | 'unknown';

const CLASSES: Record<string, PartyClass> = {
  extension: 'extension',
  line: 'external',
  provider: 'external',
  external: 'external',
  external_line: 'external',
  externalline: 'external',
  trunk: 'external',
  queue: 'queue',
  ringgroup: 'ringgroup',
  ring_group: 'ringgroup',
  ring_group_ring_all: 'ringgroup',
  ring_group_hunt: 'ringgroup',
  huntgroup: 'ringgroup',
  vmail: 'voicemail',
  voicemail: 'voicemail',
  vmail_console: 'voicemail',
  ivr: 'service',
  script: 'service',
  process: 'service',
  inbound_routing: 'service',
  outbound_rule: 'service',
  parking: 'service',
  park: 'service',
  conference: 'service',
  fax: 'service',
  bridge: 'service',
  special: 'service',
};

export function classify(type: string | null | undefined): PartyClass {
  if (!type) return 'unknown';
  return CLASSES[type.trim().toLowerCase()] ?? 'unknown';
}

export const isGroup = (c: PartyClass): c is 'queue' | 'ringgroup' => c === 'queue' || c === 'ringgroup';

/** `Ext.10016` → `10016`: the CDR output prefixes extension numbers; records and metrics key extensions by number. */
export function bareNumber(text: string | null | undefined): string {
  return (text ?? '').trim().replace(/^ext\.\s*/i, '');
}

/** A display name worth keeping: not empty and not just the number again. */
export function nameOf(name: string | null | undefined, number: string): string | undefined {
  const n = (name ?? '').trim();
  return n && n !== number && bareNumber(n) !== number ? n : undefined;
}
