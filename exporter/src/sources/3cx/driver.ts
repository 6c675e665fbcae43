// Long on purpose (about 370 lines): the 3CX source's lifecycle. Its four inputs (listener, client, file tail,
// poller) are already their own files; what stays is the one path they share (dedupe, rejects, checkpoint, up/down).

import { join } from 'node:path';
import type { QueueState } from '../../domain';
import { InputRejected, type SourceContext } from '../runtime/context';
import type { SourceDriver } from '../runtime/kind';
import { BadRecord } from './bad-record';
import { CdrClient } from './cdr-client';
import { CdrFileTail, type TailPosition } from './cdr-file';
import type { CdrInput } from './cdr-input';
import { isHeaderLine, parseCdrLine } from './cdr-line';
import { CdrListener } from './cdr-listener';
import { recordFromCdr, type Recorded } from './cdr-record';
import { recordFromCdrOutput } from './cdroutput';
import type { CdrOutputRow } from './cdroutput-row';
import { CdrOutputPoller, type PollPosition } from './cdroutput-poller';
import { FileCheckpoint, type Checkpoint } from './checkpoint';
import type { ThreeCxConfig } from './config';
import { MembershipReader, type CallGroupConfig } from './membership';
import { NameBook } from './names';
import { PgSession } from './pg-session';
import { RejectFile, type Rejected } from './reject-file';
import { fingerprint, SeenRecords } from './seen';

/** Everything the 3CX source keeps across restarts, in one checkpoint. */
export interface ThreeCxState {
  seen?: [string, string][];
  tail?: TailPosition;
  poll?: PollPosition;
}

/** Knobs tests turn; production uses the defaults. */
export interface ThreeCxOptions {
  /** a passive-socket connection that closed after records is only reported down if it is not back within this */
  downGraceMs?: number;
}

/**
 * 3CX: finished calls only (its CDR is written after a call ends), through one of the four outputs 3CX offers, plus
 * queue and ring-group membership from its database. No live state: no extension states, no calls in progress, no
 * queue callers; the kind says so in its capabilities and the wall shows the PBX as history-only.
 */
export class ThreeCxDriver implements SourceDriver {
  private readonly state: Checkpoint<ThreeCxState>;
  private readonly rejects: RejectFile;
  private readonly seen: SeenRecords;
  private readonly names = new NameBook();
  private snapshot: ThreeCxState;
  private readonly stops: (() => Promise<void> | void)[] = [];
  private db?: PgSession;
  private membershipReader?: MembershipReader;
  private membershipTimer?: NodeJS.Timeout;
  private downTimer?: NodeJS.Timeout;
  private isConnected = false;
  private lastDownReason?: string;
  private running = false;
  private persistScheduled = false;
  /** the listener's bound port (activeSocket), for tests and logs */
  listeningPort = 0;

  constructor(
    private readonly config: ThreeCxConfig,
    private readonly ctx: SourceContext,
    private readonly opts: ThreeCxOptions = {},
  ) {
    this.state = new FileCheckpoint<ThreeCxState>(
      config.stateFile ?? join(ctx.dataDir, '3cx', `${ctx.pbx}.state.json`),
    );
    this.rejects = new RejectFile(config.rejectFile ?? join(ctx.dataDir, '3cx', `${ctx.pbx}.rejects.jsonl`));
    this.snapshot = this.state.load() ?? {};
    this.seen = new SeenRecords(20_000, this.snapshot.seen ?? []);
  }

  /** database queries answered so far (tests wait on it instead of on the clock) */
  get databaseQueries(): number {
    return this.db?.answered ?? 0;
  }

  async start(): Promise<void> {
    const c = this.config;
    this.running = true;
    if (c.database) {
      const db = new PgSession({
        host: c.database.host,
        port: c.database.port,
        database: c.database.database,
        user: c.database.user,
        password: c.databasePassword,
        ssl: c.database.ssl ? { rejectUnauthorized: true } : undefined,
        connectionTimeoutMillis: 10_000,
        statement_timeout: 60_000,
      });
      this.db = db;
      this.stops.push(() => db.close());
      if (c.mode === 'database') {
        db.on('up', () => this.up());
        db.on('down', (reason) => this.down(reason));
      }
    }
    switch (c.mode) {
      case 'activeSocket':
        await this.startListener();
        break;
      case 'passiveSocket':
        this.startClient();
        break;
      case 'file':
        await this.startTail();
        break;
      case 'database':
        await this.startPoller();
        break;
    }
    if (this.db && c.membership.enabled) void this.readMembership();
  }

  async stop(): Promise<void> {
    this.running = false;
    clearTimeout(this.membershipTimer);
    clearTimeout(this.downTimer);
    for (const s of this.stops.splice(0).reverse()) await s();
    this.persistNow();
    this.state.flush();
  }

  // ---- the four outputs ---------------------------------------------------------------------------------------

  private get input(): CdrInput {
    return {
      line: (text, origin) => this.line(text, origin),
      oversized: (bytes, origin) =>
        this.refused(new BadRecord('line too long', `${bytes} bytes without a newline`), origin, ''),
      truncated: (text, origin) =>
        this.refused(new BadRecord('truncated', 'the connection broke mid-line'), origin, text),
    };
  }

  private async startListener(): Promise<void> {
    const l = this.config.listen!;
    const listener = new CdrListener({ host: l.host, port: l.port, allowFrom: l.allowFrom }, this.input);
    listener.on('refused', (peer) =>
      this.ctx.log.warn({ peer }, 'CDR connection from an address not in listen.allowFrom refused'),
    );
    this.stops.push(() => listener.stop());
    try {
      await listener.start();
    } catch (err) {
      const e = err as NodeJS.ErrnoException;
      this.down(`cannot listen on ${l.host}:${l.port}: ${e.code ?? e.message}`);
      return;
    }
    this.listeningPort = listener.port;
    this.ctx.log.info({ port: listener.port }, '3CX CDR listener ready (active socket)');
    this.up();
  }

  private startClient(): void {
    const k = this.config.connect!;
    const client = new CdrClient(
      { host: k.host, port: k.port, backoff: this.ctx.backoff(this.config.reconnectMaxSeconds * 1000) },
      this.input,
    );
    client.on('up', () => this.up());
    client.on('down', (reason, wasUp) => {
      // 3CX may close after every record: only a connection that stays away is an outage
      if (!wasUp) return this.down(reason);
      clearTimeout(this.downTimer);
      this.downTimer = setTimeout(() => this.down(reason), this.opts.downGraceMs ?? 5000);
      this.downTimer.unref();
    });
    this.stops.push(() => client.stop());
    client.start();
  }

  private async startTail(): Promise<void> {
    const f = this.config.file!;
    const tail = new CdrFileTail({ path: f.path, pollMs: f.pollSeconds * 1000 }, this.input, this.checkpoint('tail'));
    tail.on('opened', (path, offset) => {
      this.ctx.log.info({ path, offset }, '3CX CDR file opened');
      this.up();
    });
    tail.on('missing', (path) => this.down(`CDR file ${path} not found`));
    tail.on('rotated', (path) => this.ctx.log.info({ path }, '3CX CDR file rotated'));
    tail.on('failed', (reason) => this.down(reason));
    this.stops.push(() => tail.stop());
    await tail.poll();
    tail.start();
  }

  private async startPoller(): Promise<void> {
    const d = this.config.database!;
    const poller = new CdrOutputPoller(
      this.db!,
      {
        table: d.table,
        intervalMs: d.pollSeconds * 1000,
        settleMs: d.settleSeconds * 1000,
        maxOpenMs: d.maxOpenSeconds * 1000,
        batch: d.batch,
        since: this.ctx.now() - d.backfillHours * 3_600_000,
        backoff: this.ctx.backoff(this.config.reconnectMaxSeconds * 1000),
      },
      (rows, origin) => this.rows(rows, origin),
      this.checkpoint('poll'),
    );
    poller.on('forced', (id, why) => this.ctx.log.warn({ callHistoryId: id }, `3CX call taken as it is: ${why}`));
    this.stops.push(() => poller.stop());
    // the first poll before start() resolves: an app that is up has the backlog in hand
    await poller.poll().catch(() => undefined);
    poller.start();
  }

  // ---- records ---------------------------------------------------------------------------------------------------

  private line(text: string, origin: string): void {
    const fields = this.config.fields;
    if (isHeaderLine(text, fields)) return;
    this.take(
      () => recordFromCdr(parseCdrLine(text, fields), { pbx: this.config.name, timeZone: this.config.timezone }),
      'cdr',
      origin,
      text,
    );
  }

  private rows(rows: CdrOutputRow[], origin: string): void {
    this.take(
      () => recordFromCdrOutput(rows, { pbx: this.config.name }),
      'cdroutput',
      origin,
      () => JSON.stringify(rows),
    );
  }

  /**
   * One line or call: counted as heard (ingest lag against the call's end), then handed over unless it is a repeat.
   * A line that cannot be a call goes to the reject file and is counted by reason.
   */
  private take(build: () => Recorded, event: string, origin: string, input: string | (() => string)): void {
    const arrival = this.ctx.now();
    let r: Recorded | undefined;
    let bad: BadRecord | undefined;
    try {
      r = build();
    } catch (err) {
      if (!(err instanceof BadRecord)) throw err;
      bad = err;
    }
    this.ctx.received(event, arrival, r?.record.endedAt, () => {
      if (bad) {
        this.keep(bad, origin, typeof input === 'string' ? input : input());
        throw new InputRejected(bad.reason, `${origin}: ${bad.detail}`);
      }
      this.handOver(r!, origin);
    });
  }

  private handOver(r: Recorded, origin: string): void {
    this.names.fill(r.record);
    const print = fingerprint(r.record);
    const seen = this.seen.check(r.key, print);
    if (seen === 'duplicate') return;
    if (seen === 'changed')
      this.ctx.log.info(
        { call: r.record.id, origin },
        '3CX sent a call again with other content: the record is replaced',
      );
    this.seen.remember(r.key, print);
    this.persist();
    this.ctx.calls.handle({ type: 'callRecorded', at: r.record.endedAt ?? r.record.startedAt, record: r.record });
  }

  /** Input refused before it was a line (too long, cut off): counted and kept like a bad line. */
  private refused(bad: BadRecord, origin: string, input: string): void {
    this.keep(bad, origin, input);
    this.ctx.rejected(bad.reason, `${origin}: ${bad.detail}`);
  }

  private keep(bad: BadRecord, origin: string, input: string): void {
    const r: Rejected = { reason: bad.reason, detail: bad.detail, origin, input };
    try {
      this.rejects.write(r);
    } catch (err) {
      this.ctx.log.error({ err, path: this.rejects.path }, 'could not write the reject file');
    }
  }

  // ---- checkpoint ------------------------------------------------------------------------------------------------

  /** One part of the source's checkpoint (the tail's position, the poller's mark), saved with the rest. */
  private checkpoint<K extends 'tail' | 'poll'>(key: K): Checkpoint<NonNullable<ThreeCxState[K]>> {
    return {
      load: () => this.snapshot[key] ?? undefined,
      save: (value) => {
        this.snapshot = { ...this.snapshot, [key]: value };
        this.persist();
      },
      flush: () => this.state.flush(),
    };
  }

  /** Coalesced per tick: a burst of records costs one copy of the recent keys, not one per record. */
  private persist(): void {
    if (this.persistScheduled) return;
    this.persistScheduled = true;
    setImmediate(() => this.persistNow());
  }

  private persistNow(): void {
    this.persistScheduled = false;
    this.snapshot = { ...this.snapshot, seen: this.seen.entries() };
    this.state.save(this.snapshot);
  }

  // ---- status ----------------------------------------------------------------------------------------------------

  private up(): void {
    clearTimeout(this.downTimer);
    if (this.isConnected) return;
    this.isConnected = true;
    this.lastDownReason = undefined;
    this.ctx.connected();
    // finished calls need no picture rebuilt: whole again at once
    this.ctx.synced();
  }

  private down(reason: string): void {
    clearTimeout(this.downTimer);
    if (!this.isConnected && this.lastDownReason === reason) return;
    this.isConnected = false;
    this.lastDownReason = reason;
    this.ctx.log.warn({ reason }, '3CX source down');
    this.ctx.disconnected(reason);
  }

  // ---- membership ------------------------------------------------------------------------------------------------

  private async readMembership(): Promise<void> {
    const reader = (this.membershipReader ??= new MembershipReader(this.db!));
    try {
      for (const g of await reader.read()) this.publishGroup(g);
    } catch (err) {
      this.ctx.log.warn({ err: (err as Error).message }, '3CX queue / ring-group membership not readable');
    }
    if (this.running) {
      this.membershipTimer = setTimeout(
        () => void this.readMembership(),
        this.config.membership.intervalSeconds * 1000,
      );
      this.membershipTimer.unref();
    }
  }

  private publishGroup(g: CallGroupConfig): void {
    for (const m of g.members) if (m.name) this.names.learn({ number: m.number, name: m.name });
    const state: QueueState = {
      pbx: this.config.name,
      queue: g.number,
      strategy: g.kind === 'queue' ? 'queue' : 'ringgroup',
      callers: [],
      members: g.members.map((m) => ({
        interface: m.number,
        extension: m.number,
        ...(m.name ? { name: m.name } : {}),
        state: m.available ? 'available' : 'unavailable',
        paused: false,
        inCall: false,
      })),
      updatedAt: this.ctx.now(),
    };
    this.ctx.live.queue(state);
  }
}
