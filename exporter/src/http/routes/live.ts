import type { ExtensionState, QueueState, TrunkState } from '../../domain';
import type { RouteFamily } from '../context';
import { liveList } from '../live-list';
import * as render from '../render';

/** The current state of extensions, queues and trunks, straight from LiveState. */
export const liveRoutes: RouteFamily = async (api, ctx) => {
  liveList<ExtensionState>(api, ctx, {
    path: '/extensions',
    summary: 'Current state of every extension',
    model: 'Extension',
    items: (live) => live.extensions.values(),
    name: (e) => e.extension,
    render: (e) => render.extension(e, ctx.live.userStatus(e.pbx, e.extension), ctx.contacts),
  });
  liveList<QueueState>(api, ctx, {
    path: '/queues',
    summary: 'Current state of every queue: callers, longest wait, members',
    model: 'Queue',
    items: (live) => live.queues.values(),
    name: (q) => q.queue,
    render: render.queue,
  });
  liveList<TrunkState>(api, ctx, {
    path: '/trunks',
    summary: 'Current state of every trunk',
    model: 'Trunk',
    items: (live) => live.trunks.values(),
    name: (t) => t.trunk,
    render: render.trunk,
  });
};
