import { known } from './classify';
import type { AmiEventBase } from './messages';

/**
 * Which bridges are conference rooms. A ConfBridge room is one bridge holding every member, and each member is a
 * call of its own, so its Enter/Leave must not reach correlation as a bridge. A room's bridge is known by its
 * creator (`BridgeCreator: ConfBridge`, Asterisk 13.13+), from ConfbridgeStart / Join, or as the bridge a channel
 * running ConfBridge enters (older versions name no creator).
 */
export class ConferenceRooms {
  /** bridge id → room */
  private readonly bridges = new Map<string, string>();
  /** channel (Uniqueid) running a conference application → room */
  private readonly channels = new Map<string, string>();

  /** The room of the bridge a BridgeEnter / BridgeLeave is about, if that bridge is a conference room. */
  bridge(ev: AmiEventBase): string | undefined {
    const id = ev.BridgeUniqueid;
    if (!id) return undefined;
    const room = this.bridges.get(id);
    if (room !== undefined) return room;
    const app = ev.Uniqueid ? this.channels.get(ev.Uniqueid) : undefined;
    const byCreator = (ev.BridgeCreator ?? '').toLowerCase() === 'confbridge';
    if (!byCreator && !(app !== undefined && ev.Event === 'BridgeEnter')) return undefined;
    const name = (byCreator ? known(ev.BridgeName) : undefined) ?? app ?? id;
    this.bridges.set(id, name);
    return name;
  }

  room(bridge: string | undefined, room: string | undefined): void {
    if (bridge && room) this.bridges.set(bridge, room);
  }

  /** A bridge is gone (BridgeDestroy): its id is never used again. */
  destroyed(bridge: string | undefined): void {
    if (bridge) this.bridges.delete(bridge);
  }

  enter(channel: string, room: string): void {
    this.channels.set(channel, room);
  }

  /** The channel runs another dialplan application now (or hung up): it left any conference application. */
  exitApp(channel: string | undefined): void {
    if (channel) this.channels.delete(channel);
  }

  inRoom(channel: string): string | undefined {
    return this.channels.get(channel);
  }
}
