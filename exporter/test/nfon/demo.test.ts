import pino from 'pino';
import { rng } from '../../bench/ingest/synth';
import { startNfonDemo, type NfonDemo } from '../../src/demo/nfon';
import { until } from '../ami/harness';
import { nfonRig, type NfonRig } from './harness';

const KINDS = ['inbound/answered', 'inbound/missed', 'outbound/answered', 'internal/answered'];

/** The NFON demo office over the fake CTI API, read by the ordinary `kind: nfon` source. */
describe('NFON demo office', () => {
  let demo: NfonDemo;
  let rig: NfonRig;
  beforeAll(async () => {
    // deterministic dice, so a failure can be replayed
    demo = await startNfonDemo({ speed: 60, log: pino({ level: 'silent' }), random: rng(11) });
    rig = await nfonRig({ demo });
    // timing and dice decide which scenes run: wait for every kind checked below, as the AMI demo test does
    const kinds = (): Set<string> => new Set(rig.ended.map((c) => `${c.direction}/${c.status}`));
    await until(() => rig.ended.length >= 30 && KINDS.every((k) => kinds().has(k)), `30 finished demo calls, of ${KINDS.join(', ')}`, 60000);
  }, 90000);
  afterAll(async () => {
    await rig?.close();
    await demo?.stop();
  });

  it('makes calls of every kind NFON shows, correlated without a single rejected event', () => {
    const kinds = new Set(rig.ended.map((c) => `${c.direction}/${c.status}`));
    for (const k of KINDS) expect(kinds).toContain(k);
    expect(rig.ended.some((c) => c.direction === 'inbound' && c.to.name === 'Berlin')).toBe(true);
    // a team call rung at several desks and answered by one is one answered record
    expect(rig.ended.some((c) => c.status === 'answered' && c.legs.filter((l) => l.role === 'extension').length >= 2)).toBe(true);
    expect(rig.ended.every((c) => c.from.number !== '' && c.to.number !== '')).toBe(true);
    expect(rig.rejected).toEqual([]);
    expect(rig.gaps).toEqual([]);
  });

  it('fills the wall: named extensions whose line follows the calls', () => {
    const exts = new Map(rig.extensions.map((e) => [e.extension, e]));
    expect(exts.size).toBe(6);
    expect(exts.get('200')).toMatchObject({ pbx: 'cloud', name: 'Lena Vogel' });
    expect(rig.extensions.some((e) => e.state === 'ringing')).toBe(true);
    // who they talk to, from the call records: the state stream knows only the line
    expect(rig.extensions.some((e) => e.state === 'in_call' && e.callId?.startsWith('cloud-') && e.counterpart)).toBe(true);
  });
});
