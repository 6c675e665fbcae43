import type { DataFrame } from '@grafana/data';
import { bool, EXTENSION_FIELDS, list, lookup, num, str, time } from './fields';
import { frameStatus, staleFromStatus } from './staleness';
import { normalizeState, type ExtensionState } from './states';

/** One card's data, independent of the source. */
export interface ExtensionRow {
  key: string;
  extension: string;
  name?: string;
  state: ExtensionState;
  registered: boolean;
  counterpart?: string;
  counterpartName?: string;
  callStartedAt?: number;
  idleSince?: number;
  queues: string[];
  pausedQueues: string[];
  voicemailNew?: number;
  /** what the person set (`away`, `in_meeting`, …), beside what the phone shows */
  userStatus?: string;
  userStatusMessage?: string;
  pbx?: string;
  /** The data stopped at `staleSince`: its PBX (or the exporter) is down; the card is dimmed, its timers stopped. */
  stale: boolean;
  staleSince?: number;
}

export function isExtensionFrame(frame: DataFrame): boolean {
  const f = lookup(frame, EXTENSION_FIELDS);
  return Boolean(f.extension && f.state);
}

/**
 * Rows of every extension frame (a frame with `extension` and `state`). A later row for the same pbx+extension
 * replaces an earlier one. DND overrides idle, and an unregistered phone is unavailable whatever else is said.
 * Staleness comes from the row's own `stale` field, else from what the frame says of its sources.
 */
export function extensionsFromFrames(frames: DataFrame[]): ExtensionRow[] {
  const rows = new Map<string, ExtensionRow>();
  for (const frame of frames) {
    const f = lookup(frame, EXTENSION_FIELDS);
    if (!f.extension || !f.state) {
      continue;
    }
    const status = f.stale ? undefined : frameStatus(frame);
    for (let i = 0; i < frame.length; i++) {
      const extension = str(f.extension, i);
      if (!extension) {
        continue;
      }
      const pbx = str(f.pbx, i);
      let state = normalizeState(f.state.values[i]);
      const registered = bool(f.registered, i) ?? state !== 'unavailable';
      if (!registered) {
        state = 'unavailable';
      } else if (bool(f.dnd, i) && (state === 'idle' || state === 'unknown')) {
        state = 'dnd';
      }
      const key = `${pbx ?? ''}\u0000${extension}`;
      const staleness = status
        ? staleFromStatus(status, pbx)
        : { stale: bool(f.stale, i) ?? false, since: time(f.staleSince, i) };
      rows.set(key, {
        key,
        extension,
        name: str(f.name, i),
        state,
        registered,
        counterpart: str(f.counterpart, i),
        counterpartName: str(f.counterpartName, i),
        callStartedAt: time(f.callStartedAt, i),
        idleSince: time(f.idleSince, i),
        queues: list(f.queues, i),
        pausedQueues: list(f.pausedQueues, i),
        voicemailNew: num(f.voicemailNew, i),
        userStatus: str(f.userStatus, i),
        userStatusMessage: str(f.userStatusMessage, i),
        pbx,
        stale: staleness.stale,
        staleSince: staleness.stale ? staleness.since : undefined,
      });
    }
  }
  return Array.from(rows.values());
}
