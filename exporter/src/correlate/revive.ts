import { legIn, type CallCheckpoint } from './checkpoint';
import type { Ledger } from './ledger';
import { CallTracker } from './tracker';

/**
 * Rebuilds the tracker in the ledger: its keys owned again, its legs known under their source ids, the live ones in
 * their bridges and Local pairs. An offered call counts as published: the store has it. One not offered yet (a phone
 * that was dialling) is still no call; its saved checkpoint is dropped once it is offered or forgotten.
 */
export function revive(l: Ledger, c: CallCheckpoint): CallTracker {
  const t = new CallTracker(c.id, c.startedAt);
  t.lastAt = c.lastAt;
  // the correlation clock resumes where this call was last seen, never before it
  if (c.lastAt > l.clock) l.clock = c.lastAt;
  t.offered = c.offered;
  t.published = c.offered;
  if (!c.offered) l.out.savedUnoffered(t);
  for (const key of c.keys) l.claim(t, key);
  l.open.add(t);
  for (const saved of c.legs) {
    const leg = legIn(saved);
    leg.call = t;
    t.legs.set(leg.id, leg);
    l.legs.set(leg.id, leg);
    if (leg.endedAt === undefined) {
      l.topology.addPair(leg);
      for (const b of leg.bridges) l.topology.join(leg, b);
    }
  }
  if (c.origin) t.origin = t.legs.get(c.origin);
  if (c.answeredAt !== undefined) t.answeredAt = c.answeredAt;
  if (c.answeredBy) {
    const id = c.answeredBy.id;
    const room = [...t.legs.values()].find((leg) => leg.room?.id === id)?.room;
    t.answeredBy = t.legs.get(id) ?? room ?? legIn(c.answeredBy);
  }
  t.talkMs = c.talkMs;
  if (c.talkingSince !== undefined) t.talkingSince = c.talkingSince;
  t.holds.push(...c.holds);
  t.transfers.push(...c.transfers);
  if (c.queue) t.queue = c.queue;
  for (const [k, m] of c.members) t.members.set(k, m);
  t.voicemail = c.voicemail;
  t.dialApp = c.dialApp;
  if (c.restored) t.restored = c.restored;
  return t;
}
