import type { ConferenceParticipant, ConferenceState } from '../../../domain';
import { known } from '../classify';
import type { AmiEventBase } from '../messages';

interface Room {
  room: string;
  startedAt: number;
  /** by leg (Uniqueid, or the channel name when a list item carries none) */
  members: Map<string, ConferenceParticipant>;
  updatedAt: number;
}

const yes = (v: string | undefined): boolean => /^(yes|true|1)$/i.test(v ?? '');

/**
 * Live conference rooms (ConfBridge) and who is in each: ConfbridgeStart / Join / Leave / End / Mute / Unmute, and the
 * ConfbridgeListRooms + ConfbridgeList answers of a resync. A room that ends is published once with no participants,
 * then forgotten. Extensions in a room are told to the extension book, so the wall can show them "in conference".
 */
export class ConferenceBook {
  private readonly rooms = new Map<string, Room>();

  constructor(
    private readonly pbx: string,
    private readonly publish: (c: ConferenceState) => void,
    /** the published call a leg belongs to */
    private readonly callOf: (leg: string) => string | undefined,
    /** the extension a channel is a phone of (`PJSIP/1003-00000000` → `1003`), or undefined for trunks and plumbing */
    private readonly extensionOf: (channel: string) => string | undefined,
    /** an extension entered a room, or left it (room undefined) */
    private readonly inConference: (extension: string, room: string | undefined, at: number) => void,
  ) {}

  private state(r: Room): ConferenceState {
    return {
      pbx: this.pbx,
      room: r.room,
      startedAt: r.startedAt,
      participants: [...r.members.values()].map((m) => {
        const callId = m.callId ?? this.callOf(m.leg);
        return callId ? { ...m, callId } : { ...m };
      }),
      updatedAt: r.updatedAt,
    };
  }

  private room(name: string, at: number): Room {
    let r = this.rooms.get(name);
    if (!r) this.rooms.set(name, (r = { room: name, startedAt: at, members: new Map(), updatedAt: at }));
    r.updatedAt = Math.max(r.updatedAt, at);
    return r;
  }

  private join(name: string, ev: AmiEventBase, at: number, joinedAt = at): void {
    const leg = ev.Uniqueid ?? ev.Channel;
    if (!leg) return;
    const r = this.room(name, at);
    const num = known(ev.CallerIDNum);
    const callerName = known(ev.CallerIDName);
    const extension = ev.Channel ? this.extensionOf(ev.Channel) : undefined;
    const member: ConferenceParticipant = {
      leg,
      party: { number: extension ?? num ?? '', ...(callerName ? { name: callerName } : {}) },
      joinedAt: r.members.get(leg)?.joinedAt ?? joinedAt,
      admin: yes(ev.Admin),
      muted: yes(ev.Muted),
    };
    if (ev.Channel) member.channel = ev.Channel;
    if (extension) member.extension = extension;
    r.members.set(leg, member);
    if (extension) this.inConference(extension, name, at);
    this.publish(this.state(r));
  }

  private leave(leg: string | undefined, at: number, only?: string): void {
    if (!leg) return;
    for (const r of this.rooms.values()) {
      if (only !== undefined && r.room !== only) continue;
      const m = r.members.get(leg);
      if (!m) continue;
      r.members.delete(leg);
      r.updatedAt = Math.max(r.updatedAt, at);
      if (m.extension) this.inConference(m.extension, undefined, at);
      this.publish(this.state(r));
    }
  }

  private end(name: string, at: number): void {
    const r = this.rooms.get(name);
    if (!r) return;
    for (const m of [...r.members.keys()]) this.leave(m, at, name);
    this.rooms.delete(name);
    r.updatedAt = Math.max(r.updatedAt, at);
    this.publish(this.state(r));
  }

  /** Applies a live event; returns true when it was about conferences. */
  handle(ev: AmiEventBase, at: number): boolean {
    const name = ev.Conference;
    switch (ev.Event) {
      case 'ConfbridgeStart':
        if (name) this.publish(this.state(this.room(name, at)));
        return true;
      case 'ConfbridgeJoin':
        if (name) this.join(name, ev, at);
        return true;
      case 'ConfbridgeLeave':
        this.leave(ev.Uniqueid ?? ev.Channel, at, name);
        return true;
      case 'ConfbridgeEnd':
        if (name) this.end(name, at);
        return true;
      case 'ConfbridgeMute':
      case 'ConfbridgeUnmute': {
        const m = name ? this.rooms.get(name)?.members.get(ev.Uniqueid ?? ev.Channel ?? '') : undefined;
        if (!m || !name) return true;
        m.muted = ev.Event === 'ConfbridgeMute';
        this.publish(this.state(this.room(name, at)));
        return true;
      }
      case 'Hangup':
        // a member whose Leave we missed (events lost, a crash of the module) is gone with its channel
        this.leave(ev.Uniqueid, at);
        return false;
      default:
        return false;
    }
  }

  /**
   * The answers of ConfbridgeListRooms and ConfbridgeList after a (re)connect: the rooms and members the PBX has now.
   * Rooms not listed have ended meanwhile; members not listed have left.
   */
  resync(items: AmiEventBase[], at: number): void {
    const listed = new Map<string, AmiEventBase[]>();
    for (const it of items) {
      if (!it.Conference) continue;
      if (!listed.has(it.Conference)) listed.set(it.Conference, []);
      if (it.Event === 'ConfbridgeList') listed.get(it.Conference)!.push(it);
    }
    for (const name of [...this.rooms.keys()]) if (!listed.has(name)) this.end(name, at);
    for (const [name, members] of listed) {
      const r = this.room(name, at);
      const present = new Set(members.map((m) => m.Uniqueid ?? m.Channel));
      for (const leg of [...r.members.keys()]) if (!present.has(leg)) this.leave(leg, at, name);
      for (const m of members) {
        const answered = Number(m.AnsweredTime);
        this.join(name, m, at, Number.isFinite(answered) && answered > 0 ? at - answered * 1000 : at);
      }
      if (members.length === 0) this.publish(this.state(r));
    }
  }
}
