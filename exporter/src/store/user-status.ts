import type { Database, Statement } from 'better-sqlite3';
import type { UserStatus, UserStatusName } from '../domain';

interface Row {
  pbx: string;
  extension: string;
  status: string;
  message: string | null;
  since: number;
  set_by: string | null;
}

const toStatus = (r: Row): UserStatus => ({
  pbx: r.pbx,
  extension: r.extension,
  status: r.status as UserStatusName,
  ...(r.message !== null ? { message: r.message } : {}),
  since: r.since,
  ...(r.set_by !== null ? { setBy: r.set_by } : {}),
});

/** User statuses in SQLite: every change is a row (the history), the newest row per extension is the current one. */
export class UserStatusTable {
  private readonly insert: Statement;
  private readonly latest: Statement;
  private readonly changes: Statement;
  private readonly old: Statement;

  constructor(db: Database) {
    this.insert = db.prepare(
      'INSERT INTO user_status (pbx, extension, status, message, since, set_by) VALUES (@pbx, @extension, @status, @message, @since, @set_by)',
    );
    this.latest = db.prepare(`
      SELECT u.* FROM user_status u
       WHERE u.id = (SELECT id FROM user_status v WHERE v.pbx = u.pbx AND v.extension = u.extension ORDER BY since DESC, id DESC LIMIT 1)`);
    this.changes = db.prepare(`
      SELECT * FROM user_status WHERE pbx = @pbx AND extension = @extension AND since >= @from AND since < @to
       ORDER BY since, id LIMIT @limit`);
    this.old = db.prepare(`
      DELETE FROM user_status WHERE since < ? AND id NOT IN (SELECT max(id) FROM user_status GROUP BY pbx, extension)`);
  }

  /** Retention: changes older than `cutoff` go, except each extension's current status however old. */
  prune(cutoff: number): number {
    return this.old.run(cutoff).changes;
  }

  /** Runs inside the store's flush transaction. */
  write(s: UserStatus): void {
    this.insert.run({ pbx: s.pbx, extension: s.extension, status: s.status, message: s.message ?? null, since: s.since, set_by: s.setBy ?? null });
  }

  /** The current status of every extension that has one. */
  current(): UserStatus[] {
    return (this.latest.all() as Row[]).map(toStatus);
  }

  /** One extension's changes in [from, to), oldest first. */
  history(pbx: string, extension: string, from: number, to: number, limit: number): UserStatus[] {
    return (this.changes.all({ pbx, extension, from, to, limit }) as Row[]).map(toStatus);
  }
}
