import type { Database } from 'better-sqlite3';

/**
 * Forward-only schema versions. Each entry takes the database from version i to i+1 inside one transaction;
 * `PRAGMA user_version` records where a file stands. Never edit a released entry: add a new one.
 */
export const MIGRATIONS: readonly string[] = [
  // 1: calls, legs, live state, history, gaps
  `
  CREATE TABLE calls (
    rowid INTEGER PRIMARY KEY,
    id TEXT NOT NULL UNIQUE,
    pbx TEXT NOT NULL,
    direction TEXT NOT NULL,
    status TEXT NOT NULL,
    open INTEGER NOT NULL DEFAULT 0,
    started_at INTEGER NOT NULL,
    answered_at INTEGER,
    ended_at INTEGER,
    ring_ms INTEGER NOT NULL DEFAULT 0,
    talk_ms INTEGER NOT NULL DEFAULT 0,
    hold_ms INTEGER NOT NULL DEFAULT 0,
    wait_ms INTEGER,
    from_number TEXT,
    from_name TEXT,
    to_number TEXT,
    to_name TEXT,
    answered_by TEXT,
    answered_by_name TEXT,
    queue TEXT,
    group_type TEXT,
    group_id TEXT,
    truly_missed INTEGER NOT NULL DEFAULT 0,
    external_number TEXT,
    returned_at INTEGER,
    detail TEXT NOT NULL DEFAULT '{}',
    updated_at INTEGER NOT NULL
  );
  CREATE INDEX calls_started ON calls (started_at DESC, rowid DESC);
  CREATE INDEX calls_pbx_started ON calls (pbx, started_at DESC);
  CREATE INDEX calls_status_started ON calls (status, started_at DESC);
  CREATE INDEX calls_direction_started ON calls (direction, started_at DESC);
  CREATE INDEX calls_queue_started ON calls (queue, started_at DESC) WHERE queue IS NOT NULL;
  CREATE INDEX calls_missed_started ON calls (truly_missed, started_at DESC) WHERE truly_missed = 1;
  CREATE INDEX calls_external ON calls (external_number, started_at) WHERE external_number IS NOT NULL;
  CREATE INDEX calls_open ON calls (open) WHERE open = 1;

  CREATE TABLE call_legs (
    call_rowid INTEGER NOT NULL REFERENCES calls (rowid) ON DELETE CASCADE,
    seq INTEGER NOT NULL,
    party TEXT NOT NULL,
    name TEXT,
    role TEXT NOT NULL,
    channel TEXT,
    started_at INTEGER NOT NULL,
    answered_at INTEGER,
    ended_at INTEGER,
    outcome TEXT,
    cause INTEGER,
    PRIMARY KEY (call_rowid, seq)
  ) WITHOUT ROWID;
  CREATE INDEX call_legs_party ON call_legs (party, started_at DESC, call_rowid);

  CREATE TABLE extensions (
    pbx TEXT NOT NULL,
    extension TEXT NOT NULL,
    state TEXT NOT NULL,
    registered INTEGER NOT NULL,
    doc TEXT NOT NULL,
    updated_at INTEGER NOT NULL,
    PRIMARY KEY (pbx, extension)
  ) WITHOUT ROWID;

  CREATE TABLE extension_history (
    id INTEGER PRIMARY KEY,
    pbx TEXT NOT NULL,
    extension TEXT NOT NULL,
    at INTEGER NOT NULL,
    state TEXT NOT NULL,
    registered INTEGER NOT NULL
  );
  CREATE INDEX extension_history_ext_at ON extension_history (pbx, extension, at);
  CREATE INDEX extension_history_at ON extension_history (at);

  CREATE TABLE queues (
    pbx TEXT NOT NULL,
    queue TEXT NOT NULL,
    doc TEXT NOT NULL,
    updated_at INTEGER NOT NULL,
    PRIMARY KEY (pbx, queue)
  ) WITHOUT ROWID;

  CREATE TABLE queue_members (
    pbx TEXT NOT NULL,
    queue TEXT NOT NULL,
    interface TEXT NOT NULL,
    extension TEXT,
    name TEXT,
    state TEXT NOT NULL,
    paused INTEGER NOT NULL,
    paused_reason TEXT,
    updated_at INTEGER NOT NULL,
    PRIMARY KEY (pbx, queue, interface),
    FOREIGN KEY (pbx, queue) REFERENCES queues (pbx, queue) ON DELETE CASCADE
  ) WITHOUT ROWID;

  CREATE TABLE trunks (
    pbx TEXT NOT NULL,
    trunk TEXT NOT NULL,
    registered INTEGER NOT NULL,
    doc TEXT NOT NULL,
    updated_at INTEGER NOT NULL,
    PRIMARY KEY (pbx, trunk)
  ) WITHOUT ROWID;

  CREATE TABLE gaps (
    id INTEGER PRIMARY KEY,
    pbx TEXT,
    kind TEXT NOT NULL CHECK (kind IN ('source', 'exporter')),
    reason TEXT NOT NULL,
    started_at INTEGER NOT NULL,
    ended_at INTEGER
  );
  CREATE INDEX gaps_started ON gaps (started_at);

  CREATE TABLE meta (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
  ) WITHOUT ROWID;
  `,
  // 2: full-text search over numbers and names. Trigram so that any run of 3+ digits of a number matches.
  `
  CREATE VIRTUAL TABLE calls_fts USING fts5 (
    numbers, names,
    content = '', contentless_delete = 1, tokenize = 'trigram'
  );
  INSERT INTO calls_fts (rowid, numbers, names)
    SELECT rowid,
           coalesce(from_number, '') || ' ' || coalesce(to_number, '') || ' ' || coalesce(answered_by, ''),
           coalesce(from_name, '') || ' ' || coalesce(to_name, '') || ' ' || coalesce(answered_by_name, '')
      FROM calls;
  `,
  // 3: the API's extension filter bounds its walk over legs by the longest finished call (see store/queries/calls.ts)
  `
  CREATE INDEX calls_span ON calls ((ended_at - started_at)) WHERE ended_at IS NOT NULL;
  `,
  // 4: the webhook sinks' outbox: each row one delivery, sent in id order per sink, deleted once the receiver took it
  `
  CREATE TABLE sink_outbox (
    id INTEGER PRIMARY KEY,
    sink TEXT NOT NULL,
    delivery TEXT NOT NULL UNIQUE,
    event TEXT NOT NULL,
    subject TEXT,
    body TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0,
    next_at INTEGER NOT NULL,
    last_error TEXT
  );
  CREATE INDEX sink_outbox_sink ON sink_outbox (sink, id);
  `,
  // 5: user status set through the API, every change kept: the latest row per extension is the current status
  `
  CREATE TABLE user_status (
    id INTEGER PRIMARY KEY,
    pbx TEXT NOT NULL,
    extension TEXT NOT NULL,
    status TEXT NOT NULL,
    message TEXT,
    since INTEGER NOT NULL,
    set_by TEXT
  );
  CREATE INDEX user_status_extension ON user_status (pbx, extension, since);
  `,
  // 6: crash-safe open calls: each leg's own source id (a restart matches it against the PBX's live channels) and the
  // correlation checkpoint of an open call (NULL once it is final)
  `
  ALTER TABLE call_legs ADD COLUMN source_id TEXT;
  ALTER TABLE calls ADD COLUMN checkpoint TEXT;
  `,
  // 7: checkpoints of calls not yet offered (a phone dialling): no call row yet, but a restart must know when each began
  `
  CREATE TABLE unoffered_calls (
    id TEXT PRIMARY KEY,
    pbx TEXT NOT NULL,
    checkpoint TEXT NOT NULL
  ) WITHOUT ROWID;
  `,
];

export const SCHEMA_VERSION = MIGRATIONS.length;

/** Brings `db` to `target` (default: latest). Returns the versions applied. */
export function migrate(db: Database, target = SCHEMA_VERSION): number[] {
  const current = db.pragma('user_version', { simple: true }) as number;
  if (current > SCHEMA_VERSION) {
    throw new Error(
      `database schema version ${current} is newer than this exporter understands (${SCHEMA_VERSION}); upgrade Switchboard`,
    );
  }
  const applied: number[] = [];
  for (let v = current; v < target; v++) {
    db.transaction(() => {
      db.exec(MIGRATIONS[v]);
      db.pragma(`user_version = ${v + 1}`);
    })();
    applied.push(v + 1);
  }
  return applied;
}
