import type { Logger } from 'pino';
import { demoWanted } from '../config/demo';
import type { Config, SourceEntry } from '../config/schema';
import { startAmiDemo } from './ami';

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

/** Starts the demo PBXs the config asks for (an AMI PBX today); undefined when no demo is wanted. */
export async function startDemo(config: Config, log: Logger): Promise<Demo | undefined> {
  if (!demoWanted(config)) return undefined;
  const ami = await startAmiDemo({ host: '127.0.0.1', port: 0, speed: config.demo.speed, log: log.child({ component: 'demo-pbx' }) });
  log.info({ port: ami.port }, 'no PBX configured: demo PBX started on loopback');
  return {
    sources: [
      // the schema's defaults for everything else; a demo PBX switched back online is reconnected within seconds
      { name: config.demo.name, kind: 'ami', host: '127.0.0.1', port: ami.port, username: ami.username, secret: ami.secret, reconnectMaxSeconds: 5 },
    ],
    setOnline: (online) => ami.setOnline(online),
    stop: () => ami.stop(),
  };
}
