/** JSON shapes of the exporter's HTTP API (docs/contracts.md §3). Times are ISO strings, durations seconds. */

/**
 * Staleness of a live item (issue #11, coming from the exporter): `stale` while its source is down, `staleSince`
 * when it went down (epoch ms or ISO). Optional: older exporters send neither, and the data source derives them
 * from the source status.
 */
export interface ApiStaleness {
  stale?: boolean;
  staleSince?: string | number | null;
}

export interface ApiParty {
  number: string;
  name?: string | null;
}

/** What the exporter's contacts directory and the number itself say about a party (its `contacts` settings). */
export interface ApiContact {
  /** exact: the directory has the number; fuzzy: its company's main number; place: only the number; site: internal */
  match: 'exact' | 'fuzzy' | 'place' | 'site';
  /** the contact's name (the company's for a fuzzy match, the site's for an internal number); null for a place */
  name: string | null;
  company: string | null;
  e164: string | null;
  country: string | null;
  place: string | null;
  /** a landline's town (geocoding data); null for mobiles and numbers without one */
  town: string | null;
  type: string | null;
  formatted: string | null;
}

export interface ApiCall {
  id: string;
  pbx: string;
  direction: 'inbound' | 'outbound' | 'internal';
  status: string;
  open: boolean;
  startedAt: string;
  answeredAt?: string | null;
  endedAt?: string | null;
  ringSeconds?: number | null;
  talkSeconds?: number | null;
  holdSeconds?: number | null;
  waitSeconds?: number | null;
  from: ApiParty;
  to: ApiParty;
  answeredBy?: ApiParty | null;
  queue?: string | null;
  group?: { type: string; id: string; membersRung: ApiParty[] } | null;
  trulyMissed?: boolean;
  returnedAt?: string | null;
}

export interface ApiExtensionQueue {
  queue: string;
  paused: boolean;
  pausedReason?: string | null;
}

export interface ApiExtension extends ApiStaleness {
  pbx: string;
  extension: string;
  name?: string | null;
  registered: boolean;
  state: string;
  dnd: boolean;
  rttSeconds?: number | null;
  callId?: string | null;
  counterpart?: ApiParty | null;
  /** the counterpart named from the exporter's contacts; absent from exporters without contacts */
  counterpartContact?: ApiContact | null;
  callStartedAt?: string | null;
  idleSince?: string | null;
  queues?: ApiExtensionQueue[];
  voicemailNew?: number | null;
  voicemailOld?: number | null;
  /** the conference room the extension is in now */
  conference?: string | null;
  userStatus?: string | null;
  userStatusMessage?: string | null;
  userStatusSince?: string | null;
  updatedAt?: string | null;
}

/** A call waiting in a parking space (`/api/v1/parked-calls`). */
export interface ApiParkedCall extends ApiStaleness {
  pbx: string;
  lot: string;
  slot: string;
  party: ApiParty;
  parker?: ApiParty | null;
  channel?: string | null;
  callId?: string | null;
  parkedAt: string;
  parkedSeconds?: number;
  timeoutAt?: string | null;
}

/** One PBX's parked calls, as the stream's `parking` event and snapshot carry them. */
export interface ApiParking {
  pbx: string;
  calls: Array<Omit<ApiParkedCall, 'pbx'> & { pbx?: string }>;
  updatedAt?: string | null;
}

export interface ApiQueueMember {
  interface: string;
  extension?: string | null;
  name?: string | null;
  state: string;
  paused: boolean;
  pausedReason?: string | null;
  inCall: boolean;
}

export interface ApiQueue extends ApiStaleness {
  pbx: string;
  queue: string;
  strategy?: string | null;
  callers: number | unknown[];
  longestWaitSeconds?: number | null;
  oldestCallerSince?: string | null;
  membersLoggedIn?: number | null;
  membersAvailable?: number | null;
  membersPaused?: number | null;
  membersInCall?: number | null;
  members?: ApiQueueMember[];
  updatedAt?: string | null;
}

export interface ApiTrunk extends ApiStaleness {
  pbx: string;
  trunk: string;
  registered: boolean;
  status: string;
  rttSeconds?: number | null;
  activeCalls: number;
  updatedAt?: string | null;
}

export interface ApiSource {
  pbx: string;
  kind: string;
  connected: boolean;
  reason?: string | null;
  lastEventAt?: string | null;
  /** When `connected` last changed (issue #11; epoch ms or ISO). */
  since?: string | number | null;
  /** False for a history-only source (3CX CDR): it has no live state, so its wall is not "all idle" (issue #12). */
  live?: boolean;
}

export interface ApiGap {
  id: string | number;
  pbx: string | null;
  kind: string;
  reason: string;
  startedAt: string;
  endedAt?: string | null;
}

export interface ApiStatsRow {
  bucket: string | number;
  key: string | null;
  offered: number;
  answered: number;
  missed: number;
  abandoned: number;
  talkSecondsTotal: number;
  talkSecondsAvg: number | null;
  asaSeconds: number | null;
  serviceLevel: number | null;
  abandonRate: number | null;
}

/** One row of /api/v1/reports/agents: an agent (extension) in one period. */
export interface ApiAgentRow {
  bucket: string | number;
  pbx: string;
  extension: string;
  name: string | null;
  offered: number;
  answered: number;
  missed: number;
  outbound: number;
  outboundAnswered: number;
  handled: number;
  talkSecondsTotal: number;
  holdSecondsTotal: number;
  ahtSeconds: number | null;
}

export interface ApiSnapshot {
  extensions: ApiExtension[];
  queues: ApiQueue[];
  trunks: ApiTrunk[];
  calls: ApiCall[];
  /** the stream's snapshot: per PBX */
  parking?: ApiParking[];
  /** a REST snapshot of the `parked` collection: one item per parked call */
  parked?: ApiParkedCall[];
  sources: ApiSource[];
}

export interface ApiList<T> {
  items: T[];
  nextCursor?: string | null;
}

export interface ApiProblem {
  type?: string;
  title?: string;
  status?: number;
  detail?: string;
  parameter?: string;
}
