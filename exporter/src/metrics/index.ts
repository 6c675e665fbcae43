import { Gauge, Registry, collectDefaultMetrics } from 'prom-client';
import { VERSION } from '../version';

/** The exporter's metric registry. (Minimal for now: process metrics and build info.) */
export function createMetrics(): { registry: Registry } {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const build = new Gauge({
    name: 'switchboard_build_info',
    help: 'Switchboard exporter build information, always 1',
    labelNames: ['version', 'node'],
    registers: [registry],
  });
  build.set({ version: VERSION, node: process.version }, 1);
  return { registry };
}
