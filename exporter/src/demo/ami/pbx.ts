// Long on purpose (about 390 lines): in Asterisk one change ripples through channel, device-state, hint and
// queue-member events in a fixed order (a hangup frees a device, which updates its hint and every queue membership).
// SimPbx keeps that ripple in one class so its frames come out in the order of the real captures.

import type { Frame } from './ami-server';
import { PEOPLE, QUEUES, TRUNK } from './office';

const STATE_DESC: Record<number, string> = { 0: 'Down', 4: 'Ring', 5: 'Ringing', 6: 'Up', 7: 'Busy' };
const DEVICE_TO_HINT: Record<string, [number, string]> = {
  NOT_INUSE: [0, 'Idle'],
  INUSE: [1, 'InUse'],
  BUSY: [2, 'Busy'],
  UNAVAILABLE: [4, 'Unavailable'],
  RINGING: [8, 'Ringing'],
  RINGINUSE: [9, 'InUse&Ringing'],
  ONHOLD: [16, 'Hold'],
};
const DEVICE_TO_MEMBER: Record<string, number> = { NOT_INUSE: 1, INUSE: 2, BUSY: 3, UNAVAILABLE: 5, RINGING: 6, RINGINUSE: 7, ONHOLD: 8 };

export interface Channel {
  name: string;
  endpoint: string;
  uniqueid: string;
  linkedid: string;
  state: number;
  callerNum: string;
  callerName: string;
  connNum: string;
  connName: string;
  context: string;
  exten: string;
  priority: number;
  app: string;
  appData: string;
  bridge?: string;
  createdAt: number;
  held?: boolean;
}

export interface Member {
  queue: string;
  ext: string;
  name: string;
  paused: boolean;
  reason: string;
  callsTaken: number;
  lastCall: number;
}

/**
 * A tiny Asterisk core: channels, bridges, device states, queue members, mailboxes and registrations, and the AMI
 * events real Asterisk 22 sends when they change, in the same shapes and order as the captures in
 * test/fixtures/ami-rig (header sets, Timestamp, Dial/Bridge/Hangup sequences). Call scripts drive it.
 */
export class SimPbx {
  readonly channels = new Map<string, Channel>();
  readonly bridges = new Map<string, Set<string>>();
  readonly registered = new Map<string, boolean>();
  readonly dnd = new Set<string>();
  readonly mailboxes = new Map<string, { new: number; old: number }>();
  readonly members: Member[] = [];
  readonly devices = new Map<string, string>();
  trunkRegistered = true;
  readonly startedAt = Date.now();
  private seq = 0;
  private bridgeSeq = 0;

  constructor(private readonly emit: (frame: Frame) => void) {
    for (const p of PEOPLE) {
      this.registered.set(p.ext, true);
      this.devices.set(p.ext, 'NOT_INUSE');
      this.mailboxes.set(p.ext, { new: 0, old: 0 });
    }
    for (const q of QUEUES) {
      for (const ext of q.members) {
        const p = PEOPLE.find((x) => x.ext === ext)!;
        const reason = q.paused[ext];
        this.members.push({ queue: q.name, ext, name: p.name, paused: !!reason, reason: reason ?? '', callsTaken: 0, lastCall: 0 });
      }
    }
    this.mailboxes.set('1002', { new: 2, old: 5 });
    this.mailboxes.set('1004', { new: 1, old: 0 });
  }

  private ts(): string {
    return (Date.now() / 1000).toFixed(6);
  }

  event(name: string, privilege: string, fields: Frame): void {
    this.emit({ Event: name, Privilege: `${privilege},all`, Timestamp: this.ts(), ...fields });
  }

  channelFields(c: Channel, prefix = ''): Frame {
    return {
      [`${prefix}Channel`]: c.name,
      [`${prefix}ChannelState`]: c.state,
      [`${prefix}ChannelStateDesc`]: STATE_DESC[c.state] ?? 'Unknown',
      [`${prefix}CallerIDNum`]: c.callerNum || '<unknown>',
      [`${prefix}CallerIDName`]: c.callerName || '<unknown>',
      [`${prefix}ConnectedLineNum`]: c.connNum || '<unknown>',
      [`${prefix}ConnectedLineName`]: c.connName || '<unknown>',
      [`${prefix}Language`]: 'en',
      [`${prefix}AccountCode`]: '',
      [`${prefix}Context`]: c.context,
      [`${prefix}Exten`]: c.exten,
      [`${prefix}Priority`]: c.priority,
      [`${prefix}Uniqueid`]: c.uniqueid,
      [`${prefix}Linkedid`]: c.linkedid,
    };
  }

  // ---- channels ---------------------------------------------------------------------------------------------------

  newChannel(opts: {
    endpoint: string;
    context: string;
    exten: string;
    callerNum: string;
    callerName: string;
    state: number;
    linkedid?: string;
    local?: string;
    /** Originate's `ChannelId`: the caller names the channel */
    uniqueid?: string;
  }): Channel {
    const n = this.seq++;
    const uniqueid = opts.uniqueid ?? `${Math.floor(this.startedAt / 1000)}.${n}`;
    const name = opts.local ?? `PJSIP/${opts.endpoint}-${n.toString(16).padStart(8, '0')}`;
    const c: Channel = {
      name,
      endpoint: opts.endpoint,
      uniqueid,
      linkedid: opts.linkedid ?? uniqueid,
      state: opts.state,
      callerNum: opts.callerNum,
      callerName: opts.callerName,
      connNum: '',
      connName: '',
      context: opts.context,
      exten: opts.exten,
      priority: 1,
      app: '',
      appData: '',
      createdAt: Date.now(),
    };
    this.channels.set(uniqueid, c);
    this.event('Newchannel', 'call', this.channelFields(c));
    this.deviceChanged(c.endpoint);
    return c;
  }

  /** Two halves of a Local channel, `/n`: never optimised away, like FreePBX queue members. */
  newLocal(exten: string, context: string, linkedid: string): [Channel, Channel] {
    const n = this.seq;
    const base = `Local/${exten}@${context}-${n.toString(16).padStart(8, '0')}`;
    const one = this.newChannel({ endpoint: `local`, context, exten, callerNum: '', callerName: '', state: 0, linkedid, local: `${base};1` });
    const two = this.newChannel({ endpoint: `local`, context, exten, callerNum: '', callerName: '', state: 4, linkedid, local: `${base};2` });
    return [one, two];
  }

  /** Whether `c` still exists: a call script carries on after a Hangup action took its channels, saying nothing. */
  alive(...chans: Channel[]): boolean {
    return chans.every((c) => this.channels.has(c.uniqueid));
  }

  /** A channel by its name (`PJSIP/1001-00000004`), as actions name them. */
  channelNamed(name: string): Channel | undefined {
    return [...this.channels.values()].find((c) => c.name === name);
  }

  setState(c: Channel, state: number): void {
    if (!this.alive(c)) return;
    c.state = state;
    this.event('Newstate', 'call', this.channelFields(c));
    this.deviceChanged(c.endpoint);
  }

  newexten(c: Channel, app: string, appData: string, context = c.context, exten = c.exten): void {
    if (!this.alive(c)) return;
    c.context = context;
    c.exten = exten;
    c.priority++;
    c.app = app;
    c.appData = appData;
    this.event('Newexten', 'dialplan', { ...this.channelFields(c), Extension: exten, Application: app, AppData: appData });
  }

  connected(c: Channel, num: string, name: string): void {
    c.connNum = num;
    c.connName = name;
  }

  hangup(c: Channel, cause = 16): void {
    if (!this.channels.has(c.uniqueid)) return;
    if (c.bridge) this.bridgeLeave(c);
    const text: Record<number, string> = { 0: 'Unknown', 16: 'Normal Clearing', 17: 'User busy', 19: 'No answer', 26: 'Answered elsewhere', 34: 'Circuit/channel congestion' };
    this.event('Hangup', 'call', { ...this.channelFields(c), Cause: cause, 'Cause-txt': text[cause] ?? 'Unknown' });
    this.channels.delete(c.uniqueid);
    this.deviceChanged(c.endpoint);
  }

  // ---- dialling ---------------------------------------------------------------------------------------------------

  dialBegin(caller: Channel, dest: Channel, dialString: string): void {
    if (!this.alive(caller, dest)) return;
    this.event('DialBegin', 'call', { ...this.channelFields(caller), ...this.channelFields(dest, 'Dest'), DialString: dialString });
  }

  dialState(caller: Channel, dest: Channel, status = 'RINGING'): void {
    if (!this.alive(caller, dest)) return;
    this.event('DialState', 'call', { ...this.channelFields(caller), ...this.channelFields(dest, 'Dest'), DialStatus: status });
  }

  dialEnd(caller: Channel, dest: Channel, status: string): void {
    if (!this.alive(caller, dest)) return;
    this.event('DialEnd', 'call', { ...this.channelFields(caller), ...this.channelFields(dest, 'Dest'), DialStatus: status });
  }

  // ---- bridges ------------------------------------------------------------------------------------------------------

  private bridgeFields(id: string): Frame {
    return {
      BridgeUniqueid: id,
      BridgeType: 'basic',
      BridgeTechnology: 'simple_bridge',
      BridgeCreator: '<unknown>',
      BridgeName: '<unknown>',
      BridgeNumChannels: this.bridges.get(id)?.size ?? 0,
      BridgeVideoSourceMode: 'none',
    };
  }

  bridge(...all: Channel[]): string {
    const chans = all.filter((c) => this.alive(c));
    const n = this.bridgeSeq++;
    const id = `${n.toString(16).padStart(8, '0')}-5b1d-4c0e-9a57-${this.startedAt.toString(16).padStart(12, '0').slice(-12)}`;
    this.bridges.set(id, new Set());
    this.event('BridgeCreate', 'call', this.bridgeFields(id));
    for (const c of chans) this.bridgeEnter(id, c);
    return id;
  }

  bridgeEnter(id: string, c: Channel): void {
    const set = this.bridges.get(id);
    if (!set || !this.alive(c)) return;
    set.add(c.uniqueid);
    c.bridge = id;
    // the bridge makes every channel adopt its oldest Linkedid
    const oldest = [...set].map((u) => this.channels.get(u)!).filter(Boolean).map((x) => x.linkedid).sort(cmpId)[0];
    if (oldest) for (const u of set) { const x = this.channels.get(u); if (x) x.linkedid = oldest; }
    this.event('BridgeEnter', 'call', { ...this.bridgeFields(id), ...this.channelFields(c) });
  }

  bridgeLeave(c: Channel): void {
    const id = c.bridge;
    if (!id) return;
    const set = this.bridges.get(id);
    set?.delete(c.uniqueid);
    c.bridge = undefined;
    this.event('BridgeLeave', 'call', { ...this.bridgeFields(id), ...this.channelFields(c) });
    if (set && set.size === 0) {
      this.bridges.delete(id);
      this.event('BridgeDestroy', 'call', this.bridgeFields(id));
    }
  }

  hold(c: Channel, held: boolean, other?: Channel): void {
    if (!this.alive(c)) return;
    this.event(held ? 'Hold' : 'Unhold', 'call', { ...this.channelFields(c), ...(held ? { MusicClass: 'default' } : {}) });
    if (other) {
      other.held = held;
      this.deviceChanged(other.endpoint);
    }
  }

  // ---- state: devices, hints, queue members -----------------------------------------------------------------------

  private deviceOf(ext: string): string {
    if (!this.registered.get(ext)) return 'UNAVAILABLE';
    const chans = [...this.channels.values()].filter((c) => c.endpoint === ext);
    if (chans.some((c) => c.held)) return 'ONHOLD';
    const up = chans.some((c) => c.state === 6);
    const ringing = chans.some((c) => c.state === 5 || c.state === 0);
    if (up && ringing) return 'RINGINUSE';
    if (up || chans.some((c) => c.state === 4)) return 'INUSE';
    if (ringing) return 'RINGING';
    return 'NOT_INUSE';
  }

  deviceChanged(endpoint: string): void {
    if (endpoint === 'local') return;
    if (endpoint === TRUNK.endpoint) {
      const busy = [...this.channels.values()].some((c) => c.endpoint === endpoint);
      const state = busy ? 'INUSE' : 'NOT_INUSE';
      if (this.devices.get(endpoint) !== state) {
        this.devices.set(endpoint, state);
        this.event('DeviceStateChange', 'call', { Device: `PJSIP/${endpoint}`, State: state });
      }
      return;
    }
    const state = this.deviceOf(endpoint);
    if (this.devices.get(endpoint) === state) return;
    this.devices.set(endpoint, state);
    const [code, text] = DEVICE_TO_HINT[state] ?? [-1, 'Unknown'];
    this.event('ExtensionStatus', 'call', { Exten: endpoint, Context: 'ext-local', Hint: `PJSIP/${endpoint}`, Status: code, StatusText: text });
    this.event('DeviceStateChange', 'call', { Device: `PJSIP/${endpoint}`, State: state });
    for (const m of this.members.filter((x) => x.ext === endpoint)) this.memberEvent('QueueMemberStatus', m);
  }

  memberFields(m: Member): Frame {
    const state = this.devices.get(m.ext) ?? 'NOT_INUSE';
    return {
      Queue: m.queue,
      MemberName: m.name,
      Interface: `PJSIP/${m.ext}`,
      StateInterface: `PJSIP/${m.ext}`,
      Membership: 'static',
      Penalty: 0,
      CallsTaken: m.callsTaken,
      LastCall: m.lastCall,
      LastPause: 0,
      LoginTime: Math.floor(this.startedAt / 1000),
      InCall: state === 'INUSE' || state === 'ONHOLD' ? 1 : 0,
      Status: DEVICE_TO_MEMBER[state] ?? 0,
      Paused: m.paused ? 1 : 0,
      PausedReason: m.reason,
      Ringinuse: 0,
      Wrapuptime: 0,
    };
  }

  memberEvent(name: string, m: Member): void {
    this.event(name, 'agent', this.memberFields(m));
  }

  pause(ext: string, queue: string | undefined, paused: boolean, reason: string): number {
    let n = 0;
    for (const m of this.members) {
      if (m.ext !== ext || (queue && m.queue !== queue)) continue;
      m.paused = paused;
      m.reason = paused ? reason : '';
      this.event('DeviceStateChange', 'call', { Device: `Queue:${m.queue}_pause_PJSIP/${ext}`, State: paused ? 'INUSE' : 'NOT_INUSE' });
      this.memberEvent('QueueMemberPause', m);
      n++;
    }
    return n;
  }

  // ---- registrations, DND, voicemail ------------------------------------------------------------------------------

  setRegistered(ext: string, registered: boolean): void {
    if (this.registered.get(ext) === registered) return;
    this.registered.set(ext, registered);
    this.event('PeerStatus', 'system', { ChannelType: 'PJSIP', Peer: `PJSIP/${ext}`, PeerStatus: registered ? 'Reachable' : 'Unreachable' });
    this.deviceChanged(ext);
    this.event('ContactStatus', 'system', {
      URI: `sip:${ext}@192.0.2.${Number(ext) % 200}:5060`,
      ContactStatus: registered ? 'Reachable' : 'Removed',
      AOR: ext,
      EndpointName: ext,
      RoundtripUsec: registered ? rtt(ext) : 0,
    });
  }

  setDnd(ext: string, on: boolean): void {
    if (on) this.dnd.add(ext);
    else this.dnd.delete(ext);
    this.event('DeviceStateChange', 'call', { Device: `Custom:DND${ext}`, State: on ? 'BUSY' : 'NOT_INUSE' });
  }

  voicemailLeft(ext: string, c: Channel): void {
    if (!this.alive(c)) return;
    const box = this.mailboxes.get(ext) ?? { new: 0, old: 0 };
    box.new++;
    this.mailboxes.set(ext, box);
    this.event('MessageWaiting', 'call', { ...this.channelFields(c), Mailbox: `${ext}@default`, Waiting: 1, New: box.new, Old: box.old });
  }

  /** Somebody listened to their messages. */
  voicemailRead(ext: string): void {
    const box = this.mailboxes.get(ext);
    if (!box || box.new === 0) return;
    box.old += box.new;
    box.new = 0;
    this.event('MessageWaiting', 'call', { Mailbox: `${ext}@default`, Waiting: 0, New: 0, Old: box.old });
  }

  setTrunkRegistered(registered: boolean): void {
    this.trunkRegistered = registered;
    this.event('Registry', 'system', {
      ChannelType: 'pjsip',
      Username: TRUNK.clientUri,
      Domain: TRUNK.serverUri,
      Status: registered ? 'Registered' : 'Rejected',
      ...(registered ? {} : { Cause: '403 Forbidden' }),
    });
  }
}

/** A stable, plausible round-trip time per phone (µs). */
export function rtt(ext: string): number {
  return 8000 + (Number(ext) % 7) * 3100;
}

function cmpId(a: string, b: string): number {
  const [as, an] = a.split('.').map(Number);
  const [bs, bn] = b.split('.').map(Number);
  return as - bs || an - bn;
}
