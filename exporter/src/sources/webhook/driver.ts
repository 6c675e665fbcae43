import type { SourceContext } from '../runtime/context';
import { SilentCalls } from '../runtime/silent-calls';
import type { PushReceiver, SourceDriver } from '../runtime/kind';
import type { IngestEventJson } from '../../wire/call-events';
import { instant } from '../../wire/call-events';
import type { WebhookConfig } from './config';
import { WebhookReceiver, type Applied } from './receiver';
import { UnusableEvent, WebhookTranslator } from './translate';

const eventTime = (ev: IngestEventJson): number | undefined => instant(ev.type === 'call' ? ev.endedAt : ev.at);

/**
 * A PBX (or voice bot, or CRM) that pushes canonical call events to `POST /api/v1/ingest/{source}`. Nothing to
 * connect to: the source is up from the start and every accepted request is input like any PBX event — counted,
 * correlated, its calls recorded and its extension states live.
 */
export class WebhookDriver implements SourceDriver {
  readonly push: PushReceiver;
  private readonly translator: WebhookTranslator;
  private readonly silent: SilentCalls;

  constructor(
    private readonly config: WebhookConfig,
    private readonly ctx: SourceContext,
  ) {
    this.translator = new WebhookTranslator(ctx.pbx);
    this.silent = new SilentCalls(ctx, {
      timeoutSeconds: config.openCallTimeoutSeconds,
      now: () => ctx.now(),
      forget: (before) => this.translator.forgetSilent(before),
      what: 'webhook calls',
    });
    this.push = new WebhookReceiver({
      secrets: [config.secret, config.previousSecret].filter((s): s is string => !!s),
      toleranceMs: config.toleranceSeconds * 1000,
      maxBodyBytes: config.maxBodyBytes,
      now: () => ctx.now(),
      apply: (events, arrival) => this.apply(events, arrival),
    });
  }

  start(): void {
    this.ctx.connected();
    this.ctx.synced();
    this.silent.start();
  }

  async stop(): Promise<void> {
    this.silent.stop();
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
          applied.rejected.push({
            index,
            reason: usable ? err.reason : 'handler error',
            detail: (err as Error).message,
          });
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
