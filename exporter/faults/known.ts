/**
 * Checks that fail today for a known, open reason (issue 11 is open until they hold). The table still prints them as
 * FAIL with the reason, and the closing line counts them; only a failure NOT listed here makes the run exit non-zero,
 * so CI catches every regression while the open findings stay in plain sight. Remove an entry once its check holds.
 */
export const KNOWN_FAILURES: Record<string, string> = {
  'ami-cut/calls reconstructed exactly (status, times, numbers)':
    'issue 11: a few calls whose end straddles a cut come back incomplete',
  'ami-cut/calls still open after the day ended and settled':
    'issue 11: a call rebuilt from the resync channel list after a cut can stay open (timing-dependent: not every run)',
  'kill9/calls still open after the day ended and settled':
    'issue 11: a call rebuilt from the resync channel list after a kill can stay open',
  'kill9/calls ended before a kill: truth as in the uninterrupted run':
    'issue 11: a call that ended just before a kill can come back incomplete',
  'fuzz/a real call after the fuzz read and stored':
    'issue 11: the real call sent after the fuzz leaves no record at all (suspect: fuzzed Timestamps move the correlation clock far ahead)',
};

export const knownReason = (scenario: string, checked: string): string | undefined =>
  KNOWN_FAILURES[`${scenario}/${checked}`];
