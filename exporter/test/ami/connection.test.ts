import { join } from 'node:path';
import type { AmiServer } from '../../src/demo/ami/ami-server';
import { tempDir } from '../helpers/tmp';
import { amiConfig, captureBody, captureFrames, fakePbx, frameIndex, memoryLog, replayPbx, Rig, sleep, until } from './harness';

/** The AMI session's failure modes, against a fake Asterisk on loopback. */
describe('AMI connection', () => {
  let rig: Rig;
  let server: AmiServer;
  afterEach(async () => {
    await rig?.stop();
    await server?.close();
  });

  it('reports a refused login clearly: log line, counter, reason; retries slowly, never silently', async () => {
    server = await fakePbx({ secret: 'the-right-one' });
    let attempts = 0;
    server.on('action', (a) => {
      if (a.action?.toLowerCase() === 'login') attempts++;
    });
    rig = new Rig();
    const { log, lines } = memoryLog();
    await rig.start(amiConfig(server.port, { secret: 'wrong', reconnectMaxSeconds: 1 }), {}, log);
    await until(() => (rig.status?.loginFailures ?? 0) >= 2 || undefined, 'two login failures');
    expect(rig.status).toMatchObject({ connected: false, reason: 'login failed: Authentication failed' });
    const refusals = lines.filter((l) => l.level === 50 && /AMI login refused for user "rig": Authentication failed/.test(l.msg));
    expect(refusals.length).toBe(rig.status!.loginFailures);
    // a refused login waits the longest backoff (0.5–1 s here) before trying again: no hammering
    const before = attempts;
    await sleep(1200);
    expect(attempts - before).toBeLessThanOrEqual(3);
    expect(rig.statuses.some((s) => s.connected)).toBe(false);
  });

  it('drops a PBX that stops answering Ping and reconnects', async () => {
    server = await fakePbx();
    rig = new Rig();
    await rig.start(amiConfig(server.port, { pingIntervalSeconds: 1, actionTimeoutSeconds: 1 }));
    await until(() => rig.status?.connected || undefined, 'connected');
    server.misbehave.ignorePing = true;
    const down = await until(() => rig.statuses.find((s) => !s.connected), 'heartbeat drop', 6000);
    expect(down.reason).toMatch(/^heartbeat failed: Ping: no answer within 1000 ms/);
    server.misbehave.ignorePing = false;
    await until(() => (rig.status?.connected && rig.status.reconnects >= 1) || undefined, 'reconnected');
    // the outage is a gap: opened, then closed with the same start
    await until(() => rig.gaps.find((g) => g.endedAt !== undefined), 'gap closed');
    const [open, closed] = rig.gaps;
    expect(open).toMatchObject({ pbx: 'rig', kind: 'source', reason: down.reason });
    expect(open.endedAt).toBeUndefined();
    expect(closed).toMatchObject({ pbx: 'rig', kind: 'source', startedAt: open.startedAt });
  });

  it('asks only for the event classes it reads', async () => {
    server = await fakePbx();
    const masks: string[] = [];
    server.on('action', (a) => {
      if (a.action === 'Events') masks.push(a.eventmask);
    });
    rig = new Rig();
    await rig.start(amiConfig(server.port));
    await until(() => masks.length || undefined, 'Events action');
    expect(masks).toEqual(['system,call,agent,dialplan']);
  });

  it('closes a call that went silent and has no channel left on the PBX (missed hangups, no disconnect)', async () => {
    const frames = captureFrames('inbound_answered');
    const talking = frameIndex(frames, 'Event: BridgeEnter', 'Channel: PJSIP/trunk-00000000') + 1;
    server = await fakePbx();
    // the hangups never arrive, but the PBX keeps talking: a later unrelated event moves the clock on
    const later = 'Event: DeviceStateChange\r\nPrivilege: call,all\r\nTimestamp: 1795462982.000000\r\nDevice: PJSIP/1002\r\nState: NOT_INUSE\r\n\r\n';
    server.on('login', (s) => s.writeRaw(frames.slice(0, talking).join('') + later));
    rig = new Rig();
    await rig.start(amiConfig(server.port), { auditEveryMs: 300, auditSilenceMs: 60_000 });
    const [ended] = await until(() => (rig.ended.length ? rig.ended : undefined), 'audited call');
    expect(ended).toMatchObject({ status: 'incomplete', answeredBy: { number: '1001' } });
    // its end is the last moment it was seen, not the time of the audit
    expect(ended.endedAt).toBe(Math.round(1795461976.587009 * 1000));
    expect(rig.status?.connected).toBe(true);
  });

  it('times out a slow action without losing the session', async () => {
    server = await fakePbx();
    rig = new Rig();
    const { log, lines } = memoryLog();
    await rig.start(amiConfig(server.port, { actionTimeoutSeconds: 1, pingIntervalSeconds: 30 }), {}, log);
    await until(() => rig.status?.connected || undefined, 'connected');
    await sleep(5100); // past the resync that followed the login
    server.misbehave.actionDelayMs = 1500;
    // a PBX restart announces itself with FullyBooted: the resync it triggers runs into the delay
    server.broadcast({ Event: 'FullyBooted', Privilege: 'system,all', Status: 'Fully Booted', Uptime: 3, LastReload: 3 });
    const timeouts = await until(() => {
      const t = lines.filter((l) => l.msg === 'resync action failed' && /no answer within 1000 ms/.test(String(l.err)));
      return t.length >= 8 ? t : undefined;
    }, 'every resync action timed out', 5000);
    expect(timeouts.map((l) => l.action)).toEqual(expect.arrayContaining(['CoreShowChannels', 'QueueStatus', 'PJSIPShowContacts']));
    // a slow answer is not a dead PBX: the session stays up
    expect(rig.status?.connected).toBe(true);
    expect(rig.statuses.filter((s) => !s.connected)).toEqual([]);
  }, 20000);

  it('skips and counts malformed frames, never crashes, and carries on', async () => {
    server = await fakePbx();
    const garbage = [
      'this is not a header line\r\n\r\n',
      'Event: \r\nFoo: bar\r\n\r\n', // empty event name
      'Event: <img src=x>\r\nFoo: bar\r\n\r\n',
      'Event: Newchannel\r\nChannel: PJSIP/1001-000000ff\r\n\r\n', // no Uniqueid
      'Event: DialEnd\r\nUniqueid: 1.1\r\nDestUniqueid: 1.2\r\n\r\n', // no DialStatus
      '\u0000\u0001\u00ff\ufffd\r\n\r\n',
      'Event: Hangup\r\nUniqueid: 424242.1\r\nLinkedid: 424242.1\r\nCause: 16\r\n\r\n', // unknown channel: ignored, not an error
    ].join('');
    server.on('login', (s) => s.writeRaw(garbage + captureBody('inbound_answered')));
    rig = new Rig();
    await rig.start(amiConfig(server.port));
    const [call] = await until(() => (rig.ended.length ? rig.ended : undefined), 'the call after the garbage');
    expect(call).toMatchObject({ direction: 'inbound', status: 'answered', answeredBy: { number: '1001' } });
    expect(rig.rejected.map((r) => r.reason).sort()).toEqual(['bad event name', 'bad event name', 'frame without Event or Response', 'frame without Event or Response', 'missing header', 'missing header']);
    expect(rig.rejected.find((r) => r.detail === 'Newchannel without Uniqueid')).toBeDefined();
    expect(rig.status?.connected).toBe(true);
  });

  it('answers one Login once: a later frame with the login ActionID neither logs out nor logs in again', async () => {
    server = await fakePbx();
    server.on('login', (s) => s.writeRaw(`Response: Error\r\nActionID: sb-login\r\nMessage: Authentication failed\r\n\r\n${captureBody('inbound_answered')}`));
    rig = new Rig();
    await rig.start(amiConfig(server.port));
    await until(() => (rig.ended.length ? rig.ended : undefined), 'the call after the stray login answer');
    expect(rig.statuses.filter((s) => !s.connected)).toEqual([]);
    expect(new Set(rig.statuses.map((s) => s.since)).size).toBe(1);
    expect(rig.status).toMatchObject({ connected: true, loginFailures: 0, reconnects: 0 });
  });

  it('counts an oversized frame, skips it up to its end and carries on in the same session', async () => {
    server = await fakePbx();
    server.on('login', (s) => s.writeRaw(`Event: Junk\r\nData: ${'x'.repeat(1536 * 1024)}\r\n\r\n${captureBody('inbound_answered')}`));
    rig = new Rig();
    await rig.start(amiConfig(server.port));
    const [call] = await until(() => (rig.ended.length ? rig.ended : undefined), 'the call after the oversized frame');
    expect(call).toMatchObject({ direction: 'inbound', status: 'answered' });
    expect(rig.rejected.filter((r) => r.reason === 'oversized frame')).toHaveLength(1);
    expect(rig.statuses.filter((s) => !s.connected)).toEqual([]);
  });

  it('replays the same capture after a reconnect without duplicating calls', async () => {
    server = await replayPbx('internal');
    rig = new Rig();
    await rig.start(amiConfig(server.port));
    await until(() => rig.ended.length === 1 || undefined, 'first call');
    for (const s of server.sessions) s.socket.destroy();
    await until(() => (rig.status?.reconnects ?? 0) >= 1 || undefined, 'reconnect');
    await until(() => rig.ended.length === 2 || undefined, 'replayed call');
    // the same Linkedid is the same call id: the store upserts one row
    expect(rig.ended[0].id).toBe(rig.ended[1].id);
  });
});

describe('reconnect in the middle of a call', () => {
  let rig: Rig;
  let server: AmiServer;
  afterEach(async () => {
    await rig?.stop();
    await server?.close();
  });

  const frames = captureFrames('inbound_answered');
  const talking = frameIndex(frames, 'Event: BridgeEnter', 'Channel: PJSIP/trunk-00000000') + 1;
  const bridge = /BridgeUniqueid: (\S+)/.exec(frames[talking - 1])![1];

  it('closes a call whose end was not seen as incomplete, records the gap, resyncs', async () => {
    server = await fakePbx();
    let logins = 0;
    server.on('login', (s) => {
      if (++logins === 1) {
        s.writeRaw(frames.slice(0, talking).join(''));
        // the PBX vanishes mid-call
        setTimeout(() => s.socket.destroy(), 200);
      }
    });
    rig = new Rig();
    await rig.start(amiConfig(server.port));
    const open = await until(() => rig.calls.find((c) => c.answeredAt !== undefined), 'answered open call');
    expect(open.open).toBe(true);
    // meanwhile the call ended; after the reconnect CoreShowChannels lists nothing
    const [ended] = await until(() => (rig.ended.length ? rig.ended : undefined), 'incomplete call');
    expect(ended).toMatchObject({ id: open.id, status: 'incomplete', open: false, direction: 'inbound', answeredBy: { number: '1001' } });
    // never guessed: it ends at the last moment the exporter saw it alive
    expect(ended.endedAt).toBe(Math.round(1795461976.587009 * 1000));
    expect(rig.status).toMatchObject({ connected: true, reconnects: 1 });
    const gap = await until(() => rig.gaps.find((g) => g.endedAt !== undefined), 'gap closed');
    rig.store.flush();
    expect(rig.store.gaps()).toEqual([expect.objectContaining({ pbx: 'rig', kind: 'source', startedAt: gap.startedAt, endedAt: gap.endedAt })]);
    expect(rig.store.getCall(open.id)).toMatchObject({ status: 'incomplete', open: false });
  });

  it('keeps a call that is still up after the reconnect and finishes it normally', async () => {
    const stillUp = [
      { Event: 'CoreShowChannel', Channel: 'PJSIP/trunk-00000000', ChannelState: 6, ChannelStateDesc: 'Up', CallerIDNum: '+12125550101', CallerIDName: 'NYC Customer', ConnectedLineNum: '1001', ConnectedLineName: 'Alice Anders', Context: 'from-internal', Exten: '1001', Uniqueid: '1795461973.0', Linkedid: '1795461973.0', Application: 'Dial', ApplicationData: 'PJSIP/1001,15,t', Duration: '00:00:04', BridgeId: bridge },
      { Event: 'CoreShowChannel', Channel: 'PJSIP/1001-00000001', ChannelState: 6, ChannelStateDesc: 'Up', CallerIDNum: '1001', CallerIDName: 'Alice Anders', ConnectedLineNum: '+12125550101', ConnectedLineName: 'NYC Customer', Context: 'from-internal', Exten: '', Uniqueid: '1795461973.1', Linkedid: '1795461973.0', Application: 'AppDial', ApplicationData: '(Outgoing Line)', Duration: '00:00:04', BridgeId: bridge },
    ];
    let logins = 0;
    server = await fakePbx({
      actions: {
        coreshowchannels: (a, s) => s.list(a, logins === 1 ? [] : stillUp, 'CoreShowChannelsComplete'),
      },
    });
    server.on('login', (s) => {
      logins++;
      if (logins === 1) {
        s.writeRaw(frames.slice(0, talking).join(''));
        setTimeout(() => s.socket.destroy(), 200);
      } else {
        // after the resync, the rest of the call: hangups
        setTimeout(() => s.writeRaw(frames.slice(talking).join('')), 300);
      }
    });
    rig = new Rig();
    await rig.start(amiConfig(server.port));
    const [ended] = await until(() => (rig.ended.length ? rig.ended : undefined), 'finished call');
    expect(ended).toMatchObject({ status: 'answered', open: false, answeredBy: { number: '1001' } });
    expect(rig.ended).toHaveLength(1);
    expect(rig.gaps.filter((g) => g.endedAt !== undefined)).toHaveLength(1);
  });
});

describe('restart', () => {
  it('settles a call a crashed run left open: incomplete when its channels are gone', async () => {
    const tmp = tempDir('sb-restart-');
    const db = join(tmp.dir, 'sb.db');
    const frames = captureFrames('inbound_answered');
    const talking = frameIndex(frames, 'Event: BridgeEnter', 'Channel: PJSIP/trunk-00000000') + 1;
    let server = await fakePbx();
    server.on('login', (s) => s.writeRaw(frames.slice(0, talking).join('')));
    const first = new Rig(db);
    await first.start(amiConfig(server.port));
    const open = await until(() => first.calls.find((c) => c.answeredAt !== undefined), 'open call');
    first.store.flush();
    // the process dies: no stop(), the database keeps the open call
    first.store.close();
    await server.close();
    expect(open.open).toBe(true);

    server = await fakePbx();
    const second = new Rig(db);
    try {
      await second.start(amiConfig(server.port));
      const [ended] = await until(() => (second.ended.length ? second.ended : undefined), 'settled call');
      expect(ended).toMatchObject({ id: open.id, status: 'incomplete', open: false, answeredBy: { number: '1001' } });
      second.store.flush();
      expect(second.store.openCalls('rig')).toEqual([]);
      expect(second.store.getCall(open.id)).toMatchObject({ status: 'incomplete' });
    } finally {
      await first.source.stop(); // its late 'call' events only reach the closed store's queue
      await second.source.stop();
      second.store.close();
      await server.close();
      tmp.cleanup();
      first.tmp.cleanup();
      second.tmp.cleanup();
    }
  });
});
