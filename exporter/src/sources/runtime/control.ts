import type { Call } from '../../domain';

/** Start a call: ring `extension`'s phone, and once it answers, dial `target` from it (click-to-dial). */
export interface DialRequest {
  extension: string;
  target: string;
}

export interface TransferRequest {
  /** where the call goes: an extension or an outside number */
  target: string;
  kind: 'blind' | 'attended';
  /** the extension handing the call over; default: the extension that answered it */
  extension?: string;
}

/**
 * Call control a driver offers (issue #14). Only the actions its kind lists in `capabilities.control` are called.
 * Each resolves once the PBX has accepted the action; what the call then does arrives as ordinary events.
 */
export interface CallControl {
  /** resolves with the id the call record will carry */
  dial(req: DialRequest): Promise<{ callId: string }>;
  /** ends an open call (a ringing one is cancelled) */
  hangup(call: Call): Promise<void>;
  transfer(call: Call, req: TransferRequest): Promise<void>;
}

/**
 * Why an action could not be done, in the PBX's terms; the API maps it to a status. `unavailable`: the PBX is not
 * connected; `conflict`: the call is not in a state that allows it; `refused`: the PBX answered with an error.
 */
export class ControlError extends Error {
  constructor(
    readonly reason: 'unavailable' | 'conflict' | 'refused',
    message: string,
  ) {
    super(message);
    this.name = 'ControlError';
  }
}

/** The open leg of `extension` in `call`, or else of the person who answered it, or else of any answered extension. */
export function transfererLeg(call: Call, extension?: string): Call['legs'][number] | undefined {
  const open = call.legs.filter((l) => l.role === 'extension' && l.endedAt === undefined && l.channel);
  if (extension !== undefined) return open.find((l) => l.party.number === extension);
  const answered = open.filter((l) => l.answeredAt !== undefined);
  return answered.find((l) => l.party.number === call.answeredBy?.number) ?? answered[0];
}
