import type { DataFrame } from '@grafana/data';
import { lookup, str, time } from './fields';

/** The parked-calls field contract (README "Field contract"): matched like the extension fields. */
export const PARKED_FIELDS = {
  slot: ['slot', 'space', 'parkingspace'],
  lot: ['lot', 'parkinglot'],
  party: ['party', 'caller', 'from'],
  partyName: ['partyname', 'callername', 'fromname'],
  parker: ['parker', 'parkedby'],
  parkerName: ['parkername', 'parkedbyname'],
  parkedAt: ['parkedat', 'since'],
  pbx: ['pbx', 'source'],
} as const;

/** One chip of the strip: a call waiting in a parking space. */
export interface ParkedRow {
  key: string;
  slot: string;
  lot?: string;
  party?: string;
  partyName?: string;
  parker?: string;
  parkerName?: string;
  parkedAt?: number;
  pbx?: string;
}

/** Rows of every parked-calls frame, longest parked first (the one most likely forgotten leads). */
export function parkedFromFrames(frames: DataFrame[]): ParkedRow[] {
  const rows = new Map<string, ParkedRow>();
  for (const frame of frames) {
    const f = lookup(frame, PARKED_FIELDS);
    if (!f.slot || !f.parkedAt) {
      continue;
    }
    for (let i = 0; i < frame.length; i++) {
      const slot = str(f.slot, i);
      if (!slot) {
        continue;
      }
      const pbx = str(f.pbx, i);
      const lot = str(f.lot, i);
      const key = `${pbx ?? ''}\u0000${lot ?? ''}\u0000${slot}`;
      rows.set(key, {
        key,
        slot,
        lot,
        party: str(f.party, i),
        partyName: str(f.partyName, i),
        parker: str(f.parker, i),
        parkerName: str(f.parkerName, i),
        parkedAt: time(f.parkedAt, i),
        pbx,
      });
    }
  }
  return Array.from(rows.values()).sort((a, b) => (a.parkedAt ?? Infinity) - (b.parkedAt ?? Infinity));
}
