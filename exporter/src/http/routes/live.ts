import type { ExtensionState, QueueState, TrunkState } from '../../domain';
import type { RouteFamily } from '../context';
import { byName, liveList } from '../live-list';
import * as render from '../render';

/** The current state of extensions, queues and trunks, straight from LiveState. */
export const liveRoutes: RouteFamily = async (api, ctx) => {
  liveList<ExtensionState>(api, ctx, {
    path: '/extensions',
    summary: 'Current state of every extension',
    tag: 'live',
    model: 'Extension',
    items: (live) => live.extensions.values(),
    order: byName((e) => `${e.pbx}\u0000${e.extension}`),
    render: render.extension,
  });
  liveList<QueueState>(api, ctx, {
    path: '/queues',
    summary: 'Current state of every queue: callers, longest wait, members',
    tag: 'live',
    model: 'Queue',
    items: (live) => live.queues.values(),
    order: byName((q) => `${q.pbx}\u0000${q.queue}`),
    render: render.queue,
  });
  liveList<TrunkState>(api, ctx, {
    path: '/trunks',
    summary: 'Current state of every trunk',
    tag: 'live',
    model: 'Trunk',
    items: (live) => live.trunks.values(),
    order: byName((t) => `${t.pbx}\u0000${t.trunk}`),
    render: render.trunk,
  });
};
