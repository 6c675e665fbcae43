import type { DataFrame } from '@grafana/data';
import { CALL_FIELDS, lookup, str, time } from './fields';

export interface ActiveCallRow {
  key: string;
  startedAt: number;
  answeredAt?: number;
  from?: string;
  fromName?: string;
  to?: string;
  toName?: string;
  answeredBy?: string;
  answeredByName?: string;
  direction?: string;
  queue?: string;
  pbx?: string;
  /** Ringing until answered. */
  phase: 'ringing' | 'talking';
}

export function isCallFrame(frame: DataFrame): boolean {
  const f = lookup(frame, CALL_FIELDS);
  return Boolean(f.startedAt && (f.from || f.to));
}

/** Active calls for the call board, longest-running first. */
export function callsFromFrames(frames: DataFrame[]): ActiveCallRow[] {
  const rows: ActiveCallRow[] = [];
  for (const frame of frames) {
    const f = lookup(frame, CALL_FIELDS);
    if (!f.startedAt || !(f.from || f.to)) {
      continue;
    }
    for (let i = 0; i < frame.length; i++) {
      const startedAt = time(f.startedAt, i);
      if (startedAt === undefined) {
        continue;
      }
      const answeredAt = time(f.answeredAt, i);
      rows.push({
        key: str(f.id, i) ?? `${frame.refId ?? ''}:${i}`,
        startedAt,
        answeredAt,
        from: str(f.from, i),
        fromName: str(f.fromName, i),
        to: str(f.to, i),
        toName: str(f.toName, i),
        answeredBy: str(f.answeredBy, i),
        answeredByName: str(f.answeredByName, i),
        direction: str(f.direction, i),
        queue: str(f.queue, i),
        pbx: str(f.pbx, i),
        phase: answeredAt !== undefined || str(f.answeredBy, i) ? 'talking' : 'ringing',
      });
    }
  }
  return rows.sort((a, b) => a.startedAt - b.startedAt);
}
