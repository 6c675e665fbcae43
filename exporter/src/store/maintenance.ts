import type { Logger } from 'pino';
import type { Config } from '../config/schema';
import { backup } from './backup';
import { applyRetention } from './retention';
import type { Store } from './store';

const DAY_MS = 86_400_000;
const RETENTION_EVERY_MS = 3_600_000;
const CHECK_EVERY_MS = 60_000;

/** Runs retention hourly and the daily backup at the configured local hour. */
export class Maintenance {
  private timer?: NodeJS.Timeout;
  private lastRetention = 0;
  private lastBackupDay = '';

  constructor(
    private readonly store: Store,
    private readonly config: Config['store'],
    private readonly log: Logger,
  ) {}

  start(): void {
    this.tick();
    this.timer = setInterval(() => this.tick(), CHECK_EVERY_MS);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
  }

  private tick(now = new Date()): void {
    if (!this.store.isOpen) return;
    if (now.getTime() - this.lastRetention >= RETENTION_EVERY_MS) {
      this.lastRetention = now.getTime();
      try {
        const cutoff = now.getTime() - this.config.retentionDays * DAY_MS;
        const removed = applyRetention(this.store, cutoff);
        if (removed.calls || removed.history || removed.gaps) this.log.info({ removed }, 'retention applied');
      } catch (err) {
        this.log.error({ err }, 'retention failed');
      }
    }
    const day = now.toDateString();
    if (this.config.backup.enabled && now.getHours() === this.config.backup.hour && day !== this.lastBackupDay) {
      this.lastBackupDay = day;
      backup(this.store, this.config.backup.dir, this.config.backup.keep, now).then(
        (file) => this.log.info({ file }, 'backup written'),
        (err: unknown) => this.log.error({ err }, 'backup failed'),
      );
    }
  }
}
