import { QUEUES, RING_GROUP } from './office';
import * as calls from './scenarios';
import { idle, type Script } from './script';

/**
 * The demo's opening minute: one call of every kind a wall or a history shows (answered, missed, busy, voicemail,
 * ring group, queue answered and abandoned, hold, blind and attended transfer), so a new user sees each of them within
 * 60 s of `npm start` instead of waiting minutes for the dice. Ordinary office traffic takes over afterwards.
 */
export interface TourStop {
  /** PBX milliseconds after the tour starts */
  at: number;
  /** what a user should find in the history once it has ended */
  shows: string;
  /** phones that must be free first (waited for, briefly: the tour is a show, not a test of contention) */
  phones: string[];
  play(s: Script): Promise<void>;
}

/** Every wait of a tour call is at most this long (PBX time), so the whole tour ends inside the first minute. */
export const TOUR_WAIT_CAP_MS = 4000;

const [support, sales] = QUEUES;

// Each phone has one call at a time, planned so that no stop waits for another (waits are capped at 4 s each):
// ring group 1001–1003, support queue 1003–1004 (1005 is paused there), sales queue rings 1006 first.
export const TOUR: TourStop[] = [
  { at: 0, shows: 'busy outbound call', phones: ['1008'], play: (s) => calls.outbound(s, '1008', 'busy') },
  { at: 0, shows: 'answered inbound call', phones: ['1005'], play: (s) => calls.inboundDirect(s, '1005', 'answer') },
  { at: 1000, shows: 'ring group answered', phones: RING_GROUP.members, play: (s) => calls.ringGroup(s, true) },
  {
    at: 2000,
    shows: 'missed call (the caller gave up)',
    phones: ['1008'],
    play: (s) => calls.inboundDirect(s, '1008', 'giveup'),
  },
  { at: 3000, shows: 'queue call abandoned', phones: ['1006'], play: (s) => calls.queueCall(s, sales, false) },
  {
    at: 8000,
    shows: 'voicemail after no answer',
    phones: ['1008'],
    play: (s) => calls.inboundDirect(s, '1008', 'noanswer'),
  },
  { at: 11000, shows: 'queue call answered', phones: ['1003', '1004'], play: (s) => calls.queueCall(s, support, true) },
  {
    at: 11000,
    shows: 'internal call with a hold',
    phones: ['1007', '1002'],
    play: (s) => calls.internal(s, '1007', '1002', true, true),
  },
  { at: 12000, shows: 'blind transfer', phones: ['1006', '1001'], play: (s) => calls.blindTransfer(s, '1006', '1001') },
  {
    at: 17000,
    shows: 'attended transfer',
    phones: ['1005', '1008'],
    play: (s) => calls.attendedTransfer(s, '1005', '1008'),
  },
];

/** When ordinary traffic starts: after the last tour call has begun and most have ended. */
export const TOUR_LENGTH_MS = 30000;

/** A script whose waits are capped: the tour shows each kind briefly, with the same events as a full-length call. */
export function brisk(s: Script, capMs = TOUR_WAIT_CAP_MS): Script {
  return { ...s, sleep: (ms) => s.sleep(Math.min(ms, capMs)) };
}

/** Waits (PBX time, up to 15 s) until the stop's phones are free, then plays it. */
export async function playStop(s: Script, stop: TourStop): Promise<void> {
  for (let waited = 0; waited < 15000 && idle(s.pbx, stop.phones).length < stop.phones.length; waited += 250)
    await s.sleep(250);
  await stop.play(s);
}
