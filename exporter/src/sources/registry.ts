import { threeCx } from './3cx';
import { ami } from './ami';
import { nfon } from './nfon';
import { webhook } from './webhook';
import type { SourceKindDef } from './runtime/kind';

/** Every source kind, one line each: adding a kind is its own folder and one line here. */
export const SOURCE_KINDS: readonly SourceKindDef[] = [
  ami,
  nfon,
  threeCx,
  webhook,
];

export function sourceKind(kind: string): SourceKindDef | undefined {
  return SOURCE_KINDS.find((k) => k.kind === kind);
}

export function knownKinds(): string[] {
  return SOURCE_KINDS.map((k) => k.kind);
}
