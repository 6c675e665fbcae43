import { Value } from '@sinclair/typebox/value';
import { sourceKind } from './registry';
import { SourceRuntime, type RuntimeDeps, type RuntimeOptions } from './runtime/runtime';

/**
 * The source for one `sources` entry: its kind's driver on the shared runtime. The entry has passed config loading
 * (sources from code get their kind's defaults here); an entry that does not fit its kind is a programming error.
 */
export function createSource(entry: { name: string; kind: string; [key: string]: unknown }, deps: RuntimeDeps, opts?: RuntimeOptions): SourceRuntime {
  const def = sourceKind(entry.kind);
  if (!def) throw new Error(`unknown source kind "${entry.kind}"`);
  const config = Value.Default(def.schema, structuredClone(entry));
  if (!Value.Check(def.schema, config)) throw new Error(`source "${entry.name}" does not fit kind "${entry.kind}"`);
  return new SourceRuntime({ pbx: entry.name, kind: def.kind, capabilities: def.capabilities }, deps, (ctx) => def.create(config, ctx), opts);
}
