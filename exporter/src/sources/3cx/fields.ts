/**
 * The CDR template every public 3CX consumer uses (v16–v20 "CDR output", one comma-separated line per call). The
 * admin chooses the fields and their order in the 3CX console, so the list is configurable; these names are the keys
 * the record builder reads, and any other configured name is carried along unread.
 */
export const DEFAULT_CDR_FIELDS = [
  'historyid',
  'callid',
  'duration',
  'time-start',
  'time-answered',
  'time-end',
  'reason-terminated',
  'from-no',
  'to-no',
  'from-dn',
  'to-dn',
  'dial-no',
  'reason-changed',
  'final-number',
  'final-dn',
  'bill-code',
  'bill-rate',
  'bill-cost',
  'bill-name',
  'chain',
  'from-type',
  'to-type',
  'final-type',
  'from-dispname',
  'to-dispname',
  'final-dispname',
  'missed-queue-calls',
] as const;

/** Without these a line cannot become a call: an identity and the times that place it. */
export const REQUIRED_CDR_FIELDS = ['time-start', 'time-end'] as const;
