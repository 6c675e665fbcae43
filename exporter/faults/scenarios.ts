import { amiCut } from './ami-cut';
import { badRequests } from './bad-requests';
import { disk } from './disk';
import { fuzz } from './fuzz';
import { kill9 } from './kill9';
import type { Scenario } from './lib/scenario';
import { nfonFaults } from './nfon';
import { sse } from './sse';

/** In the order they run: the cheap ones first, so a broken build shows early. */
export const scenarios: Scenario[] = [badRequests, sse, nfonFaults, fuzz, amiCut, kill9, disk];
