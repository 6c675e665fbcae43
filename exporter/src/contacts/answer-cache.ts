/**
 * The matcher's answers by number, bounded, and kept from churning. Until it is full every answer goes in; after, an
 * answer goes in (pushing out the oldest) only when its number missed a second time while the first miss is still
 * remembered: a doorkeeper, one 32-bit hash per slot of a small table, so remembering costs no allocation.
 *
 * Why not let every answer in: an answer kept outlives V8's young-generation collections, so each one pushed out
 * later is garbage in the old generation, which only a full collection frees. A CSV export of a million calls names
 * some 140,000 different numbers; letting each in left hundreds of MB there between full collections (the export's
 * RSS grew with it) for fewer hits than now: the numbers that call often are the ones that miss twice, while the
 * one-off callers that made up most of the churn never get in.
 */
export class AnswerCache<V> {
  private readonly answers = new Map<string, V>();
  private readonly missed: Int32Array;

  /** `doorkeeper`: slots of the table of recent misses (a power of two); fewer slots remember a shorter while */
  constructor(
    readonly max: number,
    doorkeeper = 4096,
  ) {
    this.missed = new Int32Array(doorkeeper);
  }

  get size(): number {
    return this.answers.size;
  }

  get(number: string): V | undefined {
    return this.answers.get(number);
  }

  /**
   * Whether to keep the answer for a number that missed (and remembers the miss): yes while there is room, else only
   * on its second miss. `keepOnly: 'room'` never lets an answer push one out: a bulk read (an export) keeps nothing it
   * would have to make garbage of. Asked before the answer to keep is made, so that nothing is made for nothing.
   */
  admits(number: string, keepOnly?: 'room'): boolean {
    if (this.answers.size < this.max) return true;
    if (keepOnly === 'room') return false;
    const h = hash(number);
    const slot = h & (this.missed.length - 1);
    if (this.missed[slot] !== h) {
      this.missed[slot] = h;
      return false;
    }
    this.missed[slot] = 0;
    return true;
  }

  /** Keeps an answer `admits` let in, pushing out the oldest when full. */
  keep(number: string, answer: V): void {
    if (this.answers.size >= this.max) this.answers.delete(this.answers.keys().next().value!);
    this.answers.set(number, answer);
  }
}

/** FNV-1a over the UTF-16 code units; never 0, which marks an empty slot */
function hash(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  return h | 1;
}
