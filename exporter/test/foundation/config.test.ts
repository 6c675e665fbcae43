import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { loadConfig } from '../../src/config/load';
import { DEFAULT_PORT } from '../../src/config/schema';
import { knownKinds } from '../../src/sources/registry';
import { fileWriter, problemsOf } from '../helpers/config';
import { tempDir } from '../helpers/tmp';

const CLI = join(__dirname, '../../src/cli.ts');
const TSX = require.resolve('tsx/cli');

describe('configuration', () => {
  const tmp = tempDir();
  afterAll(tmp.cleanup);
  const write = fileWriter(tmp.dir);

  it('runs on defaults with no file: default port, demo on auto, 90 days retention', () => {
    const { config } = loadConfig(undefined, {});
    expect(config.server.port).toBe(DEFAULT_PORT);
    expect(config.demo.enabled).toBe('auto');
    expect(config.store.retentionDays).toBe(90);
    expect(config.sources).toEqual([]);
  });

  it('names a missing required key', () => {
    const f = write('missing.yml', 'sources:\n  - name: pbx1\n    kind: ami\n    host: pbx.lan\n    secret: s\n');
    expect(problemsOf(() => loadConfig(f, {}))).toContain('sources.0.username: required key is missing');
  });

  it('names a key of the wrong type and shows the value', () => {
    const f = write('type.yml', 'server:\n  port: eighty\n');
    const problems = problemsOf(() => loadConfig(f, {}));
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/^server\.port: expected integer \(got "eighty"\)$/);
  });

  it('names an unknown key and the known one it most likely meant', () => {
    const f = write('unknown.yml', 'store:\n  retentionDayz: 30\nserver:\n  prot: 1\n  colour: red\n');
    expect(problemsOf(() => loadConfig(f, {}))).toEqual([
      'server.prot: unknown key; did you mean server.port?',
      // nothing close: no guess
      'server.colour: unknown key',
      'store.retentionDayz: unknown key; did you mean store.retentionDays?',
    ]);
  });

  it('lists the choices for a value that is not one of them, with the nearest', () => {
    const f = write('choice.yml', 'log:\n  level: inf\ndemo:\n  enabled: maybe\n');
    expect(problemsOf(() => loadConfig(f, {}))).toEqual([
      'log.level: expected "fatal", "error", "warn", "info", "debug", "trace" or "silent" (got "inf"); did you mean "info"?',
      'demo.enabled: expected true, false or "auto" (got "maybe")',
    ]);
  });

  it('names the environment variable a bad value came from, and the variable it most likely meant', () => {
    expect(problemsOf(() => loadConfig(undefined, { SWITCHBOARD_SERVER__PROT: '10028' }))).toEqual([
      'SWITCHBOARD_SERVER__PROT (server.prot): unknown key; did you mean SWITCHBOARD_SERVER__PORT?',
    ]);
    expect(problemsOf(() => loadConfig(undefined, { SWITCHBOARD_SERVE__PORT: '10028' }))).toEqual([
      'SWITCHBOARD_SERVE__PORT (serve): unknown key; did you mean SWITCHBOARD_SERVER__PORT?',
    ]);
    expect(problemsOf(() => loadConfig(undefined, { SWITCHBOARD_STORE__RETENTIONDAYS: '30' }))).toEqual([
      'SWITCHBOARD_STORE__RETENTIONDAYS (store.retentiondays): unknown key; did you mean SWITCHBOARD_STORE__RETENTION_DAYS?',
    ]);
    expect(problemsOf(() => loadConfig(undefined, { SWITCHBOARD_SERVER__PORT: 'eighty' }))).toEqual([
      'SWITCHBOARD_SERVER__PORT (server.port): expected integer (got "eighty")',
    ]);
    const source = { SWITCHBOARD_SOURCES__0__NAME: 'pbx', SWITCHBOARD_SOURCES__0__KIND: 'ami', SWITCHBOARD_SOURCES__0__HOST: 'h', SWITCHBOARD_SOURCES__0__USERNAME: 'u', SWITCHBOARD_SOURCES__0__SECRET: 's' };
    expect(problemsOf(() => loadConfig(undefined, { ...source, SWITCHBOARD_SOURCES__0__PROT: '5038' }))).toEqual([
      'SWITCHBOARD_SOURCES__0__PROT (sources.0.prot): unknown key for kind "ami"; did you mean SWITCHBOARD_SOURCES__0__PORT?',
    ]);
    // a key from the file stays a key path, next to one from the environment
    const f = write('mixed.yml', 'server:\n  prot: 1\n');
    expect(problemsOf(() => loadConfig(f, { SWITCHBOARD_LOG__LEVL: 'debug' }))).toEqual([
      'server.prot: unknown key; did you mean server.port?',
      'SWITCHBOARD_LOG__LEVL (log.levl): unknown key; did you mean SWITCHBOARD_LOG__LEVEL?',
    ]);
  });

  it('never shows a secret in a problem, only its length', () => {
    const problems = problemsOf(() =>
      loadConfig(undefined, { SWITCHBOARD_AUTH__TOKENS__0__NAME: 'grafana', SWITCHBOARD_AUTH__TOKENS__0__TOKEN: 'hunter2-secret' }),
    );
    expect(problems).toEqual(['SWITCHBOARD_AUTH__TOKENS__0__TOKEN (auth.tokens.0.token): must be at least 16 characters (got 14 characters)']);
  });

  it('reports invalid YAML with its line and column, the parser\'s excerpt below, nothing dangling', () => {
    const f = write('bad.yml', 'server:\n  port: 1\na: b: c\n');
    const [problem] = problemsOf(() => loadConfig(f, {}));
    const [first, ...excerpt] = problem.split('\n');
    expect(first).toBe(`${f}, line 3, column 4: not valid YAML: Nested mappings are not allowed in compact mappings`);
    expect(excerpt).toEqual(['      a: b: c', '         ^']);
  });

  it('applies SWITCHBOARD_* overrides with types, including array entries', () => {
    const secret = write('ami.secret', 'hunter2\n');
    const { config, fromEnv } = loadConfig(undefined, {
      SWITCHBOARD_SERVER__PORT: '9999',
      SWITCHBOARD_STORE__RETENTION_DAYS: '30',
      SWITCHBOARD_SOURCES__0__NAME: 'office',
      SWITCHBOARD_SOURCES__0__KIND: 'ami',
      SWITCHBOARD_SOURCES__0__HOST: 'pbx.lan',
      SWITCHBOARD_SOURCES__0__USERNAME: 'switchboard',
      SWITCHBOARD_SOURCES__0__SECRET_FILE: secret,
    });
    expect(config.server.port).toBe(9999);
    expect(config.store.retentionDays).toBe(30);
    expect(config.sources[0]).toMatchObject({ name: 'office', host: 'pbx.lan', port: 5038, secret: 'hunter2' });
    expect(fromEnv).toContain('store.retentionDays');
  });

  it('rejects a secret given twice and an unreadable secret file', () => {
    const f = write(
      'secrets.yml',
      'sources:\n  - {name: a, kind: ami, host: h, username: u, secret: x, secretFile: /nonexistent}\n' +
        '  - {name: b, kind: ami, host: h, username: u, secretFile: /nonexistent/secret}\n',
    );
    const problems = problemsOf(() => loadConfig(f, {}));
    expect(problems).toContain('sources.0.secret: give either secret or secretFile, not both');
    expect(problems).toContain('sources.1.secretFile: cannot read /nonexistent/secret (ENOENT)');
  });

  it('rejects an unknown time zone and duplicate source names', () => {
    const f = write(
      'tz.yml',
      'businessHours: {timezone: Mars/Olympus}\nsources:\n' +
        '  - {name: a, kind: ami, host: h, username: u, secret: x}\n  - {name: a, kind: ami, host: h, username: u, secret: x}\n',
    );
    const problems = problemsOf(() => loadConfig(f, {}));
    expect(problems).toContain('businessHours.timezone: unknown time zone "Mars/Olympus"');
    expect(problems).toContain('sources.1.name: duplicate source name "a"');
  });

  it('checks each source against its own kind: an unknown kind names the known ones, a foreign key names its kind', () => {
    const f = write(
      'kinds.yml',
      'sources:\n' +
        '  - {name: a, kind: fax, host: h}\n' +
        '  - {name: b, host: h}\n' +
        '  - {name: c, kind: ami, host: h, username: u, secret: x, token: t, port: ninety}\n' +
        '  - just a string\n',
    );
    const known = `known kinds: ${knownKinds().join(', ')}`;
    expect(known).toContain('ami');
    expect(problemsOf(() => loadConfig(f, {}))).toEqual([
      `sources.0.kind: unknown kind "fax" (${known})`,
      `sources.1.kind: required key is missing (${known})`,
      'sources.2.token: unknown key for kind "ami"',
      'sources.2.port: expected integer (got "ninety")',
      'sources.3: expected a mapping with name and kind (got "just a string")',
    ]);
  });

  it('fills a source with its kind\'s defaults and requires its secret', () => {
    const ok = write('ami.yml', 'sources:\n  - {name: office, kind: ami, host: pbx.lan, username: u, secret: s}\n');
    expect(loadConfig(ok, {}).config.sources[0]).toEqual({
      name: 'office',
      kind: 'ami',
      host: 'pbx.lan',
      username: 'u',
      secret: 's',
      port: 5038,
      pingIntervalSeconds: 20,
      actionTimeoutSeconds: 10,
      reconnectMaxSeconds: 60,
      trunks: { endpoints: ['trunk*', '*trunk*'], contexts: ['from-pstn', 'from-trunk', 'from-carrier'] },
      control: { context: 'from-internal', channel: 'PJSIP/{extension}', ringSeconds: 30 },
    });
    const noSecret = write('nosecret.yml', 'sources:\n  - {name: office, kind: ami, host: pbx.lan, username: u}\n');
    expect(problemsOf(() => loadConfig(noSecret, {}))).toEqual(['sources.0.secret: required (or secretFile)']);
  });

  it('the CLI exits 2 with the key named and no stack trace', () => {
    const f = write('cli.yml', 'server:\n  port: eighty\n  prot: 1\nsources:\n  - {name: a, kind: nfonx}\n');
    const r = spawnSync(process.execPath, [TSX, CLI, '--config', f], { encoding: 'utf8', timeout: 20000 });
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('server.port: expected integer');
    expect(r.stderr).toContain('server.prot: unknown key; did you mean server.port?');
    expect(r.stderr).toContain(`  - sources.0.kind: unknown kind "nfonx" (known kinds: ${knownKinds().join(', ')})\n`);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  it('the CLI prints --version and --help, and rejects an unknown flag with exit 2', () => {
    const v = spawnSync(process.execPath, [TSX, CLI, '--version'], { encoding: 'utf8', timeout: 20000 });
    expect(v.status).toBe(0);
    expect(v.stdout.trim()).toMatch(/^\d+\.\d+\.\d+/);
    const h = spawnSync(process.execPath, [TSX, CLI, '--help'], { encoding: 'utf8', timeout: 20000 });
    expect(h.stdout).toContain('--config FILE');
    const bad = spawnSync(process.execPath, [TSX, CLI, '--nope'], { encoding: 'utf8', timeout: 20000 });
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain("Unknown option '--nope'");
  });
});
