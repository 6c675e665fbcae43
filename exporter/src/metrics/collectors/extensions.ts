import { EXTENSION_STATES } from '../../domain';
import { cappedExtensions } from '../capped-extensions';
import type { Collector, CollectorDeps } from '../collector';
import { zeros } from '../labels';
import { gauge, type ScrapeFamily } from '../text-metrics';

/** Extensions by state and registration; per extension when opted in (capped by metrics.maxExtensions). */
export function extensionsCollector({ config, live }: CollectorDeps): Collector {
  const byState = gauge('pbx_extensions', 'Extensions by state', ['pbx', 'state']);
  const registered = gauge('pbx_extensions_registered', 'Extensions with a registered device', ['pbx']);
  const families: ScrapeFamily[] = [byState, registered];
  const { perExtension, maxExtensions } = config.metrics;
  const perExt = gauge(
    'pbx_extension_state',
    'Per-extension state set: 1 for the current state, 0 for the others (opt-in, capped by metrics.maxExtensions)',
    ['pbx', 'extension', 'state'],
  );
  const omitted = gauge(
    'switchboard_metrics_extensions_omitted',
    'Extensions left out of per-extension series because of metrics.maxExtensions',
  );
  if (perExtension) families.push(perExt, omitted);
  const capped = cappedExtensions(live, maxExtensions);
  return {
    name: 'extensions',
    families,
    collect({ allPbxs }) {
      const states = new Map(allPbxs.map((pbx) => [pbx, zeros(EXTENSION_STATES) as Record<string, number>]));
      const reg = new Map(allPbxs.map((pbx) => [pbx, 0]));
      for (const e of live.extensions.values()) {
        const s = states.get(e.pbx)!;
        s[e.state] = (s[e.state] ?? 0) + 1;
        if (e.registered) reg.set(e.pbx, reg.get(e.pbx)! + 1);
      }
      for (const [pbx, s] of states) for (const [state, n] of Object.entries(s)) byState.add([pbx, state], n);
      for (const [pbx, n] of reg) registered.add([pbx], n);
      if (!perExtension) return;
      for (const e of capped()) {
        for (const state of EXTENSION_STATES) perExt.add([e.pbx, e.extension, state], e.state === state ? 1 : 0);
      }
      omitted.add([], Math.max(0, live.extensions.size - maxExtensions));
    },
  };
}
