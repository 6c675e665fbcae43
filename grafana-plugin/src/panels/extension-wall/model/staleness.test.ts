import { createTheme } from '@grafana/data';
import { callFrame, extensionFrame, NOW } from '../test/factory';
import { callsFromFrames } from './calls';
import { extensionsFromFrames } from './extensions';
import { staleNotices } from './staleness';

const sources = (...s: Array<Record<string, unknown>>) => ({ custom: { sources: s } });

describe('staleness from the frames', () => {
  it("the rows' own stale fields (the exporter's) stop their data at staleSince", () => {
    const frame = extensionFrame([
      { extension: '1001', state: 'in_call', stale: true, staleSince: NOW - 60_000 },
      { extension: '1002', state: 'idle', stale: false },
    ]);
    const rows = extensionsFromFrames([frame]);
    expect(rows.map((r) => [r.extension, r.stale, r.staleSince])).toEqual([
      ['1001', true, NOW - 60_000],
      ['1002', false, undefined],
    ]);
    expect(staleNotices([frame], rows)).toEqual([{ key: 'pbx:demo', kind: 'pbx', pbx: 'demo', since: NOW - 60_000 }]);
  });

  it('without stale fields: the rows of a PBX the frame says is down', () => {
    const frame = extensionFrame(
      [
        { extension: '1001', state: 'in_call', pbx: 'main' },
        { extension: '2001', state: 'idle', pbx: 'branch' },
      ],
      sources(
        { pbx: 'branch', connected: true, live: true, since: null, reason: null },
        { pbx: 'main', connected: false, live: true, since: NOW - 5000, reason: 'connection refused' }
      )
    );
    const rows = extensionsFromFrames([frame]);
    expect(rows.map((r) => [r.extension, r.stale, r.staleSince])).toEqual([
      ['1001', true, NOW - 5000],
      ['2001', false, undefined],
    ]);
    expect(staleNotices([frame], rows)).toEqual([
      { key: 'pbx:main', kind: 'pbx', pbx: 'main', since: NOW - 5000, reason: 'connection refused' },
    ]);
  });

  it('an unreachable exporter: every row stale, one line for the exporter first', () => {
    const meta = { custom: { sources: [{ pbx: 'main', connected: false, since: NOW - 9000 }], unreachableSince: NOW } };
    const frame = extensionFrame(
      [
        { extension: '1001', pbx: 'main' },
        { extension: '1002', pbx: 'other' },
      ],
      meta
    );
    const rows = extensionsFromFrames([frame]);
    expect(rows.map((r) => [r.stale, r.staleSince])).toEqual([
      [true, NOW - 9000],
      [true, NOW],
    ]);
    expect(staleNotices([frame], rows).map((n) => n.key)).toEqual(['exporter', 'pbx:main']);
  });

  it('a history-only PBX is said, not shown as all idle; other sources speak through their notices', () => {
    const ours = extensionFrame([{ extension: '1001' }], sources({ pbx: '3cx', connected: true, live: false }));
    const theirs = extensionFrame([{ extension: '9' }], {
      notices: [
        { severity: 'warning', text: 'Query timed out, partial data' },
        { severity: 'info', text: 'cached' },
      ],
    });
    ours.meta!.notices = [{ severity: 'warning', text: 'PBX 3cx is said twice' }];
    const rows = extensionsFromFrames([ours, theirs]);
    expect(staleNotices([ours, theirs], rows)).toEqual([
      { key: 'history:3cx', kind: 'history', pbx: '3cx' },
      { key: 'notice:Query timed out, partial data', kind: 'notice', text: 'Query timed out, partial data' },
    ]);
  });

  it('calls: stale from their fields or their frame, like extensions', () => {
    const calls = callsFromFrames([
      callFrame([{ id: 'a', startedAt: NOW - 1000, from: '1', stale: true, staleSince: NOW - 500 }]),
      {
        ...callFrame([{ id: 'b', startedAt: NOW - 1000, from: '2', pbx: 'main' }]),
        meta: sources({ pbx: 'main', connected: false }),
      },
    ]);
    expect(calls.map((c) => [c.key, c.stale, c.staleSince])).toEqual([
      ['a', true, NOW - 500],
      ['b', true, undefined],
    ]);
    expect(createTheme).toBeDefined();
  });
});
