import type { ActionHandler, AmiServer } from '../../src/demo/ami/ami-server';
import type { Call } from '../../src/domain';
import {
  amiConfig,
  captureFrames,
  channelsUp,
  fakePbx,
  frameIndex,
  replayPbx,
  until,
  callTruth,
  stoppedAfterEach,
} from './harness';

/**
 * The resync's channel list shows one moment of the stream. Asterisk goes on sending events right behind it, and the
 * other resync answers (here a slow CoreSettings) can keep the resync from being applied until those events have
 * been read. Whatever that delay, each call must end as an uninterrupted run ends it: no call rebuilt from a channel
 * that has hung up since (it never ends), no leg that started since dropped (its call closed as incomplete).
 */

const { rig, track } = stoppedAfterEach();

async function uninterrupted(capture: string): Promise<Call> {
  const r = rig();
  await r.start(amiConfig((await track(replayPbx(capture))).port));
  const [call] = await until(() => (r.ended.length ? r.ended : undefined), `${capture}: the call ended`);
  return call;
}

/**
 * A PBX whose session lists the channels `head` left up and sends the rest of the capture right behind the list,
 * while its CoreSettings answer takes 300 ms. With `cutFirst` the first session is the one before: it lists nothing,
 * sends `head` and is cut.
 */
async function resumingPbx(head: string[], rest: string[], cutFirst = false): Promise<AmiServer> {
  let logins = 0;
  const resumes = (): boolean => !cutFirst || logins > 1;
  const channels: ActionHandler = (a, s) => {
    s.list(a, resumes() ? channelsUp(head) : [], 'CoreShowChannelsComplete');
    if (resumes()) s.writeRaw(rest.join(''));
  };
  const coresettings: ActionHandler = (a, s) => {
    setTimeout(() => s.respond(a, { AMIversion: '11.0.0', AsteriskVersion: '22.10.1' }), 300);
  };
  const server = await track(fakePbx({ actions: { coreshowchannels: channels, coresettings } }));
  server.on('login', (s) => {
    logins++;
    if (resumes()) return;
    s.writeRaw(head.join(''));
    setTimeout(() => s.socket.destroy(), 200);
  });
  return server;
}

/** [capture, where the stream is interrupted, the first frame not sent before it] */
const CUTS: [string, string, (frames: string[]) => number][] = [
  [
    'inbound_answered',
    'ringing, before the callee’s channel exists',
    (f) => frameIndex(f, 'Event: Newchannel', 'Channel: PJSIP/1001-00000001'),
  ],
  ['inbound_answered', 'talking', (f) => frameIndex(f, 'Event: BridgeEnter', 'Channel: PJSIP/trunk-00000000') + 1],
  [
    'queue_abandon',
    'waiting in the queue while the first member rings',
    (f) => frameIndex(f, 'Event: Newchannel', 'Channel: PJSIP/1003-00000012') + 1,
  ],
];

describe('a reconnect whose resync is applied after the events behind its channel list', () => {
  it.each(CUTS)(
    '%s, cut %s: the call as in the uninterrupted run, none rebuilt, none left open',
    async (capture, _where, cutAt) => {
      const want = await uninterrupted(capture);
      const frames = captureFrames(capture);
      const cut = cutAt(frames);
      const server = await resumingPbx(frames.slice(0, cut), frames.slice(cut), true);
      const r = rig();
      await r.start(amiConfig(server.port));
      await until(() => r.status?.reconnects === 1 && r.ended.length > 0, 'reconnected and the call ended');
      await new Promise((res) => setTimeout(res, 500)); // the resync applied, the grace period of anything rebuilt over
      expect(r.ended.map(callTruth)).toEqual([callTruth(want)]);
      r.store.flush();
      expect(r.store.openCalls('rig')).toEqual([]);
    },
  );
});

describe('a restart whose resync is applied after the events behind its channel list', () => {
  it.each(CUTS)(
    '%s, killed %s: the call as in the uninterrupted run, none left open',
    async (capture, _where, cutAt) => {
      const want = await uninterrupted(capture);
      const frames = captureFrames(capture);
      const cut = cutAt(frames);
      const before = await track(fakePbx());
      before.on('login', (s) => s.writeRaw(frames.slice(0, cut).join('')));
      const first = rig();
      await first.start(amiConfig(before.port));
      await until(() => first.events.length >= cut && first.calls.length > 0, 'the head of the call handled');
      await new Promise((res) => setTimeout(res, 100));
      // killed: what was committed stays, nothing of this run writes again
      first.source['correlator'].flush();
      first.store.flush();
      first.store.close();

      const second = rig(first.store.path);
      await second.start(amiConfig((await resumingPbx(frames.slice(0, cut), frames.slice(cut))).port));
      await until(() => second.ended.length > 0, 'the call ended');
      await new Promise((res) => setTimeout(res, 500));
      expect(second.ended.map(callTruth)).toEqual([callTruth(want)]);
      second.store.flush();
      expect(second.store.openCalls('rig')).toEqual([]);
    },
  );
});
