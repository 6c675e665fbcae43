import { InputRejected } from '../runtime/context';

/** The call states of NFON's `call` object (spec 1.0.1). The monitoring stream sends dial / ring / answer / hangup. */
export const CALL_STATES = ['start', 'caller-wait', 'caller-dial', 'caller-ring', 'caller-answer', 'dial', 'ring', 'answer', 'hangup', 'end'] as const;
export type CallState = (typeof CALL_STATES)[number];

/** One SSE event of `GET /extensions/phone/calls`: one call's state change, seen from `extension`. */
export interface NfonCall {
  uuid: string;
  state: CallState;
  caller: string;
  caller_context: string;
  callee: string;
  callee_context: string;
  /** from the perspective of `extension` */
  direction: 'inbound' | 'outbound';
  extension: string;
  customer?: string;
  updated?: string;
}

export const LINES = ['unknown', 'offline', 'idle', 'ringing', 'in-use'] as const;
export const PRESENCES = ['offline', 'available', 'away', 'busy', 'dnd', 'null'] as const;

/** One SSE event of `GET /extensions/phone/states`. */
export interface NfonState {
  customer?: string;
  extension: string;
  line: (typeof LINES)[number];
  presence?: (typeof PRESENCES)[number];
  updated?: string;
}

/** One entry of `GET /extensions/phone/data`. */
export interface NfonExtension {
  uuid?: string;
  extension_number: string;
  name?: string;
}

function object(data: string, what: string): Record<string, unknown> {
  let v: unknown;
  try {
    v = JSON.parse(data);
  } catch {
    throw new InputRejected('malformed data', `${what}: data is not JSON: ${data.slice(0, 120)}`);
  }
  if (!v || typeof v !== 'object' || Array.isArray(v)) throw new InputRejected('malformed data', `${what}: data is not a JSON object`);
  return v as Record<string, unknown>;
}

function text(o: Record<string, unknown>, key: string, what: string, required = true): string | undefined {
  const v = o[key];
  if (v === undefined || v === null) {
    if (required) throw new InputRejected('malformed data', `${what}: "${key}" is missing`);
    return undefined;
  }
  if (typeof v !== 'string') throw new InputRejected('malformed data', `${what}: "${key}" is not a string`);
  return v;
}

function oneOf<T extends string>(v: string | undefined, allowed: readonly T[], key: string, what: string): T {
  if (!(allowed as readonly string[]).includes(v ?? '')) throw new InputRejected('malformed data', `${what}: "${key}" is "${v}", not one of ${allowed.join(', ')}`);
  return v as T;
}

/** The `data:` of a call event; anything that is not one is an InputRejected (counted, never a crash). */
export function parseCall(data: string): NfonCall {
  const o = object(data, 'call event');
  const w = 'call event';
  const ev: NfonCall = {
    uuid: text(o, 'uuid', w)!,
    state: oneOf(text(o, 'state', w), CALL_STATES, 'state', w),
    caller: text(o, 'caller', w, false) ?? '',
    caller_context: text(o, 'caller_context', w, false) ?? '',
    callee: text(o, 'callee', w, false) ?? '',
    callee_context: text(o, 'callee_context', w, false) ?? '',
    direction: oneOf(text(o, 'direction', w), ['inbound', 'outbound'] as const, 'direction', w),
    extension: text(o, 'extension', w)!,
  };
  if (!ev.uuid) throw new InputRejected('malformed data', 'call event: "uuid" is empty');
  const customer = text(o, 'customer', w, false);
  if (customer) ev.customer = customer;
  const updated = text(o, 'updated', w, false);
  if (updated) ev.updated = updated;
  return ev;
}

/** The `data:` of a state event. */
export function parseState(data: string): NfonState {
  const o = object(data, 'state event');
  const w = 'state event';
  const st: NfonState = { extension: text(o, 'extension', w)!, line: oneOf(text(o, 'line', w), LINES, 'line', w) };
  if (!st.extension) throw new InputRejected('malformed data', 'state event: "extension" is empty');
  const presence = text(o, 'presence', w, false);
  if (presence !== undefined) st.presence = oneOf(presence, PRESENCES, 'presence', w);
  const customer = text(o, 'customer', w, false);
  if (customer) st.customer = customer;
  const updated = text(o, 'updated', w, false);
  if (updated) st.updated = updated;
  return st;
}

/** NFON's RFC 3339 times carry nanoseconds; Date.parse keeps the milliseconds. Undefined when absent or no time. */
export function eventTime(updated: string | undefined): number | undefined {
  if (!updated) return undefined;
  const ms = Date.parse(updated);
  return Number.isFinite(ms) ? ms : undefined;
}
