import { EventEmitter } from 'node:events';
import type { Backoff } from '../runtime/backoff';
import type { AmiEventBase, AmiResponse } from './messages';
import { Transport } from './transport';

export interface AmiClientOptions {
  host: string;
  port: number;
  username: string;
  secret: string;
  pingIntervalMs: number;
  actionTimeoutMs: number;
  /** reconnect delays; a refused login waits the longest */
  backoff: Backoff;
}

export interface ActionResult {
  response: AmiResponse;
  /** EventList items, in order, without the closing `…Complete` event */
  items: AmiEventBase[];
  /** live events delivered before this answer was complete (`AmiClient.delivered` then): its place in the stream */
  delivered: number;
}

export class ActionError extends Error {
  constructor(
    message: string,
    readonly response?: AmiResponse,
  ) {
    super(message);
  }
}

export interface AmiClientEvents {
  /** logged in; resync now */
  up: [];
  /** the session ended (or a connection attempt failed); `wasUp` tells whether we had been logged in */
  down: [reason: string, wasUp: boolean];
  loginFailed: [message: string];
  /** a live event (not an EventList item of one of our actions), with its arrival time */
  event: [AmiEventBase, number];
  rejected: [reason: string, detail: string];
}

interface Pending {
  resolve: (r: ActionResult) => void;
  reject: (e: Error) => void;
  timer: NodeJS.Timeout;
  list: boolean;
  response?: AmiResponse;
  items: AmiEventBase[];
}

/**
 * Our AMI client: the transport carries the frames, this class owns the session. Login (a refusal is reported, not
 * retried silently), reconnect with backoff and jitter, a Ping heartbeat that drops a silent socket, a timeout on
 * every action, and EventList collection up to the `…Complete` event.
 */
export class AmiClient extends EventEmitter<AmiClientEvents> {
  private transport?: Transport;
  private loggedIn = false;
  private stopped = true;
  private seq = 0;
  private readonly pending = new Map<string, Pending>();
  private retryTimer?: NodeJS.Timeout;
  private pingTimer?: NodeJS.Timeout;
  private loginTimer?: NodeJS.Timeout;
  private refused = false;
  /** live events emitted so far, every session counted: a list answer's place among them is its `delivered` */
  private eventCount = 0;

  constructor(private readonly opts: AmiClientOptions) {
    super();
  }

  get isUp(): boolean {
    return this.loggedIn;
  }

  /** Live events emitted so far (the one being emitted included). */
  get delivered(): number {
    return this.eventCount;
  }

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.connect();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.retryTimer);
    const t = this.transport;
    if (!t) return;
    await new Promise<void>((resolve) => {
      t.once('closed', () => resolve());
      setTimeout(resolve, 1000).unref();
      t.close('stopped');
    });
  }

  /** Sends an action; resolves with its response (and list items), rejects on Error, timeout or disconnect. */
  action(fields: Record<string, string>, opts: { list?: boolean; timeoutMs?: number } = {}): Promise<ActionResult> {
    const t = this.transport;
    if (!t || !this.loggedIn) return Promise.reject(new ActionError(`${fields.Action}: not connected`));
    const id = `sb-${++this.seq}`;
    return new Promise<ActionResult>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(new ActionError(`${fields.Action}: no answer within ${opts.timeoutMs ?? this.opts.actionTimeoutMs} ms`));
      }, opts.timeoutMs ?? this.opts.actionTimeoutMs);
      this.pending.set(id, { resolve, reject, timer, list: !!opts.list, items: [] });
      const { Action, ...rest } = fields;
      try {
        t.send({ Action, ActionID: id, ...rest });
      } catch (err) {
        this.settle(id);
        reject(new ActionError(`${Action}: ${(err as Error).message}`));
      }
    });
  }

  private connect(): void {
    if (this.stopped) return;
    const t = new Transport({ ...this.opts, awaits: (id) => this.pending.has(id) });
    this.transport = t;
    this.refused = false;
    t.on('connected', () => {
      t.login();
      this.loginTimer = setTimeout(() => t.destroy('no answer to Login'), this.opts.actionTimeoutMs);
    });
    t.on('loggedIn', () => {
      clearTimeout(this.loginTimer);
      this.loggedIn = true;
      this.opts.backoff.reset();
      this.schedulePing();
      this.emit('up');
    });
    t.on('loginFailed', (message) => {
      clearTimeout(this.loginTimer);
      this.refused = true;
      this.emit('loginFailed', message);
      t.destroy(`login failed: ${message}`);
    });
    t.on('response', (r) => this.onResponse(r));
    t.on('event', (e) => this.onEvent(e));
    t.on('malformed', (reason, detail) => this.emit('rejected', reason, detail));
    t.on('closed', (reason) => this.onClosed(t, reason));
    try {
      t.open();
    } catch (err) {
      this.onClosed(t, (err as Error).message);
    }
  }

  private onResponse(r: AmiResponse): void {
    const id = r.ActionID;
    const p = id ? this.pending.get(id) : undefined;
    if (!p || !id) return; // answers to actions we did not send (e.g. a replayed capture's own)
    if (r.Response.toLowerCase() === 'error') {
      this.settle(id);
      p.reject(new ActionError(r.Message ?? 'error', r));
      return;
    }
    p.response = r;
    // an EventList announces itself in the response; anything else is complete now
    if (!p.list || (r.EventList ?? '').toLowerCase() !== 'start') {
      this.settle(id);
      p.resolve({ response: r, items: p.items, delivered: this.eventCount });
    }
  }

  private onEvent(e: AmiEventBase): void {
    const arrival = Date.now();
    const id = e.ActionID;
    if (id !== undefined) {
      const p = this.pending.get(id);
      if (p) {
        if ((e.EventList ?? '').toLowerCase() === 'complete' || e.Event.endsWith('Complete')) {
          this.settle(id);
          p.resolve({ response: p.response ?? { Response: 'Success' }, items: p.items, delivered: this.eventCount });
        } else p.items.push(e);
        return;
      }
      // a list item of an action that timed out or that we never sent: not a live event
      if (id.startsWith('sb-') || e.EventList !== undefined || e.Event.endsWith('Complete')) return;
    }
    this.eventCount++;
    this.emit('event', e, arrival);
  }

  private settle(id: string): void {
    const p = this.pending.get(id);
    if (p) clearTimeout(p.timer);
    this.pending.delete(id);
  }

  private schedulePing(): void {
    clearTimeout(this.pingTimer);
    this.pingTimer = setTimeout(() => {
      const t = this.transport;
      this.action({ Action: 'Ping' }).then(
        () => {
          if (this.transport === t && this.loggedIn) this.schedulePing();
        },
        (err: Error) => {
          if (this.transport === t && this.loggedIn) t?.destroy(`heartbeat failed: ${err.message}`);
        },
      );
    }, this.opts.pingIntervalMs);
  }

  private onClosed(t: Transport, reason: string): void {
    if (this.transport !== t) return;
    this.transport = undefined;
    const wasUp = this.loggedIn;
    this.loggedIn = false;
    clearTimeout(this.pingTimer);
    clearTimeout(this.loginTimer);
    t.dispose();
    for (const [id, p] of this.pending) {
      this.settle(id);
      p.reject(new ActionError(`connection lost: ${reason}`));
    }
    this.emit('down', reason, wasUp);
    if (this.stopped) return;
    const delay = this.refused ? this.opts.backoff.max() : this.opts.backoff.next();
    this.retryTimer = setTimeout(() => this.connect(), delay);
  }
}
