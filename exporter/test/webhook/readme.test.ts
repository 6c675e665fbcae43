import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { ingestServer, SECRET, type IngestServer } from './harness';

/** The README's webhook examples, run as written (only the secret and the address swapped for the test server's). */
describe('README webhook examples', () => {
  const readme = readFileSync(join(__dirname, '../../../README.md'), 'utf8');
  const block = (lang: string, marker: string): string => {
    const found = [...readme.matchAll(new RegExp('```' + lang + '\\n([\\s\\S]*?)```', 'g'))]
      .map((m) => m[1])
      .find((b) => b.includes(marker));
    if (!found) throw new Error(`no ${lang} block with ${marker} in the README`);
    return found;
  };
  let s: IngestServer;
  beforeAll(async () => {
    s = await ingestServer();
  });
  afterAll(async () => {
    await s.close();
  });

  it('the curl + openssl example is accepted', async () => {
    const script = block('sh', 'openssl dgst')
      .replace('$(cat /run/secrets/voicebot-webhook)', `'${SECRET}'`)
      .replace('http://127.0.0.1:10027/api/v1/ingest/voicebot', `${s.url}/api/v1/ingest/hooks`);
    // a child process of its own: the server answering it lives in this one
    const r = await promisify(execFile)('bash', ['-euo', 'pipefail', '-c', script], {
      encoding: 'utf8',
      timeout: 20_000,
    });
    expect(r.stderr).toBe('');
    expect(JSON.parse(r.stdout)).toEqual({ accepted: 1, rejected: [] });
  });

  it('the ten-line signer is accepted, and its idempotency key makes a retry harmless', async () => {
    const push = new Function('require', `${block('js', 'function push')}\nreturn push;`)(require) as (
      url: string,
      secret: string,
      events: unknown[],
      key?: string,
    ) => Promise<unknown>;
    const url = `${s.url}/api/v1/ingest/hooks`;
    const events = [
      {
        type: 'ring',
        call: 'readme-2',
        at: new Date().toISOString(),
        direction: 'internal',
        from: { number: '101' },
        to: { number: '102' },
      },
    ];
    expect(await push(url, SECRET, events, 'readme-2-ring')).toEqual({ accepted: 1, rejected: [] });
    expect(await push(url, SECRET, events, 'readme-2-ring')).toEqual({ accepted: 1, rejected: [] });
    await expect(push(url, 'wrong-secret', events)).rejects.toThrow(/^401: /);
  });
});
