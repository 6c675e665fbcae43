import type { CollectorFactory } from '../collector';
import { callsCollector } from './calls';
import { conferencesCollector } from './conferences';
import { extensionsCollector } from './extensions';
import { freshnessCollector } from './freshness';
import { missedCollector } from './missed';
import { parkingCollector } from './parking';
import { queuesCollector } from './queues';
import { scheduleCollector } from './schedule';
import { sinksCollector } from './sinks';
import { sourcesCollector } from './sources';
import { storeCollector } from './store';
import { trunksCollector } from './trunks';
import { voicemailCollector } from './voicemail';

/** Every collector, in the order their families appear on /metrics. */
export const COLLECTORS: readonly CollectorFactory[] = [
  sourcesCollector,
  freshnessCollector,
  callsCollector,
  extensionsCollector,
  missedCollector,
  queuesCollector,
  trunksCollector,
  conferencesCollector,
  parkingCollector,
  voicemailCollector,
  scheduleCollector,
  storeCollector,
  sinksCollector,
];
