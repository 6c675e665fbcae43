// Long on purpose (about 400 lines): the store's one façade — open and migrate, the batched write transaction and its
// failure accounting, open-call checkpoints, gaps and meta share one connection and one set of prepared statements;
// the row mapping, queries, migrations, retention and backup are files of their own.
import { EventEmitter } from 'node:events';
import { mkdirSync, statSync, statfsSync } from 'node:fs';
import { dirname } from 'node:path';
import Database, { type Database as DB } from 'better-sqlite3';
import type { Call, ExtensionState, Gap, OpenCallReader, QueueState, StoredOpenCall, TrunkState, UserStatus } from '../domain';
import { migrate } from './migrations';
import { createQueries, type Queries } from './queries';
import { callToRow, digitsOf, legToRow, rowToCall, rowToGap, type CallRow, type GapRow, type LegRow } from './rows';
import { UserStatusTable } from './user-status';
import { prepareWrites, type WriteStatements } from './write-statements';

export interface FlushResult {
  rows: number;
  durationSeconds: number;
}

export interface StoreEvents {
  flush: [FlushResult];
  writeError: [Error];
}

export interface StoreOptions {
  path: string;
  /** clock, replaceable in tests */
  now?: () => number;
  /** rows held for the next commit at most; past it new rows are dropped and counted (commits failing for long) */
  maxQueuedRows?: number;
}

/** Commits have been failing: since when, and the latest reason. */
export interface WriteFailure {
  since: number;
  reason: string;
  failures: number;
}

const HEARTBEAT_KEY = 'heartbeat';
const CLEAN_SHUTDOWN_KEY = 'clean_shutdown';
/** when the last clean stop happened: where the next start's downtime gap begins */
const STOPPED_AT_KEY = 'stopped_at';

/**
 * The SQLite history. Writes are queued and committed together in one transaction per flush (the caller decides
 * when: `Writer` does it on a timer), so a burst of PBX events costs one fsync, not thousands. Reads go straight to
 * the database; WAL lets them run while a flush commits.
 */
export class Store extends EventEmitter<StoreEvents> implements OpenCallReader {
  readonly db: DB;
  readonly path: string;
  private readonly now: () => number;
  private readonly pendingCalls = new Map<string, Call>();
  private readonly pendingExtensions = new Map<string, ExtensionState>();
  private readonly pendingQueues = new Map<string, QueueState>();
  private readonly pendingTrunks = new Map<string, TrunkState>();
  private readonly pendingGaps: Gap[] = [];
  private readonly pendingUserStatuses: UserStatus[] = [];
  /** serialised at the commit: of the many a busy call publishes between two, only the newest is written */
  private readonly pendingCheckpoints = new Map<string, () => string>();
  /** checkpoints of calls not offered yet, newest per call; null drops the one on disk */
  private readonly pendingUnoffered = new Map<string, { pbx: string; checkpoint: () => string } | null>();
  /** the ids unoffered_calls holds: a call offered within one commit interval never costs a write */
  private readonly unofferedOnDisk = new Set<string>();
  /** last persisted state per extension, to write history rows only on change */
  private readonly lastExtensionState = new Map<string, string>();
  private readonly stmt: WriteStatements;
  /** every read the API makes */
  readonly queries: Queries;
  /** user statuses with their history (issue #14) */
  readonly userStatuses: UserStatusTable;
  private closed = false;
  private readonly maxQueuedRows: number;
  private failing?: WriteFailure;
  private dropped = 0;

  constructor(opts: StoreOptions) {
    super();
    this.path = opts.path;
    this.now = opts.now ?? Date.now;
    this.maxQueuedRows = opts.maxQueuedRows ?? 100_000;
    if (!this.inMemory) mkdirSync(dirname(opts.path), { recursive: true });
    this.db = new Database(opts.path);
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = NORMAL');
    this.db.pragma('foreign_keys = ON');
    this.db.pragma('busy_timeout = 5000');
    migrate(this.db);
    this.stmt = prepareWrites(this.db);
    this.queries = createQueries(this.db);
    this.userStatuses = new UserStatusTable(this.db);
    for (const r of this.db.prepare('SELECT pbx, extension, state, registered FROM extensions').all() as {
      pbx: string;
      extension: string;
      state: string;
      registered: number;
    }[]) {
      this.lastExtensionState.set(`${r.pbx}\u0000${r.extension}`, `${r.state}/${r.registered}`);
    }
    for (const r of this.db.prepare('SELECT id FROM unoffered_calls').all() as { id: string }[]) this.unofferedOnDisk.add(r.id);
  }

  // ---- queued writes ------------------------------------------------------------------------------------------

  saveCall(call: Call): void {
    this.queue(this.pendingCalls, call.id, call);
  }

  saveExtension(e: ExtensionState): void {
    this.queue(this.pendingExtensions, `${e.pbx}\u0000${e.extension}`, e);
  }

  saveQueue(q: QueueState): void {
    this.queue(this.pendingQueues, `${q.pbx}\u0000${q.queue}`, q);
  }

  saveTrunk(t: TrunkState): void {
    this.queue(this.pendingTrunks, `${t.pbx}\u0000${t.trunk}`, t);
  }

  /**
   * A newer version of a queued row replaces it; a new row past the bound is dropped and counted: while commits fail
   * (a full disk) memory must not grow without end, and the loss must show (switchboard_store_dropped_rows_total).
   */
  private queue<T>(pending: Map<string, T>, key: string, row: T): void {
    if (!pending.has(key) && this.pending >= this.maxQueuedRows) {
      this.dropped++;
      return;
    }
    pending.set(key, row);
  }

  /** Rows dropped because the write queue was full, since start. */
  get droppedRows(): number {
    return this.dropped;
  }

  /** Set while commits fail; cleared by the first commit that succeeds. */
  get writeFailure(): WriteFailure | undefined {
    return this.failing;
  }

  /**
   * An open call's correlation checkpoint, written with it; ignored once the call is final. It rides with its call's
   * queued row (the runtime publishes the two together): where the bound dropped the row, the checkpoint goes with
   * it, so the bound on rows bounds checkpoints too (the row is counted as dropped, once).
   */
  saveCheckpoint(callId: string, checkpoint: () => string): void {
    if (this.pendingCalls.has(callId)) this.pendingCheckpoints.set(callId, checkpoint);
  }

  /**
   * The checkpoint of a call not offered yet (a phone dialling), or without one: drop it (the call was offered, or
   * forgotten). A drop is never refused by the bound: it frees a row, and there are no more of them than rows on disk.
   */
  saveUnoffered(pbx: string, callId: string, checkpoint?: () => string): void {
    if (checkpoint) this.queue(this.pendingUnoffered, callId, { pbx, checkpoint });
    else if (this.unofferedOnDisk.has(callId)) this.pendingUnoffered.set(callId, null);
    else this.pendingUnoffered.delete(callId);
  }

  saveGap(g: Gap): void {
    this.append(this.pendingGaps, g);
  }

  saveUserStatus(s: UserStatus): void {
    this.append(this.pendingUserStatuses, s);
  }

  /** Rows that never replace one another (gaps, status changes) under the same bound as the keyed ones. */
  private append<T>(pending: T[], row: T): void {
    if (this.pending >= this.maxQueuedRows) {
      this.dropped++;
      return;
    }
    pending.push(row);
  }

  get pending(): number {
    return (
      this.pendingCalls.size +
      this.pendingUnoffered.size +
      this.pendingExtensions.size +
      this.pendingQueues.size +
      this.pendingTrunks.size +
      this.pendingGaps.length +
      this.pendingUserStatuses.length
    );
  }

  /**
   * Commits every queued write in one transaction and records the heartbeat. On failure nothing queued is dropped:
   * the rows stay queued for the next flush.
   */
  flush(): FlushResult {
    if (this.closed) throw new Error('store is closed');
    const rows = this.pending;
    const started = process.hrtime.bigint();
    const now = this.now();
    try {
      this.db.transaction(() => {
        for (const call of this.pendingCalls.values()) this.writeCall(call, now);
        for (const [id, checkpoint] of this.pendingCheckpoints) this.stmt.saveCheckpoint.run(checkpoint(), id);
        for (const [id, u] of this.pendingUnoffered) {
          if (u) this.stmt.saveUnoffered.run(id, u.pbx, u.checkpoint());
          else this.stmt.dropUnoffered.run(id);
        }
        for (const e of this.pendingExtensions.values()) this.writeExtension(e);
        for (const q of this.pendingQueues.values()) this.writeQueue(q);
        for (const t of this.pendingTrunks.values()) {
          this.stmt.upsertTrunk.run(t.pbx, t.trunk, t.registered ? 1 : 0, JSON.stringify(t), t.updatedAt);
        }
        for (const g of this.pendingGaps) this.writeGap(g);
        for (const u of this.pendingUserStatuses) this.userStatuses.write(u);
        this.stmt.setMeta.run(HEARTBEAT_KEY, String(now));
      })();
    } catch (err) {
      const reason = (err as Error).message;
      this.failing = { since: this.failing?.since ?? now, reason, failures: (this.failing?.failures ?? 0) + 1 };
      this.emit('writeError', err as Error);
      throw err;
    }
    this.failing = undefined;
    this.pendingCalls.clear();
    this.pendingCheckpoints.clear();
    for (const [id, u] of this.pendingUnoffered) {
      if (u) this.unofferedOnDisk.add(id);
      else this.unofferedOnDisk.delete(id);
    }
    this.pendingUnoffered.clear();
    this.pendingExtensions.clear();
    this.pendingQueues.clear();
    this.pendingTrunks.clear();
    this.pendingGaps.length = 0;
    this.pendingUserStatuses.length = 0;
    const result = { rows, durationSeconds: Number(process.hrtime.bigint() - started) / 1e9 };
    this.emit('flush', result);
    return result;
  }

  private writeCall(call: Call, now: number): void {
    const row = callToRow(call, now);
    // a finished call is never reopened (a late open record of it changes nothing); a corrected final record replaces it
    const written = this.stmt.upsertCall.get(row) as { rowid: number } | undefined;
    if (!written) return;
    const { rowid } = written;
    this.stmt.deleteLegs.run(rowid);
    call.legs.forEach((leg, i) => this.stmt.insertLeg.run(legToRow(leg, rowid, i)));
    this.stmt.deleteFts.run(rowid);
    const numbers = [call.from.number, call.to.number, call.answeredBy?.number, ...call.legs.map((l) => l.party.number)]
      .filter((n): n is string => !!n)
      .flatMap((n) => [n, digitsOf(n)]);
    const names = [call.from.name, call.to.name, call.answeredBy?.name, call.queue].filter(Boolean);
    this.stmt.insertFts.run(rowid, [...new Set(numbers)].join(' '), names.join(' '));
    // an answered call with an external party returns that party's earlier missed calls
    if (!call.open && call.status === 'answered' && row.external_number) {
      this.stmt.markReturned.run({ key: row.external_number, at: call.startedAt });
    }
  }

  private writeExtension(e: ExtensionState): void {
    const k = `${e.pbx}\u0000${e.extension}`;
    const registered = e.registered ? 1 : 0;
    this.stmt.upsertExtension.run(e.pbx, e.extension, e.state, registered, JSON.stringify(e), e.updatedAt);
    const sig = `${e.state}/${registered}`;
    if (this.lastExtensionState.get(k) !== sig) {
      this.stmt.insertHistory.run(e.pbx, e.extension, e.updatedAt, e.state, registered);
      this.lastExtensionState.set(k, sig);
    }
  }

  private writeQueue(q: QueueState): void {
    this.stmt.upsertQueue.run(q.pbx, q.queue, JSON.stringify(q), q.updatedAt);
    this.stmt.deleteMembers.run(q.pbx, q.queue);
    for (const m of q.members) {
      this.stmt.insertMember.run(
        q.pbx,
        q.queue,
        m.interface,
        m.extension ?? null,
        m.name ?? null,
        m.state,
        m.paused ? 1 : 0,
        m.pausedReason ?? null,
        q.updatedAt,
      );
    }
  }

  private writeGap(g: Gap): void {
    const open = this.stmt.openGap.get({ pbx: g.pbx, kind: g.kind, started_at: g.startedAt }) as
      | { id: number }
      | undefined;
    if (open && g.endedAt !== undefined) this.stmt.closeGap.run(g.endedAt, g.reason, open.id);
    else if (!open) {
      this.stmt.insertGap.run({ pbx: g.pbx, kind: g.kind, reason: g.reason, started_at: g.startedAt, ended_at: g.endedAt ?? null });
    }
  }

  // ---- reads used by the pipeline -----------------------------------------------------------------------------

  getCall(id: string): Call | undefined {
    const row = this.db.prepare('SELECT * FROM calls WHERE id = ?').get(id) as CallRow | undefined;
    if (!row) return undefined;
    const legs = this.db.prepare('SELECT * FROM call_legs WHERE call_rowid = ? ORDER BY seq').all(row.rowid) as LegRow[];
    return rowToCall(row, legs);
  }

  openCalls(pbx: string): Call[] {
    return this.openCallsWithCheckpoints(pbx).map((o) => o.call);
  }

  /** The open calls of a source, each with the checkpoint its row holds: one read, what a restart resumes from. */
  openCallsWithCheckpoints(pbx: string): StoredOpenCall[] {
    const rows = this.db.prepare('SELECT * FROM calls WHERE open = 1 AND pbx = ? ORDER BY started_at').all(pbx) as (CallRow & {
      checkpoint: string | null;
    })[];
    const legs = this.db.prepare('SELECT * FROM call_legs WHERE call_rowid = ? ORDER BY seq');
    return rows.map((r) => {
      const call = rowToCall(r, legs.all(r.rowid) as LegRow[]);
      return r.checkpoint ? { call, checkpoint: r.checkpoint } : { call };
    });
  }

  /** The checkpoints of a source's calls that were not offered yet when the last run ended (none that became a call). */
  unofferedCheckpoints(pbx: string): string[] {
    const rows = this.db
      .prepare('SELECT u.checkpoint FROM unoffered_calls u WHERE u.pbx = ? AND NOT EXISTS (SELECT 1 FROM calls c WHERE c.id = u.id)')
      .all(pbx) as { checkpoint: string }[];
    return rows.map((r) => r.checkpoint);
  }

  gaps(): Gap[] {
    return (this.db.prepare('SELECT * FROM gaps ORDER BY started_at').all() as GapRow[]).map(rowToGap);
  }

  // ---- exporter downtime ----------------------------------------------------------------------------------------

  /**
   * Called once at start-up. Every downtime of the exporter, however short, is a gap: from the clean stop the last run
   * recorded, or from its last committed heartbeat when it crashed or was killed, until now. Gaps the last run left
   * open (its sources' outages) end where its own gap begins: from there on the exporter's gap says it. Committed at
   * once; undefined on a fresh database.
   */
  recordDowntime(): Gap | undefined {
    const last = this.meta(HEARTBEAT_KEY);
    const clean = this.meta(CLEAN_SHUTDOWN_KEY) === '1';
    const stoppedAt = this.meta(STOPPED_AT_KEY);
    this.stmt.setMeta.run(CLEAN_SHUTDOWN_KEY, '0');
    if (last === undefined) return undefined;
    const now = this.now();
    const down = clean && stoppedAt !== undefined ? Number(stoppedAt) : Number(last);
    const startedAt = Math.min(down, now);
    const gap: Gap = {
      pbx: null,
      kind: 'exporter',
      reason: clean ? 'exporter stopped' : 'exporter crashed or was killed',
      startedAt,
      endedAt: now,
    };
    this.db.transaction(() => {
      this.stmt.closeOpenGaps.run(startedAt);
      this.writeGap(gap);
      this.stmt.setMeta.run(HEARTBEAT_KEY, String(now));
    })();
    return gap;
  }

  private meta(key: string): string | undefined {
    return (this.stmt.getMeta.get(key) as { value: string } | undefined)?.value;
  }

  /**
   * Flush what is queued, mark a clean shutdown, checkpoint the WAL and close. The database closes whatever happens;
   * returns the rows that could not be committed (0 normally), for the caller to say so. Without its clean-stop mark
   * the next start counts this run as crashed, from its last heartbeat: the lost rows fall inside a gap.
   */
  close(): number {
    if (this.closed) return 0;
    let lost = 0;
    try {
      this.flush();
      this.db.transaction(() => {
        this.stmt.setMeta.run(STOPPED_AT_KEY, String(this.now()));
        this.stmt.setMeta.run(CLEAN_SHUTDOWN_KEY, '1');
      })();
      this.db.pragma('wal_checkpoint(TRUNCATE)');
    } catch {
      lost = this.pending;
    } finally {
      this.closed = true;
      this.db.close();
    }
    return lost;
  }

  get isOpen(): boolean {
    return !this.closed && this.db.open;
  }

  // ---- about the database itself --------------------------------------------------------------------------------

  /** The migration the database file stands at. */
  schemaVersion(): number {
    return this.db.pragma('user_version', { simple: true }) as number;
  }

  *stream<T>(read: (queries: Queries) => Iterable<T>): Generator<T> {
    // an in-memory database has no second connection: read it at once (it is small, and gone at exit anyway)
    if (this.inMemory) {
      yield* [...read(this.queries)];
      return;
    }
    const db = new Database(this.path, { readonly: true, fileMustExist: true });
    try {
      db.pragma('busy_timeout = 5000');
      yield* read(createQueries(db));
    } finally {
      db.close();
    }
  }

  get inMemory(): boolean {
    return this.path === ':memory:';
  }

  /**
   * Bytes the database takes, WAL included: the files on disk (readable after close too), or the pages of an
   * in-memory database while it is open.
   */
  sizeBytes(): number | undefined {
    if (!this.inMemory) return fileSize(this.path) + fileSize(`${this.path}-wal`);
    if (!this.isOpen) return undefined;
    const pages = this.db.pragma('page_count', { simple: true }) as number;
    return pages * (this.db.pragma('page_size', { simple: true }) as number);
  }

  /** Free space for unprivileged users where the database file lives; undefined in memory or if that is gone. */
  diskFreeBytes(): number | undefined {
    if (this.inMemory) return undefined;
    try {
      const fs = statfsSync(dirname(this.path));
      return fs.bavail * fs.bsize;
    } catch {
      return undefined;
    }
  }
}

function fileSize(path: string): number {
  try {
    return statSync(path).size;
  } catch {
    return 0;
  }
}
