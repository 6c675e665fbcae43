import { BadRecord } from '../../src/sources/3cx/bad-record';
import { isHeaderLine, parseCdrLine } from '../../src/sources/3cx/cdr-line';
import { DEFAULT_CDR_FIELDS } from '../../src/sources/3cx/fields';
import { SAMPLE_LINE } from './cdr-lines';

const caught = (fn: () => unknown): BadRecord => {
  try {
    fn();
  } catch (err) {
    if (err instanceof BadRecord) return err;
    throw err;
  }
  throw new Error('expected a BadRecord');
};

describe('3CX CDR line', () => {
  it('reads the real sample line by the default 27-field template', () => {
    const f = parseCdrLine(SAMPLE_LINE, DEFAULT_CDR_FIELDS);
    expect(f).toMatchObject({
      historyid: 'Call 288831',
      callid: '4cc2c72490010000_26808',
      duration: '00:00:25',
      'time-start': '2024/06/17 05:59:49',
      'time-answered': '2024/06/17 05:59:58',
      'reason-terminated': 'TerminatedBySrc',
      'from-no': 'Ext.10016',
      'to-no': '+46700000000',
      chain: 'Chain: Ext.10016;+46700000000;',
      'from-type': 'Extension',
      'to-type': 'Line',
      'from-dispname': 'Backup no2',
      'missed-queue-calls': '',
    });
    expect(Object.keys(f)).toHaveLength(27);
  });

  it('keeps a quoted display name with commas in it as one field', () => {
    const fields = ['historyid', 'from-dispname', 'to-dispname', 'time-start'];
    const f = parseCdrLine('Call 7,"Doe, Jane","Sales, ""Team"" A",2024/06/17 05:59:49', fields);
    expect(f['from-dispname']).toBe('Doe, Jane');
    expect(f['to-dispname']).toBe('Sales, "Team" A');
    expect(f['time-start']).toBe('2024/06/17 05:59:49');
  });

  it('reads a configured field order, not a fixed one', () => {
    const f = parseCdrLine('2024/06/17 05:59:49,Call 9', ['time-start', 'historyid']);
    expect(f).toEqual({ 'time-start': '2024/06/17 05:59:49', historyid: 'Call 9' });
  });

  it('rejects a line whose field count does not match the template, naming both counts', () => {
    const e = caught(() => parseCdrLine('a,b,c', DEFAULT_CDR_FIELDS));
    expect(e.reason).toBe('field count');
    expect(e.detail).toBe('3 fields, the configured template has 27');
  });

  it('an unterminated quote is a CSV error, not a crash', () => {
    const e = caught(() => parseCdrLine('Call 1,"open', ['historyid', 'x']));
    expect(e.reason).toBe('csv');
  });

  it('recognises a header line naming the configured fields', () => {
    expect(isHeaderLine(DEFAULT_CDR_FIELDS.join(','), DEFAULT_CDR_FIELDS)).toBe(true);
    expect(isHeaderLine(SAMPLE_LINE, DEFAULT_CDR_FIELDS)).toBe(false);
  });
});
