import type { Logger } from 'pino';
import type { ExtensionState } from '../../domain';
import type { LegEvent } from '../../domain/events';
import type { IngestEventJson } from '../../wire/call-events';
import { instant } from '../../wire/call-events';
import { WebhookReceiver, type Applied, type IngestAnswer, type IngestRequest } from './receiver';
import { UnusableEvent, WebhookTranslator } from './translate';

/** The part of the source runtime's context a webhook source uses. */
export interface WebhookContext {
  readonly pbx: string;
  readonly log: Logger;
  now(): number;
  readonly calls: {
    handle(ev: LegEvent): void;
    openIds(silentSince?: number): Set<string>;
    reconcile(alive: Set<string>, ids: Set<string>): unknown[];
  };
  readonly live: { extension(state: ExtensionState): void };
  connected(): void;
  synced(at?: number): void;
  received(event: string, arrival: number, pbxTime: number | undefined, handle: () => void): void;
  rejected(reason: string, detail?: string): void;
}

export interface WebhookSettings {
  secrets: string[];
  maxBodyBytes: number;
  toleranceMs: number;
  /** a call with no event for this long is closed as incomplete (the sender never said it ended) */
  openCallTimeoutMs: number;
}

const eventTime = (ev: IngestEventJson): number | undefined => instant(ev.type === 'call' ? ev.endedAt : ev.at);

/**
 * A PBX (or voice bot, or CRM) that pushes canonical call events to `POST /api/v1/ingest/{source}`. Nothing to
 * connect to: the source is up from the start and every accepted request is input like any PBX event — counted,
 * correlated, its calls recorded and its extension states live.
 */
export class WebhookSource {
  private readonly translator: WebhookTranslator;
  private readonly receiver: WebhookReceiver;
  private sweep?: NodeJS.Timeout;

  constructor(
    private readonly ctx: WebhookContext,
    private readonly settings: WebhookSettings,
  ) {
    this.translator = new WebhookTranslator(ctx.pbx);
    this.receiver = new WebhookReceiver({
      secrets: settings.secrets,
      toleranceMs: settings.toleranceMs,
      maxBodyBytes: settings.maxBodyBytes,
      now: () => ctx.now(),
      apply: (events, arrival) => this.apply(events, arrival),
    });
  }

  get maxBodyBytes(): number {
    return this.settings.maxBodyBytes;
  }

  start(): void {
    this.ctx.connected();
    this.ctx.synced();
    const every = Math.min(60_000, this.settings.openCallTimeoutMs);
    this.sweep = setInterval(() => this.closeSilent(), every);
    this.sweep.unref();
  }

  async stop(): Promise<void> {
    clearInterval(this.sweep);
  }

  receive(req: IngestRequest): IngestAnswer {
    return this.receiver.receive(req);
  }

  /** Calls the sender never ended: closed as incomplete at their last event, like a PBX that went silent. */
  closeSilent(): void {
    const before = this.ctx.now() - this.settings.openCallTimeoutMs;
    const silent = this.ctx.calls.openIds(before);
    this.translator.forgetSilent(before);
    if (silent.size === 0) return;
    this.ctx.calls.reconcile(new Set(), silent);
    this.ctx.log.warn({ calls: silent.size }, 'webhook calls without a hangup closed as incomplete');
  }

  private apply(events: IngestEventJson[], arrival: number): Applied {
    const applied: Applied = { accepted: 0, rejected: [] };
    events.forEach((ev, index) => {
      let ok = true;
      this.ctx.received(ev.type, arrival, eventTime(ev), () => {
        try {
          const out = this.translator.translate(ev);
          if ('extension' in out) this.ctx.live.extension(out.extension);
          else for (const le of out.legs) this.ctx.calls.handle(le);
        } catch (err) {
          ok = false;
          const usable = err instanceof UnusableEvent;
          applied.rejected.push({ index, reason: usable ? err.reason : 'handler error', detail: (err as Error).message });
          // anything else is a bug: the runtime logs it and counts it as a handler error
          if (!usable) throw err;
          this.ctx.rejected(err.reason, `events[${index}]: ${err.message}`);
        }
      });
      if (ok) applied.accepted++;
    });
    return applied;
  }
}
