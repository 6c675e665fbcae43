import React from 'react';
import { useClock } from '../clock';
import { formatDuration, formatIdle } from '../model/format';

/** Text that follows the panel clock; only this node re-renders when its text changes. */
export function Elapsed({ since, kind }: { since: number; kind: 'duration' | 'idle' }) {
  const text = useClock((now) => (kind === 'duration' ? formatDuration(now - since) : formatIdle(now - since)));
  return <>{text}</>;
}

/** Whether more than `seconds` have passed since `since` (0 or no start: never). */
export function useOver(since: number | undefined, seconds: number): boolean {
  return useClock((now) => since !== undefined && seconds > 0 && now - since > seconds * 1000);
}
