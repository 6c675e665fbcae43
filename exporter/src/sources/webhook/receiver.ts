import { createHash } from 'node:crypto';
import { TypeCompiler } from '@sinclair/typebox/compiler';
import { IngestBody, type IngestBodyJson, type IngestEventJson } from '../../wire/call-events';
import { SIGNATURE_HEADER, TIMESTAMP_HEADER, verify } from '../../wire/signature';
import type { PushAnswer, PushReceiver, PushRequest } from '../runtime/kind';

export interface EventRejection {
  index: number;
  reason: string;
  detail: string;
}

/** What applying a request's events did. */
export interface Applied {
  accepted: number;
  rejected: EventRejection[];
}

export interface ReceiverOptions {
  secrets: readonly string[];
  toleranceMs: number;
  maxBodyBytes: number;
  now: () => number;
  /** apply validated events in order; called at most once per accepted request */
  apply(events: IngestEventJson[], arrival: number): Applied;
  /** how long an Idempotency-Key answer is kept */
  idempotencyTtlMs?: number;
  maxIdempotencyKeys?: number;
}

const check = TypeCompiler.Compile(IngestBody);

const header = (h: PushRequest['headers'], name: string): string | undefined => {
  const v = h[name];
  return Array.isArray(v) ? v[0] : v;
};

/** Oldest-first expiring memory, bounded: enough to answer a sender's retries, never a leak. */
class Expiring<V> {
  private readonly map = new Map<string, { value: V; until: number }>();
  constructor(private readonly max: number) {}

  get(key: string, now: number): V | undefined {
    const e = this.map.get(key);
    if (!e) return undefined;
    if (e.until < now) {
      this.map.delete(key);
      return undefined;
    }
    return e.value;
  }

  set(key: string, value: V, until: number, now: number): void {
    this.map.delete(key);
    this.map.set(key, { value, until });
    for (const [k, e] of this.map) {
      if (this.map.size <= this.max && e.until >= now) break;
      this.map.delete(k);
    }
  }
}

/**
 * One webhook source's front door, free of HTTP: size, signature, replay and idempotency first, then the JSON and
 * its schema, then the events. Nothing is parsed before the signature holds, and a request that fails any check
 * changes nothing. A signed request seen again (same signature, within the time window) is a replay (409) unless it
 * carries an `Idempotency-Key` whose answer we kept: then the first answer comes back, with nothing applied twice.
 */
export class WebhookReceiver implements PushReceiver {
  private readonly signatures: Expiring<true>;
  private readonly answers: Expiring<{ digest: string; answer: Applied }>;

  constructor(private readonly opts: ReceiverOptions) {
    this.signatures = new Expiring(100_000);
    this.answers = new Expiring(opts.maxIdempotencyKeys ?? 10_000);
  }

  get maxBodyBytes(): number {
    return this.opts.maxBodyBytes;
  }

  receive(req: PushRequest): PushAnswer {
    const now = this.opts.now();
    if (req.body.length > this.opts.maxBodyBytes) {
      return { status: 413, detail: `body of ${req.body.length} bytes; the limit is ${this.opts.maxBodyBytes}` };
    }
    const verdict = verify(
      { timestamp: req.headers[TIMESTAMP_HEADER], signature: req.headers[SIGNATURE_HEADER], body: req.body },
      this.opts.secrets,
      now,
      this.opts.toleranceMs,
    );
    if (!verdict.ok) return { status: 401, detail: verdict.problem };

    const key = header(req.headers, 'idempotency-key');
    if (key !== undefined && (key.length === 0 || key.length > 255)) {
      return { status: 400, detail: 'Idempotency-Key must be 1 to 255 characters', parameter: 'Idempotency-Key' };
    }
    const digest = createHash('sha256').update(req.body).digest('hex');
    if (key !== undefined) {
      const kept = this.answers.get(key, now);
      if (kept && kept.digest !== digest) {
        return {
          status: 422,
          detail: 'this Idempotency-Key was used for a different body',
          parameter: 'Idempotency-Key',
        };
      }
      if (kept) return { status: 202, body: kept.answer, replayed: true };
    }
    if (this.signatures.get(verdict.signature, now)) {
      return {
        status: 409,
        detail: 'this signed request was already received (replay); send an Idempotency-Key to retry safely',
      };
    }

    let json: unknown;
    try {
      json = JSON.parse(req.body.toString('utf8'));
    } catch (err) {
      return { status: 400, detail: `body is not JSON: ${(err as Error).message.slice(0, 120)}` };
    }
    if (!check.Check(json)) {
      const first = check.Errors(json).First();
      const path = first?.path || '/';
      return {
        status: 400,
        detail: `${path}: ${first?.message ?? 'invalid'}`,
        parameter: `body${path.replace(/\//g, '.')}`,
      };
    }

    const applied = this.opts.apply((json as IngestBodyJson).events, now);
    // a signature is only worth remembering while its timestamp is inside the window
    this.signatures.set(verdict.signature, true, verdict.timestamp * 1000 + this.opts.toleranceMs, now);
    if (key !== undefined)
      this.answers.set(key, { digest, answer: applied }, now + (this.opts.idempotencyTtlMs ?? 24 * 3_600_000), now);
    return { status: 202, body: applied, replayed: false };
  }
}
