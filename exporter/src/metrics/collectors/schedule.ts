import { BusinessHours } from '../business-hours';
import type { Collector, CollectorDeps } from '../collector';
import { gauge } from '../text-metrics';

/** Whether the configured business hours are open now, so alerts and panels can tell closed from quiet. */
export function scheduleCollector({ config }: CollectorDeps): Collector {
  // not `pbx_business_hours_open`: promtool's lint reads `hours` as a non-base unit
  const open = gauge(
    'pbx_business_open',
    'Whether the configured business-hours schedule is open now (1) or closed (0)',
    ['pbx'],
  );
  const hours = new BusinessHours(config.businessHours);
  return {
    name: 'schedule',
    families: [open],
    collect({ now, pbxs }) {
      const v = hours.isOpen(now) ? 1 : 0;
      for (const pbx of pbxs) open.add([pbx], v);
    },
  };
}
