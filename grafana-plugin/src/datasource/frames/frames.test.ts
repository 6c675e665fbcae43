import { FieldType, type DataFrame } from '@grafana/data';
import type { ApiContact } from '../api/types';
import { call, extension, iso, queue, T0, trunk } from '../../test-utils/fixtures';
import { callsFrame } from './calls';
import { extensionsFrame } from './extensions';
import { gapsFrame } from './gaps';
import { queuesFrame } from './queues';
import { statsFrames } from './stats';
import { trunksFrame } from './trunks';

const field = (frame: DataFrame, name: string) => {
  const f = frame.fields.find((x) => x.name === name);
  if (!f) {
    throw new Error(`no field ${name} in ${frame.fields.map((x) => x.name).join(',')}`);
  }
  return f;
};

describe('frame builders', () => {
  it('calls: times as time fields, durations in seconds, parties split into number and name', () => {
    const frame = callsFrame(
      [
        call({ id: 'c1' }),
        call({ id: 'c2', status: 'missed', answeredBy: null, answeredAt: null, trulyMissed: true, talkSeconds: 0 }),
      ],
      { refId: 'A' }
    );
    expect(frame.refId).toBe('A');
    expect(frame.length).toBe(2);
    expect(field(frame, 'startedAt').type).toBe(FieldType.time);
    expect(field(frame, 'startedAt').values[0]).toBe(T0 - 120_000);
    expect(field(frame, 'talkSeconds')).toMatchObject({ type: FieldType.number, values: [90, 0] });
    expect(field(frame, 'talkSeconds').config).toMatchObject({ unit: 's', displayName: 'Talk' });
    expect(field(frame, 'from').values).toEqual(['+12125550101', '+12125550101']);
    expect(field(frame, 'fromName').values[0]).toBe('Acme Corp');
    expect(field(frame, 'answeredBy').values).toEqual(['1001', null]);
    expect(field(frame, 'trulyMissed')).toMatchObject({ type: FieldType.boolean, values: [false, true] });
    expect(field(frame, 'status').config.mappings?.[0]).toMatchObject({ type: 'value' });
    expect(frame.meta?.preferredVisualisationType).toBe('table');
  });

  it('active calls: a duration measured at emission, no history-only fields', () => {
    const frame = callsFrame([call({ id: 'c1', open: true, endedAt: null, startedAt: iso(T0 - 75_400) })], {
      active: true,
      now: T0,
    });
    expect(field(frame, 'durationSeconds').values).toEqual([75]);
    expect(field(frame, 'durationSeconds').config.unit).toBe('s');
    expect(frame.fields.find((f) => f.name === 'talkSeconds')).toBeUndefined();
  });

  it('extensions: the wall contract, queues as text, state with value mappings', () => {
    const frame = extensionsFrame([
      extension({
        extension: '1001',
        state: 'in_call',
        counterpart: { number: '+4930123456', name: null },
        callStartedAt: iso(T0 - 30_000),
        queues: [
          { queue: 'sales', paused: false },
          { queue: 'support', paused: true, pausedReason: 'lunch' },
        ],
        voicemailNew: 3,
      }),
    ]);
    expect(field(frame, 'extension').values).toEqual(['1001']);
    expect(field(frame, 'state').values).toEqual(['in_call']);
    expect(field(frame, 'registered')).toMatchObject({ type: FieldType.boolean, values: [true] });
    expect(field(frame, 'callStartedAt')).toMatchObject({ type: FieldType.time, values: [T0 - 30_000] });
    expect(field(frame, 'queues').values).toEqual(['sales, support']);
    expect(field(frame, 'pausedQueues').values).toEqual(['support']);
    expect(field(frame, 'voicemailNew').values).toEqual([3]);
    expect(field(frame, 'counterpart').values).toEqual(['+4930123456']);
    const mapping = field(frame, 'state').config.mappings?.[0] as {
      options: Record<string, { text: string; color: string }>;
    };
    expect(mapping.options.in_call).toMatchObject({ text: 'In call', color: 'blue' });
  });

  it("extensions: the counterpart named from the exporter's contacts, the PBX's name, else the directory's guess", () => {
    const contact = (match: ApiContact['match'], name: string | null): ApiContact => ({
      match,
      name,
      company: match === 'fuzzy' ? name : null,
      e164: '+4930123456789',
      country: 'DE',
      place: 'Germany',
      town: 'Berlin',
      type: 'FIXED_LINE',
      formatted: '+49 30 123456789',
    });
    const inCall = (n: string, name: string | null, c: ApiContact | null | undefined) =>
      extension({
        extension: n,
        state: 'in_call',
        counterpart: { number: '+4930123456789', name },
        counterpartContact: c,
      });
    const frame = extensionsFrame([
      inCall('1001', 'MUELLER H', contact('exact', 'Hans Müller')),
      inCall('1002', 'MUELLER H', contact('fuzzy', 'Müller GmbH')),
      inCall('1003', null, contact('fuzzy', 'Müller GmbH')),
      inCall('1004', null, contact('place', null)),
      inCall('1005', 'Caller', undefined),
      inCall('1006', null, null),
    ]);
    expect(field(frame, 'counterpartName').values).toEqual([
      'Hans Müller',
      'MUELLER H',
      'Müller GmbH',
      null,
      'Caller',
      null,
    ]);
    expect(field(frame, 'counterpart').values[0]).toBe('+4930123456789');
  });

  it('queues and trunks: counts and round trip with units', () => {
    const q = queuesFrame([queue({ queue: 'sales', callers: [{}, {}, {}] as unknown[] })]);
    expect(field(q, 'callers').values).toEqual([3]);
    expect(field(q, 'longestWaitSeconds').config.unit).toBe('s');
    const t = trunksFrame([trunk({ trunk: 'sip-out' })]);
    expect(field(t, 'rttSeconds')).toMatchObject({ values: [0.021] });
    expect(field(t, 'rttSeconds').config.unit).toBe('s');
    expect(field(t, 'registered').type).toBe(FieldType.boolean);
  });

  it('stats: one wide frame per key with labels, counts filled with 0 and ratios with null', () => {
    const b1 = iso(T0);
    const b2 = iso(T0 + 3600_000);
    const row = (bucket: string, key: string, offered: number, sl: number | null) => ({
      bucket,
      key,
      offered,
      answered: offered,
      missed: 0,
      abandoned: 0,
      talkSecondsTotal: 60 * offered,
      talkSecondsAvg: offered ? 60 : null,
      asaSeconds: null,
      serviceLevel: sl,
      abandonRate: null,
    });
    const frames = statsFrames([row(b1, 'sales', 4, 0.75), row(b2, 'sales', 2, 1), row(b2, 'support', 1, 1)], {
      refId: 'S',
      groupBy: 'queue',
      metrics: ['offered', 'serviceLevel'],
      intervalMs: 3600_000,
    });
    expect(frames.map((f) => f.name)).toEqual(['sales', 'support']);
    const support = frames[1];
    expect(field(support, 'time').values).toEqual([T0, T0 + 3600_000]);
    expect(field(support, 'offered').values).toEqual([0, 1]);
    expect(field(support, 'serviceLevel').values).toEqual([null, 1]);
    expect(field(support, 'offered').labels).toEqual({ queue: 'support' });
    expect(field(support, 'serviceLevel').config).toMatchObject({
      unit: 'percentunit',
      displayNameFromDS: 'Service level · support',
    });
  });

  it('gaps: annotation fields; an open gap ends now', () => {
    const frame = gapsFrame(
      [
        {
          id: 1,
          pbx: 'main',
          kind: 'source',
          reason: 'AMI socket closed',
          startedAt: iso(T0 - 60_000),
          endedAt: iso(T0 - 30_000),
        },
        { id: 2, pbx: null, kind: 'exporter', reason: 'unclean shutdown', startedAt: iso(T0 - 10_000), endedAt: null },
      ],
      { now: T0 }
    );
    expect(field(frame, 'time').values).toEqual([T0 - 60_000, T0 - 10_000]);
    expect(field(frame, 'timeEnd').values).toEqual([T0 - 30_000, T0]);
    expect(field(frame, 'title').values).toEqual(['PBX main disconnected', 'Exporter was down']);
    expect(field(frame, 'text').values[1]).toBe('unclean shutdown (still open)');
    expect(field(frame, 'tags').values[0]).toEqual(['switchboard', 'source', 'main']);
  });
});
