import type { StampDoubt } from '../../hub';

/**
 * Which PBX timestamps correlation may believe. The PBX's clock is correlation's (ring and talk times come from its
 * stamps; a replayed day keeps its own dates), but one event stamped absurdly — a corrupted Timestamp, a date in
 * another century, milliseconds sent as seconds — must not drag every call with it: the correlation clock only moves
 * forward, so one stamp days ahead would age every live call by days and end every call in its grace window at once.
 * A stamp is doubted when it is
 *   - not a positive number;
 *   - more than `maxJumpMs` ahead of the PBX time we expect now (its newest believed stamp plus the time that passed
 *     here since), or more than `maxJumpMs` behind that newest stamp;
 *   - the first stamp of all and more than `maxFirstOffMs` away from our own clock.
 * An event with a doubted stamp is kept and handled at the expected time; the source counts it. A run of
 * `confirmations` doubted stamps that agree with each other is the PBX's clock really being elsewhere (it was set, or
 * the first stamp was the odd one): they are believed from then on.
 */
export type StampVerdict =
  | { at: number; believed: true; /** the clock moved to a new reading, backwards too */ rebased: boolean }
  | { at: number; believed: false; reason: StampDoubt };

export interface PbxClockOptions {
  maxJumpMs?: number;
  maxFirstOffMs?: number;
  confirmations?: number;
}

const DAY = 86_400_000;

export class PbxClock {
  private readonly maxJumpMs: number;
  private readonly maxFirstOffMs: number;
  private readonly confirmations: number;
  /** the newest believed stamp and when it arrived here */
  private last?: { stamp: number; arrival: number };
  /** the latest doubted stamp, and how many doubted ones in a row agree with it */
  private doubted?: { stamp: number; arrival: number; run: number };

  constructor(opts: PbxClockOptions = {}) {
    this.maxJumpMs = opts.maxJumpMs ?? DAY;
    // a replayed or synthetic day may be dated weeks away from this machine's clock; a year is no clock at all
    this.maxFirstOffMs = opts.maxFirstOffMs ?? 365 * DAY;
    this.confirmations = opts.confirmations ?? 3;
  }

  judge(stamp: number, arrival: number): StampVerdict {
    const expected = this.expected(this.last, arrival) ?? arrival;
    const reason = this.doubt(stamp, expected);
    if (!reason) {
      this.doubted = undefined;
      if (!this.last || stamp >= this.last.stamp) this.last = { stamp, arrival };
      return { at: stamp, believed: true, rebased: false };
    }
    if (reason !== 'not a number') {
      const d = this.doubted;
      const agrees = d !== undefined && Math.abs(stamp - this.expected(d, arrival)!) <= this.maxJumpMs;
      this.doubted = { stamp, arrival, run: agrees ? d.run + 1 : 1 };
      if (this.doubted.run >= this.confirmations) {
        this.doubted = undefined;
        this.last = { stamp, arrival };
        return { at: stamp, believed: true, rebased: true };
      }
    }
    return { at: expected, believed: false, reason };
  }

  /** The PBX's time at `arrival` as the newest believed stamp says; undefined before any was believed. */
  at(arrival: number): number | undefined {
    return this.expected(this.last, arrival);
  }

  private expected(from: { stamp: number; arrival: number } | undefined, arrival: number): number | undefined {
    return from && from.stamp + Math.max(0, arrival - from.arrival);
  }

  private doubt(stamp: number, expected: number): StampDoubt | undefined {
    if (!Number.isFinite(stamp) || stamp <= 0) return 'not a number';
    if (!this.last) return Math.abs(stamp - expected) > this.maxFirstOffMs ? (stamp > expected ? 'far ahead' : 'far behind') : undefined;
    if (stamp > expected + this.maxJumpMs) return 'far ahead';
    if (stamp < this.last.stamp - this.maxJumpMs) return 'far behind';
    return undefined;
  }
}
