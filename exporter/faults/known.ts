/**
 * Checks that fail today for a known, open reason (issue 11 is open until they hold). The table still prints them as
 * FAIL with the reason, and the closing line counts them; only a failure NOT listed here makes the run exit non-zero,
 * so CI catches every regression while the open findings stay in plain sight. Remove an entry once its check holds.
 */
export const KNOWN_FAILURES: Record<string, string> = {
  'fuzz/RSS flat (median of the last quarter within 32 MiB of the second)':
    'issue 11: over 1M fuzzed frames the exporter still grows (RSS median 463 → 517 MiB, second to last quarter); what grows is not found yet',
  'fuzz/V8 heap flat (floor of the last quarter within 10 % + 8 MiB of the second)':
    'issue 11: over 1M fuzzed frames the V8 heap floor rose 135 → 179 MiB; the AMI driver and correlator maps stay under 100 entries (counted in-process) and the stream\'s resume buffer is capped at 40 MiB, but what else grows is not found yet',
};

export const knownReason = (scenario: string, checked: string): string | undefined =>
  KNOWN_FAILURES[`${scenario}/${checked}`];
