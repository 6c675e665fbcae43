import type { Logger } from 'pino';
import type { CallCheckpointSaved, Hub, UnofferedCheckpoint } from '../hub';
import type { Store } from './store';

/**
 * Subscribes the store to the hub and commits queued rows every `flushMs`. A failed commit keeps the rows queued
 * (the store drops nothing on error) and is retried on the next tick.
 */
export class Writer {
  private timer?: NodeJS.Timeout;
  private readonly unsubscribe: (() => void)[] = [];

  constructor(
    private readonly hub: Hub,
    private readonly store: Store,
    private readonly log: Logger,
    private readonly flushMs: number,
    /** an idle store still commits this often, so the heartbeat shows the exporter was alive */
    private readonly heartbeatMs: number,
  ) {}

  private lastCommit = 0;

  start(): void {
    const on = <K extends Parameters<Hub['on']>[0]>(event: K, fn: (...args: never[]) => void): void => {
      this.hub.on(event, fn as never);
      this.unsubscribe.push(() => this.hub.off(event, fn as never));
    };
    on('call', (c) => this.store.saveCall(c));
    on('callEnded', (c) => this.store.saveCall(c));
    on('checkpoint', (c: CallCheckpointSaved) => this.store.saveCheckpoint(c.call, c.checkpoint));
    on('unoffered', (u: UnofferedCheckpoint) => this.store.saveUnoffered(u.pbx, u.call, u.checkpoint));
    on('extension', (e) => this.store.saveExtension(e));
    on('queue', (q) => this.store.saveQueue(q));
    on('trunk', (t) => this.store.saveTrunk(t));
    on('gap', (g) => this.store.saveGap(g));
    on('userStatus', (u) => this.store.saveUserStatus(u));
    this.timer = setInterval(() => {
      if (this.store.pending > 0 || Date.now() - this.lastCommit >= this.heartbeatMs) this.flush();
    }, this.flushMs);
    this.timer.unref();
  }

  /** Commit now; returns false if the commit failed (rows stay queued). */
  flush(): boolean {
    try {
      this.store.flush();
      this.lastCommit = Date.now();
      return true;
    } catch (err) {
      this.log.error({ err, pending: this.store.pending }, 'database write failed; rows kept for the next attempt');
      return false;
    }
  }

  /**
   * Stop listening, then commit what is left: a failing commit (a full disk) is retried `attempts` times, `retryMs`
   * apart, before the rows still queued are given up, and the log says how many. Returns that number.
   */
  async stop(attempts = 5, retryMs = 400): Promise<number> {
    if (this.timer) clearInterval(this.timer);
    for (const u of this.unsubscribe.splice(0)) u();
    if (!this.store.isOpen) return 0;
    for (let i = 0; i < attempts; i++) {
      if (this.flush()) return 0;
      if (i < attempts - 1) await new Promise((r) => setTimeout(r, retryMs));
    }
    const lost = this.store.pending;
    this.log.error({ rows: lost, reason: this.store.writeFailure?.reason }, `database writes failed at shutdown; ${lost} queued rows were lost`);
    return lost;
  }
}
