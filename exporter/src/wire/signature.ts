import { createHmac, timingSafeEqual } from 'node:crypto';

/** The headers of a signed Switchboard webhook, in and out. */
export const SIGNATURE_HEADER = 'x-switchboard-signature';
export const TIMESTAMP_HEADER = 'x-switchboard-timestamp';

/** How far a signed request's timestamp may be from our clock, either way: older is a replay, newer a wrong clock. */
export const DEFAULT_TOLERANCE_MS = 5 * 60_000;

/**
 * The signature of a webhook body: HMAC-SHA256 with the shared secret over `<timestamp>.<body>`, hex, written
 * `v1=<hex>`. The timestamp (unix seconds) is signed with the body, so a captured request cannot be re-sent later
 * with a fresh timestamp.
 */
export function sign(secret: string, timestamp: number, body: Buffer | string): string {
  const mac = createHmac('sha256', secret);
  mac.update(`${timestamp}.`);
  mac.update(body);
  return `v1=${mac.digest('hex')}`;
}

export type Verdict = { ok: true; timestamp: number; signature: string } | { ok: false; problem: string };

export interface SignedRequest {
  timestamp: string | string[] | undefined;
  signature: string | string[] | undefined;
  body: Buffer;
}

const one = (h: string | string[] | undefined): string | undefined => (Array.isArray(h) ? h[0] : h);

/**
 * Checks a request against the secrets that may have signed it (more than one while a secret is being rotated).
 * The signature header may carry several `v1=` values separated by commas (a sender rotating its secret); any match
 * counts. Comparison is constant-time. `problem` says what was wrong without saying what would have been right.
 */
export function verify(
  req: SignedRequest,
  secrets: readonly string[],
  now: number,
  toleranceMs = DEFAULT_TOLERANCE_MS,
): Verdict {
  const ts = one(req.timestamp);
  const sig = one(req.signature);
  if (!ts) return { ok: false, problem: `missing ${TIMESTAMP_HEADER} header` };
  if (!sig) return { ok: false, problem: `missing ${SIGNATURE_HEADER} header` };
  if (!/^\d{1,12}$/.test(ts)) return { ok: false, problem: `${TIMESTAMP_HEADER} must be unix seconds` };
  const timestamp = Number(ts);
  if (Math.abs(now - timestamp * 1000) > toleranceMs) {
    return {
      ok: false,
      problem: `${TIMESTAMP_HEADER} is more than ${Math.round(toleranceMs / 1000)} s from the server's clock`,
    };
  }
  const offered = sig
    .split(',')
    .map((s) => s.trim())
    .filter((s) => /^v1=[0-9a-f]{64}$/i.test(s))
    .map((s) => Buffer.from(s.slice(3).toLowerCase(), 'hex'));
  if (offered.length === 0) return { ok: false, problem: `${SIGNATURE_HEADER} must be v1=<64 hex digits>` };
  for (const secret of secrets) {
    const expected = Buffer.from(sign(secret, timestamp, req.body).slice(3), 'hex');
    for (const o of offered)
      if (timingSafeEqual(o, expected)) return { ok: true, timestamp, signature: expected.toString('hex') };
  }
  return { ok: false, problem: 'signature does not match' };
}
