import type { ApiParkedCall } from '../api/types';
import { parkedCallsFrame } from '../frames/parked';
import { filterParked } from '../query/filters';
import { iso, T0 } from '../../test-utils/fixtures';
import { applyEvent, applySnapshot, emptyLiveState } from './liveState';

const parked = (slot: string, pbx = 'demo', since = T0): ApiParkedCall => ({
  pbx,
  lot: 'default',
  slot,
  party: { number: '+12125550163', name: 'Park Timeout Caller' },
  parker: { number: '1004', name: 'Dave Diaz' },
  callId: `${pbx}-${slot}`,
  parkedAt: iso(since),
  timeoutAt: iso(since + 45_000),
});
const strip = ({ pbx: _pbx, ...c }: ApiParkedCall) => c;

describe('parked calls', () => {
  it('the stream snapshot (per PBX) and a REST snapshot (per call) both fill the parked collection', () => {
    const fromStream = applySnapshot(emptyLiveState(), {
      parking: [
        { pbx: 'demo', calls: [strip(parked('71')), strip(parked('72'))] },
        { pbx: 'hq', calls: [strip(parked('71', 'hq'))] },
      ],
    });
    expect(fromStream.loaded.has('parked')).toBe(true);
    expect(Array.from(fromStream.parked.values()).map((p) => `${p.pbx}/${p.slot}`)).toEqual([
      'demo/71',
      'demo/72',
      'hq/71',
    ]);
    const fromRest = applySnapshot(emptyLiveState(), { parked: [parked('75')] });
    expect(Array.from(fromRest.parked.values()).map((p) => p.slot)).toEqual(['75']);
  });

  it('a parking delta replaces that PBX parked calls only; an empty one clears them', () => {
    const s1 = applySnapshot(emptyLiveState(), { parked: [parked('71'), parked('71', 'hq')] });
    const s2 = applyEvent(s1, 'parking', { pbx: 'demo', calls: [strip(parked('73'))] });
    expect(
      Array.from(s2.parked.values())
        .map((p) => `${p.pbx}/${p.slot}`)
        .sort()
    ).toEqual(['demo/73', 'hq/71']);
    const s3 = applyEvent(s2, 'parking', { pbx: 'demo', calls: [] });
    expect(Array.from(s3.parked.values()).map((p) => `${p.pbx}/${p.slot}`)).toEqual(['hq/71']);
    // garbage leaves the state untouched
    expect(applyEvent(s3, 'parking', { calls: [] })).toBe(s3);
  });

  it('filters by PBX, longest parked first, and makes a frame with the strip fields', () => {
    const items = [parked('72', 'demo', T0 - 5_000), parked('71', 'demo', T0 - 60_000), parked('71', 'hq')];
    const rows = filterParked(items, { refId: 'A', pbx: 'demo' });
    expect(rows.map((p) => p.slot)).toEqual(['71', '72']);
    const frame = parkedCallsFrame(rows, 'A');
    expect(frame.name).toBe('Parked calls');
    const values = Object.fromEntries(frame.fields.map((f) => [f.name, f.values[0]]));
    expect(values).toMatchObject({
      slot: '71',
      lot: 'default',
      party: '+12125550163',
      partyName: 'Park Timeout Caller',
      parker: '1004',
      parkerName: 'Dave Diaz',
      parkedAt: T0 - 60_000,
      timeoutAt: T0 - 15_000,
      pbx: 'demo',
    });
  });
});
