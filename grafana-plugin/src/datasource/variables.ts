import type { MetricFindValue } from '@grafana/data';
import type { ApiExtension, ApiQueue, ApiTrunk } from './api/types';
import type { Collection } from './live/liveState';
import { splitValues } from './query/values';
import type { PbxVariableQuery } from './types';

const KINDS: Array<PbxVariableQuery['kind']> = ['extensions', 'queues', 'pbx', 'trunks'];

/**
 * A variable query: the editor's object, or a string such as `extensions`, `queues pbx=main` (handy in
 * provisioned dashboards). Anything else is a clear error, not an empty list.
 */
export function parseVariableQuery(query: PbxVariableQuery | string): PbxVariableQuery {
  if (typeof query !== 'string') {
    if (!KINDS.includes(query?.kind)) {
      throw new Error(`Variable query kind must be one of ${KINDS.join(', ')}`);
    }
    return query;
  }
  const [head, ...rest] = query.trim().split(/\s+/);
  const kind = (head || 'extensions').toLowerCase() as PbxVariableQuery['kind'];
  if (!KINDS.includes(kind)) {
    throw new Error(`Unknown variable query "${query}": use ${KINDS.join(', ')} (optionally "pbx=<name>")`);
  }
  const pbx = rest.find((r) => r.startsWith('pbx='))?.slice(4);
  return { refId: 'variable', kind, pbx };
}

const numeric = (a: MetricFindValue, b: MetricFindValue) =>
  String(a.value).localeCompare(String(b.value), undefined, { numeric: true });

function unique(values: MetricFindValue[]): MetricFindValue[] {
  const seen = new Map<string, MetricFindValue>();
  values.forEach((v) => seen.set(String(v.value), seen.get(String(v.value)) ?? v));
  return Array.from(seen.values()).sort(numeric);
}

export async function findValues(
  query: PbxVariableQuery,
  fetchCollection: (c: Collection) => Promise<unknown[]>
): Promise<MetricFindValue[]> {
  const pbx = splitValues(query.pbx);
  const inPbx = (p: string | null | undefined) =>
    pbx.length === 0 || (p !== null && p !== undefined && pbx.includes(p));
  switch (query.kind) {
    case 'extensions': {
      const items = (await fetchCollection('extensions')) as ApiExtension[];
      return unique(
        items
          .filter((e) => inPbx(e.pbx))
          .map((e) => ({ text: e.name ? `${e.extension} ${e.name}` : e.extension, value: e.extension }))
      );
    }
    case 'queues': {
      const items = (await fetchCollection('queues')) as ApiQueue[];
      return unique(items.filter((q) => inPbx(q.pbx)).map((q) => ({ text: q.queue, value: q.queue })));
    }
    case 'trunks': {
      const items = (await fetchCollection('trunks')) as ApiTrunk[];
      return unique(items.filter((t) => inPbx(t.pbx)).map((t) => ({ text: t.trunk, value: t.trunk })));
    }
    case 'pbx': {
      const [ext, queues, trunks] = await Promise.all([
        fetchCollection('extensions') as Promise<ApiExtension[]>,
        fetchCollection('queues') as Promise<ApiQueue[]>,
        fetchCollection('trunks') as Promise<ApiTrunk[]>,
      ]);
      return unique(
        [...ext, ...queues, ...trunks]
          .map((x) => x.pbx)
          .filter(Boolean)
          .map((p) => ({ text: p, value: p }))
      );
    }
  }
}
