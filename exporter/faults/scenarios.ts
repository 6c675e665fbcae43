import { badRequests } from './bad-requests';
import type { Scenario } from './lib/scenario';
import { nfonFaults } from './nfon';
import { sse } from './sse';

/** In the order they run: the cheap ones first, so a broken build shows early. */
export const scenarios: Scenario[] = [badRequests, sse, nfonFaults];
