import { closeSync, openSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { join } from 'node:path';
import { runCli, type CliRun } from '../helpers/cli';
import { duplicateKeys } from '../helpers/json-keys';
import { tempDir } from '../helpers/tmp';
import { createLogger, prettyWanted } from '../../src/log';

interface Line {
  level: number;
  msg: string;
  [key: string]: unknown;
}

const ESC = '\x1b[';

/**
 * What a user sees of the exporter's logs: lines for people at a terminal, one JSON object a line for collectors,
 * no key twice, a source's state said once it is known, and nothing after a fatal error.
 */
describe('logs', () => {
  const tmp = tempDir();
  let n = 0;
  const env = (extra: Record<string, string> = {}): Record<string, string> => ({
    SWITCHBOARD_SERVER__PORT: '0',
    SWITCHBOARD_STORE__PATH: join(tmp.dir, `sb-${++n}.db`),
    SWITCHBOARD_STORE__BACKUP__ENABLED: 'false',
    SWITCHBOARD_DEMO__SPEED: '20',
    SWITCHBOARD_LOG__LEVEL: 'info',
    ...extra,
  });
  const running = new Set<CliRun>();
  const run = (...args: Parameters<typeof runCli>): CliRun => {
    const r = runCli(...args);
    running.add(r);
    void r.exit.then(() => running.delete(r));
    return r;
  };
  const stop = async (r: CliRun): Promise<number | null> => {
    r.child.kill('SIGTERM');
    return r.exit;
  };

  afterAll(async () => {
    await Promise.all([...running].map(stop));
    tmp.cleanup();
  });

  it('pretty at a terminal unless told otherwise', () => {
    expect(prettyWanted('auto', { isTTY: true })).toBe(true);
    expect(prettyWanted('auto', { isTTY: undefined })).toBe(false);
    expect(prettyWanted('json', { isTTY: true })).toBe(false);
    expect(prettyWanted('pretty', {})).toBe(true);
  });

  it('never writes a key twice: what a line repeats of its logger’s bindings is dropped', () => {
    const file = join(tmp.dir, 'keys.log');
    const fd = openSync(file, 'w');
    const log = createLogger({ level: 'info', format: 'json' }, { fd });
    log.child({ component: 'source', pbx: 'office' }).warn({ pbx: 'office', reason: 'reset' }, 'source down');
    closeSync(fd);
    const [line] = readFileSync(file, 'utf8').trim().split('\n');
    expect(duplicateKeys(line)).toEqual([]);
    expect(JSON.parse(line)).toMatchObject({ level: 40, service: 'switchboard', component: 'source', pbx: 'office', reason: 'reset', msg: 'source down' });
  });

  it('JSON off a terminal: every line one object without a repeated key; the source said up once, never down', async () => {
    const r = run([], env());
    await r.waitForLine((l) => l.includes('"msg":"call ended"'), 'a call ended line', 60000);
    expect(await stop(r)).toBe(0);
    const lines = r.lines();
    const parsed = lines.map((l) => {
      expect([l, duplicateKeys(l)]).toEqual([l, []]);
      return JSON.parse(l) as Line;
    });
    const status = parsed.filter((l) => /^source /.test(l.msg)).map((l) => `${l.pbx} ${l.msg}`);
    expect(status).toEqual(['demo source connected']);
    expect(parsed.at(-1)?.msg).toBe('stopped');
  }, 90000);

  it('pretty with log.format: pretty, without colours when stdout is no terminal', async () => {
    const r = run([], env({ SWITCHBOARD_LOG__FORMAT: 'pretty' }));
    await r.waitForLine((l) => /^\[\d\d:\d\d:\d\d\.\d{3}\] INFO: \[demo\] source connected/.test(l), 'a pretty status line', 60000);
    expect(await stop(r)).toBe(0);
    for (const l of r.lines()) {
      expect(l).toMatch(/^\[\d\d:\d\d:\d\d\.\d{3}\] [A-Z]+: /);
      expect(l).not.toContain(ESC);
    }
  }, 90000);

  it('pretty and in colour at a terminal; JSON there too with log.format: json', async () => {
    const pretty = run([], env(), { tty: true });
    const line = await pretty.waitForLine((l) => l.includes('source connected'), 'a status line at the terminal', 60000);
    expect(line).toContain(ESC);
    expect(line.startsWith('{')).toBe(false);
    await stop(pretty);

    const json = run([], env({ SWITCHBOARD_LOG__FORMAT: 'json' }), { tty: true });
    const listening = await json.waitForLine((l) => l.includes('server listening'), 'the listening line at the terminal', 60000);
    expect(JSON.parse(listening)).toMatchObject({ msg: 'server listening', url: expect.stringMatching(/^http:/) });
    await stop(json);
  }, 150000);

  describe('a fatal start-up error', () => {
    let taken: Server;
    beforeAll(async () => {
      taken = createServer();
      await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
    });
    afterAll(async () => new Promise((resolve) => taken.close(resolve)));

    it('is the last line, says what to do, and the exporter exits 1 with no source having said anything', async () => {
      const port = String((taken.address() as { port: number }).port);
      const r = run([], env({ SWITCHBOARD_SERVER__PORT: port }));
      expect(await r.exit).toBe(1);
      const parsed = r.lines().map((l) => JSON.parse(l) as Line);
      const last = parsed.at(-1)!;
      expect(last).toMatchObject({ level: 60, err: expect.objectContaining({ code: 'EADDRINUSE' }) });
      expect(last.msg).toBe(`cannot listen on 127.0.0.1:${port}: the port is in use (another switchboard?); choose another with server.port or SWITCHBOARD_SERVER__PORT`);
      expect(parsed.filter((l) => /^source /.test(l.msg))).toEqual([]);
      expect(r.stderr()).toBe('');
    }, 90000);
  });
});
