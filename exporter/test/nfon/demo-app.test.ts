import { eventually, startExporter, type RunningExporter } from '../helpers/cli';
import { tempDir } from '../helpers/tmp';

/** `npm start` with `demo.kinds: [ami, nfon]`: two demo PBXs of two kinds behind one exporter, one `pbx` label each. */
describe('demo with an NFON PBX beside the AMI one', () => {
  const tmp = tempDir('sb-nfon-demo-');
  let ex: RunningExporter | undefined;

  afterAll(async () => {
    if (ex && ex.child.exitCode === null) {
      ex.child.kill('SIGTERM');
      await ex.exit;
    }
    tmp.cleanup();
  });

  it('connects to both, and the NFON office fills the wall, the history and the metrics', async () => {
    ex = await startExporter(
      [
        'server: { host: 127.0.0.1, port: 0 }',
        `store: { path: ${JSON.stringify(`${tmp.dir}/sb.db`)}, flushMs: 50, backup: { enabled: false } }`,
        'demo: { enabled: true, kinds: [ami, nfon], speed: 20 }',
      ].join('\n'),
      tmp.dir,
      60000,
    );
    const url = ex.url;
    const metrics = await eventually(async () => {
      const text = await fetch(`${url}/metrics`).then((r) => r.text());
      return /^pbx_up\{pbx="demo-nfon"\} 1$/m.test(text) && /^pbx_up\{pbx="demo"\} 1$/m.test(text) ? text : undefined;
    }, 30000, 'both demo PBXs up');
    expect(metrics).toMatch(/^pbx_source_info\{pbx="demo-nfon",kind="nfon",version="[^"]*"\} 1$/m);
    expect(metrics).toMatch(/^pbx_source_info\{pbx="demo",kind="ami",version="[^"]*"\} 1$/m);
    const ext = (await fetch(`${url}/api/v1/extensions?pbx=demo-nfon`).then((r) => r.json())) as { items: { pbx: string; extension: string; name?: string }[] };
    expect(ext.items.map((e) => e.extension).sort()).toEqual(['200', '201', '202', '203', '204', '205']);
    expect(ext.items.find((e) => e.extension === '200')).toMatchObject({ pbx: 'demo-nfon', name: 'Lena Vogel' });
    const calls = await eventually(async () => {
      const body = (await fetch(`${url}/api/v1/calls?pbx=demo-nfon`).then((r) => r.json())) as { items: { pbx: string; status: string }[] };
      return body.items.length > 0 ? body.items : undefined;
    }, 30000, 'an NFON demo call in the history');
    expect(calls.every((c) => c.pbx === 'demo-nfon')).toBe(true);
    const ready = await fetch(`${url}/readyz`);
    expect(ready.status).toBe(200);
  }, 120000);
});
