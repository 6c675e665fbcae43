import type { ActionHandler } from './ami-server';

/**
 * The answers of an Asterisk with nothing on it to the actions a source's resync sends: every list complete and
 * empty, the version, the event mask. For fake PBXs (tests, fault suite) that script only what they are about.
 */
export const EMPTY_RESYNC: Readonly<Record<string, ActionHandler>> = {
  ...Object.fromEntries(
    [
      ['coreshowchannels', 'CoreShowChannelsComplete'],
      ['devicestatelist', 'DeviceStateListComplete'],
      ['extensionstatelist', 'ExtensionStateListComplete'],
      ['pjsipshowendpoints', 'EndpointListComplete'],
      ['pjsipshowcontacts', 'ContactListComplete'],
      ['pjsipshowregistrationsoutbound', 'OutboundRegistrationDetailComplete'],
      ['queuestatus', 'QueueStatusComplete'],
      ['voicemailuserslist', 'VoicemailUserEntryComplete'],
    ].map(([action, complete]): [string, ActionHandler] => [action, (a, s) => s.list(a, [], complete)]),
  ),
  coresettings: (a, s) => s.respond(a, { AMIversion: '11.0.0', AsteriskVersion: '22.10.1' }),
  events: (a, s) => s.respond(a, { Events: a.eventmask ?? 'On' }),
};
