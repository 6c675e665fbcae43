import type { DataFrame, Field } from '@grafana/data';

/**
 * The field contract (README "Field contract"): the panel looks fields up by name, so any data source whose
 * frames use these names (or the aliases) feeds it. Matching ignores case, `_` and `-`.
 */
export const EXTENSION_FIELDS = {
  extension: ['extension', 'ext', 'number', 'exten'],
  name: ['name', 'displayname', 'callerid', 'label'],
  state: ['state', 'status', 'presence'],
  registered: ['registered', 'reg'],
  dnd: ['dnd', 'donotdisturb'],
  counterpart: ['counterpart', 'peer', 'remote', 'connectedline'],
  counterpartName: ['counterpartname', 'peername', 'remotename', 'connectedlinename'],
  callStartedAt: ['callstartedat', 'callstart', 'since'],
  idleSince: ['idlesince', 'lastcallendedat', 'lastcall'],
  queues: ['queues', 'queue', 'groups'],
  pausedQueues: ['pausedqueues', 'pausedin'],
  voicemailNew: ['voicemailnew', 'voicemail', 'vmnew', 'newmessages'],
  userStatus: ['userstatus', 'presencestatus'],
  userStatusMessage: ['userstatusmessage', 'statusmessage', 'presencemessage'],
  pbx: ['pbx', 'source', 'instance'],
  stale: ['stale'],
  staleSince: ['stalesince'],
} as const;

export const CALL_FIELDS = {
  id: ['id', 'callid'],
  startedAt: ['startedat', 'start', 'time'],
  answeredAt: ['answeredat'],
  from: ['from', 'caller', 'src'],
  fromName: ['fromname', 'callername', 'srcname'],
  to: ['to', 'callee', 'dst'],
  toName: ['toname', 'calleename', 'dstname'],
  answeredBy: ['answeredby'],
  answeredByName: ['answeredbyname'],
  direction: ['direction'],
  queue: ['queue'],
  pbx: ['pbx', 'source'],
  status: ['status'],
  stale: ['stale'],
  staleSince: ['stalesince'],
} as const;

const norm = (s: string) => s.toLowerCase().replace(/[_\-\s]/g, '');

export type Lookup<K extends string> = Partial<Record<K, Field>>;

/** Fields of one frame by contract key; the first alias present wins. */
export function lookup<K extends string>(frame: DataFrame, contract: Record<K, readonly string[]>): Lookup<K> {
  const byName = new Map<string, Field>();
  for (const field of frame.fields) {
    const key = norm(field.name);
    if (!byName.has(key)) {
      byName.set(key, field);
    }
  }
  const out: Lookup<K> = {};
  for (const key of Object.keys(contract) as K[]) {
    for (const alias of contract[key]) {
      const f = byName.get(alias);
      if (f) {
        out[key] = f;
        break;
      }
    }
  }
  return out;
}

export function str(field: Field | undefined, i: number): string | undefined {
  const v = field?.values[i];
  if (v === null || v === undefined || v === '') {
    return undefined;
  }
  return String(v);
}

export function num(field: Field | undefined, i: number): number | undefined {
  const v = field?.values[i];
  if (v === null || v === undefined || v === '') {
    return undefined;
  }
  const n = Number(v);
  return Number.isFinite(n) ? n : undefined;
}

export function bool(field: Field | undefined, i: number): boolean | undefined {
  const v = field?.values[i];
  if (v === null || v === undefined) {
    return undefined;
  }
  if (typeof v === 'string') {
    return ['true', '1', 'yes', 'y'].includes(v.toLowerCase());
  }
  return Boolean(v);
}

/** Epoch ms from a time field (ms), an ISO string, or seconds-looking numbers (< 1e11). */
export function time(field: Field | undefined, i: number): number | undefined {
  const v = field?.values[i];
  if (v === null || v === undefined || v === '') {
    return undefined;
  }
  if (typeof v === 'number') {
    return v < 1e11 ? v * 1000 : v;
  }
  if (v instanceof Date) {
    return v.getTime();
  }
  const s = String(v);
  const t = /^\d+$/.test(s) ? Number(s) : Date.parse(s);
  return Number.isNaN(t) ? undefined : t < 1e11 ? t * 1000 : t;
}

/** A list from an array field, a JSON array string, or a comma-separated string. */
export function list(field: Field | undefined, i: number): string[] {
  const v = field?.values[i];
  if (v === null || v === undefined || v === '') {
    return [];
  }
  if (Array.isArray(v)) {
    return v.map((x) => (typeof x === 'object' && x && 'queue' in x ? String(x.queue) : String(x))).filter(Boolean);
  }
  const s = String(v).trim();
  if (s.startsWith('[')) {
    try {
      const parsed = JSON.parse(s);
      if (Array.isArray(parsed)) {
        return parsed.map(String);
      }
    } catch {
      // fall through to CSV
    }
  }
  return s
    .split(',')
    .map((x) => x.trim())
    .filter(Boolean);
}
