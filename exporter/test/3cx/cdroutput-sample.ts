import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import type { Call } from '../../src/domain';

export type SampleRow = Record<string, string | boolean | null>;

/** The reference `cdroutput` export (50 rows, 2 real inbound calls), as rows: empty cells are NULL, booleans typed. */
export function sampleRows(): SampleRow[] {
  const raw = parse(readFileSync(join(__dirname, 'fixtures', 'cdroutput-v20-example-redacted.csv')), {
    columns: true,
  }) as Record<string, string>[];
  return raw.map((r) => {
    const out: SampleRow = {};
    for (const [k, v] of Object.entries(r)) out[k] = v === '' ? null : v === 'true' ? true : v === 'false' ? false : v;
    return out;
  });
}

export const SAMPLE_CALL_1 = '00000000-01dc-95e1-5c06-0f69000021e7';
export const SAMPLE_CALL_2 = '00000000-01dc-9a69-1dbd-72c400000ef0';

const at = (text: string): number => Date.parse(text.replace(' ', 'T').replace(' +0100', '+01:00'));

/**
 * What the reference README says the sample holds — two inbound calls through IVR, queue, agents, a ring group
 * (which had nobody) and back ("ping-pong") — worked out row by row from the export.
 */
export function expectSampleCalls(calls: Map<string, Omit<Call, 'pbx'>>): void {
  expect([...calls.keys()].sort()).toEqual([SAMPLE_CALL_1, SAMPLE_CALL_2].sort());
  const one = calls.get(SAMPLE_CALL_1)!;
  // IVR 3 → queue 958 (3.5 min) → Name9 (355) answers; 355 transfers to 162, whose forward-all goes through ring group
  // 484 (no one in it) and IVR 2 into queue 993 → Name4 (139) answers; 139 transfers to 162 again → … → the caller ends
  // in Name2's (163) voicemail
  expect(one).toMatchObject({
    id: `pbx3-${SAMPLE_CALL_1}`,
    direction: 'inbound',
    status: 'answered',
    from: { number: '+410000000003' },
    to: { number: '+410000000004' },
    startedAt: at('2026-02-04 15:20:05.842 +0100'),
    answeredAt: at('2026-02-04 15:23:40.473 +0100'),
    endedAt: at('2026-02-04 15:27:14.783 +0100'),
    ringMs: 214_631,
    talkMs: 100_065 + 80_046,
    answeredBy: { number: '355', name: 'Name9' },
    queue: '958',
    waitMs: 214_058,
    group: {
      type: 'queue',
      id: '958',
      membersRung: [
        { number: '344', name: 'Name8' },
        { number: '355', name: 'Name9' },
        { number: '365', name: 'Name10' },
      ],
    },
  });
  expect(one.transfers.map((t) => [t.by.number, t.to.number])).toEqual([
    ['355', '162'],
    ['139', '162'],
  ]);
  const two = calls.get(SAMPLE_CALL_2)!;
  // IVR 1 → queue 900 → Name7 (100) answers after 7 s; transfers to 162 → ring group 484 (empty) → IVR 2 → queue 993 →
  // Name4 (139); transfers to 162 → … → queue 993 again, where 139's forward lands on Name5 (162), who ends the call
  expect(two).toMatchObject({
    direction: 'inbound',
    status: 'answered',
    from: { number: '+410000000001' },
    to: { number: '+410000000002' },
    answeredAt: at('2026-02-10 09:42:04.608 +0100'),
    endedAt: at('2026-02-10 09:46:41.836 +0100'),
    ringMs: 7054,
    talkMs: 57_477 + 54_356 + 120_924,
    answeredBy: { number: '100', name: 'Name7' },
    queue: '900',
    waitMs: 6500,
    group: {
      type: 'queue',
      id: '900',
      membersRung: [
        { number: '106', name: 'Name6' },
        { number: '100', name: 'Name7' },
      ],
    },
  });
  expect(two.transfers.map((t) => [t.by.number, t.to.number])).toEqual([
    ['100', '162'],
    ['139', '162'],
  ]);
  // every desk the calls rang at is a leg, so per-extension history finds them; IVRs, queues and voicemail are not
  const desks = (c: Omit<Call, 'pbx'>): string[] => [...new Set(c.legs.slice(1).map((l) => l.party.number))].sort();
  expect(desks(one)).toEqual(['139', '162', '163', '164', '344', '355', '365']);
  expect(desks(two)).toEqual(['100', '106', '139', '162', '163', '164', '174']);
  expect(two.legs.find((l) => l.id === '00000000-01dc-9a69-6df3-fc6b00003079')?.outcome).toBe('busy');
}
