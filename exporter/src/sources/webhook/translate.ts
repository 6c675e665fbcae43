import type { Call, ExtensionState, Leg, LegRole, Party } from '../../domain';
import type { DialOutcome, LegEvent, LegKind } from '../../domain/leg-events';
import { instant, type CallEventJson, type IngestEventJson, type PartyJson } from '../../wire/call-events';

/** An event that is valid JSON but cannot be applied (an answer for a call never rung, a time that is no instant). */
export class UnusableEvent extends Error {
  constructor(
    readonly reason: string,
    detail: string,
  ) {
    super(detail);
    this.name = 'UnusableEvent';
  }
}

export type Translated = { legs: LegEvent[] } | { extension: ExtensionState };

interface OpenCall {
  direction: 'inbound' | 'outbound' | 'internal';
  caller: string;
  /** legs ringing now, by number */
  rung: Map<string, string>;
  answerer?: string;
  lastAt: number;
}

const party = (p: PartyJson): Party => (p.name ? { number: p.number, name: p.name } : { number: p.number });

/** Which side of a call is the outside world: the caller of an inbound call, the callee of an outbound one. */
function kinds(direction: OpenCall['direction']): { caller: LegKind; callee: LegKind } {
  if (direction === 'inbound') return { caller: 'trunk', callee: 'extension' };
  if (direction === 'outbound') return { caller: 'extension', callee: 'trunk' };
  return { caller: 'extension', callee: 'extension' };
}

const OUTCOME: Record<string, DialOutcome> = { busy: 'busy', noanswer: 'noanswer', failed: 'failed', cancel: 'cancel' };

/**
 * Canonical call events → the leg events correlation speaks. A call is the sender's `call` id; its caller is one
 * leg, every party it rings another (`<call>:to:<number>`), and answering joins the answerer and the caller in one
 * bridge named after the call. A transfer hands the caller from the answerer to a newly ringing party. Extension
 * events become extension state; a `call` event is a finished record, handed over whole.
 */
export class WebhookTranslator {
  private readonly calls = new Map<string, OpenCall>();
  private readonly extensionAt = new Map<string, number>();

  constructor(private readonly pbx: string) {}

  /** Calls the sender opened and never ended, silent since `before`: forgotten (correlation closes them). */
  forgetSilent(before: number): number {
    let n = 0;
    for (const [id, c] of this.calls) {
      if (c.lastAt < before) {
        this.calls.delete(id);
        n++;
      }
    }
    return n;
  }

  translate(ev: IngestEventJson): Translated {
    if (ev.type === 'call')
      return { legs: [{ type: 'callRecorded', at: this.time(ev.endedAt, 'endedAt'), record: this.record(ev) }] };
    if (ev.type === 'extension') return { extension: this.extension(ev) };
    const at = this.time(ev.at, 'at');
    const call = ev.call;
    if (ev.type === 'ring') return { legs: this.ring(call, at, ev.direction, party(ev.from), party(ev.to)) };
    const c = this.calls.get(call);
    if (!c)
      throw new UnusableEvent('unknown call', `${ev.type} for call "${call}", which was never rung (or has ended)`);
    c.lastAt = Math.max(c.lastAt, at);
    switch (ev.type) {
      case 'answer':
        return { legs: this.answer(call, c, at, ev.by && party(ev.by)) };
      case 'transfer':
        return { legs: this.transfer(call, c, at, party(ev.to)) };
      case 'hangup':
        return { legs: this.hangup(call, c, at, ev.reason) };
    }
  }

  private time(t: string | number, field: string): number {
    const ms = instant(t);
    if (ms === undefined)
      throw new UnusableEvent('bad time', `${field}: "${String(t).slice(0, 40)}" is no real date and time`);
    return ms;
  }

  private ring(call: string, at: number, direction: OpenCall['direction'], from: Party, to: Party): LegEvent[] {
    const k = kinds(direction);
    const out: LegEvent[] = [];
    let c = this.calls.get(call);
    if (!c) {
      c = { direction, caller: `${call}:from`, rung: new Map(), lastAt: at };
      this.calls.set(call, c);
      out.push({
        type: 'legStarted',
        at,
        call,
        leg: c.caller,
        kind: k.caller,
        party: from,
        phase: 'ringing',
        dialled: to.number,
      });
    }
    c.lastAt = Math.max(c.lastAt, at);
    out.push(...this.rings(call, c, at, to));
    return out;
  }

  /** `to` starts ringing (again) for this call's caller. */
  private rings(call: string, c: OpenCall, at: number, to: Party): LegEvent[] {
    if (c.rung.has(to.number)) return [];
    const leg = `${call}:to:${to.number}`;
    c.rung.set(to.number, leg);
    return [
      { type: 'legStarted', at, call, leg, kind: kinds(c.direction).callee, party: to, phase: 'ringing' },
      { type: 'dialStarted', at, call, leg: c.caller, target: leg },
    ];
  }

  private answer(call: string, c: OpenCall, at: number, by?: Party): LegEvent[] {
    if (c.answerer) return [];
    const out: LegEvent[] = [];
    let number = by?.number ?? [...c.rung.keys()][0];
    if (number === undefined) throw new UnusableEvent('nobody rung', `answer for call "${call}" without a party`);
    if (by && !c.rung.has(by.number)) out.push(...this.rings(call, c, at, by));
    number = by?.number ?? number;
    const leg = c.rung.get(number)!;
    for (const [n, other] of c.rung) {
      if (n === number) continue;
      out.push(
        { type: 'dialEnded', at, call, leg: c.caller, target: other, outcome: 'cancel' },
        { type: 'legEnded', at, call, leg: other },
      );
    }
    c.rung = new Map([[number, leg]]);
    c.answerer = leg;
    out.push(
      { type: 'dialEnded', at, call, leg: c.caller, target: leg, outcome: 'answer' },
      { type: 'legPhase', at, call, leg, phase: 'up' },
      { type: 'legPhase', at, call, leg: c.caller, phase: 'up' },
      { type: 'joined', at, call, leg, bridge: call },
      { type: 'joined', at, call, leg: c.caller, bridge: call },
    );
    return out;
  }

  private transfer(call: string, c: OpenCall, at: number, to: Party): LegEvent[] {
    const by = c.answerer;
    if (!by) throw new UnusableEvent('not answered', `transfer of call "${call}" before anybody answered it`);
    c.answerer = undefined;
    c.rung = new Map();
    return [
      { type: 'transfer', at, call, kind: 'blind', by: [by], parties: [c.caller], to, calls: [call] },
      { type: 'left', at, call, leg: by, bridge: call },
      { type: 'legEnded', at, call, leg: by },
      ...this.rings(call, c, at, to),
    ];
  }

  private hangup(call: string, c: OpenCall, at: number, reason: string | undefined): LegEvent[] {
    this.calls.delete(call);
    const out: LegEvent[] = [];
    if (!c.answerer) {
      const outcome = OUTCOME[reason ?? 'noanswer'] ?? 'noanswer';
      for (const leg of c.rung.values()) out.push({ type: 'dialEnded', at, call, leg: c.caller, target: leg, outcome });
    }
    for (const leg of [...c.rung.values(), c.caller]) out.push({ type: 'legEnded', at, call, leg });
    return out;
  }

  private extension(ev: Extract<IngestEventJson, { type: 'extension' }>): ExtensionState {
    const at = this.time(ev.at, 'at');
    const last = this.extensionAt.get(ev.extension);
    if (last !== undefined && at < last)
      throw new UnusableEvent('stale', `extension ${ev.extension}: a newer state is already known`);
    this.extensionAt.set(ev.extension, at);
    const state: ExtensionState = {
      pbx: this.pbx,
      extension: ev.extension,
      registered: ev.registered ?? ev.state !== 'unavailable',
      state: ev.state,
      dnd: ev.dnd ?? ev.state === 'dnd',
      queues: [],
      updatedAt: at,
    };
    if (ev.name) state.name = ev.name;
    return state;
  }

  /** A finished call as the sender describes it; durations it leaves out follow from its times. */
  private record(ev: CallEventJson): Omit<Call, 'pbx'> {
    const startedAt = this.time(ev.startedAt, 'startedAt');
    const endedAt = this.time(ev.endedAt, 'endedAt');
    const answeredAt =
      ev.answeredAt === null || ev.answeredAt === undefined ? undefined : this.time(ev.answeredAt, 'answeredAt');
    if (endedAt < startedAt) throw new UnusableEvent('bad time', `call "${ev.id}": endedAt is before startedAt`);
    if (answeredAt !== undefined && (answeredAt < startedAt || answeredAt > endedAt)) {
      throw new UnusableEvent('bad time', `call "${ev.id}": answeredAt is outside startedAt … endedAt`);
    }
    const ms = (s: number | null | undefined, dflt: number): number =>
      s === null || s === undefined ? dflt : Math.round(s * 1000);
    const roles = kinds(ev.direction);
    const role = (k: LegKind): LegRole => (k === 'trunk' ? 'trunk' : 'extension');
    const answeredBy = ev.answeredBy ? party(ev.answeredBy) : undefined;
    const callee = answeredBy ?? party(ev.to);
    const legs: Leg[] = [
      { id: `${ev.id}:from`, party: party(ev.from), role: role(roles.caller), startedAt, endedAt },
      {
        id: `${ev.id}:to`,
        party: callee,
        role: role(roles.callee),
        startedAt,
        endedAt,
        outcome: answeredBy
          ? 'answered'
          : ev.status === 'busy'
            ? 'busy'
            : ev.status === 'failed'
              ? 'failed'
              : 'noanswer',
        ...(answeredBy && answeredAt !== undefined ? { answeredAt } : {}),
      },
    ];
    const record: Omit<Call, 'pbx'> = {
      id: `${this.pbx}-${ev.id}`,
      direction: ev.direction,
      status: ev.status,
      open: false,
      startedAt,
      endedAt,
      ringMs: ms(ev.ringSeconds, (answeredAt ?? endedAt) - startedAt),
      talkMs: ms(ev.talkSeconds, answeredAt !== undefined ? endedAt - answeredAt : 0),
      holdMs: ms(ev.holdSeconds, 0),
      from: party(ev.from),
      to: party(ev.to),
      legs,
      transfers: (ev.transfers ?? []).map((t) => ({
        kind: t.kind,
        at: this.time(t.at, 'transfers[].at'),
        by: party(t.by),
        ...(t.from ? { from: party(t.from) } : {}),
        to: party(t.to),
      })),
      holds: [],
    };
    if (answeredAt !== undefined) record.answeredAt = answeredAt;
    if (answeredBy) record.answeredBy = answeredBy;
    if (ev.waitSeconds !== null && ev.waitSeconds !== undefined) record.waitMs = Math.round(ev.waitSeconds * 1000);
    if (ev.queue) record.queue = ev.queue;
    if (ev.group) {
      record.group = {
        type: ev.group.type,
        id: ev.group.id,
        membersRung: ev.group.membersRung.map(party),
        ...(answeredBy ? { answeredBy } : {}),
      };
    }
    return record;
  }
}
