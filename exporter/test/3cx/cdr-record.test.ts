import { BadRecord } from '../../src/sources/3cx/bad-record';
import { parseCdrLine } from '../../src/sources/3cx/cdr-line';
import { recordFromCdr } from '../../src/sources/3cx/cdr-record';
import { DEFAULT_CDR_FIELDS } from '../../src/sources/3cx/fields';
import { parseWallTime } from '../../src/sources/3cx/wall-time';
import { cdrLine, SAMPLE_LINE } from './cdr-lines';

const build = (line: string, timeZone = 'UTC') =>
  recordFromCdr(parseCdrLine(line, DEFAULT_CDR_FIELDS), { pbx: 'pbx3', timeZone });

const T = (hhmmss: string): string => `2026/03/02 ${hhmmss}`;
const utc = (hhmmss: string): number => Date.parse(`2026-03-02T${hhmmss}Z`);

describe('3CX CDR line → call record', () => {
  it('the real sample: an answered outbound call from extension 10016, 9 s ringing, 25 s talk', () => {
    const { key, record } = build(SAMPLE_LINE);
    expect(key).toBe('288831');
    expect(record).toMatchObject({
      id: 'pbx3-288831',
      direction: 'outbound',
      status: 'answered',
      open: false,
      startedAt: Date.parse('2024-06-17T05:59:49Z'),
      answeredAt: Date.parse('2024-06-17T05:59:58Z'),
      endedAt: Date.parse('2024-06-17T06:00:23Z'),
      ringMs: 9000,
      talkMs: 25000,
      from: { number: '10016', name: 'Backup no2' },
      to: { number: '+46700000000' },
      answeredBy: { number: '+46700000000' },
    });
    expect(record.legs.map((l) => [l.party.number, l.role, l.outcome])).toEqual([
      ['10016', 'extension', undefined],
      ['+46700000000', 'trunk', 'answered'],
    ]);
  });

  it('inbound through a queue: answered by the agent, the polled agents who missed it are rung members', () => {
    const { record } = build(
      cdrLine({
        historyid: 'Call 501',
        callid: 'c501',
        duration: '00:01:00',
        'time-start': T('09:00:00'),
        'time-answered': T('09:00:12'),
        'time-end': T('09:01:12'),
        'reason-terminated': 'TerminatedByDst',
        'from-no': '+4930111222',
        'to-no': '800',
        'from-dn': '10000',
        'to-dn': '800',
        'dial-no': '+4930999000',
        'final-number': 'Ext.102',
        'final-dn': '102',
        chain: 'Chain: +4930111222;800;Ext.102;',
        'from-type': 'Line',
        'to-type': 'Queue',
        'final-type': 'Extension',
        'from-dispname': 'ACME, Inc.',
        'to-dispname': 'Support',
        'final-dispname': 'Bob',
        'missed-queue-calls': 'Ext.101;Ext.103',
      }),
    );
    expect(record).toMatchObject({
      direction: 'inbound',
      status: 'answered',
      from: { number: '+4930111222', name: 'ACME, Inc.' },
      to: { number: '+4930999000' },
      answeredBy: { number: '102', name: 'Bob' },
      ringMs: 12_000,
      talkMs: 60_000,
      queue: '800',
      waitMs: 12_000,
      group: { type: 'queue', id: '800', answeredBy: { number: '102', name: 'Bob' } },
    });
    expect(record.group!.membersRung.map((p) => p.number)).toEqual(['101', '103', '102']);
    expect(record.legs.map((l) => [l.party.number, l.outcome])).toEqual([
      ['+4930111222', undefined],
      ['102', 'answered'],
      ['101', 'noanswer'],
      ['103', 'noanswer'],
    ]);
  });

  it('a queue "answer" with nobody behind it is not answered: the caller gave up waiting (abandoned)', () => {
    const { record } = build(
      cdrLine({
        historyid: 'Call 502',
        duration: '00:00:00',
        'time-start': T('09:00:00'),
        'time-answered': T('09:00:01'),
        'time-end': T('09:00:45'),
        'reason-terminated': 'TerminatedBySrc',
        'from-no': '+4930111222',
        'to-no': '800',
        'to-dn': '800',
        'final-number': '800',
        'from-type': 'Line',
        'to-type': 'Queue',
        'final-type': 'Queue',
        'missed-queue-calls': 'Ext.101',
      }),
    );
    expect(record.status).toBe('abandoned');
    expect(record.answeredBy).toBeUndefined();
    expect(record.answeredAt).toBeUndefined();
    expect(record.talkMs).toBe(0);
    expect(record).toMatchObject({ ringMs: 45_000, queue: '800', waitMs: 45_000 });
  });

  it('voicemail answering is not a person: status voicemail, ringing until the mailbox picked up', () => {
    const { record } = build(
      cdrLine({
        historyid: 'Call 503',
        duration: '00:00:20',
        'time-start': T('10:00:00'),
        'time-answered': T('10:00:25'),
        'time-end': T('10:00:45'),
        'reason-terminated': 'TerminatedBySrc',
        'from-no': '+4930111222',
        'to-no': 'Ext.101',
        'final-number': 'Ext.101',
        'from-type': 'Line',
        'to-type': 'Extension',
        'final-type': 'VMail',
      }),
    );
    expect(record).toMatchObject({ direction: 'inbound', status: 'voicemail', ringMs: 25_000, talkMs: 0 });
    expect(record.answeredBy).toBeUndefined();
  });

  it('an internal call to a busy extension is busy; one to nowhere is failed', () => {
    const busy = build(
      cdrLine({
        historyid: 'Call 504',
        'time-start': T('10:00:00'),
        'time-end': T('10:00:02'),
        'reason-terminated': 'TargetBusy',
        'from-no': 'Ext.101',
        'to-no': 'Ext.102',
        'from-type': 'Extension',
        'to-type': 'Extension',
      }),
    ).record;
    expect(busy).toMatchObject({ direction: 'internal', status: 'busy', to: { number: '102' }, ringMs: 2000 });
    const failed = build(
      cdrLine({
        historyid: 'Call 505',
        'time-start': T('10:00:00'),
        'time-end': T('10:00:00'),
        'reason-terminated': 'NoRouteExists',
        'from-no': 'Ext.101',
        'to-no': '999',
        'from-type': 'Extension',
        'to-type': '',
      }),
    ).record;
    expect(failed.status).toBe('failed');
  });

  it('ReplacedDst with another final party is a transfer: the first person answered, talk is the whole duration', () => {
    const { record } = build(
      cdrLine({
        historyid: 'Call 506',
        duration: '00:02:00',
        'time-start': T('11:00:00'),
        'time-answered': T('11:00:05'),
        'time-end': T('11:02:05'),
        'reason-terminated': 'TerminatedBySrc',
        'from-no': '+4930111222',
        'to-no': 'Ext.101',
        'reason-changed': 'ReplacedDst',
        'final-number': 'Ext.102',
        'from-type': 'Line',
        'to-type': 'Extension',
        'final-type': 'Extension',
        'to-dispname': 'Alice',
        'final-dispname': 'Bob',
      }),
    );
    expect(record).toMatchObject({
      status: 'answered',
      answeredBy: { number: '101', name: 'Alice' },
      talkMs: 120_000,
      transfers: [
        {
          kind: 'blind',
          at: utc('11:00:05'),
          by: { number: '101', name: 'Alice' },
          to: { number: '102', name: 'Bob' },
        },
      ],
    });
  });

  it('reads the times in the configured zone, across a daylight-saving change', () => {
    const { record } = build(
      cdrLine({
        historyid: 'Call 507',
        'time-start': '2026/03/29 01:59:00',
        'time-end': '2026/03/29 03:01:00',
        'from-no': 'Ext.1',
        'to-no': 'Ext.2',
        'from-type': 'Extension',
        'to-type': 'Extension',
      }),
      'Europe/Berlin',
    );
    // 01:59 CET = 00:59Z; 03:01 CEST = 01:01Z: two minutes, not an hour and two
    expect(record.startedAt).toBe(Date.parse('2026-03-29T00:59:00Z'));
    expect(record.endedAt! - record.startedAt).toBe(120_000);
    expect(parseWallTime('2026/07/01 12:00:00', 'America/New_York', 't')).toBe(Date.parse('2026-07-01T16:00:00Z'));
  });

  it('names what is wrong with a line that cannot be a call', () => {
    const reasons = [
      cdrLine({ 'time-start': T('10:00:00'), 'time-end': T('10:00:01'), 'from-no': '1' }),
      cdrLine({ historyid: 'Call 9', 'time-start': 'yesterday', 'time-end': T('10:00:01'), 'from-no': '1' }),
      cdrLine({ historyid: 'Call 9', 'time-start': T('10:00:05'), 'time-end': T('10:00:01'), 'from-no': '1' }),
      cdrLine({ historyid: 'Call 9', 'time-end': T('10:00:01'), 'from-no': '1' }),
      cdrLine({
        historyid: 'Call 9',
        duration: 'long',
        'time-start': T('10:00:00'),
        'time-answered': T('10:00:00'),
        'time-end': T('10:00:01'),
        'from-no': 'Ext.1',
        'to-no': 'Ext.2',
        'from-type': 'Extension',
        'to-type': 'Extension',
      }),
    ].map((line) => {
      try {
        build(line);
        return 'accepted';
      } catch (err) {
        return (err as BadRecord).reason;
      }
    });
    expect(reasons).toEqual(['no identity', 'bad time', 'bad time', 'missing field', 'bad duration']);
  });
});
