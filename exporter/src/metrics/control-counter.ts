import { Counter, type Registry } from 'prom-client';
import type { ControlAction } from '../domain';
import type { ControlOutcome, Hub } from '../hub';

const ACTIONS: readonly (ControlAction | 'status')[] = ['dial', 'hangup', 'transfer', 'attendedTransfer', 'status'];

/** Counts call-control and user-status requests by action and result, as the API reports them on the hub. */
export function countControl(registry: Registry, hub: Hub): () => void {
  const requests = new Counter({
    name: 'switchboard_control_requests_total',
    help: 'Call-control and user-status requests by action and result (accepted, denied, unsupported, refused, …)',
    labelNames: ['action', 'result'],
    registers: [registry],
  });
  // every action shows from the start, so rate() and absent() work before the first request
  for (const action of ACTIONS) requests.inc({ action, result: 'accepted' }, 0);
  const count = (o: ControlOutcome): void => requests.inc({ action: o.action, result: o.result });
  hub.on('control', count);
  return () => hub.off('control', count);
}
