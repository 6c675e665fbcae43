import type { Call } from '../../domain';
import { ControlError, type CallControl, type DialRequest } from '../runtime/control';
import { ApiError, type NfonApi } from './api';

/** What the CTI API answers POST /extensions/phone/calls with (`Accept: application/json`): the `start` event. */
interface StartEvent {
  uuid?: unknown;
  state?: unknown;
}

/**
 * Click-to-dial and cancel over NFON's CTI API: `POST /extensions/phone/calls` rings the extension, then calls the
 * target from it, and answers at once with the call's `uuid` (the id the monitoring stream's events carry);
 * `DELETE /extensions/phone/calls/{uuid}` cancels a call still being set up. NFON has no transfer.
 */
export class NfonControl implements CallControl {
  constructor(
    private readonly pbx: string,
    private readonly account: string,
    private readonly api: NfonApi,
    /** whether the streams are up: no request is tried while NFON is unreachable */
    private readonly connected: () => boolean,
  ) {}

  async dial(req: DialRequest): Promise<{ callId: string }> {
    // an extension is a number in the tenant's context; anything with a country code is global
    const external = req.target.startsWith('+') || req.target.length > 6;
    const body = {
      caller: req.extension,
      caller_context: this.account,
      callee: req.target.replace(/^\+/, ''),
      callee_context: external ? 'global' : this.account,
      extension: req.extension,
    };
    const res = await this.send('POST', '/extensions/phone/calls', body);
    const start = (await res.json().catch(() => ({}))) as StartEvent;
    if (res.status !== 202 || typeof start.uuid !== 'string' || !start.uuid) {
      throw new ControlError('refused', `NFON click-to-dial: ${res.status}, no call uuid in the answer`);
    }
    return { callId: `${this.pbx}-${start.uuid}` };
  }

  async hangup(call: Call): Promise<void> {
    const uuid = call.id.startsWith(`${this.pbx}-`) ? call.id.slice(this.pbx.length + 1) : call.id;
    const res = await this.send('DELETE', `/extensions/phone/calls/${encodeURIComponent(uuid)}`);
    await res.body?.cancel();
    if (res.status === 204 || res.status === 200) return;
    if (res.status === 404) throw new ControlError('conflict', `NFON cannot cancel call "${call.id}": only a call still being set up can be cancelled`);
    throw new ControlError('refused', `NFON cancel: ${res.status}`);
  }

  async transfer(): Promise<void> {
    throw new ControlError('refused', 'NFON\'s CTI API has no transfer');
  }

  /** One request through NfonApi (its access token, its 401 → log in again, its timeout), unless NFON is down. */
  private async send(method: string, path: string, body?: unknown): Promise<Response> {
    if (!this.connected()) throw new ControlError('unavailable', `the PBX "${this.pbx}" is not connected`);
    try {
      return await this.api.request(method, path, body);
    } catch (err) {
      // NfonApi's errors name the request already
      const message = err instanceof ApiError ? err.message : `${method} ${path}: ${(err as Error).message}`;
      throw new ControlError('unavailable', `NFON ${message}`);
    }
  }
}
