/**
 * Checks that fail today for a known, open reason (issue 11 is open until they hold). The table still prints them as
 * FAIL with the reason, and the closing line counts them; only a failure NOT listed here makes the run exit non-zero,
 * so CI catches every regression while the open findings stay in plain sight. Remove an entry once its check holds.
 */
export const KNOWN_FAILURES: Record<string, string> = {};

export const knownReason = (scenario: string, checked: string): string | undefined =>
  KNOWN_FAILURES[`${scenario}/${checked}`];
