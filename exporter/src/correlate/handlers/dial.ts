import type { DialEnded, DialStarted } from '../../domain/leg-events';
import type { Ledger } from '../ledger';
import { merge } from '../merge';
import type { CallTracker, LegState } from '../tracker';

/** A leg dials another: the call is offered, and the target (maybe seen under another key) joins it. */
export function dialStarted(l: Ledger, t: CallTracker, leg: LegState, ev: DialStarted): void {
  const target = l.legs.get(ev.target);
  t.offered = true;
  if (!target) return;
  let call = t;
  const other = l.trackerOf(target);
  if (other && other !== t) call = merge(l, t, other, ev.at, [target]);
  if (target.call !== call && target.endedAt === undefined) l.moveLeg(target, call);
  target.dial = { by: leg.id, at: ev.at, ...(ev.position ? { position: ev.position } : {}) };
  // the number a trunk leg was asked to dial is the external party
  if (target.kind === 'trunk' && ev.number) target.party = { number: ev.number };
}

export function dialEnded(l: Ledger, ev: DialEnded): void {
  const t = l.legs.get(ev.target);
  if (!t) return;
  if (!t.dial) t.dial = { by: ev.leg, at: ev.at };
  // ANSWER sticks: parallel dials report the losers after the winner
  if (t.dial.outcome !== 'answer') t.dial.outcome = ev.outcome;
  t.dial.endedAt ??= ev.at;
}
