import { loadConfig } from '../../src/config/load';
import { fileWriter, problemsOf } from '../helpers/config';
import { tempDir } from '../helpers/tmp';

describe('sinks in the configuration', () => {
  const tmp = tempDir();
  afterAll(tmp.cleanup);
  const write = fileWriter(tmp.dir);

  it('fills the defaults and reads the secret from its file', () => {
    const secret = write('sink-secret', 'a-signing-secret-of-some-length\n');
    const f = write('ok.yml', `sinks:\n  - { name: crm, url: "https://crm.example/hook", secretFile: ${secret} }\n`);
    expect(loadConfig(f, {}).config.sinks).toEqual([
      expect.objectContaining({
        name: 'crm',
        secret: 'a-signing-secret-of-some-length',
        events: ['call'],
        pbx: [],
        headers: {},
        timeoutSeconds: 10,
        retryMinSeconds: 1,
        retryMaxSeconds: 600,
        maxAgeHours: 72,
        maxPending: 10_000,
      }),
    ]);
  });

  it('names what is wrong', () => {
    const f = write(
      'bad.yml',
      [
        'sinks:',
        '  - { name: crm, url: "https://crm.example/hook" }',
        '  - { name: crm, url: "https://crm.example/other", secret: short }',
        '  - { name: b, url: "https://b.example/", secret: "0123456789abcdefgh", retryMinSeconds: 60, retryMaxSeconds: 10 }',
      ].join('\n'),
    );
    expect(problemsOf(() => loadConfig(f, {}))).toEqual([
      'sinks.0.secret: required (or secretFile): deliveries are signed',
      'sinks.1.name: "crm" is used twice',
      'sinks.1.secret: must be at least 16 characters',
      'sinks.2.retryMaxSeconds: smaller than retryMinSeconds',
    ]);
    const schema = write(
      'schema.yml',
      'sinks:\n  - { name: x, url: "ftp://x", secret: "0123456789abcdefgh", events: [calls] }\n',
    );
    expect(() => loadConfig(schema, {})).toThrow(/sinks\.0\.url|sinks\.0\.events/);
  });
});
