import { EventSource, type ErrorEvent } from 'eventsource';

export interface StreamEvents {
  /** the stream is open (HTTP 200, event stream) */
  open(): void;
  /** one SSE message's `data:` */
  data(data: string): void;
  /** the stream is gone: `status` is the HTTP status when the server refused it (401: log in again) */
  down(reason: string, status?: number): void;
}

/**
 * One SSE stream of the CTI API, read with `eventsource`. It never reconnects on its own: NFON replays nothing, so
 * every reconnect is an outage the driver must see, and it waits on the driver's backoff, not on the server's `retry:`.
 */
export class NfonStream {
  private es?: EventSource;

  constructor(
    private readonly url: string,
    private readonly headers: () => Record<string, string>,
    private readonly on: StreamEvents,
  ) {}

  get isOpen(): boolean {
    return this.es?.readyState === EventSource.OPEN;
  }

  open(): void {
    this.close();
    const es = new EventSource(this.url, {
      // the token current at each connect, and the User-Agent NFON asks for
      fetch: (input, init) => fetch(input, { ...init, headers: { ...(init?.headers as Record<string, string>), ...this.headers(), Accept: 'text/event-stream' } }),
    });
    this.es = es;
    const data = (ev: MessageEvent): void => {
      if (this.es === es) this.on.data(String(ev.data));
    };
    es.onopen = () => {
      if (this.es === es) this.on.open();
    };
    es.onmessage = data;
    // NFON's events are unnamed today; named ones are read alike
    es.addEventListener('call', data);
    es.addEventListener('state', data);
    es.onerror = (ev: ErrorEvent) => {
      if (this.es !== es) return;
      this.close();
      const reason = ev.code ? `stream refused: HTTP ${ev.code}` : `stream lost${ev.message ? `: ${ev.message}` : ''}`;
      this.on.down(reason, ev.code);
    };
  }

  close(): void {
    const es = this.es;
    this.es = undefined;
    es?.close();
  }
}
