import type { AmiServer, ActionHandler } from '../../src/demo/ami/ami-server';
import { amiConfig, captureFrames, fakePbx, Rig, until } from './harness';

/**
 * The resync after login, answered with the real Asterisk 22 answers recorded in snapshot_actions (2 calls up, one
 * queue caller waiting): the live picture must be right before a single live event arrives.
 */

/** The recorded answer (response, list items, Complete) to one action of the capture, re-addressed to `actionId`. */
function recorded(prefix: string): (actionId: string) => string {
  const frames = captureFrames('snapshot_actions').filter((f) => f.includes(`ActionID: ${prefix}\r\n`));
  if (!frames.length) throw new Error(`no recorded answer for ${prefix}`);
  return (actionId) => frames.map((f) => f.replace(`ActionID: ${prefix}\r\n`, `ActionID: ${actionId}\r\n`)).join('');
}

const answer = (prefix: string): ActionHandler => {
  const frames = recorded(prefix);
  return (a, s) => s.writeRaw(frames(a.actionid));
};

describe('resync from real Asterisk answers', () => {
  let server: AmiServer;
  let rig: Rig;
  beforeAll(async () => {
    server = await fakePbx({
      actions: {
        coreshowchannels: answer('snap-00-CoreShowChannels'),
        queuestatus: answer('snap-01-QueueStatus'),
        pjsipshowendpoints: answer('snap-03-PJSIPShowEndpoints'),
        pjsipshowcontacts: answer('snap-04-PJSIPShowContacts'),
        extensionstatelist: answer('snap-05-ExtensionStateList'),
        devicestatelist: answer('snap-06-DeviceStateList'),
        coresettings: answer('snap-08-CoreSettings'),
        voicemailuserslist: answer('snap-09-VoicemailUsersList'),
      },
    });
    rig = new Rig();
    await rig.start(amiConfig(server.port));
    await until(() => rig.status?.version || undefined, 'resync applied');
    await until(() => rig.calls.length >= 2 || undefined, 'calls from CoreShowChannels');
  });
  afterAll(async () => {
    await rig.stop();
    await server.close();
  });

  it('knows the version, the phones, their names, registrations and states', () => {
    expect(rig.status).toMatchObject({ connected: true, version: '22.10.1' });
    const want: Record<string, string> = { '1001': 'in_call', '1002': 'in_call', '1003': 'ringing', '1004': 'ringing', '1005': 'idle', '1006': 'idle' };
    for (const [ext, state] of Object.entries(want)) expect(rig.lastExtension(ext)).toMatchObject({ registered: true, state });
    expect(rig.lastExtension('1001')?.name).toBe('Alice Anders');
    expect(rig.extensions.some((e) => e.extension === 'trunk')).toBe(false);
  });

  it('rebuilds the calls in progress from CoreShowChannels', () => {
    const open = new Map(rig.calls.map((c) => [c.id, c]));
    const internal = open.get('rig-1795462247.29');
    expect(internal).toMatchObject({ open: true, direction: 'internal', status: 'active', from: { number: '1001' }, answeredBy: { number: '1002' } });
    const queued = open.get('rig-1795462246.26');
    expect(queued).toMatchObject({ open: true, direction: 'inbound', from: { number: '+12125550109' } });
    expect(rig.lastExtension('1001')).toMatchObject({ callId: 'rig-1795462247.29', counterpart: { number: '1002' } });
  });

  it('rebuilds the queues: strategy, members ringing, the waiting caller with its wait', () => {
    const support = rig.lastQueue('support')!;
    expect(support).toMatchObject({ strategy: 'ringall' });
    expect(support.members.map((m) => [m.extension, m.name, m.state, m.paused]).sort()).toEqual([
      ['1003', 'Carol Chen', 'ringing', false],
      ['1004', 'Dave Diaz', 'ringing', false],
    ]);
    expect(support.callers).toEqual([expect.objectContaining({ party: { number: '+12125550109', name: 'Snapshot Caller' }, position: 1, callId: 'rig-1795462246.26' })]);
    expect(support.updatedAt - support.callers[0].joinedAt).toBe(6000);
    expect(rig.lastQueue('sales')).toMatchObject({ strategy: 'rrmemory' });
    expect(rig.lastExtension('1003')?.queues.map((q) => q.queue).sort()).toEqual(['sales', 'support']);
  });

  it('knows the trunk and its calls', () => {
    const trunk = [...rig.trunks].reverse().find((t) => t.trunk === 'trunk');
    expect(trunk).toMatchObject({ activeCalls: 1 });
  });
});
