import type { ConferenceEvent } from '../../domain/leg-events';
import type { Ledger } from '../ledger';
import { recompute } from '../talk';
import type { CallTracker, LegState } from '../tracker';

/**
 * A conference room answers each call that reaches it. Every member's call stays its own record: the room's bridge
 * is never a bridge between calls (the AMI translator keeps it out of the topology), so here the room stands in as
 * the party the leg talks to while it is inside. The stand-in is not one of the call's legs and never in a bridge.
 */

export function roomParty(room: string): { number: string; name: string } {
  return { number: room, name: `Conference ${room}` };
}

function roomLeg(leg: LegState, room: string, at: number): LegState {
  return { id: `${leg.id}@conference`, kind: 'other', party: roomParty(room), startedAt: at, phase: 'up', bridges: new Set() };
}

export function conferenceJoined(l: Ledger, t: CallTracker, leg: LegState, ev: ConferenceEvent): void {
  // a caller in a room is a call, whoever dialled whom (a phone that dialled the room never rang anybody)
  t.offered = true;
  if (leg.room?.party.number === ev.room) return; // the app start, the bridge and ConfbridgeJoin all say it
  leg.room = roomLeg(leg, ev.room, ev.at);
  // a call transferred into the room: the transfer's target gets the room's name
  const last = t.transfers[t.transfers.length - 1];
  if (last && last.to.number === ev.room && !last.to.name) last.to = roomParty(ev.room);
  recompute(l, t, ev.at);
}

export function conferenceLeft(l: Ledger, t: CallTracker, leg: LegState, ev: ConferenceEvent): void {
  if (!leg.room || leg.room.party.number !== ev.room) return;
  leg.room = undefined;
  recompute(l, t, ev.at);
}
