import { join } from 'node:path';
import Database from 'better-sqlite3';
import pino from 'pino';
import { Hub } from '../../src/hub';
import { Store } from '../../src/store/store';
import { Writer } from '../../src/store/writer';
import { makeCall } from '../helpers/calls';
import { tempDir } from '../helpers/tmp';

describe('writer', () => {
  const tmp = tempDir();
  afterAll(tmp.cleanup);

  it('persists hub events and keeps rows queued when a commit fails', () => {
    const path = join(tmp.dir, 'w.db');
    const store = new Store({ path });
    store.db.pragma('busy_timeout = 0');
    const hub = new Hub();
    const errors: Error[] = [];
    store.on('writeError', (e) => errors.push(e));
    const writer = new Writer(hub, store, pino({ level: 'silent' }), 60_000, 60_000);
    writer.start();

    const call = makeCall();
    hub.emit('call', { ...call, open: true, status: 'answered' });
    hub.emit('callEnded', call);
    hub.emit('gap', { pbx: 'pbx1', kind: 'source', reason: 'connection lost', startedAt: 1000 });

    const other = new Database(path);
    other.exec('BEGIN IMMEDIATE'); // another writer holds the lock: the commit must fail
    expect(writer.flush()).toBe(false);
    expect(errors).toHaveLength(1);
    expect(store.pending).toBe(2); // the call (coalesced to its last state) and the gap
    other.exec('ROLLBACK');
    other.close();

    hub.emit('gap', { pbx: 'pbx1', kind: 'source', reason: 'reconnected', startedAt: 1000, endedAt: 5000 });
    expect(writer.flush()).toBe(true);
    expect(store.getCall(call.id)).toMatchObject({ open: false, status: 'answered' });
    expect(store.gaps()).toEqual([
      { id: expect.any(Number), pbx: 'pbx1', kind: 'source', reason: 'reconnected', startedAt: 1000, endedAt: 5000 },
    ]);
    writer.stop();
    store.close();
  });
});
