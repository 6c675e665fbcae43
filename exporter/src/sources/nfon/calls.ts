// Long on purpose (about 300 lines): one state machine, NFON call events → leg events, whose transitions
// (open, ring, answer, hang up, unseen) all read and write the same open-call table.

import type { Call, Direction, Leg, Party } from '../../domain';
import type { DialOutcome, LegEvent, LegKind } from '../../domain/leg-events';
import type { NfonCall } from './events';

/** What the call translator needs to know about the tenant. */
export interface TenantBook {
  /** the K-Account: the context of internal numbers */
  account: string;
  /** the extension's name, when the extension list has it */
  nameOf(extension: string): string | undefined;
  /** whether `number` is one of the tenant's extensions; undefined while the extension list is not known */
  isExtension(number: string): boolean | undefined;
  /** the name of one of the tenant's own numbers (`headlineNumbers`) */
  headline(number: string): string | undefined;
  /** a login / logout code the number starts with, and the queue it applies to */
  agentCode(number: string): { login: boolean; queue: string } | undefined;
}

/** A special code was dialled: queue-agent state, not a call. */
export interface AgentChange {
  extension: string;
  queue: string;
  loggedIn: boolean;
  at: number;
}

export interface Translated {
  legs: LegEvent[];
  agent?: AgentChange;
}

interface OpenCall {
  uuid: string;
  direction: Direction;
  caller: string;
  /** callee legs still ringing (or dialling), by number */
  rung: Map<string, string>;
  /** the leg that answered and its number */
  answerer?: { leg: string; number: string };
  /** the caller's extension (outbound and internal calls) */
  callerExtension?: string;
  /** a `ring` or `answer` was seen: the other side was reached */
  reached: boolean;
  lastAt: number;
}

/** How long a finished call's uuid is remembered: the other extensions' late events for it are no new call. */
const DONE_MS = 3600_000;
/** `done` is not pruned below this size */
const PRUNE_MIN = 1000;

/**
 * NFON call events → canonical leg events. A call is one `uuid`, whichever extensions report it: its caller is one leg
 * (`<uuid>:from`) and every party rung another (`<uuid>:to:<number>`), so a call rung at several extensions is one
 * record (missed only if none answered). Direction: `internal` when both numbers are in the K-Account's context and
 * the caller is one of its extensions, else the first event's `direction` (NFON gives it from `extension`'s view).
 * NFON sends no cause: a status follows from the sequence alone (see README.md).
 */
export class CallTranslator {
  private readonly calls = new Map<string, OpenCall>();
  /** uuids finished (or spanning an outage, or agent codes) → when: their stragglers are ignored */
  private readonly done = new Map<string, number>();
  /** `done` is pruned when it reaches this: twice what the last pruning kept, so a busy hour is not scanned per event */
  private pruneAt = PRUNE_MIN;

  constructor(
    private readonly pbx: string,
    private readonly book: TenantBook,
  ) {}

  /** The connection was lost: the open calls end `incomplete` (the runtime's settle); their late events are ignored. */
  forgetOpen(at: number): void {
    for (const uuid of this.calls.keys()) this.done.set(uuid, at);
    this.calls.clear();
  }

  /** Calls silent since `before` (NFON never sent their hangup): forgotten; correlation closes them. */
  forgetSilent(before: number): void {
    for (const [uuid, c] of this.calls) {
      if (c.lastAt < before) {
        this.calls.delete(uuid);
        this.done.set(uuid, c.lastAt);
      }
    }
  }

  translate(ev: NfonCall, at: number): Translated {
    this.prune(at);
    const uuid = ev.uuid;
    if (this.done.has(uuid)) return { legs: [] };
    let c = this.calls.get(uuid);
    if (!c) {
      const code = ev.direction === 'outbound' ? this.book.agentCode(ev.callee) : undefined;
      if (code) {
        this.done.set(uuid, at);
        return { legs: [], agent: { extension: ev.extension, queue: code.queue, loggedIn: code.login, at } };
      }
    }
    switch (ev.state) {
      case 'dial':
      case 'ring': {
        const out: LegEvent[] = [];
        if (!c) [c] = this.open(ev, at, out);
        c.lastAt = Math.max(c.lastAt, at);
        if (ev.state === 'ring') c.reached = true;
        out.push(...this.rings(c, ev, at, ev.state === 'ring' ? 'ringing' : 'down'));
        return { legs: out };
      }
      case 'answer': {
        const out: LegEvent[] = [];
        // a call answered before we connected: it starts here, its ringing unseen
        if (!c) [c] = this.open(ev, at, out);
        c.lastAt = Math.max(c.lastAt, at);
        c.reached = true;
        out.push(...this.answer(c, ev, at));
        return { legs: out };
      }
      case 'hangup':
        if (!c) return { legs: this.unseen(ev, at) };
        c.lastAt = Math.max(c.lastAt, at);
        return { legs: this.hangup(c, ev, at) };
      default:
        // start, caller-*, end: click-to-dial requests' own states, not the monitoring stream's
        return { legs: [] };
    }
  }

  // ---- the parties -------------------------------------------------------------------------------------------------

  private direction(ev: NfonCall): Direction {
    const account = this.book.account;
    if (ev.caller_context === account && ev.callee_context === account) {
      // NFON's own example has an outside caller in the K-Account's context: the extension list decides when known
      const caller = ev.direction === 'outbound' ? ev.extension : ev.caller;
      if (this.book.isExtension(caller) !== false) return 'internal';
    }
    return ev.direction;
  }

  private extensionParty(number: string): Party {
    const name = this.book.nameOf(number);
    return name ? { number, name } : { number };
  }

  /** The party called, seen from this event: the extension rung (inbound), else the number dialled. */
  private calleeOf(c: OpenCall, ev: NfonCall): { number: string; kind: LegKind; party: Party } {
    if (ev.direction === 'inbound') return { number: ev.extension, kind: 'extension', party: this.extensionParty(ev.extension) };
    if (c.direction === 'internal') return { number: ev.callee, kind: 'extension', party: this.extensionParty(ev.callee) };
    return { number: ev.callee, kind: 'trunk', party: { number: ev.callee } };
  }

  private open(ev: NfonCall, at: number, out: LegEvent[]): [OpenCall] {
    const direction = this.direction(ev);
    // an outbound event is the caller's own: its extension is the caller, whatever number NFON shows for it
    const callerNumber = ev.direction === 'outbound' ? ev.extension : ev.caller;
    const c: OpenCall = { uuid: ev.uuid, direction, caller: `${ev.uuid}:from`, rung: new Map(), reached: false, lastAt: at };
    if (direction !== 'inbound') c.callerExtension = callerNumber;
    this.calls.set(ev.uuid, c);
    const party = direction === 'inbound' ? { number: callerNumber } : this.extensionParty(callerNumber);
    const dialledName = direction === 'inbound' ? this.book.headline(ev.callee) : undefined;
    out.push({
      type: 'legStarted',
      at,
      call: ev.uuid,
      leg: c.caller,
      kind: direction === 'inbound' ? 'trunk' : 'extension',
      party,
      phase: 'ringing',
      ...(ev.callee ? { dialled: ev.callee } : {}),
      ...(dialledName ? { dialledName } : {}),
    });
    return [c];
  }

  /** The party this event is about starts ringing (or being dialled). */
  private rings(c: OpenCall, ev: NfonCall, at: number, phase: 'ringing' | 'down'): LegEvent[] {
    const callee = this.calleeOf(c, ev);
    if (c.answerer?.number === callee.number) return [];
    const known = c.rung.get(callee.number);
    if (known) return phase === 'ringing' ? [{ type: 'legPhase', at, call: c.uuid, leg: known, phase }] : [];
    if (c.answerer) return []; // a late ring for a call somebody else answered
    const leg = `${c.uuid}:to:${callee.number}`;
    c.rung.set(callee.number, leg);
    return [
      { type: 'legStarted', at, call: c.uuid, leg, kind: callee.kind, party: callee.party, phase },
      { type: 'dialStarted', at, call: c.uuid, leg: c.caller, target: leg },
    ];
  }

  private answer(c: OpenCall, ev: NfonCall, at: number): LegEvent[] {
    if (c.answerer) return [];
    const callee = this.calleeOf(c, ev);
    const out = this.rings(c, ev, at, 'ringing');
    const leg = c.rung.get(callee.number)!;
    for (const [n, other] of c.rung) {
      if (n === callee.number) continue;
      out.push({ type: 'dialEnded', at, call: c.uuid, leg: c.caller, target: other, outcome: 'cancel' }, { type: 'legEnded', at, call: c.uuid, leg: other });
    }
    c.rung = new Map();
    c.answerer = { leg, number: callee.number };
    out.push(
      { type: 'dialEnded', at, call: c.uuid, leg: c.caller, target: leg, outcome: 'answer' },
      { type: 'legPhase', at, call: c.uuid, leg, phase: 'up' },
      { type: 'legPhase', at, call: c.uuid, leg: c.caller, phase: 'up' },
      { type: 'joined', at, call: c.uuid, leg, bridge: c.uuid },
      { type: 'joined', at, call: c.uuid, leg: c.caller, bridge: c.uuid },
    );
    return out;
  }

  /**
   * A hangup seen from one extension. One of several extensions rung stops ringing (a group call goes on at the
   * others; the last one to stop ends it); the caller's side (an outbound event) or the answerer hanging up ends it.
   */
  private hangup(c: OpenCall, ev: NfonCall, at: number): LegEvent[] {
    if (ev.direction === 'inbound') {
      const leg = c.rung.get(ev.extension);
      if (leg) {
        c.rung.delete(ev.extension);
        const out: LegEvent[] = [
          { type: 'dialEnded', at, call: c.uuid, leg: c.caller, target: leg, outcome: 'noanswer' },
          { type: 'legEnded', at, call: c.uuid, leg },
        ];
        if (c.rung.size === 0 && !c.answerer) out.push(...this.end(c, at, 'noanswer'));
        return out;
      }
      // a loser's hangup after somebody else answered: its leg has ended already
      if (c.answerer && c.answerer.number !== ev.extension) return [];
    }
    // dialled, and the other side never rang: an extension talking in another call was busy; else not answered
    const busy = !c.reached && c.direction === 'internal' && [...c.rung.keys()].some((n) => this.talking(n, c.uuid));
    return this.end(c, at, busy ? 'busy' : 'noanswer');
  }

  /** Nothing of the call is ringing any more: whatever still is, ends now. */
  private end(c: OpenCall, at: number, outcome: DialOutcome): LegEvent[] {
    this.calls.delete(c.uuid);
    this.done.set(c.uuid, at);
    const out: LegEvent[] = [];
    for (const leg of c.rung.values()) out.push({ type: 'dialEnded', at, call: c.uuid, leg: c.caller, target: leg, outcome });
    for (const leg of [...c.rung.values(), ...(c.answerer ? [c.answerer.leg] : []), c.caller]) out.push({ type: 'legEnded', at, call: c.uuid, leg });
    return out;
  }

  /** `extension` talks in another answered call right now, as its answerer or its caller. */
  private talking(extension: string, uuid: string): boolean {
    for (const c of this.calls.values()) {
      if (c.uuid === uuid || !c.answerer) continue;
      if (c.answerer.number === extension || c.callerExtension === extension) return true;
    }
    return false;
  }

  /**
   * A hangup for a call we saw nothing of. Rung at an extension that talks in another call: the caller got busy. Else
   * the call began before we connected (NFON documents exactly this): recorded as `incomplete`, nothing guessed.
   */
  private unseen(ev: NfonCall, at: number): LegEvent[] {
    this.done.set(ev.uuid, at);
    const direction = this.direction(ev);
    const callerNumber = ev.direction === 'outbound' ? ev.extension : ev.caller;
    const from = direction === 'inbound' ? { number: callerNumber } : this.extensionParty(callerNumber);
    const calleeNumber = ev.direction === 'inbound' ? ev.extension : ev.callee;
    const callee = direction === 'outbound' ? { number: calleeNumber } : this.extensionParty(calleeNumber);
    const busy = ev.direction === 'inbound' && this.talking(ev.extension, ev.uuid);
    const headline = direction === 'inbound' ? this.book.headline(ev.callee) : undefined;
    const to: Party = direction === 'inbound' && ev.callee ? (headline ? { number: ev.callee, name: headline } : { number: ev.callee }) : callee;
    const legs: Leg[] = [
      { id: `${ev.uuid}:from`, party: from, role: direction === 'inbound' ? 'trunk' : 'extension', startedAt: at, endedAt: at },
      {
        id: `${ev.uuid}:to:${calleeNumber}`,
        party: callee,
        role: direction === 'outbound' ? 'trunk' : 'extension',
        startedAt: at,
        endedAt: at,
        ...(busy ? { outcome: 'busy' as const } : {}),
      },
    ];
    const record: Omit<Call, 'pbx'> = {
      id: `${this.pbx}-${ev.uuid}`,
      direction,
      status: busy ? 'busy' : 'incomplete',
      open: false,
      startedAt: at,
      endedAt: at,
      ringMs: 0,
      talkMs: 0,
      holdMs: 0,
      from,
      to,
      legs,
      transfers: [],
      holds: [],
    };
    return [{ type: 'callRecorded', at, call: ev.uuid, record }];
  }

  private prune(at: number): void {
    if (this.done.size < this.pruneAt) return;
    for (const [uuid, t] of this.done) if (t < at - DONE_MS) this.done.delete(uuid);
    this.pruneAt = Math.max(PRUNE_MIN, 2 * this.done.size);
  }
}
