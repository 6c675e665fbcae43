import type { Logger } from 'pino';
import type { AmiClient } from './client';
import type { AmiEventBase } from './messages';

/** The answers of one full resync; each part is absent when its action failed (module not loaded, timeout). */
export interface ResyncAnswers {
  at: number;
  channels?: AmiEventBase[];
  /** live events delivered before the channel list was complete: the moment of the stream the list shows */
  channelsDelivered?: number;
  devices?: AmiEventBase[];
  hints?: AmiEventBase[];
  endpoints?: AmiEventBase[];
  contacts?: AmiEventBase[];
  registrations?: AmiEventBase[];
  queues?: AmiEventBase[];
  mailboxes?: AmiEventBase[];
  /** ConfbridgeListRooms items, then each room's ConfbridgeList items */
  conferences?: AmiEventBase[];
  parked?: AmiEventBase[];
  version?: string;
}

const LISTS: [keyof ResyncAnswers, string][] = [
  ['channels', 'CoreShowChannels'],
  ['devices', 'DeviceStateList'],
  ['hints', 'ExtensionStateList'],
  ['endpoints', 'PJSIPShowEndpoints'],
  ['contacts', 'PJSIPShowContacts'],
  ['registrations', 'PJSIPShowRegistrationsOutbound'],
  ['queues', 'QueueStatus'],
  // voicemail users carry the MWI counts and the users' full names in one list
  ['mailboxes', 'VoicemailUsersList'],
  ['parked', 'ParkedCalls'],
];

/** Asterisk answers the conference lists with an error when no room is in use. */
const NO_ROOMS = /no active conferences/i;

/** The rooms in use, then the members of each (ConfbridgeList takes one room at a time). */
async function conferences(client: AmiClient): Promise<AmiEventBase[]> {
  const list = async (fields: Record<string, string>): Promise<AmiEventBase[]> => {
    try {
      return (await client.action(fields, { list: true })).items;
    } catch (err) {
      if (NO_ROOMS.test((err as Error).message)) return [];
      throw err;
    }
  };
  const rooms = await list({ Action: 'ConfbridgeListRooms' });
  const out = [...rooms];
  for (const r of rooms) if (r.Conference) out.push(...(await list({ Action: 'ConfbridgeList', Conference: r.Conference })));
  return out;
}

/**
 * AMI has no replay: after every (re)connect the whole picture is asked for again. The actions go out together
 * (Asterisk answers them in order on the one session) and each fails on its own: a PBX without app_queue still
 * resyncs its channels.
 */
export async function resync(client: AmiClient, log: Logger): Promise<ResyncAnswers> {
  const answers: ResyncAnswers = { at: Date.now() };
  const lists = LISTS.map(async ([key, action]) => {
    try {
      const r = await client.action({ Action: action }, { list: true });
      (answers as unknown as Record<string, AmiEventBase[]>)[key] = r.items;
      if (key === 'channels') answers.channelsDelivered = r.delivered;
    } catch (err) {
      log.debug({ action, err: (err as Error).message }, 'resync action failed');
    }
  });
  const rooms = conferences(client).then(
    (items) => {
      answers.conferences = items;
    },
    (err: Error) => log.debug({ action: 'ConfbridgeListRooms', err: err.message }, 'resync action failed'),
  );
  const settings = client.action({ Action: 'CoreSettings' }).then(
    (r) => {
      if (r.response.AsteriskVersion) answers.version = r.response.AsteriskVersion;
    },
    (err: Error) => log.debug({ err: err.message }, 'CoreSettings failed'),
  );
  await Promise.all([...lists, rooms, settings]);
  answers.at = Date.now();
  return answers;
}
