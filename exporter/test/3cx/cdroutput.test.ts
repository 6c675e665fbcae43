import type { Call } from '../../src/domain';
import { recordFromCdrOutput } from '../../src/sources/3cx/cdroutput';
import type { CdrOutputRow } from '../../src/sources/3cx/cdroutput-row';
import { expectSampleCalls, sampleRows } from './cdroutput-sample';

/** The two calls of the reference sample, each rebuilt from its own rows. */
function sampleCalls(): Map<string, Omit<Call, 'pbx'>> {
  const byCall = new Map<string, CdrOutputRow[]>();
  for (const r of sampleRows() as unknown as CdrOutputRow[]) {
    const list = byCall.get(r.call_history_id) ?? [];
    list.push(r);
    byCall.set(r.call_history_id, list);
  }
  return new Map([...byCall].map(([id, rows]) => [id, recordFromCdrOutput(rows, { pbx: 'pbx3' }).record]));
}

describe('3CX v20 cdroutput → call record', () => {
  it('the reference sample yields its two calls', () => {
    expectSampleCalls(sampleCalls());
  });
});
