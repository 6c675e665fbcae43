import { randomUUID } from 'node:crypto';
import type { FakeCallEvent } from './call-event';

/** The body of POST /extensions/phone/calls (spec 1.0.1 `call`), as far as click-to-dial uses it. */
export interface DialBody {
  caller?: unknown;
  caller_context?: unknown;
  callee?: unknown;
  callee_context?: unknown;
  extension?: unknown;
}

/** How long each step of a click-to-dial call takes on the fake PBX. */
export interface DialTiming {
  /** the caller's phone rings until it is picked up */
  callerAnswerMs: number;
  /** from dialling the callee until it rings, and from ringing until it answers */
  stepMs: number;
  /** talk time before the parties hang up, unless cancelled */
  talkMs: number;
}

interface Running {
  ev: FakeCallEvent;
  timers: NodeJS.Timeout[];
  answered: boolean;
}

/**
 * Click-to-dial on the fake CTI API: the request answers with the `start` event and its `uuid`; the caller's phone
 * rings and answers (`caller-*` states, which the monitoring stream carries but are not call legs), then the callee is
 * dialled, rings and answers on the calls stream under the same `uuid`, as NFON describes. A call still being set up
 * can be cancelled (DELETE), which ends it with a `hangup`.
 */
export class ClickToDial {
  private readonly running = new Map<string, Running>();

  constructor(
    private readonly account: string,
    private readonly emit: (ev: FakeCallEvent) => void,
    private readonly timing: DialTiming = { callerAnswerMs: 1500, stepMs: 1500, talkMs: 60_000 },
  ) {}

  /** A new call request: the `start` event to answer with, or why the body is not one. */
  start(body: DialBody): { start: Record<string, unknown> } | { error: string } {
    const caller = typeof body.caller === 'string' ? body.caller : '';
    const callee = typeof body.callee === 'string' ? body.callee : '';
    if (!/^[0-9]+$/.test(caller) || !/^[0-9*#]+$/.test(callee)) return { error: 'caller and callee must be numbers' };
    const calleeContext = typeof body.callee_context === 'string' ? body.callee_context : this.account;
    const ev: FakeCallEvent = {
      uuid: randomUUID(),
      state: 'dial',
      caller,
      caller_context: typeof body.caller_context === 'string' ? body.caller_context : this.account,
      callee,
      callee_context: calleeContext,
      direction: 'outbound',
      extension: typeof body.extension === 'string' ? body.extension : caller,
    };
    const r: Running = { ev, timers: [], answered: false };
    this.running.set(ev.uuid, r);
    const { callerAnswerMs, stepMs, talkMs } = this.timing;
    const at = (ms: number, fn: () => void): void => {
      const t = setTimeout(fn, ms);
      t.unref();
      r.timers.push(t);
    };
    this.emit({ ...ev, state: 'caller-dial' });
    this.emit({ ...ev, state: 'caller-ring' });
    at(callerAnswerMs, () => {
      this.emit({ ...ev, state: 'caller-answer' });
      this.emit({ ...ev, state: 'dial' });
    });
    at(callerAnswerMs + stepMs, () => this.emit({ ...ev, state: 'ring' }));
    at(callerAnswerMs + 2 * stepMs, () => {
      r.answered = true;
      this.emit({ ...ev, state: 'answer' });
    });
    at(callerAnswerMs + 2 * stepMs + talkMs, () => this.end(r));
    return { start: { ...ev, state: 'start', customer: this.account, updated: new Date().toISOString() } };
  }

  /** DELETE: true when a call still being set up was cancelled; an unknown or established call is false (404). */
  cancel(uuid: string): boolean {
    const r = this.running.get(uuid);
    if (!r || r.answered) return false;
    this.end(r);
    return true;
  }

  stop(): void {
    for (const r of this.running.values()) for (const t of r.timers) clearTimeout(t);
    this.running.clear();
  }

  private end(r: Running): void {
    for (const t of r.timers) clearTimeout(t);
    this.running.delete(r.ev.uuid);
    this.emit({ ...r.ev, state: 'hangup' });
  }
}
