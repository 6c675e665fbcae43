import { loadConfig } from '../../src/config/load';
import { fileWriter, problemsOf } from '../helpers/config';
import { tempDir } from '../helpers/tmp';

describe('3CX and webhook sources in the configuration', () => {
  const tmp = tempDir();
  afterAll(tmp.cleanup);
  const write = fileWriter(tmp.dir);

  it('a database source: defaults filled, the password read from its file', () => {
    const secret = write('db-password', 'hunter2-but-longer\n');
    const f = write(
      'ok.yml',
      `sources:\n  - name: office3cx\n    kind: 3cx\n    mode: database\n    database:\n      host: 127.0.0.1\n    databasePasswordFile: ${secret}\n`,
    );
    const { config } = loadConfig(f, {});
    expect(config.sources[0]).toMatchObject({
      kind: '3cx',
      mode: 'database',
      databasePassword: 'hunter2-but-longer',
      timezone: 'UTC',
      database: {
        host: '127.0.0.1',
        port: 5480,
        database: 'database_single',
        user: 'switchboard',
        table: 'cdroutput',
        pollSeconds: 30,
      },
      membership: { enabled: true, intervalSeconds: 60 },
    });
  });

  it('names what each mode still needs, and a bad zone or field list', () => {
    const f = write(
      'bad.yml',
      [
        'sources:',
        '  - { name: a, kind: 3cx, mode: activeSocket }',
        '  - { name: b, kind: 3cx, mode: database, database: { host: db } }',
        '  - { name: c, kind: 3cx, mode: file, file: { path: /x }, timezone: Mars/Olympus, fields: [historyid, duration] }',
        '  - { name: d, kind: 3cx, mode: passiveSocket, connect: { host: pbx, port: 5000 }, colour: red }',
      ].join('\n'),
    );
    expect(problemsOf(() => loadConfig(f, {}))).toEqual([
      'sources.0.listen: required when mode is activeSocket',
      'sources.1.databasePassword: required with database (or databasePasswordFile)',
      'sources.2.fields: time-start is required',
      'sources.2.fields: time-end is required',
      'sources.2.timezone: unknown time zone "Mars/Olympus"',
      'sources.3.colour: unknown key for kind "3cx"',
    ]);
    const hook = write('hook.yml', 'sources:\n  - { name: e, kind: webhook }\n');
    expect(problemsOf(() => loadConfig(hook, {}))).toEqual(['sources.0.secret: required (or secretFile)']);
  });
});
