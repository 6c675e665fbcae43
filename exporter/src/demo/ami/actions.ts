import type { ActionHandler, Frame } from './ami-server';
import { PEOPLE, QUEUES, TRUNK } from './office';
import type { SimPbx } from './pbx';
import { rtt } from './pbx';

const ENDPOINT_STATE: Record<string, string> = {
  NOT_INUSE: 'Not in use',
  INUSE: 'In use',
  BUSY: 'Busy',
  RINGING: 'Ringing',
  RINGINUSE: 'Ring+Inuse',
  ONHOLD: 'On Hold',
  UNAVAILABLE: 'Unavailable',
};

const pad = (n: number): string => String(n).padStart(2, '0');
const duration = (ms: number): string => {
  const s = Math.floor(ms / 1000);
  return `${pad(Math.floor(s / 3600))}:${pad(Math.floor(s / 60) % 60)}:${pad(s % 60)}`;
};

/** The AMI actions the exporter's resync uses, answered from the simulated PBX's state like Asterisk 22 does. */
export function demoActions(pbx: SimPbx): Record<string, ActionHandler> {
  return {
    events: (a, s) => s.respond(a, { Events: a.eventmask ?? 'On' }),
    coreshowchannels: (a, s) => {
      const items: Frame[] = [...pbx.channels.values()].map((c) => {
        const { Language: _l, AccountCode: _a, Priority: _p, ...f } = pbx.channelFields(c);
        return {
          Event: 'CoreShowChannel',
          ...f,
          Application: c.app || 'AppDial',
          ApplicationData: c.appData || '(Outgoing Line)',
          Duration: duration(Date.now() - c.createdAt),
          BridgeId: c.bridge ?? '',
        };
      });
      s.list(a, items, 'CoreShowChannelsComplete', 'Channels will follow');
    },
    devicestatelist: (a, s) => {
      const items: Frame[] = [...pbx.devices].map(([ext, state]) => ({ Event: 'DeviceStateChange', Device: `PJSIP/${ext}`, State: state }));
      for (const p of PEOPLE) items.push({ Event: 'DeviceStateChange', Device: `Custom:DND${p.ext}`, State: pbx.dnd.has(p.ext) ? 'BUSY' : 'NOT_INUSE' });
      s.list(a, items, 'DeviceStateListComplete', 'Device State Changes will follow');
    },
    extensionstatelist: (a, s) => {
      const codes: Record<string, [number, string]> = { NOT_INUSE: [0, 'Idle'], INUSE: [1, 'InUse'], RINGING: [8, 'Ringing'], UNAVAILABLE: [4, 'Unavailable'], ONHOLD: [16, 'Hold'], RINGINUSE: [9, 'InUse&Ringing'], BUSY: [2, 'Busy'] };
      const items = PEOPLE.map((p) => {
        const [code, text] = codes[pbx.devices.get(p.ext) ?? 'NOT_INUSE'] ?? [0, 'Idle'];
        return { Event: 'ExtensionStatus', Exten: p.ext, Context: 'ext-local', Hint: `PJSIP/${p.ext}`, Status: code, StatusText: text };
      });
      s.list(a, items, 'ExtensionStateListComplete', 'Extension Statuses will follow');
    },
    pjsipshowendpoints: (a, s) => {
      const items: Frame[] = PEOPLE.map((p) => ({
        Event: 'EndpointList',
        ObjectType: 'endpoint',
        ObjectName: p.ext,
        Transport: 'transport-udp',
        Aor: p.ext,
        Auths: p.ext,
        OutboundAuths: '',
        Contacts: pbx.registered.get(p.ext) ? `${p.ext}/sip:${p.ext}@192.0.2.${Number(p.ext) % 200}:5060,` : '',
        DeviceState: ENDPOINT_STATE[pbx.devices.get(p.ext) ?? 'NOT_INUSE'] ?? 'Unknown',
        ActiveChannels: [...pbx.channels.values()].filter((c) => c.endpoint === p.ext).length,
      }));
      items.push({
        Event: 'EndpointList',
        ObjectType: 'endpoint',
        ObjectName: TRUNK.endpoint,
        Transport: 'transport-udp',
        Aor: TRUNK.endpoint,
        Auths: '',
        OutboundAuths: `${TRUNK.endpoint}-auth`,
        Contacts: `${TRUNK.endpoint}/sip:sip.carrier.example:5060,`,
        DeviceState: ENDPOINT_STATE[pbx.devices.get(TRUNK.endpoint) ?? 'NOT_INUSE'] ?? 'Unknown',
        ActiveChannels: [...pbx.channels.values()].filter((c) => c.endpoint === TRUNK.endpoint).length,
      });
      s.list(a, items, 'EndpointListComplete', 'A listing of Endpoints follows, presented as EndpointList events');
    },
    pjsipshowcontacts: (a, s) => {
      const items: Frame[] = PEOPLE.filter((p) => pbx.registered.get(p.ext)).map((p) => ({
        Event: 'ContactList',
        ObjectType: 'contact',
        ObjectName: `${p.ext};@${p.ext}a1b2c3`,
        ViaAddr: `192.0.2.${Number(p.ext) % 200}`,
        Endpoint: p.ext,
        Uri: `sip:${p.ext}@192.0.2.${Number(p.ext) % 200}:5060`,
        UserAgent: 'Demo Phone 1.0',
        Status: 'Reachable',
        RoundtripUsec: rtt(p.ext),
      }));
      items.push({ Event: 'ContactList', ObjectType: 'contact', ObjectName: `${TRUNK.endpoint};@carrier`, Endpoint: TRUNK.endpoint, Uri: 'sip:sip.carrier.example:5060', Status: 'Reachable', RoundtripUsec: 23000 });
      s.list(a, items, 'ContactListComplete', 'A listing of Contacts follows, presented as ContactList events');
    },
    pjsipshowregistrationsoutbound: (a, s) => {
      s.list(
        a,
        [
          {
            Event: 'OutboundRegistrationDetail',
            ObjectType: 'registration',
            ObjectName: TRUNK.endpoint,
            ServerUri: TRUNK.serverUri,
            ClientUri: TRUNK.clientUri,
            Transport: 'transport-udp',
            Status: pbx.trunkRegistered ? 'Registered' : 'Rejected',
            NextReg: 3540,
          },
        ],
        'OutboundRegistrationDetailComplete',
        'Following are Events for each Outbound registration',
      );
    },
    queuestatus: (a, s) => {
      const items: Frame[] = [];
      for (const q of QUEUES) {
        items.push({ Event: 'QueueParams', Queue: q.name, Max: 0, Strategy: q.strategy, Calls: 0, Holdtime: 0, TalkTime: 0, Completed: 0, Abandoned: 0, ServiceLevel: 0, ServicelevelPerf: '0.0', ServicelevelPerf2: '0.0', Weight: 0 });
        for (const m of pbx.members.filter((x) => x.queue === q.name)) {
          const f = pbx.memberFields(m);
          items.push({ Event: 'QueueMember', Queue: q.name, Name: m.name, Location: f.Interface, StateInterface: f.StateInterface, Membership: 'static', Penalty: 0, CallsTaken: m.callsTaken, LastCall: m.lastCall, LastPause: 0, LoginTime: f.LoginTime, InCall: f.InCall, Status: f.Status, Paused: f.Paused, PausedReason: m.reason, Wrapuptime: 0 });
        }
        let pos = 0;
        for (const c of pbx.channels.values()) {
          if (c.app !== 'Queue' || !c.appData.startsWith(`${q.name},`) || c.bridge) continue;
          items.push({ Event: 'QueueEntry', Queue: q.name, Position: ++pos, Channel: c.name, Uniqueid: c.uniqueid, CallerIDNum: c.callerNum, CallerIDName: c.callerName, ConnectedLineNum: 'unknown', ConnectedLineName: 'unknown', Wait: Math.floor((Date.now() - c.createdAt) / 1000) });
        }
      }
      s.list(a, items, 'QueueStatusComplete', 'Queue status will follow');
    },
    voicemailuserslist: (a, s) => {
      const items: Frame[] = PEOPLE.map((p) => {
        const box = pbx.mailboxes.get(p.ext) ?? { new: 0, old: 0 };
        return { Event: 'VoicemailUserEntry', VMContext: 'default', VoiceMailbox: p.ext, Fullname: p.name, NewMessageCount: box.new, OldMessageCount: box.old };
      });
      s.list(a, items, 'VoicemailUserEntryComplete', 'Voicemail user list will follow');
    },
    mailboxcount: (a, s) => {
      const box = pbx.mailboxes.get((a.mailbox ?? '').split('@')[0]) ?? { new: 0, old: 0 };
      s.respond(a, { Message: 'Mailbox Message Count', Mailbox: a.mailbox, UrgMessages: 0, NewMessages: box.new, OldMessages: box.old });
    },
    coresettings: (a, s) => {
      s.respond(a, { AMIversion: '11.0.0', AsteriskVersion: '22.10.1', SystemName: '', CoreMaxCalls: 0, CoreCDRenabled: 'Yes' });
    },
    corestatus: (a, s) => {
      const d = new Date(pbx.startedAt);
      s.respond(a, {
        CoreStartupDate: d.toISOString().slice(0, 10),
        CoreStartupTime: d.toISOString().slice(11, 19),
        CoreReloadDate: d.toISOString().slice(0, 10),
        CoreReloadTime: d.toISOString().slice(11, 19),
        CoreCurrentCalls: new Set([...pbx.channels.values()].map((c) => c.linkedid)).size,
      });
    },
    queuepause: (a, s) => {
      const ext = (a.interface ?? '').replace(/^PJSIP\//i, '');
      const paused = (a.paused ?? 'true').toLowerCase() === 'true' || a.paused === '1';
      const n = pbx.pause(ext, a.queue, paused, a.reason ?? '');
      if (n === 0) s.respond(a, { Message: 'Interface not found' }, 'Error');
      else s.respond(a, { Message: paused ? 'Interface paused successfully' : 'Interface unpaused successfully' });
    },
  };
}
