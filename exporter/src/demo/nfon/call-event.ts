/** A call event as the calls stream sends it (spec 1.0.1 `call`); `customer` and `updated` are filled in. */
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
