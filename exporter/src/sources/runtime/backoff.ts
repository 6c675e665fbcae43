/**
 * Reconnect delays: exponential from `baseMs`, capped at `maxMs`, with "equal jitter" (half fixed, half random) so a
 * fleet of exporters does not hammer a rebooted PBX in lock-step, yet never retries instantly.
 */
export class Backoff {
  private attempt = 0;

  constructor(
    private readonly baseMs: number,
    private readonly maxMs: number,
    private readonly random: () => number = Math.random,
  ) {}

  next(): number {
    const ceiling = Math.min(this.maxMs, this.baseMs * 2 ** Math.min(this.attempt, 30));
    this.attempt++;
    return Math.round(ceiling / 2 + (ceiling / 2) * this.random());
  }

  /** The longest delay: after a refused login there is no point in retrying fast. */
  max(): number {
    this.attempt++;
    return Math.round(this.maxMs / 2 + (this.maxMs / 2) * this.random());
  }

  reset(): void {
    this.attempt = 0;
  }
}
