import type { Call } from '../../domain';
import { ControlError, transfererLeg, type CallControl, type DialRequest, type TransferRequest } from '../runtime/control';
import { ActionError, type ActionResult } from './client';
import type { AmiConfig } from './config';

/** The one thing control needs of the AMI session. */
export interface ActionSender {
  readonly isUp: boolean;
  action(fields: Record<string, string>): Promise<ActionResult>;
}

/**
 * Call control over AMI: Originate for click-to-dial, Hangup, BlindTransfer and Atxfer. The PBX then reports what
 * happens as ordinary events, which correlation turns into the call record like any other call.
 */
export class AmiControl implements CallControl {
  private seq = 0;

  constructor(
    private readonly pbx: string,
    private readonly client: ActionSender,
    private readonly config: AmiConfig['control'],
  ) {}

  async dial(req: DialRequest): Promise<{ callId: string }> {
    // Originate names the phone's channel Uniqueid itself (ChannelId), so the call's id is known before the phone
    // rings: correlation keys a call by the Linkedid of its first channel, which is that channel's own Uniqueid
    const channelId = `sbdial-${Math.floor(Date.now() / 1000)}.${++this.seq}`;
    await this.send({
      Action: 'Originate',
      Channel: this.config.channel.replace('{extension}', req.extension),
      Exten: req.target,
      Context: this.config.context,
      Priority: '1',
      // the phone shows its own number, so the record's caller is the extension, not the number it is about to dial
      CallerID: `<${req.extension}>`,
      Timeout: String(this.config.ringSeconds * 1000),
      ChannelId: channelId,
      // answer at once; the outcome arrives later as OriginateResponse and channel events
      Async: 'true',
    });
    return { callId: `${this.pbx}-${channelId}` };
  }

  async hangup(call: Call): Promise<void> {
    const channels = call.legs.filter((l) => l.endedAt === undefined && l.channel).map((l) => l.channel!);
    if (channels.length === 0) throw new ControlError('conflict', `call "${call.id}" has no channel left to hang up`);
    // every open channel: a caller still ringing several phones, or both sides of a bridge; a channel the first
    // hangup already took with it answers "No such channel", which is fine as long as one hangup succeeded
    const results = await Promise.allSettled(channels.map((c) => this.send({ Action: 'Hangup', Channel: c, Cause: '16' })));
    if (results.every((r) => r.status === 'rejected')) throw (results[0] as PromiseRejectedResult).reason;
  }

  async transfer(call: Call, req: TransferRequest): Promise<void> {
    const leg = transfererLeg(call, req.extension);
    if (!leg) {
      throw new ControlError(
        'conflict',
        req.extension !== undefined
          ? `extension ${req.extension} has no open leg in call "${call.id}"`
          : `call "${call.id}" has no answered extension to transfer from`,
      );
    }
    await this.send({
      // BlindTransfer hands the transferer's bridge peer to the target; Atxfer has the transferer consult the target
      // first, the PBX completing the transfer when the transferer hangs up
      Action: req.kind === 'blind' ? 'BlindTransfer' : 'Atxfer',
      Channel: leg.channel!,
      Exten: req.target,
      Context: this.config.context,
    });
  }

  private async send(fields: Record<string, string>): Promise<ActionResult> {
    if (!this.client.isUp) throw new ControlError('unavailable', `the PBX "${this.pbx}" is not connected`);
    try {
      return await this.client.action(fields);
    } catch (err) {
      if (err instanceof ActionError && err.response) throw new ControlError('refused', `${fields.Action}: ${err.message}`);
      throw new ControlError('unavailable', (err as Error).message);
    }
  }
}
