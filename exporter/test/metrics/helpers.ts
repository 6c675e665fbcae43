import type { Harness } from '../http/harness';
import { extension, inbound, queue, sourceStatus, T0, trunk } from '../http/fixtures';

/** One sample of the text exposition format. */
export interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

/** Parses Prometheus text exposition (what /metrics serves) into samples. */
export function parseMetrics(text: string): Sample[] {
  const out: Sample[] = [];
  for (const line of text.split('\n')) {
    if (!line || line.startsWith('#')) continue;
    const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!m) throw new Error(`unparseable metrics line: ${line}`);
    const labels: Record<string, string> = {};
    if (m[2]) for (const l of m[2].matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g)) labels[l[1]] = l[2];
    out.push({ name: m[1], labels, value: Number(m[3]) });
  }
  return out;
}

/** The value of the one sample matching name and labels (undefined when absent). */
export function value(samples: Sample[], name: string, labels: Record<string, string> = {}): number | undefined {
  const hits = samples.filter((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v));
  if (hits.length > 1) throw new Error(`${name} ${JSON.stringify(labels)} matches ${hits.length} samples`);
  return hits[0]?.value;
}

/** One metric family as /metrics declares it: its type, help and the label names its samples carry. */
export interface Family {
  name: string;
  type: string;
  labels: string[];
  help: string;
}

// labels a family's samples carry by the type's own convention, not by the family's choice
const TYPE_LABELS = new Set(['le', 'quantile']);

/** The families of a text exposition, sorted by name; label names are those seen on any of their samples. */
export function familiesOf(text: string): Family[] {
  const families = new Map<string, Family>();
  const family = (name: string): Family => {
    let f = families.get(name);
    if (!f) families.set(name, (f = { name, type: '', labels: [], help: '' }));
    return f;
  };
  for (const line of text.split('\n')) {
    const m = /^# (HELP|TYPE) (\S+) ?(.*)$/.exec(line);
    if (m && m[1] === 'HELP') family(m[2]).help = m[3];
    if (m && m[1] === 'TYPE') family(m[2]).type = m[3];
  }
  for (const s of parseMetrics(text)) {
    const f = families.get(s.name) ?? families.get(s.name.replace(/_(bucket|sum|count)$/, ''));
    if (!f) throw new Error(`sample ${s.name} has no family`);
    for (const l of Object.keys(s.labels)) if (!TYPE_LABELS.has(l) && !f.labels.includes(l)) f.labels.push(l);
  }
  for (const f of families.values()) f.labels.sort();
  return [...families.values()].sort((a, b) => a.name.localeCompare(b.name));
}

/**
 * `name type {label,…} help`: one line per family, the format of families.txt. prom-client's process and Node.js
 * families show a label only while something of that kind exists (an active request, a GC of that kind), so their
 * labels read `*`.
 */
export const familyLine = (f: Family): string =>
  `${f.name} ${f.type} {${/^(nodejs|process)_/.test(f.name) ? '*' : f.labels.join(',')}} ${f.help}`;

/** Two AMI sources, for the series every configured PBX gets before it says anything. */
export const SOURCES = ['pbx1', 'pbx2'].map((name, i) => ({
  name,
  kind: 'ami' as const,
  host: '127.0.0.1',
  port: 5038 + i,
  username: 'u',
  secret: 's',
  pingIntervalSeconds: 20,
  actionTimeoutSeconds: 10,
  reconnectMaxSeconds: 60,
}));

/** Feeds one of every hub and store event, so every family /metrics can carry has samples. */
export function populate(h: Harness, now: number): void {
  h.hub.emit('source', sourceStatus({ version: '20.5.2', pbxStartedAt: T0, reconnects: 1 }));
  h.hub.emit('extension', extension({ voicemail: { new: 1, old: 1 }, rttMs: 10 }));
  h.hub.emit('queue', queue({ callers: [{ party: { number: '+1' }, joinedAt: now - 1000, position: 1 }] }));
  h.hub.emit('trunk', trunk());
  h.hub.emit('conference', {
    pbx: 'pbx1',
    room: '800',
    startedAt: now - 60_000,
    participants: [{ leg: '1.1', party: { number: '1001' }, extension: '1001', joinedAt: now - 60_000, admin: false, muted: false }],
    updatedAt: now,
  });
  h.hub.emit('parking', { pbx: 'pbx1', calls: [{ lot: 'default', slot: '71', leg: '1.2', party: { number: '+1' }, parkedAt: now - 1000 }], updatedAt: now });
  h.hub.emit('call', { ...inbound({ id: 'p1' }), open: true });
  h.hub.emit('callEnded', inbound());
  h.hub.emit('queueCall', { pbx: 'pbx1', queue: 'support', outcome: 'timeout', waitMs: 300_000, at: now });
  h.hub.emit('sourceEvent', { pbx: 'pbx1', event: 'QueueCallerJoin', at: now, ts: now - 5 });
  h.hub.emit('rejected', { pbx: 'pbx1', reason: 'unknown "event" \\ with quotes' });
  h.store.saveCall(inbound());
  h.store.flush();
}
