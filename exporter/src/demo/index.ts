import type { Logger } from 'pino';
import { demoPbxNames, demoWanted } from '../config/demo';
import type { Config, SourceEntry } from '../config/schema';
import { startAmiDemo } from './ami';
import { startNfonDemo } from './nfon';

/**
 * The demo: fake PBXs on loopback that the exporter's ordinary sources connect to, so every code path downstream is
 * the real one. A demo is not a source kind; it is a PBX.
 */
export interface Demo {
  /** the `sources` entries that connect to the demo PBXs */
  sources: SourceEntry[];
  /** false: the PBXs become unreachable (listeners closed, sessions dropped); true: back, same ports */
  setOnline(online: boolean): Promise<void>;
  stop(): Promise<void>;
}

/** Starts the demo PBXs the config asks for (`demo.kinds`); undefined when no demo is wanted. */
export async function startDemo(config: Config, log: Logger): Promise<Demo | undefined> {
  if (!demoWanted(config)) return undefined;
  const sources: SourceEntry[] = [];
  const pbxs: Pick<Demo, 'setOnline' | 'stop'>[] = [];
  if (config.demo.kinds.includes('ami')) {
    const ami = await startAmiDemo({ host: '127.0.0.1', port: 0, speed: config.demo.speed, log: log.child({ component: 'demo-pbx' }) });
    log.info({ port: ami.port }, 'no PBX configured: demo PBX started on loopback');
    // the schema's defaults for everything else; a demo PBX switched back online is reconnected within seconds
    sources.push({ name: config.demo.name, kind: 'ami', host: '127.0.0.1', port: ami.port, username: ami.username, secret: ami.secret, reconnectMaxSeconds: 5 });
    pbxs.push(ami);
  }
  if (config.demo.kinds.includes('nfon')) {
    const nfon = await startNfonDemo({ host: '127.0.0.1', port: 0, speed: config.demo.speed, log: log.child({ component: 'demo-nfon' }) });
    log.info({ url: nfon.url }, 'demo NFON PBX (fake CTI API) started on loopback');
    sources.push({
      name: demoPbxNames(config)[config.demo.kinds.indexOf('nfon')]!,
      kind: 'nfon',
      url: nfon.url,
      account: nfon.account,
      username: nfon.username,
      password: nfon.password,
      headlineNumbers: nfon.headlineNumbers,
      reconnectMaxSeconds: 5,
    } as SourceEntry);
    pbxs.push(nfon);
  }
  return {
    sources,
    setOnline: async (online) => {
      await Promise.all(pbxs.map((p) => p.setOnline(online)));
    },
    stop: async () => {
      await Promise.all(pbxs.map((p) => p.stop()));
    },
  };
}
