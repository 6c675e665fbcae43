import type { Call, ExtensionState, ExtensionStateName, Party, QueueMembership, QueueState } from '../../domain';
import type { NfonExtension, NfonState } from './events';

const LINE: Record<NfonState['line'], ExtensionStateName> = {
  unknown: 'unknown',
  offline: 'unavailable',
  idle: 'idle',
  ringing: 'ringing',
  'in-use': 'in_call',
};

/**
 * The tenant's extensions: names from `GET /extensions/phone/data`, line and presence from the states stream, queue
 * logins from the agent codes. Line state is the phone (offline / idle / ringing / in use); presence is the person:
 * `dnd` is do-not-disturb, `busy` shows an idle phone as busy; `away` and `available` leave the line state as it is.
 */
export class ExtensionBook {
  private readonly names = new Map<string, string>();
  private known = false;
  private readonly states = new Map<string, ExtensionState>();
  /** queue → extensions logged in to it */
  private readonly agents = new Map<string, Set<string>>();
  /** extension → the call it is in now (NFON's state stream knows the line, not the call) */
  private readonly current = new Map<string, { callId: string; counterpart: Party; startedAt: number }>();

  constructor(
    private readonly pbx: string,
    private readonly publish: (e: ExtensionState) => void,
    private readonly publishQueue: (q: QueueState) => void,
  ) {}

  nameOf(extension: string): string | undefined {
    return this.names.get(extension);
  }

  /** undefined until the extension list was read once */
  isExtension(number: string): boolean | undefined {
    return this.known ? this.names.has(number) || this.states.has(number) : undefined;
  }

  /** A fresh extension list: names change on extensions already shown. */
  list(items: NfonExtension[], at: number): void {
    this.known = true;
    this.names.clear();
    for (const x of items) this.names.set(x.extension_number, x.name ?? '');
    for (const [ext, st] of this.states) {
      const name = this.names.get(ext) || undefined;
      if (name !== st.name) this.put({ ...withName(st, name), updatedAt: at });
    }
  }

  state(s: NfonState, at: number): void {
    const prev = this.states.get(s.extension);
    let state = LINE[s.line];
    const dnd = s.presence === 'dnd';
    if (state === 'idle' && dnd) state = 'dnd';
    else if (state === 'idle' && s.presence === 'busy') state = 'busy';
    const next: ExtensionState = {
      pbx: this.pbx,
      extension: s.extension,
      registered: s.line !== 'offline' && s.line !== 'unknown',
      state,
      dnd,
      queues: this.membershipsOf(s.extension),
      updatedAt: at,
    };
    const name = this.names.get(s.extension);
    if (name) next.name = name;
    const call = this.current.get(s.extension);
    if (call && state !== 'idle' && state !== 'unavailable') Object.assign(next, { callId: call.callId, counterpart: call.counterpart, callStartedAt: call.startedAt });
    if (state === 'idle') next.idleSince = prev?.state === 'idle' && prev.idleSince !== undefined ? prev.idleSince : at;
    this.put(next);
  }

  /** An agent code was dialled: the extension is in (or out of) `queue`, and the queue's members change. */
  agent(extension: string, queue: string, loggedIn: boolean, at: number): void {
    let members = this.agents.get(queue);
    if (!members) this.agents.set(queue, (members = new Set()));
    if (loggedIn) members.add(extension);
    else members.delete(extension);
    const st = this.states.get(extension);
    if (st) this.put({ ...st, queues: this.membershipsOf(extension), updatedAt: at });
    this.publishQueue({
      pbx: this.pbx,
      queue,
      callers: [],
      members: [...members].map((ext) => {
        const name = this.names.get(ext);
        return { interface: ext, extension: ext, ...(name ? { name } : {}), state: 'available' as const, paused: false, inCall: false };
      }),
      updatedAt: at,
    });
  }

  /** A call record changed: the extensions in it show it (who they talk to, since when) until it ends. */
  onCall(call: Call): void {
    for (const leg of call.legs) {
      if (leg.role !== 'extension') continue;
      const ext = leg.party.number;
      const was = this.current.get(ext);
      if (call.open && leg.endedAt === undefined) {
        const counterpart = leg === call.legs[0] ? (call.answeredBy ?? call.to) : call.from;
        const startedAt = leg.answeredAt ?? leg.startedAt;
        if (was?.callId === call.id && was.startedAt === startedAt && was.counterpart.number === counterpart.number) continue;
        this.current.set(ext, { callId: call.id, counterpart, startedAt });
      } else if (was?.callId === call.id) this.current.delete(ext);
      else continue;
      const st = this.states.get(ext);
      if (!st) continue;
      const { callId: _c, counterpart: _p, callStartedAt: _s, ...rest } = st;
      const now = this.current.get(ext);
      this.put({ ...rest, ...(now ? { callId: now.callId, counterpart: now.counterpart, callStartedAt: now.startedAt } : {}), updatedAt: Math.max(st.updatedAt, call.endedAt ?? st.updatedAt) });
    }
  }

  private membershipsOf(extension: string): QueueMembership[] {
    return [...this.agents].filter(([, m]) => m.has(extension)).map(([queue]) => ({ queue, paused: false }));
  }

  private put(s: ExtensionState): void {
    this.states.set(s.extension, s);
    this.publish(s);
  }
}

function withName(s: ExtensionState, name: string | undefined): ExtensionState {
  const { name: _old, ...rest } = s;
  return name ? { ...rest, name } : rest;
}
