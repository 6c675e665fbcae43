/**
 * Typed AMI messages, in Asterisk's own header spelling (see headers.ts). Values are strings exactly as sent; a
 * header Asterisk did not send is absent. Only the events and fields Switchboard reads are spelled out; every other
 * header is still there under its name.
 */
export interface AmiMessage {
  [header: string]: string | undefined;
}

export interface AmiEventBase extends AmiMessage {
  Event: string;
  /** `<epoch>.<usec>`, only with `timestampevents = yes` in manager.conf */
  Timestamp?: string;
  /** present on EventList items: the action they answer */
  ActionID?: string;
}

export interface AmiResponse extends AmiMessage {
  Response: string;
  ActionID?: string;
  Message?: string;
  EventList?: string;
}

/** Every channel-scoped event carries the channel snapshot. */
export interface ChannelHeaders {
  Channel: string;
  ChannelState: string;
  ChannelStateDesc?: string;
  CallerIDNum: string;
  CallerIDName: string;
  ConnectedLineNum: string;
  ConnectedLineName: string;
  Context: string;
  Exten: string;
  Priority?: string;
  Uniqueid: string;
  Linkedid: string;
}

/** The second channel of two-channel events (Dial*, Agent*), with the `Dest` prefix. */
export interface DestChannelHeaders {
  DestChannel: string;
  DestChannelState?: string;
  DestCallerIDNum?: string;
  DestCallerIDName?: string;
  DestContext?: string;
  DestExten?: string;
  DestUniqueid: string;
  DestLinkedid?: string;
}

export interface BridgeHeaders {
  BridgeUniqueid: string;
  BridgeType?: string;
  /** who made the bridge (`ConfBridge`, `Parking`), Asterisk 13.13+ */
  BridgeCreator?: string;
  BridgeName?: string;
  BridgeNumChannels?: string;
}

export interface QueueMemberHeaders {
  Queue: string;
  MemberName?: string;
  Interface: string;
  StateInterface?: string;
  Membership?: string;
  Penalty?: string;
  CallsTaken?: string;
  LastCall?: string;
  InCall?: string;
  /** 0 unknown, 1 not in use, 2 in use, 3 busy, 4 invalid, 5 unavailable, 6 ringing, 7 ring+in use, 8 on hold */
  Status?: string;
  Paused?: string;
  PausedReason?: string;
}

export interface AgentHeaders extends ChannelHeaders, DestChannelHeaders {
  Queue: string;
  Interface: string;
  MemberName?: string;
  HoldTime?: string;
  RingTime?: string;
  TalkTime?: string;
  Reason?: string;
}

/** Transfer events name up to four channels, each with its own prefix. */
export type PrefixedChannel<P extends string> = {
  [K in keyof ChannelHeaders as `${P}${K}`]?: string;
};

export interface AmiEvents {
  FullyBooted: { Status?: string; Uptime?: string; LastReload?: string };
  Newchannel: ChannelHeaders;
  Newstate: ChannelHeaders;
  NewCallerid: ChannelHeaders;
  NewConnectedLine: ChannelHeaders;
  Newexten: ChannelHeaders & { Application?: string; AppData?: string; Extension?: string };
  Hangup: ChannelHeaders & { Cause?: string; 'Cause-txt'?: string; TechCause?: string };
  DialBegin: ChannelHeaders & DestChannelHeaders & { DialString?: string };
  DialState: ChannelHeaders & DestChannelHeaders & { DialStatus?: string };
  DialEnd: ChannelHeaders & DestChannelHeaders & { DialStatus: string; Forward?: string };
  BridgeCreate: BridgeHeaders;
  BridgeDestroy: BridgeHeaders;
  BridgeEnter: BridgeHeaders & ChannelHeaders & { SwapUniqueid?: string };
  BridgeLeave: BridgeHeaders & ChannelHeaders;
  BridgeMerge: { ToBridgeUniqueid: string; FromBridgeUniqueid: string };
  Hold: ChannelHeaders & { MusicClass?: string };
  Unhold: ChannelHeaders;
  LocalBridge: PrefixedChannel<'LocalOne'> & PrefixedChannel<'LocalTwo'> & { LocalOptimization?: string };
  BlindTransfer: PrefixedChannel<'Transferer'> &
    PrefixedChannel<'Transferee'> & { Result: string; IsExternal?: string; Context?: string; Extension?: string };
  AttendedTransfer: PrefixedChannel<'OrigTransferer'> &
    PrefixedChannel<'SecondTransferer'> &
    PrefixedChannel<'Transferee'> &
    PrefixedChannel<'TransferTarget'> & { Result: string; DestType?: string };
  ConfbridgeStart: BridgeHeaders & { Conference: string };
  ConfbridgeEnd: BridgeHeaders & { Conference: string };
  ConfbridgeJoin: BridgeHeaders & ChannelHeaders & { Conference: string; Admin?: string; Muted?: string };
  ConfbridgeLeave: BridgeHeaders & ChannelHeaders & { Conference: string; Admin?: string };
  MeetmeJoin: ChannelHeaders & { Meetme: string; User?: string };
  MeetmeLeave: ChannelHeaders & { Meetme: string; User?: string; Duration?: string };
  QueueCallerJoin: ChannelHeaders & { Queue: string; Position?: string; Count?: string };
  QueueCallerLeave: ChannelHeaders & { Queue: string; Position?: string; Count?: string };
  QueueCallerAbandon: ChannelHeaders & { Queue: string; Position?: string; OriginalPosition?: string; HoldTime?: string };
  AgentCalled: AgentHeaders;
  AgentConnect: AgentHeaders;
  AgentComplete: AgentHeaders;
  AgentRingNoAnswer: AgentHeaders;
  AgentDump: AgentHeaders;
  QueueMemberStatus: QueueMemberHeaders;
  QueueMemberAdded: QueueMemberHeaders;
  QueueMemberRemoved: QueueMemberHeaders;
  QueueMemberPause: QueueMemberHeaders;
  QueueMember: QueueMemberHeaders & { Name?: string; Location?: string };
  QueueParams: { Queue: string; Strategy?: string; Calls?: string };
  QueueEntry: { Queue: string; Position?: string; Channel?: string; Uniqueid?: string; CallerIDNum?: string; CallerIDName?: string; Wait?: string };
  DeviceStateChange: { Device: string; State: string };
  ExtensionStatus: { Exten: string; Context?: string; Hint?: string; Status: string; StatusText?: string };
  ContactStatus: { URI?: string; ContactStatus: string; AOR: string; EndpointName?: string; RoundtripUsec?: string };
  PeerStatus: { ChannelType?: string; Peer: string; PeerStatus: string };
  Registry: { ChannelType?: string; Username?: string; Domain?: string; Status: string; Cause?: string };
  MessageWaiting: { Mailbox: string; Waiting?: string; New?: string; Old?: string };
  CoreShowChannel: ChannelHeaders & { Application?: string; ApplicationData?: string; Duration?: string; BridgeId?: string };
  EndpointList: { ObjectName: string; Aor?: string; Contacts?: string; DeviceState?: string };
  ContactList: { ObjectName?: string; Endpoint?: string; Aor?: string; Uri?: string; URI?: string; Status?: string; RoundtripUsec?: string };
  OutboundRegistrationDetail: { ObjectName: string; ServerUri?: string; ClientUri?: string; Status?: string };
  VoicemailUserEntry: { VMContext?: string; VoiceMailbox: string; Fullname?: string; NewMessageCount?: string; OldMessageCount?: string };
}

export type AmiEventName = keyof AmiEvents;

export type AmiEventOf<K extends AmiEventName> = AmiEventBase & AmiEvents[K] & { Event: K };

/** Narrowing helper: `if (is(ev, 'DialBegin')) ev.DestUniqueid …` */
export function is<K extends AmiEventName>(ev: AmiEventBase, name: K): ev is AmiEventOf<K> {
  return ev.Event === name;
}

/** The PBX's `Timestamp` (epoch s) in ms, NaN when it is no number, undefined when not sent; the runtime judges it. */
export function pbxStamp(ev: AmiEventBase): number | undefined {
  const ts = ev.Timestamp;
  if (ts === undefined || ts === '') return undefined;
  return Math.round(Number(ts) * 1000);
}
