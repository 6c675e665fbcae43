import { Type, type TInteger } from '@sinclair/typebox';
import type { SourceContext } from './context';

/**
 * `openCallTimeoutSeconds`, for sources whose PBX may never send a call's end (a push that never comes, a stream
 * that drops the hangup): `who` is what failed to send it.
 */
export const OpenCallTimeoutSeconds = (who: string): TInteger =>
  Type.Integer({
    minimum: 60,
    default: 4 * 3600,
    description: `a call with no event for this long is closed as incomplete (${who} never sent its hangup)`,
  });

export interface SilentCallOptions {
  /** openCallTimeoutSeconds */
  timeoutSeconds: number;
  /** the clock silence is measured on: wall time, or the correlation clock for a source that replays nothing */
  now: () => number;
  /** the translator's own state about the calls silent since `before`, dropped with them */
  forget: (before: number) => void;
  /** names the calls in the log line: `NFON calls` */
  what: string;
}

/**
 * Closes the calls a source opened and never ended: silent for `timeoutSeconds`, they end `incomplete` at their
 * last event, like the calls of a PBX that went quiet. Checked every minute (or every timeout, if shorter).
 */
export class SilentCalls {
  private timer?: NodeJS.Timeout;

  constructor(
    private readonly ctx: Pick<SourceContext, 'calls' | 'log'>,
    private readonly opts: SilentCallOptions,
  ) {}

  start(): void {
    this.timer = setInterval(() => this.close(), Math.min(60_000, this.opts.timeoutSeconds * 1000));
    this.timer.unref();
  }

  stop(): void {
    clearInterval(this.timer);
  }

  close(): void {
    const before = this.opts.now() - this.opts.timeoutSeconds * 1000;
    const silent = this.ctx.calls.openIds(before);
    this.opts.forget(before);
    if (silent.size === 0) return;
    this.ctx.calls.reconcile(new Set(), silent);
    this.ctx.log.warn({ calls: silent.size }, `${this.opts.what} without a hangup closed as incomplete`);
  }
}
