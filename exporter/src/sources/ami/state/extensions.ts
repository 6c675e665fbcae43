import type { Call, ExtensionState, ExtensionStateName, Party } from '../../../domain';
import { known } from '../classify';
import { ignoreRefused, MAX_NAMES, roomFor, type Refused } from './caps';
import type { AmiEventBase } from '../messages';

/** Asterisk device states → ours. RINGINUSE: a call is up and another rings, the phone is in a call. */
const DEVICE_STATES: Record<string, ExtensionStateName> = {
  NOT_INUSE: 'idle',
  INUSE: 'in_call',
  BUSY: 'busy',
  RINGING: 'ringing',
  RINGINUSE: 'in_call',
  ONHOLD: 'on_hold',
  UNAVAILABLE: 'unavailable',
  INVALID: 'unknown',
  UNKNOWN: 'unknown',
};

/** PJSIPShowEndpoints' DeviceState is spelled for humans. */
const ENDPOINT_STATES: Record<string, string> = {
  'not in use': 'NOT_INUSE',
  'in use': 'INUSE',
  busy: 'BUSY',
  ringing: 'RINGING',
  'ring+inuse': 'RINGINUSE',
  'on hold': 'ONHOLD',
  unavailable: 'UNAVAILABLE',
  invalid: 'INVALID',
  unknown: 'UNKNOWN',
};

/** ExtensionStatus bitmask (hint state), used only for extensions whose device we never hear about. */
function hintState(status: number): ExtensionStateName {
  if (status < 0) return 'unknown';
  if (status & 4) return 'unavailable';
  if (status & 16) return 'on_hold';
  if (status & 1) return 'in_call';
  if (status & 8) return 'ringing';
  if (status & 2) return 'busy';
  return 'idle';
}

const REGISTERED = new Set(['reachable', 'nonqualified', 'created', 'updated', 'registered', 'ok', 'unqualified']);
const UNREGISTERED = new Set(['unreachable', 'removed', 'unregistered', 'rejected', 'unavailable']);

interface Ext {
  extension: string;
  name?: string;
  /** from contacts / PeerStatus; undefined until the PBX told */
  contactRegistered?: boolean;
  rttMs?: number;
  device?: string;
  hint?: number;
  dnd: boolean;
  call?: { callId: string; counterpart?: Party; startedAt: number };
  idleSince?: number;
  lastState?: ExtensionStateName;
  voicemail?: { new: number; old: number };
  conference?: string;
  updatedAt: number;
}

/** A contact report (ContactStatus, PeerStatus, a ContactList item): registered or not, and the qualify RTT. */
function contact(e: Ext, status: string | undefined, roundtripUsec?: string): void {
  const s = (status ?? '').toLowerCase();
  if (REGISTERED.has(s)) e.contactRegistered = true;
  else if (UNREGISTERED.has(s)) e.contactRegistered = false;
  const rtt = Number(roundtripUsec);
  if (Number.isFinite(rtt) && rtt > 0) e.rttMs = rtt / 1000;
}

/**
 * Live extension state: registration (contacts / PeerStatus, with RTT), device or hint state, FreePBX DND
 * (`Custom:DND<ext>`), voicemail counts, queue memberships and the current call.
 */
export class ExtensionBook {
  private readonly exts = new Map<string, Ext>();
  /** calls each extension is in, by call id */
  private readonly inCalls = new Map<string, Set<string>>();

  constructor(
    private readonly pbx: string,
    /** the runtime's live feed: passes on only what changed */
    private readonly publish: (e: ExtensionState) => void,
    private readonly memberships: (extension: string) => ExtensionState['queues'],
    /** endpoint names that are trunks, not extensions */
    private readonly isTrunk: (endpoint: string) => boolean,
    private readonly refused: Refused = ignoreRefused,
    private readonly limit: number = MAX_NAMES.extension,
  ) {}

  private ext(extension: string, at: number): Ext | undefined {
    if (!extension || this.isTrunk(extension)) return undefined;
    let e = this.exts.get(extension);
    if (!e) {
      if (!roomFor(this.exts, this.limit, 'extension', extension, this.refused)) return undefined;
      this.exts.set(extension, (e = { extension, dnd: false, updatedAt: at }));
    }
    e.updatedAt = Math.max(e.updatedAt, at);
    return e;
  }

  get(extension: string): ExtensionState | undefined {
    const e = this.exts.get(extension);
    return e && this.state(e);
  }

  /** The device state wins over the hint; with neither, registration decides between idle and unavailable. */
  private state(e: Ext): ExtensionState {
    const registered = e.contactRegistered ?? (e.device !== undefined ? e.device !== 'UNAVAILABLE' : e.hint !== undefined ? (e.hint & 4) === 0 : false);
    let state: ExtensionStateName = e.device !== undefined ? (DEVICE_STATES[e.device] ?? 'unknown') : e.hint !== undefined ? hintState(e.hint) : 'unknown';
    if (!registered) state = 'unavailable';
    else if (state === 'unavailable') state = 'idle'; // a contact just registered; the device state follows shortly
    if (state === 'idle' && e.dnd) state = 'dnd';
    if (state === 'unknown' && registered) state = e.dnd ? 'dnd' : 'idle';
    if (state !== e.lastState) {
      if ((state === 'idle' || state === 'dnd') && e.lastState !== undefined && e.lastState !== 'idle' && e.lastState !== 'dnd') e.idleSince = e.updatedAt;
      else if (state !== 'idle' && state !== 'dnd') e.idleSince = undefined;
      e.lastState = state;
    }
    const s: ExtensionState = {
      pbx: this.pbx,
      extension: e.extension,
      registered,
      state,
      dnd: e.dnd,
      queues: this.memberships(e.extension),
      updatedAt: e.updatedAt,
    };
    if (e.name) s.name = e.name;
    if (e.rttMs !== undefined) s.rttMs = e.rttMs;
    if (e.call) {
      s.callId = e.call.callId;
      if (e.call.counterpart) s.counterpart = e.call.counterpart;
      s.callStartedAt = e.call.startedAt;
    }
    if (e.idleSince !== undefined && (state === 'idle' || state === 'dnd')) s.idleSince = e.idleSince;
    if (e.voicemail) s.voicemail = { ...e.voicemail };
    if (e.conference !== undefined) s.conference = e.conference;
    return s;
  }

  private mark(e: Ext | undefined): void {
    if (e) this.publish(this.state(e));
  }

  /** A queue membership of this extension changed: republish (a queue member is an extension we know now). */
  changed(extension: string, at: number = Date.now()): void {
    this.mark(this.ext(extension, this.exts.get(extension)?.updatedAt ?? at));
  }

  /** Applies a live or list event; returns true when it was about extensions. */
  handle(ev: AmiEventBase, at: number): boolean {
    switch (ev.Event) {
      case 'DeviceStateChange': {
        const device = ev.Device ?? '';
        const state = (ev.State ?? '').toUpperCase();
        const dnd = /^Custom:DND(.+)$/i.exec(device);
        if (dnd) {
          const e = this.ext(dnd[1], at);
          if (e) {
            e.dnd = state === 'BUSY' || state === 'INUSE';
            this.mark(e);
          }
          return true;
        }
        const phone = /^(PJSIP|SIP|IAX2|DAHDI)\/([^/]+)$/i.exec(device);
        if (phone) {
          const e = this.ext(phone[2], at);
          if (e) {
            e.device = state;
            this.mark(e);
          }
        }
        return true;
      }
      case 'ExtensionStatus': {
        const exten = ev.Exten ?? '';
        // only plain extensions with a device hint; `*76…` feature-code hints mirror Custom:DND
        if (!/^[0-9]+$/.test(exten) || !ev.Hint || !/^(PJSIP|SIP|IAX2|DAHDI)\//i.test(ev.Hint)) return true;
        const e = this.ext(exten, at);
        if (e) {
          e.hint = Number(ev.Status);
          this.mark(e);
        }
        return true;
      }
      case 'ContactStatus': {
        const e = this.ext(ev.AOR ?? ev.EndpointName ?? '', at);
        if (!e) return true;
        contact(e, ev.ContactStatus, ev.RoundtripUsec);
        this.mark(e);
        return true;
      }
      case 'PeerStatus': {
        const m = /^(?:PJSIP|SIP|IAX2)\/(.+)$/i.exec(ev.Peer ?? '');
        const e = m ? this.ext(m[1], at) : undefined;
        if (!e) return true;
        contact(e, ev.PeerStatus);
        this.mark(e);
        return true;
      }
      case 'MessageWaiting': {
        const box = (ev.Mailbox ?? '').split('@')[0];
        const e = this.ext(box, at);
        if (!e) return true;
        e.voicemail = { new: Number(ev.New) || 0, old: Number(ev.Old) || 0 };
        this.mark(e);
        return true;
      }
      // list items of the resync actions
      case 'EndpointList': {
        const e = this.ext(ev.ObjectName ?? '', at);
        if (!e) return true;
        const device = ENDPOINT_STATES[(ev.DeviceState ?? '').toLowerCase()];
        if (device) e.device = device;
        this.mark(e);
        return true;
      }
      case 'ContactList': {
        const e = this.ext(ev.Endpoint ?? ev.Aor ?? (ev.ObjectName ?? '').split(';')[0], at);
        if (!e) return true;
        contact(e, ev.Status, ev.RoundtripUsec);
        this.mark(e);
        return true;
      }
      case 'VoicemailUserEntry': {
        const e = this.ext(ev.VoiceMailbox ?? '', at);
        if (!e) return true;
        const name = known(ev.Fullname);
        if (name) e.name = name;
        e.voicemail = { new: Number(ev.NewMessageCount) || 0, old: Number(ev.OldMessageCount) || 0 };
        this.mark(e);
        return true;
      }
      default:
        return false;
    }
  }

  /** The extension entered a conference room, or left it (`room` undefined). */
  conference(extension: string, room: string | undefined, at: number): void {
    const e = this.ext(extension, at);
    if (!e || e.conference === room) return;
    e.conference = room;
    this.mark(e);
  }

  /** The extension's display name, when the PBX told it. */
  nameOf(extension: string): string | undefined {
    return this.exts.get(extension)?.name;
  }

  /** Contacts we will hear about again: before a PJSIPShowContacts answer, forget registrations. */
  clearContacts(): void {
    for (const e of this.exts.values()) e.contactRegistered = undefined;
  }

  /** A call changed: which extensions are in it, with whom, since when. Names learnt from calls fill gaps. */
  onCall(call: Call): void {
    const at = call.endedAt ?? Date.now();
    const origin = call.legs[0];
    for (const leg of call.legs) {
      if (leg.role !== 'extension') continue;
      const e = this.ext(leg.party.number, leg.startedAt);
      if (!e) continue;
      if (!e.name && leg.party.name) e.name = leg.party.name;
      let calls = this.inCalls.get(e.extension);
      const live = call.open && leg.endedAt === undefined;
      if (live) {
        if (!calls) this.inCalls.set(e.extension, (calls = new Set()));
        calls.add(call.id);
        const counterpart = leg === origin ? (call.answeredBy ?? call.to) : call.from;
        const prev = e.call;
        const startedAt = leg.answeredAt ?? leg.startedAt;
        if (!prev || prev.callId !== call.id || prev.startedAt !== startedAt || prev.counterpart?.number !== counterpart.number) {
          e.call = { callId: call.id, counterpart, startedAt };
          this.mark(e);
        }
      } else if (calls?.delete(call.id)) {
        if (e.call?.callId === call.id) e.call = undefined;
        e.updatedAt = Math.max(e.updatedAt, leg.endedAt ?? at);
        this.mark(e);
      }
    }
    if (!call.open) {
      // legs that vanished from the record (moved to another call) must not leave a stale current call behind
      for (const [ext, calls] of this.inCalls) {
        if (calls.delete(call.id)) {
          const e = this.exts.get(ext);
          if (e?.call?.callId === call.id) {
            e.call = undefined;
            this.mark(e);
          }
        }
      }
    }
  }
}
