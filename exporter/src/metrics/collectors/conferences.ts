import type { ConferenceState } from '../../domain';
import type { Collector, CollectorDeps } from '../collector';
import { gauge } from '../text-metrics';

/**
 * Conference rooms in use, and the participants of each room. The room is a label, so its series are capped like
 * the per-extension ones (metrics.maxConferenceRooms, first rooms by PBX and room); the rest are counted as omitted.
 */
export function conferencesCollector({ config, live }: CollectorDeps): Collector {
  const rooms = gauge('pbx_conference_rooms', 'Conference rooms with at least one participant', ['pbx']);
  const participants = gauge(
    'pbx_conference_participants',
    'Participants in each conference room (capped by metrics.maxConferenceRooms)',
    ['pbx', 'room'],
  );
  const omitted = gauge(
    'switchboard_metrics_conference_rooms_omitted',
    'Conference rooms left out of pbx_conference_participants because of metrics.maxConferenceRooms',
  );
  const cap = config.metrics.maxConferenceRooms;
  const order = (a: ConferenceState, b: ConferenceState): number =>
    `${a.pbx}\u0000${a.room}`.localeCompare(`${b.pbx}\u0000${b.room}`, 'en', { numeric: true });
  return {
    name: 'conferences',
    families: [rooms, participants, omitted],
    collect({ allPbxs }) {
      const byPbx = new Map(allPbxs.map((pbx) => [pbx, 0]));
      // live state keeps only rooms with someone in them (an emptied room is deleted there)
      const inUse = [...live.conferences.values()];
      for (const c of inUse) byPbx.set(c.pbx, (byPbx.get(c.pbx) ?? 0) + 1);
      for (const [pbx, n] of byPbx) rooms.add([pbx], n);
      for (const c of inUse.sort(order).slice(0, cap)) participants.add([c.pbx, c.room], c.participants.length);
      omitted.add([], Math.max(0, inUse.length - cap));
    },
  };
}
