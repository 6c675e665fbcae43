import type { TrunkState } from '../../../domain';
import type { AmiEventBase } from '../messages';
import { ignoreRefused, MAX_NAMES, roomFor, type Refused } from './caps';

interface Trunk {
  name: string;
  /** outbound registration status, when the trunk registers */
  registration?: string;
  serverUri?: string;
  clientUri?: string;
  /** qualify status of the trunk's contact (IP-authenticated trunks have no registration) */
  contact?: string;
  rttMs?: number;
  activeCalls: number;
  updatedAt: number;
}

const UP = new Set(['registered', 'reachable', 'nonqualified', 'created', 'updated']);

/** Live trunk state: outbound registrations (PJSIPShowRegistrationsOutbound, Registry), qualify, active calls. */
export class TrunkBook {
  private readonly trunks = new Map<string, Trunk>();

  constructor(
    private readonly pbx: string,
    /** the runtime's live feed: passes on only what changed */
    private readonly publish: (t: TrunkState) => void,
    private readonly isTrunk: (endpoint: string) => boolean,
    private readonly refused: Refused = ignoreRefused,
    private readonly limit: number = MAX_NAMES.trunk,
  ) {}

  private mark(name: string): void {
    const t = this.trunks.get(name);
    if (t) this.publish(this.state(t));
  }

  private trunk(name: string, at: number): Trunk | undefined {
    let t = this.trunks.get(name);
    if (!t) {
      if (!roomFor(this.trunks, this.limit, 'trunk', name, this.refused)) return undefined;
      this.trunks.set(name, (t = { name, activeCalls: 0, updatedAt: at }));
    }
    t.updatedAt = Math.max(t.updatedAt, at);
    return t;
  }

  private state(t: Trunk): TrunkState {
    const status = t.registration ?? t.contact ?? 'Unknown';
    const s: TrunkState = {
      pbx: this.pbx,
      trunk: t.name,
      registered: UP.has(status.toLowerCase()),
      status,
      activeCalls: t.activeCalls,
      updatedAt: t.updatedAt,
    };
    if (t.rttMs !== undefined) s.rttMs = t.rttMs;
    return s;
  }

  handle(ev: AmiEventBase, at: number): boolean {
    switch (ev.Event) {
      case 'OutboundRegistrationDetail': {
        if (!ev.ObjectName) return true;
        const t = this.trunk(ev.ObjectName, at);
        if (!t) return true;
        if (ev.ServerUri) t.serverUri = ev.ServerUri;
        if (ev.ClientUri) t.clientUri = ev.ClientUri;
        if (ev.Status) t.registration = ev.Status;
        this.mark(t.name);
        return true;
      }
      case 'Registry': {
        // PJSIP sends the client URI as Username and the server URI as Domain
        let t = [...this.trunks.values()].find(
          (x) => (x.clientUri && x.clientUri === ev.Username) || (x.serverUri && x.serverUri === ev.Domain),
        );
        if (!t) {
          const host = /^(?:sips?:)?(?:[^@]*@)?([^:;>]+)/.exec(ev.Domain ?? '')?.[1];
          if (!host) return true;
          t = this.trunk(host, at);
          if (!t) return true;
        }
        t.updatedAt = Math.max(t.updatedAt, at);
        t.registration = ev.Status ?? t.registration;
        this.mark(t.name);
        return true;
      }
      case 'EndpointList': {
        const name = ev.ObjectName ?? '';
        if (!name || !this.isTrunk(name)) return false;
        if (!this.trunk(name, at)) return true;
        this.mark(name);
        return true;
      }
      case 'ContactStatus':
      case 'ContactList': {
        const aor = ev.AOR ?? ev.Aor ?? ev.EndpointName ?? ev.Endpoint ?? (ev.ObjectName ?? '').split(';')[0];
        if (!aor || !this.isTrunk(aor)) return false;
        const t = this.trunk(aor, at);
        if (!t) return true;
        t.contact = ev.ContactStatus ?? ev.Status ?? t.contact;
        const rtt = Number(ev.RoundtripUsec);
        if (Number.isFinite(rtt) && rtt > 0) t.rttMs = rtt / 1000;
        this.mark(t.name);
        return true;
      }
      default:
        return false;
    }
  }

  /** Live trunk channels per endpoint, after every channel start / end. */
  setActiveCalls(counts: Map<string, number>, at: number): void {
    for (const t of this.trunks.values()) {
      const n = counts.get(t.name) ?? 0;
      if (n !== t.activeCalls) {
        t.activeCalls = n;
        t.updatedAt = Math.max(t.updatedAt, at);
        this.mark(t.name);
      }
    }
    for (const [name, n] of counts) {
      if (!this.trunks.has(name) && this.isTrunk(name)) {
        const t = this.trunk(name, at);
        if (!t) continue;
        t.activeCalls = n;
        this.mark(name);
      }
    }
  }
}
