/** One event of the fake NFON server's calls stream, as the CTI API's spec shapes it. */
export interface FakeCallEvent {
  uuid: string;
  /** `caller-*`: a click-to-dial request reaching its own caller first */
  state: 'dial' | 'ring' | 'answer' | 'hangup' | 'caller-dial' | 'caller-ring' | 'caller-answer';
  caller: string;
  caller_context: string;
  callee: string;
  callee_context: string;
  direction: 'inbound' | 'outbound';
  extension: string;
  updated?: string;
}
