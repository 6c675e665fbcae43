import type { Party } from '../../domain';
import type { DialOutcome, LegEvent, LegKind, LegPhase } from '../../domain/leg-events';
import { InputRejected } from '../runtime/context';
import type { Classifier } from './classify';
import { extensionOfInterface, known, numberOfDialString, parseChannel } from './classify';
import type { AgentHeaders, AmiEventBase, AmiEventOf, ChannelHeaders } from './messages';
import { ConferenceRooms } from './rooms';

const PHASES: Record<string, LegPhase> = { '0': 'down', '4': 'ringing', '5': 'ringing', '6': 'up', '7': 'busy' };

const DIAL_OUTCOMES: Record<string, DialOutcome> = {
  ANSWER: 'answer',
  BUSY: 'busy',
  NOANSWER: 'noanswer',
  CANCEL: 'cancel',
  ABORT: 'cancel',
  CONGESTION: 'failed',
  CHANUNAVAIL: 'failed',
  INVALIDARGS: 'failed',
};

/** Thrown for an event that lacks what it must carry; the source counts it as rejected and goes on. */
export class BadEvent extends InputRejected {
  constructor(detail: string) {
    super('missing header', detail);
  }
}

function need(ev: AmiEventBase, header: string): string {
  const v = ev[header];
  if (v === undefined || v === '') throw new BadEvent(`${ev.Event} without ${header}`);
  return v;
}

export interface ChannelInfo {
  kind: LegKind;
  endpoint?: string;
}

/**
 * AMI → canonical leg events. Stateless except for what a channel is (kind, endpoint), remembered from its
 * Newchannel so later events need not re-classify it; trunk channels are counted per endpoint for the trunk gauges.
 */
export class Translator {
  readonly channels = new Map<string, ChannelInfo>();
  private readonly rooms = new ConferenceRooms();

  constructor(private readonly classifier: Classifier) {}

  /** Live trunk channels per trunk endpoint. */
  trunkCalls(): Map<string, number> {
    const out = new Map<string, number>();
    for (const c of this.channels.values()) {
      if (c.kind === 'trunk' && c.endpoint) out.set(c.endpoint, (out.get(c.endpoint) ?? 0) + 1);
    }
    return out;
  }

  /** Returns the leg events for one AMI event (often none: most AMI events are not about calls). */
  translate(ev: AmiEventBase, at: number): LegEvent[] {
    switch (ev.Event) {
      case 'Newchannel':
        return [this.newchannel(ev as AmiEventOf<'Newchannel'>, at)];
      case 'Newstate': {
        const phase = PHASES[ev.ChannelState ?? ''];
        return phase ? [{ type: 'legPhase', at, leg: need(ev, 'Uniqueid'), call: ev.Linkedid, phase }] : [];
      }
      case 'Hangup': {
        const leg = need(ev, 'Uniqueid');
        this.channels.delete(leg);
        this.rooms.exitApp(leg);
        const cause = Number(ev.Cause);
        return [{ type: 'legEnded', at, leg, call: ev.Linkedid, ...(ev.Cause && Number.isFinite(cause) ? { cause } : {}) }];
      }
      case 'DialBegin':
        return [this.dialBegin(ev as AmiEventOf<'DialBegin'>, at)];
      case 'DialEnd': {
        const status = need(ev, 'DialStatus').toUpperCase();
        return [
          {
            type: 'dialEnded',
            at,
            leg: need(ev, 'Uniqueid'),
            call: ev.Linkedid,
            target: need(ev, 'DestUniqueid'),
            outcome: DIAL_OUTCOMES[status] ?? 'other',
          },
        ];
      }
      case 'BridgeEnter':
      case 'BridgeLeave': {
        // a conference room's bridge joins no calls: its members talk to the room
        const room = this.rooms.bridge(ev as AmiEventOf<'BridgeEnter'>);
        if (room !== undefined) return [this.conference(ev, at, room, ev.Event === 'BridgeEnter')];
        return [
          {
            type: ev.Event === 'BridgeEnter' ? 'joined' : 'left',
            at,
            leg: need(ev, 'Uniqueid'),
            call: ev.Linkedid,
            bridge: need(ev, 'BridgeUniqueid'),
          },
        ];
      }
      case 'ConfbridgeStart':
        this.rooms.room(ev.BridgeUniqueid, ev.Conference);
        return [];
      case 'BridgeDestroy':
        this.rooms.destroyed(ev.BridgeUniqueid);
        return [];
      case 'ConfbridgeJoin':
      case 'ConfbridgeLeave': {
        const room = need(ev, 'Conference');
        this.rooms.room(ev.BridgeUniqueid, room);
        return [this.conference(ev, at, room, ev.Event === 'ConfbridgeJoin')];
      }
      case 'MeetmeJoin':
      case 'MeetmeLeave':
        return [this.conference(ev, at, need(ev, 'Meetme'), ev.Event === 'MeetmeJoin')];
      case 'BridgeMerge':
        return ev.FromBridgeUniqueid && ev.ToBridgeUniqueid ? [{ type: 'bridgesMerged', at, from: ev.FromBridgeUniqueid, into: ev.ToBridgeUniqueid }] : [];
      case 'Hold':
      case 'Unhold':
        return [{ type: 'hold', at, leg: need(ev, 'Uniqueid'), call: ev.Linkedid, held: ev.Event === 'Hold' }];
      case 'Newexten':
        return this.newexten(ev as AmiEventOf<'Newexten'>, at);
      case 'QueueCallerJoin':
        return [
          {
            type: 'queueJoined',
            at,
            leg: need(ev, 'Uniqueid'),
            call: ev.Linkedid,
            queue: need(ev, 'Queue'),
            position: Number(ev.Position) || 0,
          },
        ];
      case 'QueueCallerLeave':
      case 'QueueCallerAbandon':
        return [
          {
            type: 'queueLeft',
            at,
            leg: need(ev, 'Uniqueid'),
            call: ev.Linkedid,
            queue: need(ev, 'Queue'),
            abandoned: ev.Event === 'QueueCallerAbandon',
          },
        ];
      case 'AgentCalled':
      case 'AgentConnect':
        return [this.agent(ev as AmiEventOf<'AgentCalled'>, at)];
      case 'BlindTransfer':
        return this.blindTransfer(ev as AmiEventOf<'BlindTransfer'>, at);
      case 'AttendedTransfer':
        return this.attendedTransfer(ev as AmiEventOf<'AttendedTransfer'>, at);
      default:
        return [];
    }
  }

  /** A channel the PBX already had when we (re)connected, from CoreShowChannels. */
  existing(ev: AmiEventOf<'CoreShowChannel'>, at: number): LegEvent[] {
    const leg = this.newchannel({ ...ev, Event: 'Newchannel' } as AmiEventOf<'Newchannel'>, at);
    // the application it runs tells a call (Dial, Queue, VoiceMail) from a phone merely off-hook
    const out: LegEvent[] = [leg, ...this.newexten({ ...ev, Event: 'Newexten', AppData: ev.ApplicationData } as AmiEventOf<'Newexten'>, at)];
    const room = this.rooms.inRoom(leg.leg);
    if (room !== undefined && ev.BridgeId) this.rooms.room(ev.BridgeId, room);
    else if (ev.BridgeId) out.push({ type: 'joined', at, leg: leg.leg, call: ev.Linkedid, bridge: ev.BridgeId });
    return out;
  }

  private newchannel(ev: AmiEventOf<'Newchannel'>, at: number): LegEvent & { type: 'legStarted' } {
    const leg = need(ev, 'Uniqueid');
    const channel = need(ev, 'Channel');
    const name = parseChannel(channel);
    const kind = this.classifier.kind(name, ev.Context);
    this.channels.set(leg, { kind, ...(name ? { endpoint: name.resource } : {}) });
    return {
      type: 'legStarted',
      at,
      leg,
      call: ev.Linkedid,
      kind,
      party: partyOf(ev, kind, name?.resource),
      phase: PHASES[ev.ChannelState] ?? 'down',
      channel,
      ...(name ? { endpoint: name.resource } : {}),
      ...(known(ev.Exten) ? { dialled: ev.Exten } : {}),
      ...(name?.pair ? { pair: name.pair } : {}),
    };
  }

  private dialBegin(ev: AmiEventOf<'DialBegin'>, at: number): LegEvent {
    const target = need(ev, 'DestUniqueid');
    const dest = this.channels.get(target);
    const number = dest?.kind === 'trunk' ? numberOfDialString(ev.DialString) ?? known(ev.DestCallerIDNum) : undefined;
    return {
      type: 'dialStarted',
      at,
      leg: need(ev, 'Uniqueid'),
      call: ev.Linkedid,
      target,
      ...(known(ev.Exten) ? { position: ev.Exten } : {}),
      ...(number ? { number } : {}),
    };
  }

  private newexten(ev: AmiEventOf<'Newexten'>, at: number): LegEvent[] {
    const app = (ev.Application ?? '').toLowerCase();
    if (CONFERENCE_APPS.has(app)) {
      // the room answers when its application starts, before the join prompt is over and ConfbridgeJoin is sent
      const room = roomOfAppData(ev.AppData);
      if (!room) return [];
      this.rooms.enter(need(ev, 'Uniqueid'), room);
      return [this.conference(ev, at, room, true)];
    }
    this.rooms.exitApp(ev.Uniqueid);
    const service = app === 'voicemail' ? 'voicemail' : app === 'dial' ? 'dial' : app === 'queue' ? 'queue' : undefined;
    if (!service) return [];
    return [{ type: 'service', at, leg: need(ev, 'Uniqueid'), call: ev.Linkedid, service, ...(ev.AppData ? { data: ev.AppData } : {}) }];
  }

  private conference(ev: AmiEventBase, at: number, room: string, joined: boolean): LegEvent {
    return { type: joined ? 'conferenceJoined' : 'conferenceLeft', at, leg: need(ev, 'Uniqueid'), call: ev.Linkedid, room };
  }

  private agent(ev: AgentHeaders & AmiEventBase, at: number): LegEvent {
    const iface = need(ev, 'Interface');
    const name = known(ev.MemberName);
    return {
      type: ev.Event === 'AgentCalled' ? 'agentCalled' : 'agentConnected',
      at,
      leg: need(ev, 'Uniqueid'),
      call: ev.Linkedid,
      target: need(ev, 'DestUniqueid'),
      queue: need(ev, 'Queue'),
      member: { interface: iface, number: extensionOfInterface(iface), ...(name ? { name } : {}) },
    };
  }

  private blindTransfer(ev: AmiEventOf<'BlindTransfer'>, at: number): LegEvent[] {
    if ((ev.Result ?? '').toLowerCase() !== 'success') return [];
    const by = ev.TransfererUniqueid;
    const transferee = ev.TransfereeUniqueid;
    const exten = known(ev.Extension);
    if (!by || !exten) return [];
    return [
      {
        type: 'transfer',
        kind: 'blind',
        at,
        by: [by],
        parties: transferee ? [transferee] : [],
        to: { number: exten },
        calls: [ev.TransfererLinkedid, ev.TransfereeLinkedid].filter((x): x is string => !!x),
      },
    ];
  }

  private attendedTransfer(ev: AmiEventOf<'AttendedTransfer'>, at: number): LegEvent[] {
    if ((ev.Result ?? '').toLowerCase() !== 'success') return [];
    const by = [ev.OrigTransfererUniqueid, ev.SecondTransfererUniqueid].filter((x): x is string => !!x);
    const parties = [ev.TransfereeUniqueid, ev.TransferTargetUniqueid].filter((x): x is string => !!x);
    if (by.length === 0) return [];
    const calls = [ev.OrigTransfererLinkedid, ev.SecondTransfererLinkedid, ev.TransfereeLinkedid, ev.TransferTargetLinkedid];
    return [{ type: 'transfer', kind: 'attended', at, by, parties, calls: [...new Set(calls.filter((x): x is string => !!x))] }];
  }
}

const CONFERENCE_APPS = new Set(['confbridge', 'meetme']);

/** `ConfBridge(800,bridge_profile,…)` / `MeetMe(800,dM)`: the room is the first argument. */
function roomOfAppData(data: string | undefined): string | undefined {
  const room = (data ?? '').split(',')[0].trim();
  return room || undefined;
}

function partyOf(ev: ChannelHeaders, kind: LegKind, endpoint: string | undefined): Party {
  const num = known(ev.CallerIDNum);
  const name = known(ev.CallerIDName);
  // A phone is its endpoint: registration and device state are keyed by it, and its caller ID may already be the
  // company number an outbound route set (a channel found by CoreShowChannels after a reconnect carries that).
  // A dialled trunk has no number yet (DialBegin names it).
  const number = kind === 'extension' ? (endpoint ?? num ?? '') : kind === 'trunk' ? (num ?? '') : (num ?? endpoint ?? '');
  return name ? { number, name } : { number };
}
