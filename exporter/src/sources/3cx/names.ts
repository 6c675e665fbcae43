import type { Call, Party } from '../../domain';

/** Extensions are short digit strings; outside numbers keep whatever name the caller ID carried. */
const isExtension = (n: string): boolean => /^\d{2,6}$/.test(n);

/**
 * Extension display names as 3CX wrote them in records and membership: a record that names an extension only by
 * number (the CDR line's `final-dispname` left empty, a polled queue member) gets the name seen last for it.
 */
export class NameBook {
  private readonly names = new Map<string, string>();

  learn(p: Party): void {
    if (p.name && isExtension(p.number)) this.names.set(p.number, p.name);
  }

  fill(r: Omit<Call, 'pbx'>): void {
    const parties: Party[] = [r.from, r.to, ...(r.answeredBy ? [r.answeredBy] : []), ...r.legs.map((l) => l.party)];
    if (r.group) parties.push(...r.group.membersRung, ...(r.group.answeredBy ? [r.group.answeredBy] : []));
    for (const t of r.transfers) parties.push(t.by, t.to, ...(t.from ? [t.from] : []));
    for (const p of parties) this.learn(p);
    for (const p of parties) {
      if (p.name || !isExtension(p.number)) continue;
      const name = this.names.get(p.number);
      if (name) p.name = name;
    }
  }
}
