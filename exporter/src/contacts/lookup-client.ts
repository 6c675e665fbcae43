import type { Contact } from './directory';
import { directoryKey } from './directory';

/** How a batch lookup failed, as the metric counts it. */
export type LookupFailure = 'timeout' | 'network' | 'http' | 'invalid';

/** A batch lookup that failed, with what went wrong in words an admin can act on. */
export class LookupError extends Error {
  constructor(
    readonly kind: LookupFailure,
    message: string,
  ) {
    super(message);
    this.name = 'LookupError';
  }
}

export interface LookupClientOptions {
  url: string;
  /** sent as `<authHeader>: <authScheme> <token>` (the scheme left out when empty) */
  token?: string;
  authHeader?: string;
  authScheme?: string;
  timeoutMs: number;
  /** region for numbers the service answers in national format */
  region?: string;
}

/** What one answer may hold, so a runaway service cannot fill memory. */
const MAX_BODY_BYTES = 8 * 1024 * 1024;

/**
 * The lookup service's contract, one POST per batch:
 *   request  `{"numbers": ["+4930123456", …]}` (E.164)
 *   answer   `{"contacts": [{"number": "+4930123456", "name": "Anna Schmidt", "company": "Müller GmbH"}, …]}`
 * A number the answer leaves out is not known to the service. An entry's number may be in any format the contacts
 * file accepts; an entry without a usable number or name is skipped and reported, the rest of the answer is used.
 */
export class LookupClient {
  private readonly headers: Record<string, string>;

  constructor(private readonly opts: LookupClientOptions) {
    this.headers = { 'content-type': 'application/json', accept: 'application/json' };
    if (opts.token) {
      const scheme = opts.authScheme ?? 'Bearer';
      this.headers[(opts.authHeader ?? 'Authorization').toLowerCase()] = scheme
        ? `${scheme} ${opts.token}`
        : opts.token;
    }
  }

  /** The contacts the service knows among `numbers` (by E.164), and the entries of its answer it could not use. */
  async lookup(numbers: readonly string[]): Promise<{ found: Map<string, Contact>; skipped: string[] }> {
    const body = await this.post(JSON.stringify({ numbers }));
    let json: unknown;
    try {
      json = JSON.parse(body);
    } catch (err) {
      throw new LookupError('invalid', `answer is not JSON (${(err as Error).message})`);
    }
    const list = (json as { contacts?: unknown } | null)?.contacts;
    if (typeof json !== 'object' || json === null || !Array.isArray(list)) {
      throw new LookupError(
        'invalid',
        'answer has no "contacts" array (expected {"contacts": [{"number", "name", "company"}]})',
      );
    }
    const asked = new Set(numbers);
    const found = new Map<string, Contact>();
    const skipped: string[] = [];
    list.forEach((entry: unknown, i) => {
      const e = entry as { number?: unknown; name?: unknown; company?: unknown } | null;
      const key = typeof e?.number === 'string' ? directoryKey(e.number, this.opts.region) : undefined;
      const company = typeof e?.company === 'string' && e.company.trim() ? e.company.trim() : null;
      const name = typeof e?.name === 'string' && e.name.trim() ? e.name.trim() : company;
      if (!key) skipped.push(`contacts[${i}].number: not a phone number`);
      else if (!name) skipped.push(`contacts[${i}]: neither name nor company`);
      // an answer about a number nobody asked for says nothing about the ones asked
      else if (asked.has(key) && !found.has(key)) found.set(key, { name, company });
    });
    return { found, skipped };
  }

  private async post(body: string): Promise<string> {
    let res: Response;
    const signal = AbortSignal.timeout(this.opts.timeoutMs);
    try {
      res = await fetch(this.opts.url, { method: 'POST', headers: this.headers, body, signal, redirect: 'error' });
    } catch (err) {
      if (signal.aborted) throw new LookupError('timeout', `no answer within ${this.opts.timeoutMs} ms`);
      const cause = (err as { cause?: { code?: string; message?: string } }).cause;
      throw new LookupError('network', `request failed (${cause?.message ?? cause?.code ?? (err as Error).message})`);
    }
    try {
      if (!res.ok) {
        throw new LookupError('http', `answered HTTP ${res.status}${res.statusText ? ` ${res.statusText}` : ''}`);
      }
      // read with a bound: a runaway or hostile service cannot fill memory
      const chunks: Buffer[] = [];
      let size = 0;
      for await (const chunk of res.body ?? []) {
        size += chunk.length;
        if (size > MAX_BODY_BYTES) throw new LookupError('invalid', `answer is over ${MAX_BODY_BYTES} bytes`);
        chunks.push(Buffer.from(chunk));
      }
      return Buffer.concat(chunks).toString('utf8');
    } catch (err) {
      if (err instanceof LookupError) throw err;
      if (signal.aborted) throw new LookupError('timeout', `answer not complete within ${this.opts.timeoutMs} ms`);
      throw new LookupError('network', `reading the answer failed (${(err as Error).message})`);
    } finally {
      // an unread body (an error status) would hold the connection
      if (!res.bodyUsed) await res.body?.cancel().catch(() => undefined);
    }
  }
}
