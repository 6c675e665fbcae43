import type { Config } from './schema';

/** The demo PBX runs when asked for, or on `auto` when no source is configured. */
export function demoWanted(config: Config): boolean {
  return config.demo.enabled === true || (config.demo.enabled === 'auto' && config.sources.length === 0);
}

/** The `pbx` labels of the demo PBXs `demo.kinds` asks for: `demo` (AMI) and `demo-nfon` (NFON) by default names. */
export function demoPbxNames(config: Config): string[] {
  return config.demo.kinds.map((kind) => (kind === 'ami' ? config.demo.name : `${config.demo.name}-${kind}`));
}
