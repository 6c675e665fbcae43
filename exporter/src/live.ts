import type { Call, ConferenceState, ExtensionState, ParkingState, QueueState, SourceStatus, TrunkState, UserStatus } from './domain';
import type { Hub } from './hub';

const key = (pbx: string, name: string): string => `${pbx}\u0000${name}`;

/**
 * The current picture of every PBX, built only from hub events. The API's snapshots and the metrics' gauges read it,
 * so a scrape never touches the database.
 */
export class LiveState {
  readonly extensions = new Map<string, ExtensionState>();
  readonly queues = new Map<string, QueueState>();
  readonly trunks = new Map<string, TrunkState>();
  /** rooms in use: a room that ended (no participants) is dropped */
  readonly conferences = new Map<string, ConferenceState>();
  /** parked calls, per PBX */
  readonly parking = new Map<string, ParkingState>();
  readonly activeCalls = new Map<string, Call>();
  readonly sources = new Map<string, SourceStatus>();
  /** what people set through the API, by extension: kept apart from what the PBX reports, merged when shown */
  readonly userStatuses = new Map<string, UserStatus>();

  constructor(hub: Hub) {
    hub.on('extension', (e) => this.extensions.set(key(e.pbx, e.extension), e));
    hub.on('queue', (q) => this.queues.set(key(q.pbx, q.queue), q));
    hub.on('trunk', (t) => this.trunks.set(key(t.pbx, t.trunk), t));
    hub.on('conference', (c) => {
      if (c.participants.length) this.conferences.set(key(c.pbx, c.room), c);
      else this.conferences.delete(key(c.pbx, c.room));
    });
    hub.on('parking', (p) => this.parking.set(p.pbx, p));
    hub.on('call', (c) => this.activeCalls.set(c.id, c));
    hub.on('callEnded', (c) => this.activeCalls.delete(c.id));
    hub.on('source', (s) => this.sources.set(s.pbx, s));
    hub.on('userStatus', (u) => this.userStatuses.set(key(u.pbx, u.extension), u));
  }

  extension(pbx: string, extension: string): ExtensionState | undefined {
    return this.extensions.get(key(pbx, extension));
  }

  userStatus(pbx: string, extension: string): UserStatus | undefined {
    return this.userStatuses.get(key(pbx, extension));
  }

  /** The statuses the store kept from earlier runs (they are not events: nothing is stored again). */
  restoreUserStatuses(list: readonly UserStatus[]): void {
    for (const u of list) this.userStatuses.set(key(u.pbx, u.extension), u);
  }

  /** Sources that are configured but not connected, with their reasons (for /readyz). */
  notReady(): { pbx: string; reason: string }[] {
    return [...this.sources.values()]
      .filter((s) => !s.connected)
      .map((s) => ({ pbx: s.pbx, reason: s.reason ?? 'not connected' }));
  }
}
