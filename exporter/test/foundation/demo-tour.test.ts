import { join } from 'node:path';
import { startExporter, type RunningExporter } from '../helpers/cli';
import { tempDir } from '../helpers/tmp';

interface ApiCall {
  id: string;
  direction: string;
  status: string;
  open: boolean;
  holdSeconds: number;
  queue: string | null;
  group: { type: string } | null;
  transfers?: { kind: string }[];
}

/**
 * What a new user meets: the real CLI with no PBX configured, the demo at its DEFAULT speed, and one minute. Every call
 * kind the issue lists must be in /api/v1/calls by then — the opening tour's promise.
 */
describe('the demo tour at the default speed', () => {
  const tmp = tempDir();
  let ex: RunningExporter;
  let calls: ApiCall[] = [];

  beforeAll(async () => {
    ex = await startExporter(
      ['server: { host: 127.0.0.1, port: 0 }', `store: { path: ${JSON.stringify(join(tmp.dir, 'sb.db'))}, backup: { enabled: false } }`].join('\n'),
      tmp.dir,
    );
    // the minute counts from the exporter listening (the demo PBX starts with it); how long a loaded test machine
    // takes to load the process before that is not the tour's to spend
    await new Promise((r) => setTimeout(r, 60000));
    const page = (await (await fetch(`${ex.url}/api/v1/calls?pageSize=200`)).json()) as { items: ApiCall[] };
    calls = await Promise.all(page.items.map(async (c) => (await (await fetch(`${ex.url}/api/v1/calls/${encodeURIComponent(c.id)}`)).json()) as ApiCall));
  }, 120000);

  afterAll(async () => {
    if (ex && ex.child.exitCode === null) {
      ex.child.kill('SIGTERM');
      await ex.exit;
    }
    tmp.cleanup();
  }, 30000);

  const kinds: [string, (c: ApiCall) => boolean][] = [
    ['answered', (c) => c.direction === 'inbound' && c.status === 'answered' && c.group === null],
    ['missed', (c) => c.status === 'missed'],
    ['busy', (c) => c.status === 'busy'],
    ['voicemail', (c) => c.status === 'voicemail'],
    ['ring group', (c) => c.group?.type === 'ringgroup' && c.status === 'answered'],
    ['queue answered', (c) => c.group?.type === 'queue' && c.status === 'answered'],
    ['queue abandoned', (c) => c.group?.type === 'queue' && c.status === 'abandoned'],
    ['blind transfer', (c) => (c.transfers ?? []).some((t) => t.kind === 'blind')],
    ['attended transfer', (c) => (c.transfers ?? []).some((t) => t.kind === 'attended')],
    ['hold', (c) => c.holdSeconds > 0],
  ];

  it.each(kinds)('has a finished %s call within the first minute', (_kind, is) => {
    const summary = calls.map((c) => `${c.direction}/${c.status}${c.group ? `/${c.group.type}` : ''}${c.holdSeconds ? '/hold' : ''}${c.transfers?.length ? `/${c.transfers.map((t) => t.kind).join('+')}` : ''}`);
    expect({ found: calls.some((c) => !c.open && is(c)), calls: summary }).toMatchObject({ found: true });
  });
});
