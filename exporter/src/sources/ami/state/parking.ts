import type { ParkedCall, ParkingState } from '../../../domain';
import { extensionOfInterface, known } from '../classify';
import type { AmiEventBase } from '../messages';

/** Events that end a stay in a parking space: retrieved, timed out back to the parker, the caller gave up. */
const UNPARKED = new Set(['UnParkedCall', 'ParkedCallTimeOut', 'ParkedCallGiveUp']);

/**
 * Calls parked right now (res_parking): ParkedCall / UnParkedCall / ParkedCallTimeOut / ParkedCallGiveUp /
 * ParkedCallSwap, and the ParkedCalls list of a resync. One state per PBX: the list of parked calls, by lot and space.
 */
export class ParkingBook {
  /** by parkee leg (Uniqueid) */
  private readonly parked = new Map<string, ParkedCall>();
  private updatedAt = 0;

  constructor(
    private readonly pbx: string,
    private readonly publish: (p: ParkingState) => void,
    /** the published call a leg belongs to */
    private readonly callOf: (leg: string) => string | undefined,
    /** an extension's name, for the parker */
    private readonly nameOf: (extension: string) => string | undefined = () => undefined,
  ) {}

  state(): ParkingState {
    const calls = [...this.parked.values()]
      .map((p) => {
        const callId = p.callId ?? this.callOf(p.leg);
        return callId ? { ...p, callId } : { ...p };
      })
      .sort((a, b) => a.lot.localeCompare(b.lot) || a.slot.localeCompare(b.slot, 'en', { numeric: true }));
    return { pbx: this.pbx, calls, updatedAt: this.updatedAt };
  }

  private changed(at: number): void {
    this.updatedAt = Math.max(this.updatedAt, at);
    this.publish(this.state());
  }

  private park(ev: AmiEventBase, at: number): void {
    const leg = ev.ParkeeUniqueid;
    const slot = ev.ParkingSpace;
    if (!leg || !slot) return;
    const num = known(ev.ParkeeCallerIDNum);
    const name = known(ev.ParkeeCallerIDName);
    // who parked: the parker's channel when the PBX names it, else the device a timed-out call returns to
    const parker = known(ev.ParkerCallerIDNum) ?? (ev.ParkerDialString ? extensionOfInterface(ev.ParkerDialString) : undefined);
    const duration = Number(ev.ParkingDuration);
    const timeout = Number(ev.ParkingTimeout);
    const p: ParkedCall = {
      lot: ev.Parkinglot ?? 'default',
      slot,
      leg,
      party: { number: num ?? '', ...(name ? { name } : {}) },
      parkedAt: this.parked.get(leg)?.parkedAt ?? at - (Number.isFinite(duration) && duration > 0 ? duration * 1000 : 0),
    };
    if (ev.ParkeeChannel) p.channel = ev.ParkeeChannel;
    if (parker) {
      const parkerName = known(ev.ParkerCallerIDName) ?? this.nameOf(parker);
      p.parker = parkerName ? { number: parker, name: parkerName } : { number: parker };
    }
    if (Number.isFinite(timeout) && timeout > 0) p.timeoutAt = at + timeout * 1000;
    this.parked.set(leg, p);
  }

  /** Applies a live event; returns true when it was about parking. */
  handle(ev: AmiEventBase, at: number): boolean {
    if (ev.Event === 'ParkedCall') {
      this.park(ev, at);
      this.changed(at);
      return true;
    }
    if (ev.Event === 'ParkedCallSwap') {
      // another channel took the parked one's place in the same space
      for (const [leg, p] of this.parked) if (p.slot === ev.ParkingSpace && (p.lot === (ev.Parkinglot ?? 'default'))) this.parked.delete(leg);
      this.park(ev, at);
      this.changed(at);
      return true;
    }
    if (UNPARKED.has(ev.Event) || ev.Event === 'Hangup') {
      const leg = ev.Event === 'Hangup' ? ev.Uniqueid : ev.ParkeeUniqueid;
      if (leg && this.parked.delete(leg)) this.changed(at);
      return ev.Event !== 'Hangup';
    }
    return false;
  }

  /** The ParkedCalls answer after a (re)connect: exactly these calls are parked now. */
  resync(items: AmiEventBase[], at: number): void {
    this.parked.clear();
    for (const it of items) if (it.Event === 'ParkedCall') this.park(it, at);
    this.changed(at);
  }
}
