/**
 * Runs a pass now and then, never two at once: a poll asked for while one runs joins it. After each pass the loop
 * waits `delay(ok)` (a failed pass may back off), until stopped; stop() waits for a pass that is running.
 */
export class PollLoop<T> {
  private timer?: NodeJS.Timeout;
  private running?: Promise<T>;
  private halted = false;

  constructor(
    private readonly pass: () => Promise<T>,
    private readonly delay: (ok: boolean) => number,
  ) {}

  get stopped(): boolean {
    return this.halted;
  }

  /** One pass now (or the one running). */
  poll(): Promise<T> {
    const run =
      this.running ??
      this.pass().finally(() => {
        this.running = undefined;
      });
    this.running = run;
    return run;
  }

  start(): void {
    this.schedule(0);
  }

  async stop(): Promise<void> {
    this.halted = true;
    clearTimeout(this.timer);
    await this.running?.catch(() => undefined);
  }

  private schedule(ms: number): void {
    if (this.halted) return;
    this.timer = setTimeout(() => {
      void this.poll().then(
        () => this.schedule(this.delay(true)),
        () => this.schedule(this.delay(false)),
      );
    }, ms);
    this.timer.unref();
  }
}
