import type { Party } from '../../domain';
import type { Transferred } from '../../domain/leg-events';
import type { Ledger } from '../ledger';
import { carryOver, merge } from '../merge';
import { recompute } from '../talk';
import type { CallTracker, LegState } from '../tracker';

/** Everything a transfer involves is one call from then on; the record notes who handed whom to whom. */
export function transfer(l: Ledger, ev: Transferred): void {
  const at = ev.at;
  const legs = (ids: string[]): LegState[] => ids.map((id) => l.legs.get(id)).filter((x): x is LegState => !!x);
  const parties = legs(ev.parties);
  const by = legs(ev.by);
  // everything involved is one call from now on; the parties carry on in it
  let t: CallTracker | undefined;
  for (const key of ev.calls) {
    const other = l.owners.get(key);
    if (!other) continue;
    t = t && t !== other ? merge(l, t, other, at, parties) : other;
  }
  t ??= parties.map((x) => l.trackerOf(x)).find((x) => !!x) ?? by.map((x) => l.trackerOf(x)).find((x) => !!x);
  if (!t) return;
  for (const x of parties) if (x.call !== t && x.endedAt === undefined) carryOver(l, x, t, at);
  t.lastAt = Math.max(t.lastAt, at);
  const byParty = by[0]?.party;
  if (!byParty) return;
  let from: Party | undefined;
  let to: Party | undefined = ev.to;
  if (ev.kind === 'blind') from = parties[0]?.party;
  else {
    // of the two parties joined, the one that was in this call all along was handed over to the other
    const call = t;
    const home = parties.find((x) => x.startedAt <= (call.answeredAt ?? call.startedAt) && x !== by[0]) ?? parties.find((x) => x === call.origin);
    const other = parties.find((x) => x !== home);
    from = home?.party;
    to = other?.party ?? to;
  }
  if (!to) return;
  t.transfers.push({
    kind: ev.kind,
    at,
    by: { ...byParty },
    ...(from ? { from: { ...from } } : {}),
    to: { ...to },
  });
  recompute(l, t, at);
  l.out.touch(t);
}
