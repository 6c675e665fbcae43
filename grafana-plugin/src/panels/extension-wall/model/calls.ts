import type { DataFrame } from '@grafana/data';
import { bool, CALL_FIELDS, lookup, str, time } from './fields';
import { frameStatus, staleFromStatus } from './staleness';

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
  phase: CallPhase;
  /** Its PBX (or the exporter) is down: the duration stops at `staleSince`. */
  stale: boolean;
  staleSince?: number;
}

/** Ringing until answered; waiting in a queue; on hold; talking. */
export type CallPhase = 'ringing' | 'waiting' | 'on_hold' | 'talking';

/**
 * The phase from the call's open status (issue #11: ringing, active, on_hold, waiting) when the frame has one,
 * else from whether it was answered.
 */
export function callPhase(status: string | undefined, answered: boolean): CallPhase {
  switch (status) {
    case 'ringing':
      return 'ringing';
    case 'waiting':
      return 'waiting';
    case 'on_hold':
      return 'on_hold';
    case 'active':
      return 'talking';
    default:
      return answered ? 'talking' : 'ringing';
  }
}

/** Rank on the board: unanswered calls first (ringing, then queued), then held, then talking. */
const PHASE_RANK: Record<CallPhase, number> = { ringing: 0, waiting: 1, on_hold: 2, talking: 3 };

export function isCallFrame(frame: DataFrame): boolean {
  const f = lookup(frame, CALL_FIELDS);
  return Boolean(f.startedAt && (f.from || f.to));
}

/**
 * Active calls for the call board: calls nobody has answered first (a board too small for all keeps them on
 * screen), then the rest; the longest-running first within each.
 */
export function callsFromFrames(frames: DataFrame[]): ActiveCallRow[] {
  const rows: ActiveCallRow[] = [];
  for (const frame of frames) {
    const f = lookup(frame, CALL_FIELDS);
    if (!f.startedAt || !(f.from || f.to)) {
      continue;
    }
    const status = f.stale ? undefined : frameStatus(frame);
    for (let i = 0; i < frame.length; i++) {
      const startedAt = time(f.startedAt, i);
      if (startedAt === undefined) {
        continue;
      }
      const answeredAt = time(f.answeredAt, i);
      const pbx = str(f.pbx, i);
      const staleness = status
        ? staleFromStatus(status, pbx)
        : { stale: bool(f.stale, i) ?? false, since: time(f.staleSince, i) };
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
        pbx,
        phase: callPhase(str(f.status, i), answeredAt !== undefined || str(f.answeredBy, i) !== undefined),
        stale: staleness.stale,
        staleSince: staleness.stale ? staleness.since : undefined,
      });
    }
  }
  return rows.sort((a, b) => PHASE_RANK[a.phase] - PHASE_RANK[b.phase] || a.startedAt - b.startedAt);
}
