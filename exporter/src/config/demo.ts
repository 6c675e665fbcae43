import type { Config } from './schema';

/** The demo PBX runs when asked for, or on `auto` when no source is configured. */
export function demoWanted(config: Config): boolean {
  return config.demo.enabled === true || (config.demo.enabled === 'auto' && config.sources.length === 0);
}
