import React from 'react';
import { useClock } from '../clock';
import { formatDuration, formatIdle } from '../model/format';

const format = (kind: 'duration' | 'idle', ms: number) => (kind === 'duration' ? formatDuration(ms) : formatIdle(ms));

/**
 * Text that follows the panel clock; only this node re-renders when its text changes. With `frozenAt` (the data
 * stopped then) it shows the time up to that moment and does not tick: a stale wall must not look live.
 */
export function Elapsed({ since, kind, frozenAt }: { since: number; kind: 'duration' | 'idle'; frozenAt?: number }) {
  return frozenAt !== undefined ? <>{format(kind, frozenAt - since)}</> : <Ticking since={since} kind={kind} />;
}

function Ticking({ since, kind }: { since: number; kind: 'duration' | 'idle' }) {
  const text = useClock((now) => format(kind, now - since));
  return <>{text}</>;
}

/** Whether more than `seconds` have passed since `since` (0 or no start: never), at `frozenAt` when stale. */
export function useOver(since: number | undefined, seconds: number, frozenAt?: number): boolean {
  return useClock((now) => since !== undefined && seconds > 0 && (frozenAt ?? now) - since > seconds * 1000);
}
