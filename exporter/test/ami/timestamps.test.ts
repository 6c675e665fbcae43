import type { Call } from '../../src/domain';
import type { AmiServer } from '../../src/demo/ami/ami-server';
import { amiConfig, captureFrames, fakePbx, frameIndex, Rig, until } from './harness';

/**
 * A PBX event with an absurd Timestamp (far future, far past, not a number) must not poison the correlation clock:
 * the call around it keeps its own times, open calls do not age by centuries, and the stamp is counted.
 */
const DAY = 86_400_000;

function poison(ts: string): string {
  return `Event: VarSet\r\nPrivilege: dialplan,all\r\nTimestamp: ${ts}\r\nChannel: PJSIP/9999-00000001\r\nVariable: X\r\nValue: 1\r\nUniqueid: 1.1\r\nLinkedid: 1.1\r\n\r\n`;
}

describe('absurd PBX timestamps', () => {
  let rig: Rig | undefined;
  let server: AmiServer | undefined;
  afterEach(async () => {
    await rig?.stop();
    await server?.close();
    rig = undefined;
    server = undefined;
  });

  async function replayWith(ts: string): Promise<{ open: Call[]; ended: Call }> {
    const frames = captureFrames('inbound_answered');
    // right after Alice answers: the call is up, its talk time runs against the correlation clock
    if (ts) frames.splice(frameIndex(frames, 'Event: BridgeEnter') + 1, 0, poison(ts));
    server = await fakePbx();
    server.on('login', (s) => s.writeRaw(frames.join('')));
    rig = new Rig();
    await rig.start(amiConfig(server.port));
    const ended = await until(() => rig!.ended[0], 'the call, ended');
    return { open: rig.calls.filter((c) => c.open), ended };
  }

  it.each([
    ['far in the future (an extra digit)', '17954619800.5', 'far ahead'],
    ['in 1970', '1000.5', 'far behind'],
    ['not a number', '17x95461980', 'not a number'],
  ])('one stamped %s moves no call: the call keeps its times, open calls do not age, the stamp is counted', async (_what, ts, reason) => {
    const clean = await replayWith('');
    expect(rig!.doubted).toEqual([]);
    await rig!.stop();
    await server!.close();
    const poisoned = await replayWith(ts);
    expect(poisoned.ended).toMatchObject({
      status: 'answered',
      startedAt: clean.ended.startedAt,
      endedAt: clean.ended.endedAt,
      ringMs: clean.ended.ringMs,
      talkMs: clean.ended.talkMs,
    });
    for (const c of poisoned.open) {
      expect(c.talkMs).toBeLessThan(DAY);
      expect(c.ringMs).toBeLessThan(DAY);
    }
    expect(rig!.doubted).toEqual([reason]);
  });
});
