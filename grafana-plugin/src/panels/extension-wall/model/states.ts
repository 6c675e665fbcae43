import { EXTENSION_STATE_DEFAULTS, type ExtensionState } from '../../../shared/extensionStates';
import type { WallIconName } from '../components/icons';

export type { ExtensionState };

export interface StateInfo {
  /** The default word; the panel's value mappings may say another. */
  label: string;
  /** The default colour, a Grafana palette name; the panel's value mappings may choose another. */
  color: string;
  /** Grafana's icon of that name (Unicons), or `phone`, a handset. */
  icon: WallIconName;
  /** Sort rank for `sortBy: state`: what needs eyes first. */
  rank: number;
  /** Whether the card shows the running call time. */
  inCall: boolean;
  /** Two or three letters for the smallest tiles, where the full word does not fit. */
  short: string;
}

const d = EXTENSION_STATE_DEFAULTS;

export const STATES: Record<ExtensionState, StateInfo> = {
  ringing: { ...d.ringing, icon: 'bell', rank: 0, inCall: true, short: 'RING' },
  in_call: { ...d.in_call, icon: 'phone', rank: 1, inCall: true, short: 'CALL' },
  on_hold: { ...d.on_hold, icon: 'pause', rank: 2, inCall: true, short: 'HOLD' },
  busy: { ...d.busy, icon: 'minus-circle', rank: 3, inCall: true, short: 'BUSY' },
  idle: { ...d.idle, icon: 'check-circle', rank: 4, inCall: false, short: 'IDLE' },
  dnd: { ...d.dnd, icon: 'bell-slash', rank: 5, inCall: false, short: 'DND' },
  unavailable: { ...d.unavailable, icon: 'plug', rank: 6, inCall: false, short: 'OFF' },
  unknown: { ...d.unknown, icon: 'question-circle', rank: 7, inCall: false, short: '?' },
};

export const STATE_ORDER = (Object.keys(STATES) as ExtensionState[]).sort((a, b) => STATES[a].rank - STATES[b].rank);

const ALIASES: Record<string, ExtensionState> = {
  incall: 'in_call',
  'in-call': 'in_call',
  in_use: 'in_call',
  inuse: 'in_call',
  talking: 'in_call',
  onhold: 'on_hold',
  'on-hold': 'on_hold',
  hold: 'on_hold',
  ring: 'ringing',
  free: 'idle',
  available: 'idle',
  not_registered: 'unavailable',
  unregistered: 'unavailable',
  offline: 'unavailable',
  donotdisturb: 'dnd',
};

/** Any source's state string → one of ours; unknown spellings become `unknown`, never a crash. */
export function normalizeState(value: unknown): ExtensionState {
  const s = String(value ?? '')
    .trim()
    .toLowerCase()
    .replace(/\s+/g, '_');
  if (s in STATES) {
    return s as ExtensionState;
  }
  return ALIASES[s] ?? 'unknown';
}
