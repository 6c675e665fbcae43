import { cappedKeys } from '../capped-extensions';
import type { Collector, CollectorDeps } from '../collector';
import { gauge, type ScrapeFamily } from '../text-metrics';

/**
 * Unreturned missed calls per extension (opt-in: metrics.unreturnedMissed), for "you have missed calls" alerts to
 * the extension's owner. Series for the first metrics.maxExtensions extensions by pbx and extension, among those
 * in live state and those with missed calls, so an extension shows 0 before its first missed call and the alert
 * can resolve.
 */
export function missedCollector({ config, live, unreturned }: CollectorDeps): Collector {
  const { maxExtensions } = config.metrics;
  const perExt = gauge(
    'pbx_extension_missed_unreturned_calls',
    'Truly missed calls that rang at the extension in the last metrics.unreturnedWindowHours and were not called back (opt-in, capped by metrics.maxExtensions)',
    ['pbx', 'extension'],
  );
  const families: ScrapeFamily[] = unreturned ? [perExt] : [];
  const capped = cappedKeys(maxExtensions);
  return {
    name: 'missed',
    families,
    collect() {
      if (!unreturned) return;
      const counts = unreturned.perExtension();
      // both key sets only grow or shrink as extensions come and go: their sizes say when to choose again
      const keys = capped(
        () => [...counts.keys(), ...live.extensions.keys()],
        `${counts.size}/${live.extensions.size}`,
      );
      for (const k of keys) {
        const [pbx, extension] = k.split('\u0000');
        perExt.add([pbx, extension], counts.get(k) ?? 0);
      }
    },
  };
}
