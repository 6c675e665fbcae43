import type { WallIconName } from '../components/icons';

export type ExtensionState = 'idle' | 'ringing' | 'in_call' | 'on_hold' | 'busy' | 'dnd' | 'unavailable' | 'unknown';

export interface StateInfo {
  label: string;
  /** A Grafana palette name, resolved by the theme (light and dark differ). */
  color: string;
  /** Grafana's icon of that name (Unicons), or `phone`, a handset. */
  icon: WallIconName;
  /** Sort rank for `sortBy: state`: what needs eyes first. */
  rank: number;
  /** Whether the card shows the running call time. */
  inCall: boolean;
}

export const STATES: Record<ExtensionState, StateInfo> = {
  ringing: { label: 'Ringing', color: 'orange', icon: 'bell', rank: 0, inCall: true },
  in_call: { label: 'In call', color: 'red', icon: 'phone', rank: 1, inCall: true },
  on_hold: { label: 'On hold', color: 'yellow', icon: 'pause', rank: 2, inCall: true },
  busy: { label: 'Busy', color: 'dark-red', icon: 'minus-circle', rank: 3, inCall: true },
  idle: { label: 'Idle', color: 'green', icon: 'check-circle', rank: 4, inCall: false },
  dnd: { label: 'Do not disturb', color: 'purple', icon: 'bell-slash', rank: 5, inCall: false },
  unavailable: { label: 'Unavailable', color: 'gray', icon: 'plug', rank: 6, inCall: false },
  unknown: { label: 'Unknown', color: 'gray', icon: 'question-circle', rank: 7, inCall: false },
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
