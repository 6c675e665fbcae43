import Database from 'better-sqlite3';
import type { ActionHandler } from '../../src/demo/ami/ami-server';
import type { Call } from '../../src/domain';
import {
  amiConfig,
  captureFrames,
  channelsUp,
  fakePbx,
  frameIndex,
  replayPbx,
  Rig,
  sleep,
  until,
  callTruth,
  stoppedAfterEach,
} from './harness';

/**
 * A restart never rewrites a call's truth. The first run replays a real capture over TCP and "dies" (its store
 * committed, no stop, no grace timer ever fires); the second run starts on the same database against a PBX that has
 * no channels left, or the ones still up. Each call must end as an uninterrupted run ends it.
 */

const byId = (a: Call, b: Call) => a.id.localeCompare(b.id);

const { rig, track } = stoppedAfterEach();

/** "Killed": the store has what was committed, nothing stops, no timer of this run will ever write again. */
function kill(r: Rig): string {
  r.source['correlator'].flush();
  r.store.flush();
  r.store.close();
  return r.store.path;
}

async function uninterrupted(capture: string): Promise<Call[]> {
  const server = await track(replayPbx(capture));
  const r = rig();
  await r.start(amiConfig(server.port));
  await until(
    () => r.ended.length > 0 && r.calls.every((c) => r.ended.some((e) => e.id === c.id)),
    `${capture}: every call ended`,
  );
  await new Promise((res) => setTimeout(res, 300)); // nothing more comes
  return [...r.ended].sort(byId);
}

describe('a run killed inside the grace period after every hangup', () => {
  it.each([
    'inbound_missed_voicemail',
    'inbound_busy',
    'queue_abandon',
    'inbound_answered',
    'outbound_busy_and_failed',
    'blind_transfer',
  ])('%s: the restart ends every call as the uninterrupted run does, none incomplete', async (capture) => {
    const want = await uninterrupted(capture);
    expect(want.length).toBeGreaterThan(0);

    const first = rig();
    // a grace period that never ends in this run: the process dies with every call open, its hangups all seen
    await first.start(amiConfig((await track(replayPbx(capture))).port), { graceMs: 600_000 });
    await until(
      () => want.every((w) => first.calls.some((c) => c.id === w.id && c.legs.every((l) => l.endedAt !== undefined))),
      'every hangup seen',
    );
    await new Promise((res) => setTimeout(res, 100));
    expect(first.ended).toEqual([]);
    first.store.flush();
    expect(
      first.store
        .openCalls('rig')
        .map((c) => c.id)
        .sort(),
    ).toEqual(want.map((c) => c.id));
    const db = kill(first);

    const second = rig(db);
    await second.start(amiConfig((await track(fakePbx())).port)); // up again, no channels left
    const got = await until(() => (second.ended.length >= want.length ? second.ended : undefined), 'calls settled');
    expect([...got].sort(byId).map(callTruth)).toEqual(want.map(callTruth));
    second.store.flush();
    expect(second.store.openCalls('rig')).toEqual([]);
    for (const w of want) expect(second.store.getCall(w.id)).toMatchObject({ status: w.status, open: false });
  });
});

describe('a run killed in the middle of a call', () => {
  it('resumes the call on the channels still up (matched by their own ids) and ends it answered', async () => {
    const frames = captureFrames('inbound_answered');
    const talking = frameIndex(frames, 'Event: BridgeEnter', 'Channel: PJSIP/trunk-00000000') + 1;
    const bridge = /BridgeUniqueid: ([^\r]+)/.exec(frames[talking - 1])![1];
    const [want] = await uninterrupted('inbound_answered');

    const before = await track(fakePbx());
    before.on('login', (s) => s.writeRaw(frames.slice(0, talking).join('')));
    const first = rig();
    await first.start(amiConfig(before.port));
    const open = await until(() => first.calls.find((c) => c.status === 'active'), 'the call talking');
    await new Promise((res) => setTimeout(res, 100));
    const db = kill(first);
    // the stored legs carry their channels' own ids
    expect(open.legs.map((l) => l.id).sort()).toEqual(['1795461973.0', '1795461973.1']);

    const item = {
      Event: 'CoreShowChannel',
      ChannelState: 6,
      ChannelStateDesc: 'Up',
      Context: 'from-internal',
      Linkedid: '1795461973.0',
      Duration: '00:00:04',
      BridgeId: bridge,
    };
    const stillUp = [
      {
        ...item,
        Channel: 'PJSIP/trunk-00000000',
        CallerIDNum: '+12125550101',
        CallerIDName: 'NYC Customer',
        ConnectedLineNum: '1001',
        ConnectedLineName: 'Alice Anders',
        Exten: '1001',
        Uniqueid: '1795461973.0',
        Application: 'Dial',
        ApplicationData: 'PJSIP/1001,15,t',
      },
      {
        ...item,
        Channel: 'PJSIP/1001-00000001',
        CallerIDNum: '1001',
        CallerIDName: 'Alice Anders',
        ConnectedLineNum: '+12125550101',
        ConnectedLineName: 'NYC Customer',
        Exten: '',
        Uniqueid: '1795461973.1',
        Application: 'AppDial',
        ApplicationData: '(Outgoing Line)',
      },
    ];
    const channels: ActionHandler = (a, s) => s.list(a, stillUp, 'CoreShowChannelsComplete');
    const after = await track(fakePbx({ actions: { coreshowchannels: channels } }));
    // after the resync, the rest of the call: its hangups
    after.on('login', (s) => setTimeout(() => s.writeRaw(frames.slice(talking).join('')), 300));
    const second = rig(db);
    await second.start(amiConfig(after.port));
    const [ended] = await until(() => (second.ended.length ? second.ended : undefined), 'the call ended');
    await new Promise((res) => setTimeout(res, 200));
    expect(second.ended).toHaveLength(1);
    expect(callTruth(ended)).toEqual(callTruth(want));
  });
});

describe('a reconnect in the middle of a call', () => {
  it('invents no call from the channel list and keeps the call on the PBX clock, not the list items’ wall-clock age', async () => {
    const frames = captureFrames('inbound_answered');
    const talking = frameIndex(frames, 'Event: BridgeEnter', 'Channel: PJSIP/trunk-00000000') + 1;
    const bridge = /BridgeUniqueid: ([^\r]+)/.exec(frames[talking - 1])![1];
    const [want] = await uninterrupted('inbound_answered');

    // the list items say the channels have been up for 4 s of today's wall clock; the capture is days old
    const item = {
      Event: 'CoreShowChannel',
      ChannelState: 6,
      ChannelStateDesc: 'Up',
      Context: 'from-internal',
      Linkedid: '1795461973.0',
      Duration: '00:00:04',
      BridgeId: bridge,
    };
    const stillUp = [
      {
        ...item,
        Channel: 'PJSIP/trunk-00000000',
        CallerIDNum: '+12125550101',
        CallerIDName: 'NYC Customer',
        ConnectedLineNum: '1001',
        ConnectedLineName: 'Alice Anders',
        Exten: '1001',
        Uniqueid: '1795461973.0',
        Application: 'Dial',
        ApplicationData: 'PJSIP/1001,15,t',
      },
      {
        ...item,
        Channel: 'PJSIP/1001-00000001',
        CallerIDNum: '1001',
        CallerIDName: 'Alice Anders',
        ConnectedLineNum: '+12125550101',
        ConnectedLineName: 'NYC Customer',
        Exten: '',
        Uniqueid: '1795461973.1',
        Application: 'AppDial',
        ApplicationData: '(Outgoing Line)',
      },
    ];
    let logins = 0;
    const channels: ActionHandler = (a, s) => s.list(a, logins === 1 ? [] : stillUp, 'CoreShowChannelsComplete');
    const server = await track(fakePbx({ actions: { coreshowchannels: channels } }));
    server.on('login', (s) => {
      logins++;
      if (logins === 1) {
        s.writeRaw(frames.slice(0, talking).join(''));
        setTimeout(() => s.socket.destroy(), 200);
      } else setTimeout(() => s.writeRaw(frames.slice(talking).join('')), 300);
    });
    const r = rig();
    await r.start(amiConfig(server.port));
    await until(() => (r.ended.length ? r.ended : undefined), 'the call ended');
    await new Promise((res) => setTimeout(res, 300));
    expect(r.ended).toHaveLength(1);
    expect(new Set(r.calls.map((c) => c.id))).toEqual(new Set([want.id]));
    expect(callTruth(r.ended[0])).toEqual(callTruth(want));
    // no record of it, open or final, ever showed more talk than the call had (a clock moved to today would)
    for (const c of r.calls) expect(c.talkMs).toBeLessThanOrEqual(want.talkMs);
  });
});

describe('a channel begun while the connection was down', () => {
  it('starts its call the list item’s age before the PBX’s time now, not before ours', async () => {
    const frames = captureFrames('outbound');
    const newchannel = frameIndex(frames, 'Event: Newchannel');
    const beforeDial = frameIndex(frames, 'Event: Newexten', 'Application: Dial');
    const lastSeen = Math.round(Number(/Timestamp: ([\d.]+)/.exec(frames[newchannel - 1])![1]) * 1000);
    // the capture is days old: a start measured back from today's wall clock is days off
    expect(Math.abs(Date.now() - lastSeen)).toBeGreaterThan(86_400_000);
    // the phone went off-hook and reached Dial while we were cut off; the PBX says it has been up for 4 s
    const up = channelsUp(frames.slice(0, beforeDial + 1));
    let logins = 0;
    const server = await track(
      fakePbx({
        actions: { coreshowchannels: (a, s) => s.list(a, logins === 1 ? [] : up, 'CoreShowChannelsComplete') },
      }),
    );
    server.on('login', (s) => {
      logins++;
      if (logins === 1) {
        s.writeRaw(frames.slice(0, newchannel).join(''));
        setTimeout(() => s.socket.destroy(), 200);
      } else setTimeout(() => s.writeRaw(frames.slice(beforeDial + 1).join('')), 300);
    });
    const r = rig();
    await r.start(amiConfig(server.port));
    const [ended] = await until(() => (r.ended.length ? r.ended : undefined), 'the call ended');
    expect(ended.id).toBe('rig-1795462165.20');
    // the PBX's time at the list is its last stamp plus the outage as it passed here (well under the 4 s)
    expect(ended.startedAt).toBeGreaterThanOrEqual(lastSeen - 4000);
    expect(ended.startedAt).toBeLessThan(lastSeen);
    expect(ended.answeredAt! - ended.startedAt).toBeLessThan(10_000);
  });
});

describe('a run killed while a phone dials, before its call is offered', () => {
  it('restores the call from its first channel: started at the PBX stamp of its Newchannel, not the list item’s age', async () => {
    const frames = captureFrames('outbound');
    // the phone is off-hook and its dialplan runs; the Dial that offers the call has not come yet
    const beforeDial = frameIndex(frames, 'Event: Newexten', 'Application: Dial');
    const channel = frames[frameIndex(frames, 'Event: Newchannel')];
    const stamp = Math.round(Number(/Timestamp: ([\d.]+)/.exec(channel)![1]) * 1000);
    const [want] = await uninterrupted('outbound');
    expect(want.startedAt).toBe(stamp);

    const before = await track(fakePbx());
    before.on('login', (s) => s.writeRaw(frames.slice(0, beforeDial).join('')));
    const first = rig();
    await first.start(amiConfig(before.port));
    const dialplan = frames.slice(0, beforeDial).filter((f) => f.startsWith('Event: Newexten')).length;
    await until(
      () => first.events.filter((e) => e === 'Newexten').length >= dialplan,
      'the dialplan before Dial handled',
    );
    await sleep(100);
    expect(first.calls).toEqual([]); // not a call yet: nothing published
    const db = kill(first);
    expect(unofferedRows(db)).toEqual(['rig-1795462165.20']);

    // the phone's channel is still up; Asterisk gives its age in whole seconds of its own clock, which says nothing
    // about the millisecond it began
    const up = channelsUp(frames.slice(0, beforeDial));
    expect(up.map((c) => c.Uniqueid)).toEqual(['1795462165.20']);
    const after = await track(
      fakePbx({ actions: { coreshowchannels: (a, s) => s.list(a, up, 'CoreShowChannelsComplete') } }),
    );
    after.on('login', (s) => setTimeout(() => s.writeRaw(frames.slice(beforeDial).join('')), 300));
    const second = rig(db);
    await second.start(amiConfig(after.port));
    const [ended] = await until(() => (second.ended.length ? second.ended : undefined), 'the call ended');
    await sleep(200);
    expect(second.ended).toHaveLength(1);
    expect(callTruth(ended)).toEqual(callTruth(want));
    // the saved start of a call not yet offered is gone once the call is stored as a call
    second.store.close();
    expect(unofferedRows(db)).toEqual([]);
  });

  it('a phone that hung up while the exporter was down leaves nothing: no call, no saved start', async () => {
    const frames = captureFrames('outbound');
    const beforeDial = frameIndex(frames, 'Event: Newexten', 'Application: Dial');
    const before = await track(fakePbx());
    before.on('login', (s) => s.writeRaw(frames.slice(0, beforeDial).join('')));
    const first = rig();
    await first.start(amiConfig(before.port));
    await until(() => first.source['correlator'].hasLeg('1795462165.20'), 'the phone off-hook');
    await sleep(100);
    const db = kill(first);
    expect(unofferedRows(db)).toEqual(['rig-1795462165.20']);

    const second = rig(db);
    await second.start(amiConfig((await track(fakePbx())).port)); // no channel up any more
    await until(() => second.statuses.some((s) => s.connected), 'connected');
    await sleep(300);
    expect(second.calls).toEqual([]);
    expect(second.ended).toEqual([]);
    second.store.close();
    expect(unofferedRows(db)).toEqual([]);
  });
});

/** The ids of calls not yet offered whose start a database holds. */
function unofferedRows(db: string): string[] {
  const d = new Database(db, { readonly: true });
  try {
    return (d.prepare('SELECT id FROM unoffered_calls ORDER BY id').all() as { id: string }[]).map((r) => r.id);
  } finally {
    d.close();
  }
}
