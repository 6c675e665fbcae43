import type { Call } from '../../domain';
import type { Backoff } from '../runtime/backoff';
import { InputRejected, type SourceContext } from '../runtime/context';
import type { SourceDriver } from '../runtime/kind';
import { SilentCalls } from '../runtime/silent-calls';
import { VERSION } from '../../version';
import { ApiError, LoginRefused, NfonApi } from './api';
import { NfonControl } from './control';
import { CallTranslator } from './calls';
import type { NfonConfig } from './config';
import { eventTime, parseCall, parseState, type NfonExtension } from './events';
import { ExtensionBook } from './extensions';
import { NfonStream } from './stream';

/**
 * NFON's cloud PBX over its CTI API: log in (and refresh the token before its 5 minutes are up), read the extension
 * list now and then, and keep two SSE streams open — call events (tenant-wide, no replay: every loss of this stream is
 * an outage, the calls open across it end `incomplete`) and line / presence states (a bootstrap of every extension,
 * then changes; losing it loses no call, so it is reopened without an outage). Status, gaps and correlation are the
 * runtime's.
 */
export class NfonDriver implements SourceDriver {
  private readonly api: NfonApi;
  readonly control: NfonControl;
  private readonly callStream: NfonStream;
  private readonly stateStream: NfonStream;
  private readonly book: ExtensionBook;
  private readonly translator: CallTranslator;
  private readonly backoff: Backoff;
  private readonly stateBackoff: Backoff;
  private stopped = false;
  private connecting = false;
  private retryTimer?: NodeJS.Timeout;
  private stateTimer?: NodeJS.Timeout;
  private openTimer?: NodeJS.Timeout;
  private refreshTimer?: NodeJS.Timeout;
  private bookTimer?: NodeJS.Timeout;
  private readonly silent: SilentCalls;
  /** the refusal last logged: one line per refusal, not one per retry */
  private refusal?: string;

  constructor(
    private readonly config: NfonConfig,
    private readonly ctx: SourceContext,
  ) {
    this.api = new NfonApi({
      url: config.url,
      username: config.username,
      password: config.password ?? '',
      userAgent: `Switchboard/${VERSION} (${config.account})`,
      timeoutMs: config.requestTimeoutSeconds * 1000,
    });
    this.control = new NfonControl(ctx.pbx, config.account, this.api, () => this.callStream.isOpen);
    this.book = new ExtensionBook(ctx.pbx, (e) => ctx.live.extension(e), (q) => ctx.live.queue(q));
    const codes = [
      ...config.agentCodes.logout.map((code) => ({ code, login: false })),
      ...config.agentCodes.login.map((code) => ({ code, login: true })),
    ].sort((a, b) => b.code.length - a.code.length);
    this.translator = new CallTranslator(ctx.pbx, {
      account: config.account,
      nameOf: (ext) => this.book.nameOf(ext) || undefined,
      isExtension: (n) => this.book.isExtension(n),
      headline: (n) => config.headlineNumbers[n],
      agentCode: (n) => {
        const hit = codes.find((c) => n.startsWith(c.code));
        if (!hit) return undefined;
        const rest = n.slice(hit.code.length);
        return { login: hit.login, queue: rest || config.agentQueue };
      },
    });
    // the correlation clock: NFON replays nothing, so a call is silent only while other events still come
    this.silent = new SilentCalls(ctx, {
      timeoutSeconds: config.openCallTimeoutSeconds,
      now: () => ctx.calls.now,
      forget: (before) => this.translator.forgetSilent(before),
      what: 'NFON calls',
    });
    this.backoff = ctx.backoff(config.reconnectMaxSeconds * 1000);
    this.stateBackoff = ctx.backoff(config.reconnectMaxSeconds * 1000);
    const headers = (): Record<string, string> => this.api.headers();
    this.callStream = new NfonStream(this.api.url('/extensions/phone/calls'), headers, {
      open: () => this.callsOpen(),
      data: (d) => this.callData(d),
      down: (reason, status) => this.callsDown(reason, status),
    });
    this.stateStream = new NfonStream(this.api.url('/extensions/phone/states'), headers, {
      open: () => this.stateBackoff.reset(),
      data: (d) => this.stateData(d),
      down: (reason, status) => this.statesDown(reason, status),
    });
  }

  start(): void {
    void this.connect();
    this.silent.start();
  }

  callChanged(call: Call): void {
    this.book.onCall(call);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    for (const t of [this.retryTimer, this.stateTimer, this.openTimer, this.refreshTimer, this.bookTimer]) clearTimeout(t);
    this.silent.stop();
    this.callStream.close();
    this.stateStream.close();
  }

  // ---- connection ---------------------------------------------------------------------------------------------

  /** Log in if need be, then open whichever stream is not open. */
  private async connect(): Promise<void> {
    if (this.stopped || this.connecting) return;
    this.connecting = true;
    try {
      if (!this.api.loggedIn) {
        await this.api.login();
        this.refusal = undefined;
        this.scheduleRefresh();
        void this.readExtensions();
      }
    } catch (err) {
      this.connecting = false;
      return this.loginFailed(err as Error);
    }
    this.connecting = false;
    if (this.stopped) return;
    if (!this.callStream.isOpen) {
      this.callStream.open();
      // a server that takes the request and never answers: the first attempt must end
      clearTimeout(this.openTimer);
      this.openTimer = setTimeout(() => {
        if (!this.callStream.isOpen) {
          this.callStream.close();
          this.callsDown(`call stream did not open within ${this.config.requestTimeoutSeconds} s`);
        }
      }, this.config.requestTimeoutSeconds * 1000);
      this.openTimer.unref();
    }
    if (!this.stateStream.isOpen) this.stateStream.open();
  }

  private loginFailed(err: Error): void {
    if (err instanceof LoginRefused) {
      if (this.refusal !== err.message) {
        this.ctx.log.error({ username: this.config.username, account: this.config.account }, `NFON login refused for API user "${this.config.username}": ${err.message}`);
        this.refusal = err.message;
      }
      this.ctx.loginFailed(err.message);
      // a login for the state stream while the call stream is still open: no call is lost, the source is not down
      if (!this.callStream.isOpen) this.ctx.disconnected(`login failed: ${err.message}`);
      // wrong credentials stay wrong: never a tight loop
      return this.retry(this.backoff.max());
    }
    if (!this.callStream.isOpen) this.ctx.disconnected(err instanceof ApiError ? err.message : `login: ${err.message}`);
    else this.ctx.log.warn({ err: err.message }, 'NFON login failed');
    this.retry(this.backoff.next());
  }

  private retry(delayMs: number): void {
    if (this.stopped) return;
    clearTimeout(this.retryTimer);
    this.retryTimer = setTimeout(() => void this.connect(), delayMs);
    this.retryTimer.unref();
  }

  /** Before the access token's 5 minutes are up; a refused refresh logs in again (NfonApi). */
  private scheduleRefresh(): void {
    clearTimeout(this.refreshTimer);
    this.refreshTimer = setTimeout(() => {
      if (this.stopped) return;
      this.api
        .refresh()
        .then(() => this.scheduleRefresh())
        .catch((err: Error) => {
          if (err instanceof LoginRefused) {
            this.ctx.log.error({ username: this.config.username }, `NFON login refused for API user "${this.config.username}": ${err.message}`);
            this.ctx.loginFailed(err.message);
          } else this.ctx.log.warn({ err: err.message }, 'NFON token refresh failed');
          // the streams go on with what they have; the next connect logs in
          this.api.forget();
        });
    }, this.config.refreshSeconds * 1000);
    this.refreshTimer.unref();
  }

  private callsOpen(): void {
    clearTimeout(this.openTimer);
    this.backoff.reset();
    this.ctx.connected();
    // NFON replays nothing: calls open before this stream opened cannot be followed, they end `incomplete`
    this.translator.forgetOpen(this.ctx.calls.now);
    this.ctx.calls.settle(new Set());
    this.ctx.synced();
  }

  private callsDown(reason: string, status?: number): void {
    clearTimeout(this.openTimer);
    if (status === 401) this.api.forget();
    this.ctx.disconnected(reason);
    this.retry(this.backoff.next());
  }

  private statesDown(reason: string, status?: number): void {
    if (this.stopped) return;
    if (status === 401) this.api.forget();
    this.ctx.log.warn({ reason }, 'NFON state stream lost: extension states are stale until it is back');
    clearTimeout(this.stateTimer);
    this.stateTimer = setTimeout(() => void this.connect(), this.stateBackoff.next());
    this.stateTimer.unref();
  }

  // ---- input ----------------------------------------------------------------------------------------------------

  private callData(data: string): void {
    const arrival = this.ctx.now();
    let ev;
    try {
      ev = parseCall(data);
    } catch (err) {
      return this.ctx.received('call', arrival, undefined, () => {
        throw err;
      });
    }
    const call = ev;
    const pbxTime = eventTime(call.updated);
    this.ctx.received('call', arrival, pbxTime, () => {
      const out = this.translator.translate(call, pbxTime ?? arrival);
      for (const le of out.legs) this.ctx.calls.handle(le);
      if (out.agent) this.book.agent(out.agent.extension, out.agent.queue, out.agent.loggedIn, out.agent.at);
    });
  }

  private stateData(data: string): void {
    const arrival = this.ctx.now();
    let st;
    try {
      st = parseState(data);
    } catch (err) {
      return this.ctx.received('state', arrival, undefined, () => {
        throw err;
      });
    }
    const state = st;
    const pbxTime = eventTime(state.updated);
    this.ctx.received('state', arrival, pbxTime, () => this.book.state(state, pbxTime ?? arrival));
  }

  /** The extension list, now and every `extensionsRefreshSeconds`: names for the wall and the call records. */
  private async readExtensions(): Promise<void> {
    clearTimeout(this.bookTimer);
    try {
      const body = await this.api.getJson('/extensions/phone/data');
      if (!Array.isArray(body)) throw new InputRejected('bad list', 'GET /extensions/phone/data: not a JSON array');
      const items: NfonExtension[] = [];
      for (const x of body as unknown[]) {
        const o = x as Record<string, unknown> | null;
        if (o && typeof o.extension_number === 'string' && o.extension_number) {
          items.push({ extension_number: o.extension_number, ...(typeof o.name === 'string' ? { name: o.name } : {}) });
        } else this.ctx.rejected('bad list item', `extension list: ${JSON.stringify(x)?.slice(0, 120)}`);
      }
      this.book.list(items, this.ctx.now());
    } catch (err) {
      if (err instanceof InputRejected) this.ctx.rejected(err.reason, err.message);
      else this.ctx.log.warn({ err: (err as Error).message }, 'NFON extension list not read');
    }
    if (this.stopped) return;
    this.bookTimer = setTimeout(() => void this.readExtensions(), this.config.extensionsRefreshSeconds * 1000);
    this.bookTimer.unref();
  }
}
