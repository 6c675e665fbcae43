import type { Logger } from 'pino';
import type { AmiClient } from './client';
import type { AmiEventBase } from './messages';

/** The answers of one full resync; each part is absent when its action failed (module not loaded, timeout). */
export interface ResyncAnswers {
  at: number;
  channels?: AmiEventBase[];
  devices?: AmiEventBase[];
  hints?: AmiEventBase[];
  endpoints?: AmiEventBase[];
  contacts?: AmiEventBase[];
  registrations?: AmiEventBase[];
  queues?: AmiEventBase[];
  mailboxes?: AmiEventBase[];
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
];

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
    } catch (err) {
      log.debug({ action, err: (err as Error).message }, 'resync action failed');
    }
  });
  const settings = client.action({ Action: 'CoreSettings' }).then(
    (r) => {
      if (r.response.AsteriskVersion) answers.version = r.response.AsteriskVersion;
    },
    (err: Error) => log.debug({ err: err.message }, 'CoreSettings failed'),
  );
  await Promise.all([...lists, settings]);
  answers.at = Date.now();
  return answers;
}
