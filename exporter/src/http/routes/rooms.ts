import type { ConferenceState, ParkedCall } from '../../domain';
import type { RouteFamily } from '../context';
import { liveList } from '../live-list';
import * as render from '../render';

/** Where calls meet or wait without ringing anybody: conference rooms in use, and parked calls. */
export const roomRoutes: RouteFamily = async (api, ctx) => {
  liveList<ConferenceState>(api, ctx, {
    path: '/conferences',
    summary: 'Conference rooms in use, with their participants',
    model: 'Conference',
    items: (live) => [...live.conferences.values()].filter((c) => c.participants.length > 0),
    name: (c) => c.room,
    render: render.conference,
  });
  liveList<ParkedCall & { pbx: string; staleSince?: number }>(api, ctx, {
    path: '/parked-calls',
    summary: 'Calls parked now: lot, space, who parked them, since when',
    model: 'ParkedCall',
    items: (live) => [...live.parking.values()].flatMap((p) => p.calls.map((c) => ({ ...c, pbx: p.pbx, staleSince: p.staleSince }))),
    order: (a, b) =>
      `${a.pbx}\u0000${a.lot}\u0000${a.slot}`.localeCompare(`${b.pbx}\u0000${b.lot}\u0000${b.slot}`, 'en', { numeric: true }),
    render: render.parkedCall,
  });
};
