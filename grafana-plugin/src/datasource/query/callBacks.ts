import type { ExporterClient, RequestOptions } from '../api/client';
import type { ApiCall, ApiParty } from '../api/types';
import { part } from './requests';
import { splitValues } from './values';

/** The calls a `callBack` query looks up, newest first: one request each, so a table of them stays small. */
export const MAX_CALL_BACKS = 50;
/** Requests in flight at once: the exporter's read budget is per client, and Grafana's server is one client. */
const PARALLEL = 4;

/** Who a missed call rang, and which of them a call back rings. */
export interface CallBack {
  /** The extensions the call rang at, in the order their phones started ringing. */
  rangAt: string[];
  /** The extension to ring for a call back; null when the call rang no extension (an IVR or a queue nobody was in). */
  from: string | null;
}

interface ApiLeg {
  party: ApiParty;
  role: 'extension' | 'trunk' | 'external';
  startedAt: string;
}

/**
 * The extension a call back rings: the one the dashboard is filtered to when the call rang it (its owner is
 * looking), else the first one the call rang (a direct call's only phone, a ring group's first member).
 */
export function callBackOf(legs: ApiLeg[], preferred: string[] = []): CallBack {
  const rangAt: string[] = [];
  legs
    .filter((l) => l.role === 'extension')
    .sort((a, b) => Date.parse(a.startedAt) - Date.parse(b.startedAt))
    .forEach((l) => rangAt.includes(l.party.number) || rangAt.push(l.party.number));
  const mine = preferred.find((e) => rangAt.includes(e));
  return { rangAt, from: mine ?? rangAt[0] ?? null };
}

/**
 * For the truly missed calls of a call list (inbound, nobody answered), the extensions each rang at, from the call's
 * full record: the list does not carry legs. At most MAX_CALL_BACKS calls, the newest; a record that cannot be read
 * leaves its call without a call back rather than failing the panel.
 */
export async function fetchCallBacks(
  client: ExporterClient,
  calls: ApiCall[],
  extensionFilter: string | undefined,
  opts: RequestOptions = {}
): Promise<Map<string, CallBack>> {
  const wanted = calls.filter((c) => c.trulyMissed === true && c.direction === 'inbound').slice(0, MAX_CALL_BACKS);
  const preferred = splitValues(extensionFilter);
  const out = new Map<string, CallBack>();
  let next = 0;
  const worker = async () => {
    for (let i = next++; i < wanted.length; i = next++) {
      const call = wanted[i];
      try {
        const detail = await client.get<ApiCall & { legs: ApiLeg[] }>(
          `/api/v1/calls/${encodeURIComponent(call.id)}`,
          undefined,
          part(opts, i)
        );
        out.set(call.id, callBackOf(detail.legs ?? [], preferred));
      } catch (err) {
        if (opts.signal?.aborted) {
          throw err;
        }
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(PARALLEL, wanted.length) }, () => worker()));
  return out;
}
