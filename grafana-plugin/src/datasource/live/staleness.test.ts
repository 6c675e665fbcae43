import { extension, iso, T0 } from '../../test-utils/fixtures';
import { applyEvent, applySnapshot, emptyLiveState } from './liveState';
import { frameSources, withStaleness, type FrameSource } from './staleness';

const source = (patch: Partial<FrameSource> & { pbx: string }): FrameSource => ({
  connected: true,
  live: true,
  since: null,
  reason: null,
  ...patch,
});

describe('frameSources', () => {
  it("since: the exporter's own, else the flip this browser saw, else the last event of a source met down", () => {
    let s = applySnapshot(
      emptyLiveState(),
      {
        sources: [
          { pbx: 'a', kind: 'ami', connected: false, lastEventAt: iso(T0 - 60_000) },
          { pbx: 'b', kind: 'ami', connected: true, lastEventAt: iso(T0 - 1000) },
          { pbx: 'c', kind: 'nfon', connected: false, since: T0 - 30_000, lastEventAt: iso(T0 - 90_000) },
          { pbx: 'd', kind: '3cx', connected: true, live: false },
        ],
      },
      T0
    );
    s = applyEvent(s, 'source', { pbx: 'b', connected: false, reason: 'socket closed' }, T0 + 2000);
    expect(frameSources(s)).toEqual([
      { pbx: 'a', connected: false, live: true, since: T0 - 60_000, reason: null },
      { pbx: 'b', connected: false, live: true, since: T0 + 2000, reason: 'socket closed' },
      { pbx: 'c', connected: false, live: true, since: T0 - 30_000, reason: null },
      { pbx: 'd', connected: true, live: false, since: null, reason: null },
    ]);
    expect(frameSources(s, ['c']).map((x) => x.pbx)).toEqual(['c']);
  });
});

describe('withStaleness', () => {
  const items = [extension({ extension: '1001' }), extension({ extension: '2001', pbx: 'branch' })];

  it('marks every item fresh while its source is up', () => {
    expect(withStaleness(items, [source({ pbx: 'demo' })]).map((i) => [i.stale, i.staleSince])).toEqual([
      [false, null],
      [false, null],
    ]);
  });

  it("marks the items of a disconnected source, since the source's moment", () => {
    const out = withStaleness(items, [source({ pbx: 'demo', connected: false, since: T0 }), source({ pbx: 'branch' })]);
    expect(out.map((i) => [i.extension, i.stale, i.staleSince])).toEqual([
      ['1001', true, T0],
      ['2001', false, null],
    ]);
    expect(items[0].stale).toBeUndefined();
  });

  it("keeps the exporter's own staleness over the source status", () => {
    const own = [extension({ extension: '1001', stale: true, staleSince: iso(T0 - 5000) })];
    expect(withStaleness(own, [source({ pbx: 'demo' })])[0]).toMatchObject({ stale: true, staleSince: T0 - 5000 });
    const fresh = [extension({ extension: '1001', stale: false })];
    expect(withStaleness(fresh, [source({ pbx: 'demo', connected: false, since: T0 })])[0].stale).toBe(false);
  });

  it('an unreachable exporter freezes everything, since whichever came first', () => {
    const out = withStaleness(items, [source({ pbx: 'demo', connected: false, since: T0 - 9000 })], T0);
    expect(out.map((i) => [i.stale, i.staleSince])).toEqual([
      [true, T0 - 9000],
      [true, T0],
    ]);
  });
});
