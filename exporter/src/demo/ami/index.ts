import type { Logger } from 'pino';
import { demoActions } from './actions';
import { AmiServer } from './ami-server';
import { controlActions } from './control';
import { SimPbx } from './pbx';
import { Traffic } from './traffic';

export interface AmiDemo {
  port: number;
  username: string;
  secret: string;
  stop(): Promise<void>;
  /** false: close the AMI listener and drop every session (the PBX is unreachable); true: listen again, same port */
  setOnline(online: boolean): Promise<void>;
}

export interface AmiDemoOptions {
  host?: string;
  port?: number;
  /** traffic rate multiplier (1 = a few calls a minute) */
  speed?: number;
  log: Logger;
  /** seeded dice for reproducible traffic (tests) */
  random?: () => number;
  /** false: no calls but those call control starts (tests); default true */
  traffic?: boolean;
}

/**
 * The built-in demo PBX: a simulated small office behind a real AMI listener on loopback. The exporter connects to it
 * like to any Asterisk, so everything downstream (correlation, store, metrics, API, panel) runs on real code paths.
 */
export async function startAmiDemo(opts: AmiDemoOptions): Promise<AmiDemo> {
  const username = 'switchboard-demo';
  const secret = `demo-${Math.random().toString(36).slice(2, 12)}`;
  // the simulation only emits once traffic starts, after the server exists
  const pbx = new SimPbx((frame) => server.broadcast(frame));
  // call control plays its scripts on the traffic's clock; actions only run once a session exists, after it is made
  const control = controlActions(pbx, (script) => traffic.play(script));
  const server = new AmiServer({ host: opts.host ?? '127.0.0.1', port: opts.port ?? 0, username, secret, actions: { ...demoActions(pbx), ...control } });
  const traffic = new Traffic(pbx, opts.speed ?? 1, opts.log, opts.random);
  let started = false;
  server.on('login', (session) => {
    session.send({ Event: 'FullyBooted', Privilege: 'system,all', Uptime: Math.floor((Date.now() - pbx.startedAt) / 1000), LastReload: Math.floor((Date.now() - pbx.startedAt) / 1000), Status: 'Fully Booted' });
    // the day (and its opening tour) starts when the first client is listening, so the tour's calls are seen whole
    if (!started) {
      started = true;
      traffic.start(opts.traffic ?? true);
    }
  });
  const port = await server.listen();
  opts.log.debug({ port }, 'demo PBX listening');
  return {
    port,
    username,
    secret,
    async stop() {
      traffic.stop();
      await server.close();
    },
    async setOnline(online: boolean) {
      if (online) await server.listen();
      else await server.close();
      opts.log.info({ online }, online ? 'demo PBX back online' : 'demo PBX offline');
    },
  };
}
