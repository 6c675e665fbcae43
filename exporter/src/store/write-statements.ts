import type { Database, Statement } from 'better-sqlite3';

/** The statements a flush runs, prepared once per connection. */
export type WriteStatements = Record<keyof ReturnType<typeof prepareAll>, Statement>;

export const prepareWrites = (db: Database): WriteStatements => prepareAll(db);

function prepareAll(db: Database) {
  return {
    upsertCall: db.prepare(`
      INSERT INTO calls (id, pbx, direction, status, open, started_at, answered_at, ended_at, ring_ms, talk_ms, hold_ms,
        wait_ms, from_number, from_name, to_number, to_name, answered_by, answered_by_name, queue, group_type, group_id,
        truly_missed, external_number, detail, updated_at)
      VALUES (@id, @pbx, @direction, @status, @open, @started_at, @answered_at, @ended_at, @ring_ms, @talk_ms, @hold_ms,
        @wait_ms, @from_number, @from_name, @to_number, @to_name, @answered_by, @answered_by_name, @queue, @group_type,
        @group_id, @truly_missed, @external_number, @detail, @updated_at)
      ON CONFLICT (id) DO UPDATE SET pbx = excluded.pbx, direction = excluded.direction, status = excluded.status,
        open = excluded.open, started_at = excluded.started_at, answered_at = excluded.answered_at,
        ended_at = excluded.ended_at, ring_ms = excluded.ring_ms, talk_ms = excluded.talk_ms, hold_ms = excluded.hold_ms,
        wait_ms = excluded.wait_ms, from_number = excluded.from_number, from_name = excluded.from_name,
        to_number = excluded.to_number, to_name = excluded.to_name, answered_by = excluded.answered_by,
        answered_by_name = excluded.answered_by_name, queue = excluded.queue, group_type = excluded.group_type,
        group_id = excluded.group_id, truly_missed = excluded.truly_missed, external_number = excluded.external_number,
        detail = excluded.detail, updated_at = excluded.updated_at,
        checkpoint = CASE WHEN excluded.open = 0 THEN NULL ELSE calls.checkpoint END
      WHERE calls.open = 1 OR excluded.open = 0
      RETURNING rowid`),
    deleteLegs: db.prepare('DELETE FROM call_legs WHERE call_rowid = ?'),
    insertLeg: db.prepare(`
      INSERT INTO call_legs (call_rowid, seq, source_id, party, name, role, channel, started_at, answered_at, ended_at,
        outcome, cause)
      VALUES (@call_rowid, @seq, @source_id, @party, @name, @role, @channel, @started_at, @answered_at, @ended_at,
        @outcome, @cause)`),
    // only while the call is open: a checkpoint never outlives the final record
    saveCheckpoint: db.prepare('UPDATE calls SET checkpoint = ? WHERE id = ? AND open = 1'),
    saveUnoffered: db.prepare(
      'INSERT INTO unoffered_calls (id, pbx, checkpoint) VALUES (?, ?, ?) ON CONFLICT (id) DO UPDATE SET checkpoint = excluded.checkpoint',
    ),
    dropUnoffered: db.prepare('DELETE FROM unoffered_calls WHERE id = ?'),
    deleteFts: db.prepare('DELETE FROM calls_fts WHERE rowid = ?'),
    insertFts: db.prepare('INSERT INTO calls_fts (rowid, numbers, names) VALUES (?, ?, ?)'),
    markReturned: db.prepare(`
      UPDATE calls SET returned_at = @at
       WHERE external_number = @key AND truly_missed = 1 AND returned_at IS NULL AND started_at < @at`),
    upsertExtension: db.prepare(`
      INSERT INTO extensions (pbx, extension, state, registered, doc, updated_at) VALUES (?, ?, ?, ?, ?, ?)
      ON CONFLICT (pbx, extension) DO UPDATE SET state = excluded.state, registered = excluded.registered,
        doc = excluded.doc, updated_at = excluded.updated_at`),
    insertHistory: db.prepare(
      'INSERT INTO extension_history (pbx, extension, at, state, registered) VALUES (?, ?, ?, ?, ?)',
    ),
    upsertQueue: db.prepare(`
      INSERT INTO queues (pbx, queue, doc, updated_at) VALUES (?, ?, ?, ?)
      ON CONFLICT (pbx, queue) DO UPDATE SET doc = excluded.doc, updated_at = excluded.updated_at`),
    deleteMembers: db.prepare('DELETE FROM queue_members WHERE pbx = ? AND queue = ?'),
    insertMember: db.prepare(`
      INSERT INTO queue_members (pbx, queue, interface, extension, name, state, paused, paused_reason, updated_at)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`),
    upsertTrunk: db.prepare(`
      INSERT INTO trunks (pbx, trunk, registered, doc, updated_at) VALUES (?, ?, ?, ?, ?)
      ON CONFLICT (pbx, trunk) DO UPDATE SET registered = excluded.registered, doc = excluded.doc,
        updated_at = excluded.updated_at`),
    openGap: db.prepare(`
      SELECT id FROM gaps WHERE pbx IS @pbx AND kind = @kind AND started_at = @started_at AND ended_at IS NULL`),
    insertGap: db.prepare(
      'INSERT INTO gaps (pbx, kind, reason, started_at, ended_at) VALUES (@pbx, @kind, @reason, @started_at, @ended_at)',
    ),
    closeGap: db.prepare('UPDATE gaps SET ended_at = ?, reason = ? WHERE id = ?'),
    // an open gap of a run that ended cannot end later than that run: where it started, if after
    closeOpenGaps: db.prepare('UPDATE gaps SET ended_at = max(started_at, ?) WHERE ended_at IS NULL'),
    setMeta: db.prepare(
      'INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value',
    ),
    getMeta: db.prepare('SELECT value FROM meta WHERE key = ?'),
  };
}
