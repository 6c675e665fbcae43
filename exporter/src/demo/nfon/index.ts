import type { Logger } from 'pino';
import { ACCOUNT, HEADLINES, NfonOffice, PEOPLE } from './office';
import { FakeNfon } from './server';

export interface NfonDemo {
  /** the fake CTI API itself (tests reach into it) */
  fake: FakeNfon;
  /** the fake CTI API's base URL: a `kind: nfon` source's `url` */
  url: string;
  account: string;
  username: string;
  password: string;
  headlineNumbers: Record<string, string>;
  setOnline(online: boolean): Promise<void>;
  stop(): Promise<void>;
}

/**
 * The NFON demo PBX: the fake CTI API (real HTTP + SSE on loopback) with a small office making calls on it. The
 * exporter's ordinary `kind: nfon` source connects to it, so the wall shows a second PBX of a second kind.
 */
export async function startNfonDemo(opts: { host?: string; port?: number; speed?: number; log: Logger; random?: () => number }): Promise<NfonDemo> {
  const password = `demo-${Math.random().toString(36).slice(2, 12)}`;
  const fake = new FakeNfon({ host: opts.host ?? '127.0.0.1', port: opts.port ?? 0, account: ACCOUNT, username: 'switchboard-demo', password, extensions: PEOPLE });
  await fake.start();
  const office = new NfonOffice(fake, opts.speed ?? 1, opts.log, opts.random);
  office.start();
  return {
    fake,
    url: fake.url,
    account: fake.account,
    username: fake.username,
    password,
    headlineNumbers: HEADLINES,
    setOnline: (online) => fake.setOnline(online),
    async stop() {
      office.stop();
      await fake.stop();
    },
  };
}
