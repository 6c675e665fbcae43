import { cappedExtensions } from '../capped-extensions';
import type { Collector, CollectorDeps } from '../collector';
import { gauge, type ScrapeFamily } from '../text-metrics';

/** Voicemail messages by folder over all mailboxes; per mailbox when opted in (capped by metrics.maxExtensions). */
export function voicemailCollector({ config, live }: CollectorDeps): Collector {
  const messages = gauge('pbx_voicemail_messages', 'Voicemail messages over all mailboxes, by folder', [
    'pbx',
    'folder',
  ]);
  const perMailbox = gauge(
    'pbx_mailbox_messages',
    'Voicemail messages per mailbox (opt-in, capped by metrics.maxExtensions)',
    ['pbx', 'mailbox', 'folder'],
  );
  const families: ScrapeFamily[] = [messages];
  if (config.metrics.perMailbox) families.push(perMailbox);
  const capped = cappedExtensions(live, config.metrics.maxExtensions);
  return {
    name: 'voicemail',
    families,
    collect({ allPbxs }) {
      const byPbx = new Map(allPbxs.map((pbx) => [pbx, { new: 0, old: 0 }]));
      for (const e of live.extensions.values()) {
        if (!e.voicemail) continue;
        const vm = byPbx.get(e.pbx)!;
        vm.new += e.voicemail.new;
        vm.old += e.voicemail.old;
      }
      for (const [pbx, vm] of byPbx) {
        messages.add([pbx, 'new'], vm.new);
        messages.add([pbx, 'old'], vm.old);
      }
      if (!config.metrics.perMailbox) return;
      for (const e of capped()) {
        if (!e.voicemail) continue;
        perMailbox.add([e.pbx, e.extension, 'new'], e.voicemail.new);
        perMailbox.add([e.pbx, e.extension, 'old'], e.voicemail.old);
      }
    },
  };
}
