import { ExtensionBook } from '../../src/sources/ami/state/extensions';
import { QueueBook } from '../../src/sources/ami/state/queues';
import { TrunkBook } from '../../src/sources/ami/state/trunks';
import type { NameKind } from '../../src/sources/ami/state/caps';
import type { AmiEventBase } from '../../src/sources/ami/messages';

const ev = (fields: Record<string, string>): AmiEventBase => fields as unknown as AmiEventBase;

/** Each book with a cap of 2: what it published, and what it refused. */
function books() {
  const published = { extension: new Set<string>(), queue: new Set<string>(), trunk: new Set<string>() };
  const refused: [NameKind, string][] = [];
  const refuse = (kind: NameKind, name: string) => refused.push([kind, name]);
  const queues = new QueueBook('pbx', (q) => published.queue.add(q.queue), () => undefined, () => undefined, refuse, 2);
  const extensions = new ExtensionBook('pbx', (e) => published.extension.add(e.extension), () => [], (n) => n.startsWith('trunk'), refuse, 2);
  const trunks = new TrunkBook('pbx', (t) => published.trunk.add(t.trunk), (n) => n.startsWith('trunk'), refuse, 2);
  return { published, refused, queues, extensions, trunks };
}

describe('AMI books: a PBX cannot grow them without bound', () => {
  it('keeps at most its cap of extensions; a new name past it is refused and told, the known ones carry on', () => {
    const b = books();
    for (const ext of ['1001', '1002', '1003', '1004']) b.extensions.handle(ev({ Event: 'DeviceStateChange', Device: `PJSIP/${ext}`, State: 'NOT_INUSE' }), 1000);
    expect([...b.published.extension]).toEqual(['1001', '1002']);
    expect(b.refused).toEqual([
      ['extension', '1003'],
      ['extension', '1004'],
    ]);
    b.extensions.handle(ev({ Event: 'DeviceStateChange', Device: 'PJSIP/1001', State: 'INUSE' }), 2000);
    expect(b.extensions.get('1001')?.state).toBe('in_call');
    expect(b.extensions.get('1003')).toBeUndefined();
  });

  it('keeps at most its cap of queues, from events and from a resync', () => {
    const b = books();
    const member = (queue: string) => ev({ Event: 'QueueMemberStatus', Queue: queue, Interface: 'PJSIP/1001', Status: '1' });
    for (const q of ['sales', 'support', 'invented-1']) b.queues.handle(member(q), 1000);
    expect(b.queues.membershipsOf('1001').map((m) => m.queue).sort()).toEqual(['sales', 'support']);
    b.queues.handle(ev({ Event: 'QueueCallerJoin', Queue: 'invented-2', Uniqueid: '1795461973.1', CallerIDNum: '+4930555', Position: '1' }), 1000);
    b.queues.resync([ev({ Event: 'QueueParams', Queue: 'invented-3', Strategy: 'ringall' }), ev({ Event: 'QueueParams', Queue: 'sales', Strategy: 'ringall' })], 2000);
    expect([...b.published.queue].sort()).toEqual(['sales', 'support']);
    expect(b.refused.map(([kind, name]) => `${kind} ${name}`)).toEqual(['queue invented-1', 'queue invented-2', 'queue invented-3']);
  });

  it('keeps at most its cap of trunks, from registrations and from active-call counts', () => {
    const b = books();
    b.trunks.handle(ev({ Event: 'OutboundRegistrationDetail', ObjectName: 'trunk-a', Status: 'Registered' }), 1000);
    b.trunks.handle(ev({ Event: 'ContactStatus', AOR: 'trunk-b', ContactStatus: 'Reachable' }), 1000);
    b.trunks.handle(ev({ Event: 'EndpointList', ObjectName: 'trunk-c' }), 1000);
    b.trunks.setActiveCalls(new Map([['trunk-d', 1], ['trunk-a', 2]]), 2000);
    expect([...b.published.trunk].sort()).toEqual(['trunk-a', 'trunk-b']);
    expect(b.refused.map(([kind, name]) => `${kind} ${name}`)).toEqual(['trunk trunk-c', 'trunk trunk-d']);
  });
});
