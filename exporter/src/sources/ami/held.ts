import type { AmiEventBase } from './messages';

interface Held {
  ev: AmiEventBase;
  arrival: number;
  /** its number among the client's live events (`AmiClient.delivered`) */
  n: number;
}

/**
 * Live events held back while a resync is under way. The channel list shows one moment of the stream, but its answer
 * is in our hands only after the events that followed it were read: applied after them, it brings back channels that
 * have hung up since (a call rebuilt that never ends) and drops legs that started since (a call closed as
 * incomplete). Held, the events Asterisk sent before the list are handled first, then the list, then the rest: the
 * order Asterisk sent them in. A resync is bounded by the action timeout, and so is what is held.
 */
export class HeldEvents {
  private queue?: Held[];

  constructor(private readonly handle: (ev: AmiEventBase, arrival: number) => void) {}

  /** From now on events wait for `release…`. */
  hold(): void {
    this.queue ??= [];
  }

  /** An event arrived: held while holding, else handled at once. */
  offer(ev: AmiEventBase, arrival: number, n: number): void {
    if (this.queue) this.queue.push({ ev, arrival, n });
    else this.handle(ev, arrival);
  }

  /** Handles the held events numbered up to `n`; the later ones stay held. */
  releaseUpTo(n: number): void {
    const q = this.queue;
    if (!q) return;
    let i = 0;
    while (i < q.length && q[i].n <= n) i++;
    for (const h of q.splice(0, i)) this.handle(h.ev, h.arrival);
  }

  /** Handles every held event, in order, and stops holding. */
  releaseAll(): void {
    const q = this.queue;
    this.queue = undefined;
    for (const h of q ?? []) this.handle(h.ev, h.arrival);
  }
}
