import type { Call } from '../../src/domain';
import type { AmiServer } from '../../src/demo/ami/ami-server';
import { amiConfig, captureFrames, fakePbx, frameIndex, Rig, sleep, until } from '../ami/harness';

/**
 * AMI v2 does not order the events of different channels during a transfer. The real captures, with their transfer
 * events moved earlier or later than Asterisk happened to send them, must give the same records, over real TCP.
 */

function move(frames: string[], from: number, to: number): string[] {
  const out = [...frames];
  const [f] = out.splice(from, 1);
  out.splice(to > from ? to - 1 : to, 0, f);
  return out;
}

async function records(frames: string[], calls: number): Promise<Call[]> {
  const server: AmiServer = await fakePbx();
  server.on('login', (s) => s.writeRaw(frames.join('')));
  const rig = new Rig();
  try {
    await rig.start(amiConfig(server.port));
    await until(() => rig.ended.length >= calls || undefined, `${calls} calls`);
    await sleep(300);
    expect(rig.rejected).toEqual([]);
    return [...rig.ended].sort((a, b) => a.startedAt - b.startedAt);
  } finally {
    await rig.stop();
    await server.close();
  }
}

/** What must not depend on event order. */
function essence(c: Call): unknown {
  return {
    direction: c.direction,
    status: c.status,
    from: c.from.number,
    to: c.to.number,
    answeredBy: c.answeredBy?.number,
    transfers: c.transfers.map((t) => ({ kind: t.kind, by: t.by.number, from: t.from?.number, to: t.to.number })),
    parties: c.legs.map((l) => l.party.number).sort(),
    ringS: Math.round(c.ringMs / 1000),
  };
}

describe('transfer events out of order', () => {
  const attended = captureFrames('attended_transfer_consult_refer');
  const xfer = frameIndex(attended, 'Event: AttendedTransfer');
  let reference: Call[];

  beforeAll(async () => {
    reference = await records(attended, 2);
  });

  it('attended transfer: the event before the bridges change', async () => {
    const firstUnhold = frameIndex(attended, 'Event: Unhold');
    const got = await records(move(attended, xfer, firstUnhold), 2);
    expect(got.map(essence)).toEqual(reference.map(essence));
    expect(Math.abs(got[0].talkMs - reference[0].talkMs)).toBeLessThan(1000);
  });

  it('attended transfer: the event after both transferer channels hung up', async () => {
    const lastAliceHangup = frameIndex(attended, 'Event: Hangup', 'Channel: PJSIP/1001-00000004');
    const got = await records(move(attended, xfer, lastAliceHangup + 1), 2);
    expect(got.map(essence)).toEqual(reference.map(essence));
    expect(Math.abs(got[0].talkMs - reference[0].talkMs)).toBeLessThan(1000);
    expect(Math.abs(got[1].talkMs - reference[1].talkMs)).toBeLessThan(1000);
  });

  it("attended transfer: the consultation channel's hangup before Bob moves over", async () => {
    const consultHangup = frameIndex(attended, 'Event: Hangup', 'Channel: PJSIP/1001-00000005');
    const bobMoves = frameIndex(attended, 'Event: BridgeEnter', 'Channel: PJSIP/1002-00000006', 'Linkedid: 1795463639.3');
    const got = await records(move(attended, consultHangup, bobMoves), 2);
    expect(got.map(essence)).toEqual(reference.map(essence));
  });

  const blind = captureFrames('blind_transfer');
  const bx = frameIndex(blind, 'Event: BlindTransfer');
  let blindRef: Call[];
  beforeAll(async () => {
    blindRef = await records(blind, 1);
    expect(blindRef[0].transfers).toHaveLength(1);
  });

  it('blind transfer: the event after the transferer hung up and the target rings', async () => {
    const carolRings = frameIndex(blind, 'Event: DialBegin', 'DestChannel: PJSIP/1003-00000002');
    const got = await records(move(blind, bx, carolRings + 1), 1);
    expect(got.map(essence)).toEqual(blindRef.map(essence));
    expect(Math.abs(got[0].talkMs - blindRef[0].talkMs)).toBeLessThan(1000);
  });

  it('blind transfer: the event before the bridge is left', async () => {
    const unhold = frameIndex(blind, 'Event: Unhold');
    const got = await records(move(blind, bx, unhold), 1);
    expect(got.map(essence)).toEqual(blindRef.map(essence));
  });
});
