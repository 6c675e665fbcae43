import fc from 'fast-check';
import type { NumberMatch } from '../../src/contacts';
import type { Call, Party } from '../../src/domain';
import { CALL_COLUMNS, callCsvRows } from '../../src/http/call-csv';
import { csvChunks, map } from '../../src/http/csv';
import { storedCall, withContacts, type ContactLookup } from '../../src/http/render';
import { Store } from '../../src/store/store';
import { inbound, MIN, outbound, T0 } from './fixtures';

/** The calls' CSV as the generic path writes it: Call → API call with contacts → cells of the Call model. */
function generic(store: Store, lookup: ContactLookup | undefined): string {
  const items = map(store.queries.calls.each({}), (c) => withContacts(storedCall(c), lookup));
  return [...csvChunks(CALL_COLUMNS, items)].join('');
}

/** …and as the export writes it, from the store's raw rows. */
function fast(store: Store, lookup: ContactLookup | undefined): string {
  const [header] = csvChunks(CALL_COLUMNS, []);
  return header + [...callCsvRows(store.queries.calls.eachRaw({}), lookup)].join('');
}

const place = (over: Partial<NumberMatch>): NumberMatch => ({
  match: 'place',
  name: null,
  company: null,
  e164: '+4930123456',
  country: 'DE',
  place: 'Germany',
  town: 'Berlin',
  type: 'FIXED_LINE',
  formatted: '+49 30 123456',
  ...over,
});

/** names some numbers, with text a CSV must quote or defuse */
const lookup: ContactLookup = (n) =>
  n === '+12125550101'
    ? place({ match: 'exact', name: 'Smith, "Jo"', company: '=Acme', e164: n, country: 'US' })
    : n.startsWith('+49')
      ? place({ e164: n })
      : null;

const party = (number: string, name?: string): Party => (name === undefined ? { number } : { number, name });

function withStore(calls: Call[], check: (store: Store) => void): void {
  const store = new Store({ path: ':memory:' });
  try {
    for (const c of calls) store.saveCall(c);
    store.flush();
    check(store);
  } finally {
    store.close();
  }
}

describe('calls as CSV from raw rows', () => {
  const calls: Call[] = [
    inbound({ id: 'plain', at: T0 }),
    inbound({
      id: 'queued',
      at: T0 + MIN,
      caller: '+4930123456',
      from: party('+4930123456', '=cmd|"/c calc"!A1'),
      waitMs: 12_345,
      holdMs: 4_500,
      group: { type: 'queue', id: 'sales, EU', membersRung: [party('1001', 'Anders, "Al"'), party('1002')] },
    }),
    inbound({
      id: 'ringgroup',
      at: T0 + 2 * MIN,
      queue: 'support',
      group: { type: 'ringgroup', id: '600', membersRung: [party('1003', '')], answeredBy: party('1003') },
    }),
    inbound({ id: 'missed', at: T0 + 3 * MIN, status: 'missed', ext: '1004', caller: '+4989555000' }),
    // the call back: the missed call is returned
    outbound({ id: 'callback', at: T0 + 4 * MIN, ext: '1004', callee: '+4989555000' }),
    inbound({ id: 'hidden', at: T0 + 5 * MIN, caller: '', from: party('', ''), answeredBy: party('1001', '') }),
    inbound({ id: 'ringing', at: T0 + 6 * MIN, status: 'ringing', open: true, endedAt: undefined }),
    inbound({ id: 'lines', at: T0 + 7 * MIN, from: party('+12125550101', ' two\nlines ') }),
  ];

  it('writes what the Call model writes, cell for cell, with and without contacts', () => {
    withStore(calls, (store) => {
      for (const l of [undefined, lookup]) {
        const expected = generic(store, l);
        expect(expected.split('\r\n').length).toBeGreaterThan(calls.length);
        expect(fast(store, l)).toBe(expected);
      }
    });
  });

  it('agrees for any names, numbers and durations', () => {
    const text = fc.string({ unit: 'binary', maxLength: 12 });
    const ms = fc.oneof(fc.integer({ min: 0, max: 10_000_000 }), fc.constant(0));
    const arbCall = fc.record({
      name: fc.option(text, { nil: undefined }),
      number: text,
      agent: fc.option(text, { nil: undefined }),
      ringMs: ms,
      talkMs: ms,
      waitMs: fc.option(ms, { nil: undefined }),
      members: fc.option(fc.array(fc.tuple(text, fc.option(text, { nil: undefined })), { maxLength: 3 }), {
        nil: undefined,
      }),
    });
    fc.assert(
      fc.property(fc.array(arbCall, { minLength: 1, maxLength: 8 }), (drawn) => {
        const made = drawn.map((d, i) =>
          inbound({
            id: `p${i}`,
            at: T0 + i * MIN,
            from: party(d.number, d.name),
            answeredBy: d.agent === undefined ? undefined : party('1001', d.agent),
            ringMs: d.ringMs,
            talkMs: d.talkMs,
            waitMs: d.waitMs,
            group: d.members && {
              type: 'queue',
              id: `q${i}`,
              membersRung: d.members.map(([n, name]) => party(n, name)),
            },
          }),
        );
        withStore(made, (store) => {
          for (const l of [undefined, lookup]) expect(fast(store, l)).toBe(generic(store, l));
        });
      }),
      { numRuns: 60 },
    );
  });
});
